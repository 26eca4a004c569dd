#pragma once
/// One run of a closed-form model (models::isClosedForm): the model of a ModelSpec fitted to a
/// data set as loaded and corrupted, and measured on both of its sets.

#include "core/data/dataset.h"
#include "core/models/model_spec.h"

#include <cstdint>
#include <optional>

namespace genlab::closed_form {

/// What one fit gave. Losses are the squared loss the fit minimizes: the mean over images of
/// ||f(x) - y||^2, y the one-hot target (so 0 on a training set that is interpolated).
struct ClosedFormFit {
  double trainError = 0.0;
  double testError = 0.0;  ///< 0 for a data set without test images
  double trainLoss = 0.0;
  double testLoss = 0.0;
  std::optional<double> rkhsNorm;         ///< Kernel
  std::optional<double> coefficientNorm;  ///< RandomFeatures
  std::optional<double> bandwidth;        ///< in use, when models::usesBandwidth(model)
};

/// The bandwidth `model` uses on training images `images` [n, ...]: its own when given (> 0),
/// else defaultBandwidth() of them (sigma^2 = total pixel variance); nullopt for a model
/// without one. Throws InputError as defaultBandwidth does (images that do not vary).
std::optional<double> bandwidthFor(const models::ModelSpec& model, const torch::Tensor& images);

/// Fits `model` (Kernel or RandomFeatures) to `dataset`'s training set, labels as they are,
/// on the CPU in float64, and measures it. Random features are drawn from `seed`; the inputs
/// are centred on the training mean. Throws InputError for another architecture, bad data, or
/// a kernel matrix that is not positive definite.
ClosedFormFit fitClosedForm(const models::ModelSpec& model, const data::Dataset& dataset,
                            uint64_t seed);

} // namespace genlab::closed_form
