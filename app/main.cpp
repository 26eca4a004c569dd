// genlab: the GenLab program. With a display it opens the lab's window; without one (or with
// --headless) it trains an experiment (a preset, a config file and options) in the terminal,
// or with --describe-data prints what each corruption does to a data set.

#include "app/data_commands.h"
#include "app/exit_codes.h"
#include "app/headless_run.h"
#include "app/options.h"
#include "app/run_commands.h"
#include "app/sweep_commands.h"
#include "app/window_run.h"
#include "core/corruption/preview.h"
#include "core/errors.h"
#include "core/train/device.h"

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

namespace {

using namespace genlab;

int describeData(const train::ExperimentSpec& spec) {
  std::cout << corruption::describeSettings(spec.data, train::runSettings(spec), spec.seed);
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
      return app::listPresets();
    case app::Mode::DescribeData:
      train::useThreads(0);
      return describeData(options.spec);
    case app::Mode::Resume:
      return app::trainSessionFolder(options.spec, options.resumeFolder, "", options.figureFormats,
                                     options.figure);
    case app::Mode::Train:
      break;
    }
    if (!options.headless && app::displayAvailable()) return app::runWindow(argc, argv, options);
    if (!options.headless) std::cout << "No display available: running headless.\n";
    return app::trainHeadless(options.spec, options.presetTitle, options.out,
                              options.figureFormats, options.figure);
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
