#pragma once
/// Max-pool followed by a ReLU, as one layer. The two commute (a maximum of ReLUs is the ReLU
/// of the maximum, and so are their gradients), and on the CPU this one pass over channels-last
/// images (pool_rows.h) replaces LibTorch's max-pool, its 64-bit indices and the ReLU's passes;
/// on other devices it is LibTorch's max_pool2d and relu.

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

namespace genlab::models {

class MaxPoolReLUImpl : public torch::nn::Cloneable<MaxPoolReLUImpl> {
public:
  /// Square windows of `window` pixels every `stride` pixels, the input padded by `padding`
  /// (floor mode: as torch::nn::MaxPool2d with the same options).
  MaxPoolReLUImpl(int64_t window, int64_t stride, int64_t padding)
      : window_(window), stride_(stride), padding_(padding) {}
  void reset() override {}
  /// input [N, C, H, W] -> [N, C, H', W'] (channels-last on the CPU).
  torch::Tensor forward(const torch::Tensor& input);

  int64_t window() const { return window_; }
  int64_t stride() const { return stride_; }
  int64_t padding() const { return padding_; }

private:
  int64_t window_, stride_, padding_;
};
TORCH_MODULE(MaxPoolReLU);

} // namespace genlab::models
