#pragma once
/// Dropout (Srivastava et al. 2014) that draws its masks from the thread's generator
/// (genlab::threadGenerator), so that runs trained side by side on several threads each keep
/// their own stream. Without one it is LibTorch's dropout, drawing from the default generator.

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

namespace genlab::models {

class DropoutImpl : public torch::nn::Cloneable<DropoutImpl> {
public:
  /// `probability` of zeroing each value in training mode, in [0, 1).
  explicit DropoutImpl(double probability) : probability_(probability) {}
  void reset() override {}
  /// In training mode, each value zeroed with the probability and the rest scaled by
  /// 1 / (1 - probability); in evaluation mode, the input itself. The same draws and values
  /// as torch::dropout on the CPU with the same generator state.
  torch::Tensor forward(const torch::Tensor& input);

private:
  double probability_;
};
TORCH_MODULE(Dropout);

} // namespace genlab::models
