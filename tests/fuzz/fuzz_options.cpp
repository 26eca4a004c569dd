// The command line of genlab (app/options.h). The input is an argv as /proc/<pid>/cmdline holds
// one: arguments ended by NUL bytes (the last one's NUL may be missing); "genlab" is argv[0].

#include "app/options.h"
#include "core/errors.h"
#include "core/results/presets.h"
#include "core/results/spec_json.h"
#include "fuzz_support.h"

#include <nlohmann/json.hpp>

#include <cstdlib>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // The source tree's presets, whatever the folder the fuzzer runs in.
  ::setenv(genlab::results::kPresetDirVariable, GENLAB_FUZZ_PRESET_DIR, 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace genlab;
  std::vector<std::string> arguments{"genlab"};
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (size_t start = 0; start < text.size();) {
    const size_t end = std::min(text.find('\0', start), text.size());
    arguments.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  std::vector<const char*> argv;
  for (const auto& argument : arguments) argv.push_back(argument.c_str());
  argv.push_back(nullptr);

  app::Options options;
  try {
    options = app::parseOptions(static_cast<int>(arguments.size()), argv.data());
  } catch (const app::UsageError& error) {
    fuzz::requireMessage(error);
    return 0;
  } catch (const InputError& error) {
    fuzz::requireMessage(error);
    return 0;
  }
  if (options.mode == app::Mode::Help) fuzz::require(!options.helpText.empty(), "help has a text");
  if (options.mode == app::Mode::Train || options.mode == app::Mode::DescribeData) {
    // What parses is a valid experiment that a session can write as its spec.json.
    train::validate(options.spec);
    (void)results::toJson(options.spec).dump();
  }
  return 0;
}
