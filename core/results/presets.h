#pragma once
/// Presets: named experiments stored as JSON files (resources/presets), so that a teacher gets
/// Figure 1a with two clicks and the command line with --preset.

#include "core/train/experiment_spec.h"

#include <filesystem>
#include <string>
#include <vector>

namespace genlab::results {

/// A preset file: {"title": ..., "description": ..., "spec": {ExperimentSpec as JSON}}, and for
/// a grid of experiments "axes" (core/sweep/sweep.h reads them; here the spec is the base).
struct Preset {
  std::string id;           ///< the file name without .json, used by --preset
  std::string title;        ///< e.g. "Figure 1a on Fashion-MNIST (CPU)"
  std::string description;  ///< what it shows and what to expect
  train::ExperimentSpec spec;
  std::filesystem::path file;
  bool grid = false;  ///< the file has sweep axes: `genlab sweep` runs its tasks
};

/// Environment variable naming a folder of presets that replaces the built-in ones.
inline constexpr const char* kPresetDirVariable = "GENLAB_PRESET_DIR";

/// The first existing folder of: $GENLAB_PRESET_DIR, the presets installed beside the running
/// executable (<exe>/../share/genlab/presets, so an unpacked or relocated install finds its
/// own), the configured install prefix's (<prefix>/share/genlab/presets), the source tree's
/// resources/presets. Throws InputError naming every folder tried when none exists.
std::filesystem::path presetFolder();

/// Every *.json preset in `folder`, sorted by id; each spec is validated. Throws InputError
/// naming the file on a malformed preset.
std::vector<Preset> loadPresets(const std::filesystem::path& folder);

/// The preset with id `id` in presetFolder(). Throws InputError listing the ids there when
/// none matches.
Preset findPreset(const std::string& id);

} // namespace genlab::results
