#pragma once
/// Choosing a subset of a training or test set (the lab's CPU presets use 5,000 images).

#include "core/data/data_spec.h"
#include "core/data/dataset.h"

namespace genlab::data {

/// A subset of `part` of `n` images; n == 0 means all of them. ClassBalanced takes
/// floor(n / classes) images of every class, one more of the first n % classes classes, and
/// keeps them in file order. Throws InputError (naming `what`, e.g. "training") when n is
/// negative or larger than the set, or a class has too few images for its share.
LabelledImages takeSubset(const LabelledImages& part, int64_t n, SubsetMethod method,
                          int64_t numClasses, uint64_t seed, const std::string& what);

} // namespace genlab::data
