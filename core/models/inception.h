#pragma once
/// The paper's small Inception (Zhang et al., Appendix A, Figure 3).

#include "core/data/dataset.h"
#include "core/models/model_spec.h"
#include "core/models/network.h"

#include <torch/nn/modules/container/sequential.h>

#include <cstdint>

namespace genlab::models {

/// Conv(96,3x3), Inc(32,32), Inc(32,48), Down(80), Inc(112,48), Inc(96,64), Inc(80,80),
/// Inc(48,96), Down(96), Inc(176,160), Inc(176,160), global mean pool, Dropout if
/// `spec.dropout` > 0, Linear(336, classes). Building blocks, as in the paper:
/// - Conv(c, k): k x k convolution with bias ('same' padding at stride 1), BatchNorm2d without
///   learnable scale and shift if `spec.batchNorm`, ReLU;
/// - Inc(a, b): channel concatenation of Conv(a, 1x1) and Conv(b, 3x3);
/// - Down(a): channel concatenation of Conv(a, 3x3, stride 2, no padding) and MaxPool 3x3
///   stride 2 (no padding), which have the same spatial size for any input.
/// On 28x28x3 images and 10 classes it has 1,649,402 parameters with or without batch norm.
/// Weights and activations are channels-last (faster on the CPU, the same values).
class InceptionImpl : public Network {
public:
  /// Smallest image height and width accepted: after the first Down (n -> (n - 3) / 2 + 1,
  /// rounded down) the second Down still needs a 3x3 window, so n >= 7.
  static constexpr int64_t kMinimumSide = 7;

  /// Expects a spec that passed validate(); reads batchNorm and dropout. Throws InputError if
  /// `shape` is smaller than kMinimumSide x kMinimumSide.
  InceptionImpl(const ModelSpec& spec, const data::ImageShape& shape, int64_t numClasses);

  /// images [N, C, H, W] of the constructor's shape -> logits [N, numClasses].
  torch::Tensor forward(torch::Tensor images) override;

private:
  torch::nn::Sequential features_;    ///< the Conv, Inc and Down modules
  torch::nn::Sequential classifier_;  ///< (dropout and) the Linear layer, after mean pooling
};

} // namespace genlab::models
