#pragma once
/// The commands that train, and so need LibTorch. `genlab` starts without loading LibTorch
/// (a second of every start, which `--help`, `runs`, `report`, `data` and `sweep status` do not
/// need) and hands these commands to the training program, `genlab-train`: the same command
/// line, in the same process (exec). Each program links one definition of these functions:
/// app/training_here.cpp (genlab-train) or app/training_elsewhere.cpp (genlab).

#include "app/options.h"
#include "core/sweep/sweep.h"

#include <cstdint>
#include <filesystem>
#include <optional>

namespace genlab::app {

/// The experiment of `options` as its mode says: Train (the window when there is a display
/// and no --headless, else the terminal), Resume, or DescribeData. `argc` and `argv` are the
/// program's, for the window's QApplication and for the hand-over.
int runExperiment(int argc, char** argv, const Options& options);

/// `genlab sweep run`, parsed.
struct SweepRun {
  sweep::Sweep sweep;
  std::filesystem::path out;        ///< --out
  std::optional<int64_t> task;      ///< --task K: that task alone, in this process
  std::optional<int> jobs;          ///< --jobs N (default: defaultJobs())
};

/// Runs `run`: one task, or every task not done yet, `jobs` at a time (app/sweep_runner.h).
int runSweep(int argc, const char* const* argv, const SweepRun& run);

} // namespace genlab::app
