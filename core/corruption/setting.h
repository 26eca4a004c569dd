#pragma once
/// The randomization tests of Zhang et al. (ICLR 2017): which corruption a run trains on.

#include "core/names.h"

#include <string>
#include <string_view>

namespace genlab::corruption {

/// The six settings of the paper (Section 2 and Figure 1).
enum class Kind {
  TrueLabels,      ///< the data set as it is
  PartialLabels,   ///< each training label, with probability p, replaced by a uniform class
  RandomLabels,    ///< partial labels with p = 1
  ShuffledPixels,  ///< one permutation of pixel positions, the same for every image (train+test)
  RandomPixels,    ///< an independent permutation for each image (train and test)
  GaussianInputs,  ///< every image replaced by Gaussian noise with the data set's statistics
};

/// One corruption setting: a kind, and the level p for PartialLabels.
struct Setting {
  Kind kind = Kind::TrueLabels;
  double level = 0.0;  ///< probability p in [0, 1]; meaningful for PartialLabels only

  static Setting trueLabels() { return {Kind::TrueLabels, 0.0}; }
  static Setting partialLabels(double p) { return {Kind::PartialLabels, p}; }
  static Setting randomLabels() { return {Kind::RandomLabels, 1.0}; }
  static Setting shuffledPixels() { return {Kind::ShuffledPixels, 0.0}; }
  static Setting randomPixels() { return {Kind::RandomPixels, 0.0}; }
  static Setting gaussianInputs() { return {Kind::GaussianInputs, 0.0}; }

  /// Probability with which a training label is redrawn: level for PartialLabels, 1 for
  /// RandomLabels, 0 otherwise.
  double labelCorruptionProbability() const;
  bool corruptsLabels() const { return labelCorruptionProbability() > 0.0; }
  bool corruptsImages() const;

  /// The paper's name, for legends and tables: "true labels", "partially corrupted labels
  /// (p = 0.2)", "random labels", "shuffled pixels", "random pixels", "Gaussian".
  std::string name() const;
  /// The spelling users type: "true", "labels:0.2", "random-labels", "shuffled-pixels",
  /// "random-pixels", "gaussian". parseSetting(key()) gives the setting back.
  std::string key() const;

  bool operator==(const Setting&) const = default;
};

/// Parses a key ("labels:0.3" and the fixed names of Setting::key). Throws InputError naming
/// the text when it is not a setting or when p is not a number in [0, 1].
Setting parseSetting(std::string_view text);

/// Throws InputError when a PartialLabels level lies outside [0, 1] (or is not a number).
void validate(const Setting& setting);

/// The fixed-name keys, for help texts: "true, random-labels, shuffled-pixels, ...".
std::span<const NamedValue<Kind>> kindKeys();

} // namespace genlab::corruption
