// genlab: the GenLab program. This version runs in the terminal: it loads a data set and
// prints what each chosen corruption did, or trains a preset (--preset); the window comes in a
// later version.

#include "app/exit_codes.h"
#include "app/headless_run.h"
#include "app/options.h"
#include "core/corruption/corrupt.h"
#include "core/errors.h"
#include "core/format.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <thread>

namespace {

using namespace genlab;

int runHeadless(const app::Options& options) {
  const data::LoadedDataset loaded = data::loadDataset(options.data);
  std::cout << data::summary(loaded.dataset)
            << "  loaded in " << fixed(loaded.loadSeconds, 2) << " s; "
            << loaded.preprocessing << "\n\nCorruption settings (seed " << options.seed
            << "):\n";
  for (const auto& setting : options.settings) {
    const auto corrupted = corruption::corrupt(loaded.dataset, setting, options.seed);
    std::cout << "  " << setting.name() << ": " << corrupted.report.description << '\n';
  }
  return app::kExitSuccess;
}

} // namespace

int main(int argc, char** argv) {
  try {
    const app::Options options = app::parseOptions(argc, argv);
    if (options.help) {
      std::cout << options.helpText;
      return app::kExitSuccess;
    }
    if (options.version) {
      std::cout << "genlab " << GENLAB_VERSION << '\n';
      return app::kExitSuccess;
    }
    // Debian's LibTorch starts with one thread; the lab uses every core.
    at::set_num_threads(static_cast<int>(std::max(1U, std::thread::hardware_concurrency())));
    if (options.listPresets) return app::listPresets();
    if (std::getenv("DISPLAY") == nullptr && std::getenv("WAYLAND_DISPLAY") == nullptr)
      std::cout << "No display found: running headless.\n";
    if (!options.preset.empty()) return app::runPresetHeadless(options.preset, options.out);
    return runHeadless(options);
  } catch (const app::UsageError& error) {
    std::cerr << "genlab: " << error.what() << " (see genlab --help)\n";
    return app::kExitUsageError;
  } catch (const InputError& error) {
    std::cerr << "genlab: " << error.what() << '\n';
    return app::kExitRuntimeFailure;
  } catch (const std::exception& error) {
    // LibTorch's messages carry a backtrace after the first line; the user needs the first.
    const std::string message = error.what();
    std::cerr << "genlab: unexpected failure: " << message.substr(0, message.find('\n')) << '\n';
    return app::kExitRuntimeFailure;
  }
}
