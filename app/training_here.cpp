// genlab-train's definitions of app/training.h: the commands that train, run in this process.

#include "app/training.h"

#include "app/data_commands.h"
#include "app/exit_codes.h"
#include "app/headless_run.h"
#include "app/sweep_runner.h"
#include "app/window_run.h"
#include "core/corruption/preview.h"
#include "core/train/device.h"

#include <iostream>
#include <string>

namespace genlab::app {

int runExperiment(int argc, char** argv, const Options& options) {
  switch (options.mode) {
  case Mode::DescribeData:
    train::useThreads(0);
    std::cout << corruption::describeSettings(options.spec.data, train::runSettings(options.spec),
                                              options.spec.seed);
    return kExitSuccess;
  case Mode::Resume:
    return trainSessionFolder(options.spec, options.resumeFolder, "", options.figureFormats, options.figure);
  default:
    break;
  }
  if (!options.headless && displayAvailable()) return runWindow(argc, argv, options);
  if (!options.headless) std::cout << "No display available: running headless.\n";
  return trainHeadless(options.spec, options.presetTitle, options.out, options.figureFormats, options.figure);
}

int runSweep(int /*argc*/, const char* const* /*argv*/, const SweepRun& run) {
  if (run.task) {
    const sweep::Task task = sweep::task(run.sweep, *run.task);  // throws for an index out of range
    sweep::prepareResultsFolder(run.sweep, run.out);
    const std::string heading = "Sweep task " + std::to_string(*run.task) + " of " +
                                std::to_string(sweep::taskCount(run.sweep)) + ": " + sweep::axisValues(task);
    return trainSessionFolder(task.spec, run.out / task.folder, heading);
  }
  fetchMissingDataSets(sweep::dataSpecs(run.sweep));
  const std::filesystem::path file = sweep::prepareResultsFolder(run.sweep, run.out);
  return runSweepHere(run.sweep, file, run.out, run.jobs ? *run.jobs : defaultJobs());
}

} // namespace genlab::app
