#pragma once
/// Running a sweep's missing tasks on this machine, N at a time, each in its own genlab
/// process (`genlab sweep run FILE --task K`), as a cluster would.

#include "core/sweep/sweep.h"

#include <filesystem>

namespace genlab::app {

/// Runs every task of `sweep` whose folder under `out` is not done, `jobs` at a time (one per
/// GPU, through CUDA_VISIBLE_DEVICES, when several are present), each with its output in
/// out/logs/task-K.log; prints one progress line per running task and an overall bar (on a
/// terminal, redrawn in place; otherwise a line as each task starts and ends). `sweepFile` is
/// the resolved sweep the tasks read. Ctrl-C (or TERM) stops the tasks, which checkpoint: run
/// the sweep again to resume them. Returns the exit status: success when every task is done.
int runSweepHere(const sweep::Sweep& sweep, const std::filesystem::path& sweepFile,
                 const std::filesystem::path& out, int jobs);

/// The --jobs default: one per GPU when there are several, else kDefaultCpuJobs (at most one
/// per core).
int defaultJobs();

/// Tasks at a time on a machine without several GPUs, each with its share of the cores; chosen
/// from the measured throughput of --jobs 2 against --jobs 1 (docs/BENCHMARKS.md, "Sweeps").
inline constexpr int kDefaultCpuJobs = 2;

} // namespace genlab::app
