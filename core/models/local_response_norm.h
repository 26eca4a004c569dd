#pragma once
/// Local response normalization across channels (Krizhevsky et al. 2012), as small AlexNet uses
/// it: b_c = a_c / (k + alpha / size * sum of a_j^2 over the `size` channels around c)^beta,
/// with the window and the alpha of torch::nn::LocalResponseNorm. LibTorch's own computes the
/// window sums with a padded copy and a 3-D average pool, which on the CPU cost more than the
/// network's convolutions; here they are one pass over channels-last rows (on other devices the
/// padded pool), and the gradient is written out rather than traced.

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

namespace genlab::models {

class LocalResponseNormImpl : public torch::nn::Cloneable<LocalResponseNormImpl> {
public:
  /// A window of `size` channels (size / 2 before a channel, (size - 1) / 2 after it).
  LocalResponseNormImpl(int64_t size, double alpha, double beta, double k)
      : size_(size), alpha_(alpha), beta_(beta), k_(k) {}
  void reset() override {}
  /// input [N, C, H, W] -> the same shape (channels-last on the CPU).
  torch::Tensor forward(const torch::Tensor& input);

  int64_t size() const { return size_; }
  double alpha() const { return alpha_; }
  double beta() const { return beta_; }
  double k() const { return k_; }

private:
  int64_t size_;
  double alpha_, beta_, k_;
};
TORCH_MODULE(LocalResponseNorm);

} // namespace genlab::models
