#pragma once
/// The paper's small AlexNet (Zhang et al., Appendix A), after the TensorFlow CIFAR-10
/// tutorial network.

#include "core/data/dataset.h"
#include "core/models/model_spec.h"
#include "core/models/network.h"

#include <torch/nn/modules/container/sequential.h>

#include <cstdint>

namespace genlab::models {

/// Two blocks [Conv 5x5 64 channels 'same', BatchNorm2d if `spec.batchNorm`, ReLU, MaxPool 3x3
/// stride 2 padding 1, LocalResponseNorm], flatten, then Linear 384 and Linear 192 (each
/// followed by BatchNorm1d if `spec.batchNorm`, ReLU, Dropout if `spec.dropout` > 0) and a
/// Linear layer to the class scores. Each pooling halves height and width, rounding up
/// (28 -> 14 -> 7, 32 -> 16 -> 8). On 28x28x3 images and 10 classes it has 1,387,786
/// parameters, as in the paper. Built for speed on the CPU, with the same values: activations
/// and weights channels-last, max-pool before ReLU (they commute), the lab's own LRN.
class AlexNetImpl : public Network {
public:
  /// Smallest image height and width accepted: the first 5x5 convolution must fit inside the
  /// image at least once (the arithmetic alone would run down to 1x1, on padding only).
  static constexpr int64_t kMinimumSide = 5;

  /// Expects a spec that passed validate(); reads batchNorm and dropout. Throws InputError if
  /// `shape` is smaller than kMinimumSide x kMinimumSide.
  AlexNetImpl(const ModelSpec& spec, const data::ImageShape& shape, int64_t numClasses);

  /// images [N, C, H, W] of the constructor's shape -> logits [N, numClasses].
  torch::Tensor forward(torch::Tensor images) override;

  /// Number of features the convolutional part hands to the dense layers for `shape`:
  /// 64 * ceil(ceil(H / 2) / 2) * ceil(ceil(W / 2) / 2) (3136 for 28x28).
  static int64_t flattenedSize(const data::ImageShape& shape);

private:
  torch::nn::Sequential features_;    ///< the two convolutional blocks
  torch::nn::Sequential classifier_;  ///< the three dense layers, on flattened features
};

} // namespace genlab::models
