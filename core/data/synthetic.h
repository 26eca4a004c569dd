#pragma once
/// A synthetic data set with class-dependent structure, for tests and for machines without a
/// real data set.

#include "core/data/data_spec.h"
#include "core/data/dataset.h"

namespace genlab::data {

/// Each class gets a smooth random prototype image; an example is its class prototype plus
/// Gaussian pixel noise, clipped to [0, 1]. Labels are balanced (sizes differ by at most one
/// per class) in a seeded random order. The same spec always gives the same data set.
/// Throws InputError on a non-positive size, shape, class count, or a negative noise level.
Dataset makeSynthetic(const SyntheticSpec& spec);

} // namespace genlab::data
