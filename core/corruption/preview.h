#pragma once
/// What the corruption settings of an experiment do to a data set, as plain values (text and
/// 8-bit pixels) for the window's data preview and `genlab --describe-data`: no LibTorch in
/// this header.

#include "core/corruption/setting.h"
#include "core/data/data_spec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace genlab::corruption {

/// One training image as a run sees it, stretched to the full 8-bit range (standardized and
/// noise images have no natural [0, 1] scale).
struct PreviewImage {
  data::ImageShape shape;
  std::vector<uint8_t> pixels;  ///< height x width x channels, row by row
  std::string label;            ///< the class the run is trained to output
  std::string trueLabel;        ///< the class in the data set
};

struct Preview {
  std::vector<PreviewImage> images;
  std::string description;  ///< what the corruption did (its report line)
};

/// Loads `data` with `seed` for its subsets, applies `setting` with `seed` exactly as a session
/// does, and returns the first `count` training images. Runs on any thread: it draws only from
/// seeded generators of its own. Throws InputError as loading and corrupting do.
Preview previewSetting(const data::DataSpec& data, const Setting& setting, uint64_t seed,
                       int count);

/// As previewSetting, for the training images numbered `examples` (their indices in the
/// training set, in the order given). Throws InputError for an index outside the set.
Preview previewExamples(const data::DataSpec& data, const Setting& setting, uint64_t seed,
                        const std::vector<int64_t>& examples);

/// A few lines a person can read: the data set, how it was loaded and preprocessed, and one
/// line per setting saying what its corruption does (seeded with `seed`).
std::string describeSettings(const data::DataSpec& data, const std::vector<Setting>& settings,
                             uint64_t seed);

} // namespace genlab::corruption
