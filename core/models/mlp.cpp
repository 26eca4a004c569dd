#include "core/models/mlp.h"

#include "core/models/dropout.h"

#include <torch/torch.h>

namespace genlab::models {

namespace nn = torch::nn;

MlpImpl::MlpImpl(const ModelSpec& spec, const data::ImageShape& shape, int64_t numClasses) {
  int64_t features = shape.values();
  for (int64_t layer = 0; layer < spec.depth; ++layer) {
    hidden_->push_back(CpuLinear(features, spec.width));
    // Batch norm sits between the affine map and the nonlinearity (Ioffe & Szegedy).
    if (spec.batchNorm) hidden_->push_back(nn::BatchNorm1d(spec.width));
    hidden_->push_back(nn::ReLU());
    // Only added when used, so the paper's networks contain exactly the paper's layers.
    if (spec.dropout > 0) hidden_->push_back(Dropout(spec.dropout));
    features = spec.width;
  }
  register_module("hidden", hidden_);
  classifier_ = register_module("classifier", CpuLinear(features, numClasses));
}

torch::Tensor MlpImpl::forward(torch::Tensor images) {
  return classifier_->forward(hidden_->forward(images.flatten(1)));
}

} // namespace genlab::models
