#pragma once
/// Random-feature regression: minimum-norm least squares on N random features, whose test
/// error peaks at the interpolation threshold N = n (double descent; Belkin et al. 2019).

#include "core/closed_form/inputs.h"
#include "core/names.h"

#include <torch/types.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace genlab::closed_form {

enum class FeatureKind {
  Relu,     ///< max(0, w.x), w ~ N(0, I/d): a random hidden layer of ReLUs (paper.md)
  Fourier,  ///< random Fourier features of the RBF kernel (Rahimi & Recht 2007)
};
/// Spellings for the command line and JSON: "relu", "fourier".
std::span<const NamedValue<FeatureKind>> featureKindNames();
/// The spelling of `kind` in featureKindNames().
std::string_view toString(FeatureKind kind);

/// How to draw the features.
struct RandomFeatureSpec {
  FeatureKind kind = FeatureKind::Relu;
  int64_t count = 1000;  ///< N, the number of features, > 0
  /// Fourier only: the bandwidth sigma of the RBF kernel they approximate; nullopt:
  /// defaultBandwidth() of the centred training inputs. Ignored by Relu.
  std::optional<double> bandwidth;
  /// Subtract the training inputs' mean from every input first (as for KernelInterpolant).
  bool centre = true;
  uint64_t seed = 0;  ///< the same seed draws the same features
};

/// N random features phi(x), drawn once from the spec's seed (its own stream, derived with
/// deriveSeed; the global generator is not touched).
///   Relu: phi(x) = max(0, W x), W [N, d] with entries N(0, 1/d). No 1/sqrt(N) factor:
///   minimum-norm predictions do not change when all features are scaled alike.
///   Fourier: phi(x) = sqrt(2/N) cos(W x + b), W entries N(0, 1/sigma^2), b uniform in
///   [0, 2 pi): phi(x).phi(z) tends to exp(-||x - z||^2 / (2 sigma^2)) as N grows.
class RandomFeatureMap {
public:
  /// Features of inputs with `inputSize` values; `bandwidth` is used by Fourier only. Throws
  /// InputError for a count or an input size that is not positive, or a bad bandwidth.
  RandomFeatureMap(FeatureKind kind, int64_t count, int64_t inputSize, double bandwidth,
                   uint64_t seed);

  /// rows [m, inputSize] float64 -> phi, float64 [m, N].
  torch::Tensor operator()(const torch::Tensor& rows) const;
  /// N.
  int64_t count() const { return weights_.size(0); }

private:
  FeatureKind kind_;
  torch::Tensor weights_;  ///< W, [N, d]
  torch::Tensor offsets_;  ///< b, [N] (Fourier)
};

/// Least squares on random features: f(x) = phi(x) beta, beta = Phi^+ Y (minimumNormSolution)
/// with Phi [n, N] the training features and Y the one-hot targets. For N >= n it interpolates.
class RandomFeatureRegression {
public:
  /// images [n, ...] floating point, labels [n] int64 in [0, numClasses). Throws InputError on
  /// bad input (as KernelInterpolant) and for a spec out of range (no features, a bad
  /// bandwidth).
  RandomFeatureRegression(const torch::Tensor& images, const torch::Tensor& labels,
                          int64_t numClasses, const RandomFeatureSpec& spec);

  /// Class scores, float64 [m, numClasses], for images [m, ...] of the training images' size.
  torch::Tensor predict(const torch::Tensor& images) const;
  /// ||beta||_F: it peaks at N = n, with the test error (hundreds against a few on either
  /// side in the tests).
  double coefficientNorm() const;
  /// The Fourier bandwidth in use (0 for Relu).
  double bandwidth() const { return bandwidth_; }

private:
  struct Parts;  ///< what fitting makes, before the members are
  static Parts fit(const torch::Tensor& images, const torch::Tensor& labels, int64_t numClasses,
                   const RandomFeatureSpec& spec);
  explicit RandomFeatureRegression(Parts parts);

  Centring centring_;
  int64_t inputSize_ = 0;
  double bandwidth_ = 0.0;
  RandomFeatureMap features_;
  torch::Tensor coefficients_;  ///< beta, [N, numClasses]
};

} // namespace genlab::closed_form
