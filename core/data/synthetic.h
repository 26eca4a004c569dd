#pragma once
/// A synthetic data set with class-dependent structure, for tests and for machines without a
/// real data set.

#include "core/data/dataset.h"

namespace genlab::data {

struct SyntheticSpec {
  int64_t trainSize = 2000;
  int64_t testSize = 500;
  ImageShape shape{1, 28, 28};
  int64_t numClasses = 10;
  /// Standard deviation of the per-pixel noise added to each class's prototype image
  /// (pixel values lie in [0, 1]). Small values make classes easy to tell apart.
  double noise = 0.25;
  uint64_t seed = 0;
  bool operator==(const SyntheticSpec&) const = default;
};

/// Each class gets a smooth random prototype image; an example is its class prototype plus
/// Gaussian pixel noise, clipped to [0, 1]. Labels are balanced (sizes differ by at most one
/// per class) in a seeded random order. The same spec always gives the same data set.
/// Throws InputError on a non-positive size, shape, class count, or a negative noise level.
Dataset makeSynthetic(const SyntheticSpec& spec);

} // namespace genlab::data
