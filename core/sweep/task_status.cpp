#include "core/sweep/task_status.h"

#include "core/format.h"
#include "core/results/session_reader.h"

#include <sstream>

namespace genlab::sweep {

std::string_view stateName(TaskState state) {
  switch (state) {
  case TaskState::Pending: return "pending";
  case TaskState::Queued: return "queued";
  case TaskState::Running: return "running";
  case TaskState::Done: return "done";
  case TaskState::Unfinished: return "unfinished";
  case TaskState::Failed: return "failed";
  }
  return "unknown";
}

TaskStatus readTaskStatus(const std::filesystem::path& folder, int64_t epochsPerRun) {
  TaskStatus status;
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) return status;
  results::SessionReader reader(folder);
  reader.refresh();
  const results::SessionRecord& record = reader.record();
  if (record.runs.empty()) {
    status.state = record.live ? TaskState::Running : TaskState::Pending;
    if (!record.problems.empty()) status.detail = record.problems.front();
    return status;
  }
  bool done = true, failed = false;
  int64_t epochs = 0;
  std::string detail;
  for (const auto& run : record.runs) {
    using train::RunStatus;
    epochs += run.epochs;
    const bool outcome = run.status == RunStatus::Fitted || run.status == RunStatus::Finished ||
                         run.status == RunStatus::EarlyStopped || run.status == RunStatus::Diverged;
    done = done && outcome;
    if (run.status == RunStatus::Failed) {
      failed = true;
      if (detail.empty()) detail = run.message;
    }
  }
  status.epochs = epochs;
  if (record.live) status.state = TaskState::Running;
  else if (failed) status.state = TaskState::Failed;
  else if (done) status.state = TaskState::Done;
  else status.state = TaskState::Unfinished;
  if (detail.empty()) {
    const auto& run = record.runs.front();
    const int64_t total = epochsPerRun * static_cast<int64_t>(record.runs.size());
    detail = "epoch " + std::to_string(epochs) + " of " + std::to_string(total);
    if (record.runs.size() == 1 && run.trainAccuracy)
      detail += ", train " + percent(*run.trainAccuracy);
    if (record.runs.size() == 1 && run.testAccuracy) detail += ", test " + percent(*run.testAccuracy);
    if (status.state == TaskState::Done && record.runs.size() == 1)
      detail = std::string(nameOf(train::runStatusNames(), run.status)) + " at " + detail;
  }
  status.detail = detail;
  return status;
}

std::map<int64_t, std::string> parseSqueue(const std::string& output) {
  std::map<int64_t, std::string> states;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string id, state;
    if (!(fields >> id >> state)) continue;
    try {
      size_t used = 0;
      const long long task = std::stoll(id, &used);
      if (used == id.size()) states[task] = state;
    } catch (const std::exception&) {
      // "N/A" for a job that is not an array, or a range still pending as one line: skipped.
    }
  }
  return states;
}

} // namespace genlab::sweep
