#pragma once
/// Applying a corruption setting to a data set.

#include "core/corruption/setting.h"
#include "core/data/dataset.h"

namespace genlab::corruption {

/// What a corruption did, for the user and for tests.
struct Report {
  Setting setting;
  int64_t trainLabelsChanged = 0;      ///< training labels that differ from the true ones
  double fractionLabelsChanged = 0.0;  ///< trainLabelsChanged / training set size
  /// Label settings only: bool [N], true for the training examples whose label differs from
  /// the true one (the "corrupted" examples of memorization). Undefined for the other
  /// settings, which change no label.
  torch::Tensor labelChanged;
  /// ShuffledPixels only: the permutation of the H*W pixel positions (int64), new position i
  /// holds old position pixelPermutation[i]. Undefined for the other settings.
  torch::Tensor pixelPermutation;
  std::string description;  ///< one line a person can read
};

struct CorruptedDataset {
  data::Dataset dataset;
  Report report;
};

/// The data set corrupted by `setting`. Every random draw comes from (seed, setting), once:
/// calling again with the same arguments gives identical data, so labels and permutations
/// stay fixed across epochs. Test labels are never changed. Pixel permutations move whole
/// pixels (all channels together). Gaussian inputs use the training set's per-channel mean
/// and standard deviation for training and test images. Tensors a setting leaves alone are
/// shared with `clean`, not copied. Throws InputError for an invalid setting.
CorruptedDataset corrupt(const data::Dataset& clean, const Setting& setting, uint64_t seed);

} // namespace genlab::corruption
