#pragma once
/// The multi-layer perceptrons of the paper (MLP 1x512 and MLP 3x512).

#include "core/data/dataset.h"
#include "core/models/cpu_linear.h"
#include "core/models/model_spec.h"
#include "core/models/network.h"

#include <torch/nn/modules/container/sequential.h>

#include <cstdint>
#include <optional>
#include <vector>

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

  /// Without batch norm and dropout, on float images on the CPU: the step's products split as
  /// CpuLinear's, on activations kept transposed; bias and ReLU, the loss and the bias gradients
  /// in loops of their own (mlp_rows.h); and no autograd graph, whose per-operator work added
  /// about a tenth to a step of these small layers (docs/BENCHMARKS.md). The same gradients as
  /// autograd's to float rounding.
  std::optional<TrainingStep> trainingStep(const torch::Tensor& images, const torch::Tensor& labels) override;

private:
  torch::nn::Sequential hidden_;  ///< the hidden blocks, on flattened images
  CpuLinear classifier_{nullptr};  ///< hidden features -> class scores
  std::vector<CpuLinear> linears_;  ///< every Linear layer in order, the classifier last
  bool plain_ = false;              ///< only Linear layers and ReLUs: trainingStep computes the step
};

} // namespace genlab::models
