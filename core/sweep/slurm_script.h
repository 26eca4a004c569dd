#pragma once
/// The sbatch script of a sweep: one Slurm job array task per sweep task, requeued on
/// pre-emption and warned before its time limit so that it checkpoints first.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace genlab::sweep {

/// Seconds before the time limit at which Slurm sends the batch shell SIGUSR1; the shell
/// forwards it, genlab checkpoints and ends, and the shell requeues the task.
inline constexpr int kWarningSeconds = 120;

/// Resources asked of Slurm; empty or 0: Slurm's default (not written to the script).
struct SlurmOptions {
  std::string partition;
  int gpusPerTask = 0;
  std::string time;  ///< --time, e.g. "04:00:00"
  int cpusPerTask = 0;
  std::string mem;   ///< --mem, e.g. "8G"
  std::string account;
  std::string qos;
  int maxParallel = 0;                 ///< the array's %K throttle; 0: none
  std::vector<std::string> extraArgs;  ///< written as they are, one "#SBATCH" line each
  bool operator==(const SlurmOptions&) const = default;
};

struct SlurmJob {
  std::string name;                  ///< the job's name
  std::filesystem::path genlab;      ///< the program the tasks run (the same path on the nodes)
  std::filesystem::path sweepFile;   ///< the resolved sweep in the results folder
  std::filesystem::path out;         ///< the results folder, shared with the nodes
  std::vector<int64_t> tasks;        ///< the array's task ids
};

/// Task ids as Slurm's --array list: {0,1,2,3,7,9,10} -> "0-3,7,9-10".
std::string arrayList(std::vector<int64_t> tasks);

/// Throws InputError naming the option when a value cannot be what Slurm expects (a time
/// that is not [D-]HH:MM[:SS] or minutes, a memory that is not a number with K, M, G or T,
/// a negative count, an extra argument that does not start with "--").
void checkSlurmOptions(const SlurmOptions& options);

/// The bash script that sbatch runs (see docs/architecture.md, "Sweeps on Slurm").
std::string sbatchScript(const SlurmJob& job, const SlurmOptions& options);

/// `text` quoted for a POSIX shell.
std::string shellQuoted(const std::string& text);

} // namespace genlab::sweep
