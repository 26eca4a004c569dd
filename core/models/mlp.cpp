#include "core/models/mlp.h"

#include "core/models/dropout.h"
#include "core/models/mlp_rows.h"

#include <torch/torch.h>

namespace genlab::models {

namespace nn = torch::nn;

MlpImpl::MlpImpl(const ModelSpec& spec, const data::ImageShape& shape, int64_t numClasses) {
  int64_t features = shape.values();
  for (int64_t layer = 0; layer < spec.depth; ++layer) {
    linears_.push_back(CpuLinear(features, spec.width));
    hidden_->push_back(linears_.back());
    // Batch norm sits between the affine map and the nonlinearity (Ioffe & Szegedy).
    if (spec.batchNorm) hidden_->push_back(nn::BatchNorm1d(spec.width));
    hidden_->push_back(nn::ReLU());
    // Only added when used, so the paper's networks contain exactly the paper's layers.
    if (spec.dropout > 0) hidden_->push_back(Dropout(spec.dropout));
    features = spec.width;
  }
  register_module("hidden", hidden_);
  classifier_ = register_module("classifier", CpuLinear(features, numClasses));
  linears_.push_back(classifier_);
  plain_ = !spec.batchNorm && spec.dropout == 0;
}

torch::Tensor MlpImpl::forward(torch::Tensor images) {
  return classifier_->forward(hidden_->forward(images.flatten(1)));
}

std::optional<TrainingStep> MlpImpl::trainingStep(const torch::Tensor& images, const torch::Tensor& labels) {
  const torch::Tensor x = images.flatten(1).contiguous();
  if (!plain_ || !classifier_->takesOwnRoutes(x) || !linears_.front()->takesOwnRoutes(x) ||
      labels.scalar_type() != torch::kInt64 || !labels.device().is_cpu())
    return std::nullopt;
  const torch::NoGradGuard noGrad;
  const torch::Tensor labelsHere = labels.contiguous();
  // Activations transposed, [units, images]: OpenBLAS forms W x^T faster than x W^T at these
  // shapes (docs/BENCHMARKS.md). inputs[i] is layer i's input, the hidden ones after their ReLU.
  std::vector<torch::Tensor> inputs;
  torch::Tensor h = x.t();
  for (size_t i = 0; i < linears_.size(); ++i) {
    const CpuLinearImpl& layer = *linears_[i];
    inputs.push_back(h);
    h = splitProduct(layer.weight, h, {});
    if (i + 1 < linears_.size())
      mlp_rows::addBiasReLU(h.data_ptr<float>(), layer.bias.data_ptr<float>(), h.size(0), h.size(1));
    else
      mlp_rows::addBias(h.data_ptr<float>(), layer.bias.data_ptr<float>(), h.size(0), h.size(1));
  }
  const torch::Tensor scores = h;  // [classes, images]
  torch::Tensor gradient = torch::empty_like(scores);
  const double loss = mlp_rows::softmaxCrossEntropy(scores.data_ptr<float>(), labelsHere.data_ptr<int64_t>(),
                                                    scores.size(0), scores.size(1), gradient.data_ptr<float>());
  // Backward, the classifier first; `gradient` [units, images] is the loss's gradient at layer
  // i's output.
  torch::Tensor biasGradient = torch::empty({scores.size(0)}, scores.options());
  mlp_rows::rowSums(gradient.data_ptr<float>(), gradient.size(0), gradient.size(1), biasGradient.data_ptr<float>());
  for (size_t i = linears_.size(); i-- > 0;) {
    CpuLinearImpl& layer = *linears_[i];
    // [out, in], the weight's own layout.
    layer.weight.mutable_grad() = weightGradient(gradient, inputs[i].t());
    layer.bias.mutable_grad() = biasGradient;
    if (i == 0) break;  // the images need no gradient
    torch::Tensor below = splitProduct(layer.weight.t(), gradient, {});
    biasGradient = torch::empty({below.size(0)}, below.options());
    mlp_rows::reluGradientAndRowSums(below.data_ptr<float>(), inputs[i].data_ptr<float>(), below.size(0),
                                     below.size(1), biasGradient.data_ptr<float>());
    gradient = below;
  }
  return TrainingStep{torch::scalar_tensor(loss, scores.options()), scores.t()};
}

} // namespace genlab::models
