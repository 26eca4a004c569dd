#pragma once
/// `genlab sweep plan|run|submit|status`: grids of experiments (core/sweep/sweep.h) on this
/// machine or on a Slurm cluster.

namespace genlab::app {

/// True when argv[1] is "sweep".
bool isSweepCommand(int argc, const char* const* argv);

/// Runs the sweep command that argv names and returns the exit status. Throws UsageError for a
/// bad command line and InputError for a sweep, folder or cluster that cannot be used.
///   genlab sweep plan FILE [--out DIR] [--set PATH=VALUE ...]
///   genlab sweep run FILE --out DIR [--task K | --jobs N] [--set PATH=VALUE ...]
///   genlab sweep submit FILE --out DIR [--partition P --gpus-per-task G --time T
///         --cpus-per-task C --mem M --account A --qos Q --max-parallel K --sbatch-arg ARG ...
///         --genlab PATH] [--dry-run] [--set PATH=VALUE ...]
///   genlab sweep status FILE --out DIR
int runSweepCommand(int argc, const char* const* argv);

} // namespace genlab::app
