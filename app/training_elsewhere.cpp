// genlab's definitions of app/training.h: each hands the whole command line to the training
// program, genlab-train, by exec. The process stays the same (its id, its terminal, its signals),
// so a shell, the sweep runner and Slurm see no difference.

#include "app/training.h"

#include "app/child_process.h"
#include "core/errors.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

namespace genlab::app {

namespace fs = std::filesystem;

namespace {

/// genlab-train beside this program (the build tree), else in the install layout's private
/// program folder (GENLAB_RELATIVE_TRAIN_DIR, from the bin folder; app/CMakeLists.txt).
fs::path trainingProgram() {
  const fs::path folder = selfExecutable().parent_path();
  const fs::path candidates[] = {folder / GENLAB_TRAIN_PROGRAM,
                                 (folder / GENLAB_RELATIVE_TRAIN_DIR / GENLAB_TRAIN_PROGRAM).lexically_normal()};
  std::error_code ec;
  for (const fs::path& candidate : candidates)
    if (fs::is_regular_file(candidate, ec) && access(candidate.c_str(), X_OK) == 0) return candidate;
  throw InputError(std::string("the training program ") + GENLAB_TRAIN_PROGRAM + " is missing (looked for '" +
                   candidates[0].string() + "' and '" + candidates[1].string() +
                   "'): reinstall GenLab (in a build folder: build the target genlab_train)");
}

int handOver(int argc, const char* const* argv) {
  const fs::path program = trainingProgram();
  std::vector<char*> arguments;
  for (int i = 0; i < argc; ++i) arguments.push_back(const_cast<char*>(argv[i]));
  arguments.push_back(nullptr);
  std::cout.flush();
  execv(program.c_str(), arguments.data());
  throw InputError("cannot start the training program '" + program.string() + "': " + std::strerror(errno));
}

} // namespace

int runExperiment(int argc, char** argv, const Options& /*options*/) { return handOver(argc, argv); }

int runSweep(int argc, const char* const* argv, const SweepRun& /*run*/) { return handOver(argc, argv); }

} // namespace genlab::app
