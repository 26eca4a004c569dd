#pragma once
/// The multi-layer perceptrons of the paper (MLP 1x512 and MLP 3x512).

#include "core/data/dataset.h"
#include "core/models/cpu_linear.h"
#include "core/models/model_spec.h"
#include "core/models/network.h"

#include <torch/nn/modules/container/sequential.h>

#include <cstdint>

namespace genlab::models {

/// Flatten, then `spec.depth` hidden blocks [Linear(`spec.width`), BatchNorm1d if
/// `spec.batchNorm`, ReLU, Dropout if `spec.dropout` > 0], then a Linear layer to the class
/// scores. On 28x28x3 images and 10 classes MLP 1x512 has 1,209,866 parameters and MLP 3x512
/// 1,735,178, as in the paper. Works for any image shape with at least one value. The Linear
/// layers are CpuLinear (core/models/cpu_linear.h).
/// (The Impl suffix is LibTorch's name for the module class itself.)
class MlpImpl : public Network {
public:
  /// Expects a spec that passed validate(); reads depth, width, batchNorm and dropout.
  MlpImpl(const ModelSpec& spec, const data::ImageShape& shape, int64_t numClasses);

  /// images [N, C, H, W] of the constructor's shape -> logits [N, numClasses].
  torch::Tensor forward(torch::Tensor images) override;

private:
  torch::nn::Sequential hidden_;  ///< the hidden blocks, on flattened images
  CpuLinear classifier_{nullptr};  ///< hidden features -> class scores
};

} // namespace genlab::models
