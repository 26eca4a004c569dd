#include "core/closed_form/random_features.h"

#include "core/closed_form/kernel.h"
#include "core/closed_form/least_squares.h"
#include "core/errors.h"
#include "core/random.h"

#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <string>

namespace genlab::closed_form {

namespace {

constexpr std::array<NamedValue<FeatureKind>, 2> kFeatureKindNames{{
    {FeatureKind::Relu, "relu"},
    {FeatureKind::Fourier, "fourier"},
}};

int64_t checkedCount(int64_t count) {
  if (count <= 0)
    throw InputError("random features: the number of features must be positive, got " +
                     std::to_string(count));
  return count;
}

// Rows per block of features, about 8 M values (64 MB).
int64_t featureBlockRows(int64_t count) { return std::max<int64_t>(1, (int64_t(1) << 23) / count); }

} // namespace

std::span<const NamedValue<FeatureKind>> featureKindNames() { return kFeatureKindNames; }

std::string_view toString(FeatureKind kind) { return nameOf(featureKindNames(), kind); }

RandomFeatureMap::RandomFeatureMap(FeatureKind kind, int64_t count, int64_t inputSize,
                                   double bandwidth, uint64_t seed)
    : kind_(kind) {
  checkedCount(count);
  if (inputSize <= 0)
    throw InputError("random features: inputs need at least one value, got " + std::to_string(inputSize));
  at::Generator generator =
      makeGenerator(deriveSeed(seed, "random-features:" + std::string(toString(kind))));
  weights_ = torch::randn({count, inputSize}, generator, torch::kFloat64);
  if (kind == FeatureKind::Relu) {
    weights_.mul_(1.0 / std::sqrt(static_cast<double>(inputSize)));
  } else {
    validate(Kernel{KernelKind::Rbf, bandwidth});
    weights_.mul_(1.0 / bandwidth);
    offsets_ = torch::rand({count}, generator, torch::kFloat64).mul_(2.0 * std::numbers::pi);
  }
}

torch::Tensor RandomFeatureMap::operator()(const torch::Tensor& rows) const {
  torch::Tensor projected = rows.mm(weights_.t());
  if (kind_ == FeatureKind::Relu) return projected.clamp_min_(0.0);
  return projected.add_(offsets_).cos_().mul_(std::sqrt(2.0 / static_cast<double>(count())));
}

namespace {

// The bandwidth Fourier features use (0 for Relu), checked before anything is drawn.
double featureBandwidth(const RandomFeatureSpec& spec, const torch::Tensor& centredRows) {
  checkedCount(spec.count);
  if (spec.kind != FeatureKind::Fourier) return 0.0;
  const double bandwidth = spec.bandwidth ? *spec.bandwidth : defaultBandwidth(centredRows);
  validate(Kernel{KernelKind::Rbf, bandwidth});
  return bandwidth;
}

} // namespace

struct RandomFeatureRegression::Parts {
  Centring centring;
  int64_t inputSize;
  double bandwidth;
  RandomFeatureMap features;
  torch::Tensor coefficients;
};

RandomFeatureRegression::Parts RandomFeatureRegression::fit(const torch::Tensor& images,
                                                            const torch::Tensor& labels,
                                                            int64_t numClasses,
                                                            const RandomFeatureSpec& spec) {
  const torch::Tensor rows = asRows(images, "random features: training images");
  checkLabelled(rows, labels, numClasses, "random features");
  Centring centring = centringOf(rows, spec.centre);
  const torch::Tensor centred = centring(rows);
  const double bandwidth = featureBandwidth(spec, centred);
  RandomFeatureMap features(spec.kind, spec.count, rows.size(1), bandwidth, spec.seed);
  torch::Tensor coefficients = minimumNormSolution(features(centred), oneHot(labels, numClasses));
  return {std::move(centring), rows.size(1), bandwidth, std::move(features), std::move(coefficients)};
}

RandomFeatureRegression::RandomFeatureRegression(Parts parts)
    : centring_(std::move(parts.centring)),
      inputSize_(parts.inputSize),
      bandwidth_(parts.bandwidth),
      features_(std::move(parts.features)),
      coefficients_(std::move(parts.coefficients)) {}

RandomFeatureRegression::RandomFeatureRegression(const torch::Tensor& images,
                                                 const torch::Tensor& labels, int64_t numClasses,
                                                 const RandomFeatureSpec& spec)
    : RandomFeatureRegression(fit(images, labels, numClasses, spec)) {}

torch::Tensor RandomFeatureRegression::predict(const torch::Tensor& images) const {
  const torch::Tensor given = asRows(images, "random features: images to predict");
  if (given.size(1) != inputSize_)
    throw InputError("random features: images of " + std::to_string(given.size(1)) +
                     " values each, the training images had " + std::to_string(inputSize_));
  const torch::Tensor rows = centring_(given);
  const int64_t m = rows.size(0);
  torch::Tensor scores = torch::empty({m, coefficients_.size(1)}, coefficients_.options());
  const int64_t step = featureBlockRows(features_.count());
  for (int64_t first = 0; first < m; first += step) {
    const int64_t last = std::min(m, first + step);
    torch::Tensor out = scores.slice(0, first, last);
    torch::mm_out(out, features_(rows.slice(0, first, last)), coefficients_);
  }
  return scores;
}

double RandomFeatureRegression::coefficientNorm() const { return coefficients_.norm().item<double>(); }

} // namespace genlab::closed_form
