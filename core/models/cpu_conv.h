#pragma once
/// A convolution whose gradients take faster routes on the CPU than LibTorch's.
///
/// LibTorch hands a convolution's gradients to oneDNN's backward kernels, which run well below
/// its forward ones (docs/BENCHMARKS.md, "Convolutional networks").
/// - The input gradient, for stride 1, is the forward convolution of the output gradient with
///   the kernel turned by 180 degrees and its input and output channels swapped (padding
///   k - 1 - p). Other strides keep LibTorch's.
/// - The weight gradient is the output gradient [pixels, out] by the input's patches
///   [pixels, k x k x in], summed over every output pixel of the batch. Where a patch holds few
///   numbers (stride 1), that is one narrow matrix product: 1x1 convolutions (their patches are
///   the input itself) and a first layer on images of few channels. Wider patches, at any
///   stride, take the lab's AVX-512 loop (conv_weight_gradient.h) where the input's channels are
///   a multiple of 16 and the CPU has AVX-512; oneDNN's otherwise.
/// The forward pass is LibTorch's; other devices and dtypes are LibTorch's throughout.

#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <utility>

namespace genlab::models {

/// The widest patch (kernel height x kernel width x input channels) whose weight gradient is
/// formed from gathered patches; a 1x1 convolution's patches are its input, at any width.
inline constexpr int64_t kWidestGatheredPatch = 75;  // a 5x5 kernel on 3 channels

/// torch::nn::Conv2d with square kernels and zero padding on every side: the same parameters,
/// names and initialization, and the gradients above where takesOwnRoutes() holds.
class CpuConv2dImpl : public torch::nn::Conv2dImpl {
public:
  CpuConv2dImpl(int64_t inChannels, int64_t outChannels, int64_t kernel, int64_t stride,
                int64_t padding);
  torch::Tensor forward(const torch::Tensor& input);

  /// Whether forward(input)'s gradients take a route above: float [N, C, H, W] on the CPU, and
  /// either stride 1 with padding less than the kernel, or the lab's weight-gradient loop.
  bool takesOwnRoutes(const torch::Tensor& input) const;

  int64_t stride() const { return stride_; }
  int64_t padding() const { return padding_; }

private:
  int64_t stride_, padding_;
};
TORCH_MODULE(CpuConv2d);

/// {narrow.forward(input), wide.forward(input)}: the two convolutions of one input that an
/// Inception module's branches apply. Where `narrow` is a 1x1 convolution and `wide` one at
/// stride 1, both taking their routes, they are one node of the backward pass: the 1x1's input
/// gradient is added as a matrix product where the wide one's is formed (rather than both
/// formed, then summed), and both weight gradients take one pass over the input where both take
/// the lab's loop.
std::pair<torch::Tensor, torch::Tensor> convolveBoth(CpuConv2dImpl& narrow, CpuConv2dImpl& wide,
                                                     const torch::Tensor& input);

} // namespace genlab::models
