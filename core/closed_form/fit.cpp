#include "core/closed_form/fit.h"

#include "core/closed_form/interpolation.h"
#include "core/closed_form/random_features.h"
#include "core/errors.h"

#include <torch/torch.h>

#include <tuple>
#include <utility>

namespace genlab::closed_form {

namespace {

/// The error and the squared loss of the scores [m, classes] against labels [m].
std::pair<double, double> measure(const torch::Tensor& scores, const torch::Tensor& labels,
                                  int64_t classes) {
  if (labels.numel() == 0) return {0.0, 0.0};
  const torch::Tensor residual = scores - oneHot(labels, classes);
  return {errorRate(scores, labels), residual.square().sum(1).mean().item<double>()};
}

template <class Model>
void measureBoth(const Model& f, const data::Dataset& dataset, ClosedFormFit& fit) {
  const int64_t classes = dataset.numClasses();
  std::tie(fit.trainError, fit.trainLoss) =
      measure(f.predict(dataset.train.images), dataset.train.labels, classes);
  if (dataset.test.size() > 0)
    std::tie(fit.testError, fit.testLoss) =
        measure(f.predict(dataset.test.images), dataset.test.labels, classes);
}

} // namespace

std::optional<double> bandwidthFor(const models::ModelSpec& model, const torch::Tensor& images) {
  if (!models::usesBandwidth(model)) return std::nullopt;
  if (model.bandwidth > 0) return model.bandwidth;
  return defaultBandwidth(asRows(images, "training images"));
}

ClosedFormFit fitClosedForm(const models::ModelSpec& model, const data::Dataset& dataset,
                            uint64_t seed) {
  const data::LabelledImages& train = dataset.train;
  const std::optional<double> bandwidth = bandwidthFor(model, train.images);
  ClosedFormFit fit;
  fit.bandwidth = bandwidth;
  switch (model.architecture) {
  case models::Architecture::Kernel: {
    const KernelInterpolant f(train.images, train.labels, dataset.numClasses(),
                              {.kernel = model.kernel, .bandwidth = bandwidth});
    measureBoth(f, dataset, fit);
    fit.rkhsNorm = f.rkhsNorm();
    return fit;
  }
  case models::Architecture::RandomFeatures: {
    const RandomFeatureSpec spec{
        .kind = model.kernel == KernelKind::Rbf ? FeatureKind::Fourier : FeatureKind::Relu,
        .count = model.features,
        .bandwidth = bandwidth,
        .seed = seed};
    const RandomFeatureRegression f(train.images, train.labels, dataset.numClasses(), spec);
    measureBoth(f, dataset, fit);
    fit.coefficientNorm = f.coefficientNorm();
    return fit;
  }
  case models::Architecture::Mlp:
  case models::Architecture::AlexNet:
  case models::Architecture::Inception:
    break;
  }
  throw InputError(models::describe(model) + " is a network, not a closed-form model");
}

} // namespace genlab::closed_form
