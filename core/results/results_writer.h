#pragma once
/// Writes a session's results to its folder as they are produced.

#include "core/results/durable_file.h"
#include "core/results/writer_lock.h"
#include "core/train/experiment_spec.h"
#include "core/train/listener.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace genlab::results {

/// A session listener that keeps a session folder (layout.h) up to date:
/// - spec.json: the experiment, written once at the start;
/// - metrics.csv: one tidy table (run, setting, step, epoch, metric, value, wall_time) with a
///   "loss" row per optimization step and one row per epoch metric (train_loss,
///   train_accuracy, fit_check_accuracy when checked, test_loss, test_accuracy,
///   validation_loss/accuracy when early stopping, learning_rate, images_per_second); written
///   and synced to the disk at every epoch's end, so a killed process loses at most the epoch
///   in progress;
/// - summary.json: the format, the writing process, the spec and every run's state (status,
///   accuracies, time to fit, ...), rewritten atomically at every epoch and run end.
/// While the session runs, the folder's writer lock is held (writer_lock.h), so that readers
/// know a live process writes it.
/// When the disk refuses a write (full, gone), the calls that train (step losses, epochs) throw
/// InputError with the reason, so that each run ends as failed with it; the calls that end runs
/// and the session then write nothing more and do not throw.
class ResultsWriter : public train::SessionListener {
public:
  /// Writes into `folder`, which must not hold results already (they are never overwritten;
  /// createSessionFolder makes a new one). Creates it if needed. Throws InputError naming the
  /// folder when it holds results or cannot be written.
  ResultsWriter(std::filesystem::path folder, const train::ExperimentSpec& spec);

  void onSessionStarted(const train::SessionInfo& info) override;
  void onStepLosses(const train::StepLosses& losses) override;
  void onEpoch(const train::EpochMetrics& metrics) override;
  void onRunEnded(const train::RunSummary& run) override;
  void onSessionEnded(const train::SessionResult& result) override;

  const std::filesystem::path& folder() const { return folder_; }
  /// Why writing stopped, once the disk refused a write.
  const std::optional<std::string>& failure() const { return failure_; }

private:
  void writeSummary();
  void syncMetrics();
  void row(int run, int64_t step, int64_t epoch, const char* metric, double value, double wall);
  /// Runs `write`; the first InputError becomes failure_ and is thrown again, as it is by every
  /// later call (the training calls) or swallowed (`quiet`: the closing calls).
  template <class F>
  void guarded(F&& write, bool quiet);

  std::filesystem::path folder_;
  WriterLock lock_;
  DurableAppendFile metrics_;
  nlohmann::json summary_;
  std::map<int, std::string> settingKeys_;
  std::optional<std::string> failure_;
};

/// The JSON record of one run in summary.json.
nlohmann::json toJson(const train::RunSummary& run);

} // namespace genlab::results
