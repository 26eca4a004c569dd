#pragma once
/// Where each task of a sweep stands, from its session folder and, for a submitted sweep,
/// from Slurm's queue.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace genlab::sweep {

enum class TaskState {
  Pending,     ///< nothing written yet
  Queued,      ///< waiting in Slurm's queue
  Running,     ///< a live process writes its folder
  Done,        ///< every run reached its outcome (fitted, finished, early-stopped, diverged)
  Unfinished,  ///< started and ended early (stopped, interrupted, killed): running it again resumes
  Failed,      ///< a run failed (its message says why); running it again retries
};
/// "pending", "queued", "running", "done", "unfinished", "failed".
std::string_view stateName(TaskState state);

struct TaskStatus {
  TaskState state = TaskState::Pending;
  std::string detail;  ///< "epoch 12 of 100, train 87.5%" or the failure's message
  int64_t epochs = 0;  ///< epochs done, summed over the task's runs
};

/// The state of the task whose session folder is `folder` (which need not exist).
TaskStatus readTaskStatus(const std::filesystem::path& folder, int64_t epochsPerRun);

/// Slurm's view of a job array: task id -> state ("PENDING", "RUNNING", ...), from the output of
/// `squeue -h -r -j JOB -o "%K %T"` (one "id STATE" line per array task).
std::map<int64_t, std::string> parseSqueue(const std::string& output);

} // namespace genlab::sweep
