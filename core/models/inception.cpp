#include "core/models/inception.h"

#include "core/errors.h"
#include "core/models/batch_norm_relu.h"
#include "core/models/cpu_conv.h"
#include "core/models/dropout.h"
#include "core/models/max_pool_relu.h"

#include <torch/torch.h>

namespace genlab::models {

namespace nn = torch::nn;

namespace {

/// The paper's Conv(c, k): convolution with bias, optional batch norm without learnable scale
/// and shift (so that the network with and without batch norm has the same parameters),
/// ReLU. 'same' padding at stride 1, no padding otherwise (the Down module).
class ConvModuleImpl : public nn::Module {
public:
  ConvModuleImpl(int64_t inChannels, int64_t outChannels, int64_t kernel, int64_t stride,
                 bool batchNorm) {
    const int64_t padding = stride == 1 ? kernel / 2 : 0;
    conv_ = register_module("conv",
                            CpuConv2d(inChannels, outChannels, kernel, stride, padding));
    if (batchNorm)
      norm_ = register_module("norm",
                              nn::BatchNorm2d(nn::BatchNorm2dOptions(outChannels).affine(false)));
  }

  torch::Tensor forward(torch::Tensor x) { return activate(conv_->forward(x)); }

  CpuConv2dImpl& conv() { return *conv_; }
  /// The batch norm, or null without batch norm.
  nn::BatchNorm2dImpl* norm() { return norm_ ? norm_.get() : nullptr; }
  /// Batch norm (when there is one) and ReLU of the convolution's output.
  torch::Tensor activate(const torch::Tensor& convolved) {
    return norm_ ? batchNormReLU(*norm_, convolved) : torch::relu(convolved);
  }

private:
  CpuConv2d conv_{nullptr};
  nn::BatchNorm2d norm_{nullptr};  ///< empty without batch norm
};
TORCH_MODULE(ConvModule);

/// The paper's Inc(a, b): Conv(a, 1x1) and Conv(b, 3x3) side by side, concatenated along the
/// channels, so it keeps the spatial size and has a + b output channels.
class InceptionModuleImpl : public nn::Module {
public:
  InceptionModuleImpl(int64_t inChannels, int64_t a, int64_t b, bool batchNorm)
      : branch1x1_(register_module("branch1x1", ConvModule(inChannels, a, 1, 1, batchNorm))),
        branch3x3_(register_module("branch3x3", ConvModule(inChannels, b, 3, 1, batchNorm))) {}

  torch::Tensor forward(torch::Tensor x) {
    // Both convolutions of x as one node of the backward pass (cpu_conv.h).
    const auto [a, b] = convolveBoth(branch1x1_->conv(), branch3x3_->conv(), x);
    if (branch1x1_->norm() != nullptr && branch3x3_->norm() != nullptr)
      return batchNormReLUConcat(*branch1x1_->norm(), a, *branch3x3_->norm(), b);
    return torch::cat({branch1x1_->activate(a), branch3x3_->activate(b)}, 1);
  }

private:
  ConvModule branch1x1_;
  ConvModule branch3x3_;
};
TORCH_MODULE(InceptionModule);

/// The paper's Down(a): Conv(a, 3x3, stride 2) and MaxPool 3x3 stride 2, both unpadded, so
/// both give floor((n - 3) / 2) + 1 rows and columns; concatenated along the channels, it has
/// a + inChannels output channels. Its input comes out of ReLUs, so a ReLU after the max-pool
/// changes nothing: MaxPoolReLU is that max-pool in one pass on the CPU.
class DownsampleModuleImpl : public nn::Module {
public:
  DownsampleModuleImpl(int64_t inChannels, int64_t a, bool batchNorm)
      : conv_(register_module("conv", ConvModule(inChannels, a, 3, 2, batchNorm))),
        pool_(register_module("pool", MaxPoolReLU(3, 2, 0))) {}

  torch::Tensor forward(torch::Tensor x) {
    return torch::cat({conv_->forward(x), pool_->forward(x)}, 1);
  }

private:
  ConvModule conv_;
  MaxPoolReLU pool_;
};
TORCH_MODULE(DownsampleModule);

/// Appends the paper's modules in order while tracking the channel count, so the layer list
/// below reads like the paper's.
class Builder {
public:
  Builder(nn::Sequential& features, int64_t inChannels, bool batchNorm)
      : features_(features), channels_(inChannels), batchNorm_(batchNorm) {}

  void conv(int64_t c, int64_t k) {
    features_->push_back(ConvModule(channels_, c, k, 1, batchNorm_));
    channels_ = c;
  }
  void inc(int64_t a, int64_t b) {
    features_->push_back(InceptionModule(channels_, a, b, batchNorm_));
    channels_ = a + b;
  }
  void down(int64_t a) {
    features_->push_back(DownsampleModule(channels_, a, batchNorm_));
    channels_ += a;
  }
  int64_t channels() const { return channels_; }

private:
  nn::Sequential& features_;
  int64_t channels_;
  bool batchNorm_;
};

} // namespace

InceptionImpl::InceptionImpl(const ModelSpec& spec, const data::ImageShape& shape,
                             int64_t numClasses) {
  if (shape.height < kMinimumSide || shape.width < kMinimumSide)
    throw InputError("image shape " + shape.toString() +
                     " is too small for the small Inception: it needs at least " +
                     std::to_string(kMinimumSide) + "x" + std::to_string(kMinimumSide) +
                     " pixels for its two unpadded stride-2 reductions");
  Builder net(features_, shape.channels, spec.batchNorm);
  net.conv(96, 3);
  net.inc(32, 32);
  net.inc(32, 48);
  net.down(80);
  net.inc(112, 48);
  net.inc(96, 64);
  net.inc(80, 80);
  net.inc(48, 96);
  net.down(96);
  net.inc(176, 160);
  net.inc(176, 160);
  register_module("features", features_);

  if (spec.dropout > 0) classifier_->push_back(Dropout(spec.dropout));
  classifier_->push_back(nn::Linear(net.channels(), numClasses));
  register_module("classifier", classifier_);
  storeChannelsLast(*this);
}

torch::Tensor InceptionImpl::forward(torch::Tensor images) {
  // Global mean pooling over height and width: [N, 336, h, w] -> [N, 336].
  const torch::Tensor features = features_->forward(channelsLast(images));
  return classifier_->forward(features.mean({2, 3}));
}

} // namespace genlab::models
