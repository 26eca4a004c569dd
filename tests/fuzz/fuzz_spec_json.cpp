// Experiment files (core/results/spec_json.h): --config files, saved experiments and spec.json,
// read as genlab reads them. The input is the file.

#include "core/errors.h"
#include "core/results/spec_json.h"
#include "fuzz_support.h"

#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace genlab;
  static const std::filesystem::path file = fuzz::scratchFolder("spec-json") / "spec.json";
  fuzz::writeFile(file, data, size);
  train::ExperimentSpec spec;
  try {
    spec = results::loadSpecFile(file);
  } catch (const InputError& error) {
    fuzz::requireMessage(error);
    return 0;
  }
  // A spec that loads is written as spec.json and reads back as the same experiment.
  const std::string written = results::toJson(spec).dump(2);
  fuzz::writeFile(file, reinterpret_cast<const uint8_t*>(written.data()), written.size());
  const train::ExperimentSpec again = results::loadSpecFile(file);
  fuzz::require(again == spec, "spec.json reads back as the spec it was written from");
  return 0;
}
