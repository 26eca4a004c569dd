// Preset files (core/results/presets.h): a folder holding one preset, the input.

#include "core/errors.h"
#include "core/results/presets.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace genlab;
  static const std::filesystem::path folder = fuzz::scratchFolder("preset");
  fuzz::writeFile(folder / "fuzz-preset.json", data, size);
  try {
    const std::vector<results::Preset> presets = results::loadPresets(folder);
    fuzz::require(presets.size() == 1, "one file, one preset");
    fuzz::require(presets[0].id == "fuzz-preset", "a preset's id is its file name");
    train::validate(presets[0].spec);  // loadPresets promises validated specs: must not throw
  } catch (const InputError& error) {
    fuzz::requireMessage(error);
  }
  return 0;
}
