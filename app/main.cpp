// genlab and genlab-train: the GenLab programs, built from this one file. With a display
// genlab opens the lab's window; without one (or with --headless) it trains an experiment (a
// preset, a config file and options) in the terminal, or with --describe-data prints what each
// corruption does to a data set. Commands that train go through app/training.h: genlab hands
// them to genlab-train, which runs them; everything else each program does itself.

#include "app/data_commands.h"
#include "app/exit_codes.h"
#include "app/options.h"
#include "app/run_commands.h"
#include "app/sweep_commands.h"
#include "app/training.h"
#include "core/errors.h"
#include "core/results/presets.h"
#include "core/sweep/sweep.h"

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

namespace {

using namespace genlab;

/// Prints the ids and titles of the presets.
int listPresets() {
  for (const auto& preset : results::loadPresets(results::presetFolder())) {
    std::cout << preset.id << "\n    " << preset.title << '\n';
    if (preset.grid)
      std::cout << "    a sweep of " << sweep::taskCount(sweep::loadSweep(preset.file))
                << " tasks: genlab sweep plan " << preset.file.string() << '\n';
  }
  return app::kExitSuccess;
}

} // namespace

int main(int argc, char** argv) {
  try {
    if (app::isRunCommand(argc, argv)) return app::runRunCommand(argc, argv);
    if (app::isSweepCommand(argc, argv)) return app::runSweepCommand(argc, argv);
    if (app::isDataCommand(argc, argv)) return app::runDataCommand(argc, argv);
    const app::Options options = app::parseOptions(argc, argv);
    switch (options.mode) {
    case app::Mode::Help:
      std::cout << options.helpText;
      return app::kExitSuccess;
    case app::Mode::Version:
      std::cout << "genlab " << GENLAB_VERSION << '\n';
      return app::kExitSuccess;
    case app::Mode::ListPresets:
      return listPresets();
    case app::Mode::DescribeData:
    case app::Mode::Resume:
    case app::Mode::Train:
      break;
    }
    return app::runExperiment(argc, argv, options);
  } catch (const app::UsageError& error) {
    std::cerr << "genlab: " << error.what() << " (see genlab --help)\n";
    return app::kExitUsageError;
  } catch (const InputError& error) {
    std::cerr << "genlab: " << error.what() << '\n';
    return app::kExitRuntimeFailure;
  } catch (const std::exception& error) {
    std::cerr << "genlab: unexpected failure: " << firstLine(error.what()) << '\n';
    return app::kExitRuntimeFailure;
  }
}
