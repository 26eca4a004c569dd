#include "core/models/alexnet.h"

#include "core/errors.h"
#include "core/models/cpu_conv.h"
#include "core/models/cpu_linear.h"
#include "core/models/dropout.h"
#include "core/models/local_response_norm.h"
#include "core/models/max_pool_relu.h"

#include <torch/torch.h>

namespace genlab::models {

namespace nn = torch::nn;

namespace {

constexpr int64_t kChannels = 64;
constexpr int64_t kKernel = 5;

/// Output side of MaxPool 3x3, stride 2, padding 1: floor((n + 2 - 3) / 2) + 1 = ceil(n / 2).
int64_t pooledSide(int64_t side) { return (side - 1) / 2 + 1; }

/// Conv 5x5 ('same'), optional batch norm, ReLU, max-pool, local response norm. The ReLU and
/// the max-pool are one layer here, the pool first (MaxPoolReLU: they commute).
void addConvBlock(nn::Sequential& features, int64_t inChannels, bool batchNorm) {
  features->push_back(CpuConv2d(inChannels, kChannels, kKernel, /*stride=*/1, kKernel / 2));
  if (batchNorm) features->push_back(nn::BatchNorm2d(kChannels));
  features->push_back(MaxPoolReLU(/*window=*/3, /*stride=*/2, /*padding=*/1));
  // Where the ReLU was a layer of its own: the layers' numbers name the weights in checkpoints,
  // so that those of earlier versions still resume.
  features->push_back(nn::Identity());
  // TensorFlow's tf.nn.lrn(depth_radius=4, bias=1, alpha=0.001/9, beta=0.75) of the CIFAR-10
  // tutorial: a window of 2*4+1 = 9 channels. PyTorch divides alpha by the window size itself,
  // so alpha(0.001) here is TensorFlow's 0.001/9.
  features->push_back(LocalResponseNorm(9, /*alpha=*/0.001, /*beta=*/0.75, /*k=*/1.0));
}

/// Linear, optional batch norm, ReLU, optional dropout. (CpuLinear: a Linear whose products
/// may use several threads on the CPU.)
void addDenseBlock(nn::Sequential& classifier, int64_t in, int64_t out, const ModelSpec& spec) {
  classifier->push_back(CpuLinear(in, out));
  if (spec.batchNorm) classifier->push_back(nn::BatchNorm1d(out));
  classifier->push_back(nn::ReLU());
  if (spec.dropout > 0) classifier->push_back(Dropout(spec.dropout));
}

} // namespace

int64_t AlexNetImpl::flattenedSize(const data::ImageShape& shape) {
  return kChannels * pooledSide(pooledSide(shape.height)) * pooledSide(pooledSide(shape.width));
}

AlexNetImpl::AlexNetImpl(const ModelSpec& spec, const data::ImageShape& shape,
                         int64_t numClasses) {
  if (shape.height < kMinimumSide || shape.width < kMinimumSide)
    throw InputError("image shape " + shape.toString() + " is too small for the small AlexNet: " +
                     "it needs at least " + std::to_string(kMinimumSide) + "x" +
                     std::to_string(kMinimumSide) + " pixels for its 5x5 convolutions");
  addConvBlock(features_, shape.channels, spec.batchNorm);
  addConvBlock(features_, kChannels, spec.batchNorm);
  register_module("features", features_);

  addDenseBlock(classifier_, flattenedSize(shape), 384, spec);
  addDenseBlock(classifier_, 384, 192, spec);
  classifier_->push_back(CpuLinear(192, numClasses));
  register_module("classifier", classifier_);
  storeChannelsLast(*this);
}

torch::Tensor AlexNetImpl::forward(torch::Tensor images) {
  const torch::Tensor features = features_->forward(channelsLast(images));
  return classifier_->forward(features.flatten(1));  // in [N, C, H, W] order
}

} // namespace genlab::models
