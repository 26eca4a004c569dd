#include "core/results/presets.h"

#include "core/errors.h"
#include "core/results/spec_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>

// The install layout's paths to the presets from bin/ (genlab) and from the training program's
// folder (genlab-train), set by core/results/CMakeLists.txt; the GNU defaults for builds that
// compile this file without CMake (bench/gpu-check.sh's fallback).
#ifndef GENLAB_RELATIVE_PRESET_DIR
#define GENLAB_RELATIVE_PRESET_DIR "../share/genlab/presets"
#endif
#ifndef GENLAB_TRAIN_RELATIVE_PRESET_DIR
#define GENLAB_TRAIN_RELATIVE_PRESET_DIR "../../share/genlab/presets"
#endif

namespace genlab::results {

namespace fs = std::filesystem;

namespace {

/// The presets beside the running program: <exe>/../share/genlab/presets for an installed
/// genlab (<exe>/../../share/genlab/presets for genlab-train) wherever its tree was put (a
/// package unpacked with dpkg -x, a relocated prefix). Empty when the executable cannot be
/// named (not Linux, /proc not mounted).
std::vector<fs::path> presetsBesideExecutable() {
  std::error_code ec;
  const fs::path executable = fs::read_symlink("/proc/self/exe", ec);
  if (ec || executable.empty()) return {};
  const fs::path folder = executable.parent_path();
  return {(folder / GENLAB_RELATIVE_PRESET_DIR).lexically_normal(),
          (folder / GENLAB_TRAIN_RELATIVE_PRESET_DIR).lexically_normal()};
}

} // namespace

fs::path presetFolder() {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv(kPresetDirVariable); env != nullptr && *env != '\0')
    candidates.emplace_back(env);
  for (fs::path& beside : presetsBesideExecutable()) candidates.push_back(std::move(beside));
  candidates.emplace_back(GENLAB_INSTALLED_PRESET_DIR);
  candidates.emplace_back(GENLAB_SOURCE_PRESET_DIR);
  std::error_code ec;
  std::string looked;
  for (const auto& folder : candidates) {
    if (fs::is_directory(folder, ec)) return folder;
    looked += (looked.empty() ? "'" : ", '") + folder.string() + "'";
  }
  throw InputError("no preset folder found (looked in " + looked + ")");
}

std::vector<Preset> loadPresets(const fs::path& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw InputError("preset folder '" + folder.string() + "' does not exist");
  std::vector<Preset> presets;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() != ".json") continue;
    const std::string source = "preset '" + entry.path().string() + "'";
    const nlohmann::json document = readJsonFile(entry.path());
    if (!document.is_object() || !document.contains("title") || !document["title"].is_string() ||
        !document.contains("spec"))
      throw InputError(source + " needs a \"title\" string and a \"spec\" object");
    for (const auto& [key, value] : document.items())
      if (key != "title" && key != "description" && key != "spec" && key != "axes")
        throw InputError(source + ": '" + key + "' is not a known key");
    Preset preset;
    preset.id = entry.path().stem().string();
    preset.title = document["title"].get<std::string>();
    preset.description = document.value("description", "");
    preset.file = entry.path();
    preset.grid = document.contains("axes");
    mergeJson(preset.spec, document["spec"], source);
    try {
      train::validate(preset.spec);
    } catch (const InputError& error) {
      throw InputError(source + ": " + error.what());
    }
    presets.push_back(std::move(preset));
  }
  std::sort(presets.begin(), presets.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return presets;
}

Preset findPreset(const std::string& id) {
  auto presets = loadPresets(presetFolder());
  std::string ids;
  for (auto& preset : presets) {
    if (preset.id == id) return std::move(preset);
    ids += (ids.empty() ? "" : ", ") + preset.id;
  }
  throw InputError("unknown preset '" + id + "' (available: " + ids + ")");
}

} // namespace genlab::results
