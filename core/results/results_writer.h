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
///   validation_loss/accuracy when early stopping, fitted_clean/fitted_corrupted when measuring
///   memorization, the capacity measures' metrics (train::capacityMetrics) when measuring
///   capacity, learning_rate, images_per_second); written
///   and synced to the disk at every epoch's end, so a killed process loses at most the epoch
///   in progress;
/// - summary.json: the format, the writing process, the spec and every run's state (status,
///   accuracies, time to fit, ...), rewritten atomically at every epoch and run end.
/// While the session runs, the folder's writer lock is held (writer_lock.h), so that readers
/// know a live process writes it.
/// When the disk refuses a write (full, gone), the calls that train (step losses, epochs) throw
/// InputError with the reason, so that each run ends as failed with it; the calls that end runs
/// and the session then write nothing more and do not throw.
/// - checkpoint-run<N>.pt (layout.h): each run's checkpoints, replaced atomically;
/// - memorization-run<N>.csv with measures.memorization: where each training example stands,
///   replaced atomically at every epoch's end.
class ResultsWriter : public train::SessionListener {
public:
  enum class Mode {
    Fresh,   ///< a new session: the folder must not hold results
    Resume,  ///< continues the session the folder holds (session_resume.h)
  };

  /// Writes into `folder`, which must not hold results already (they are never overwritten;
  /// createSessionFolder makes a new one). Creates it if needed. Throws InputError naming the
  /// folder when it holds results or cannot be written.
  ResultsWriter(std::filesystem::path folder, const train::ExperimentSpec& spec);
  /// With `folder`'s writer lock taken by the caller. Fresh: as above. Resume: spec.json stays
  /// (the caller compared it, session_resume.h), and nothing changes on disk until
  /// onSessionStarted, which cuts metrics.csv back to the epoch each resumed run continues
  /// from (RunInfo::resumedFromEpoch), keeps the records of runs that had reached their
  /// outcome and appends that epoch to each resumed run's "resumed_from_epoch".
  ResultsWriter(WriterLock lock, std::filesystem::path folder, const train::ExperimentSpec& spec,
                Mode mode);

  void onSessionStarted(const train::SessionInfo& info) override;
  void onStepLosses(const train::StepLosses& losses) override;
  void onEpoch(const train::EpochMetrics& metrics) override;
  /// Writes the run's checkpoint file (atomically); the summary names its epoch
  /// ("checkpoint_epoch") from its next rewrite on.
  void onCheckpoint(const train::Checkpoint& checkpoint) override;
  /// Writes the run's memorization record (memorization_file.h), replacing the last one
  /// atomically.
  void onMemorization(const train::MemorizationRecord& record) override;
  void onRunEnded(const train::RunSummary& run) override;
  void onSessionEnded(const train::SessionResult& result) override;

  /// For a fresh folder whose session never started (its start failed, or it was stopped
  /// while preparing): removes what the constructor wrote, then the folder when nothing else
  /// is in it, so that no empty session is left behind. Does nothing otherwise.
  void discardUnstarted();

  const std::filesystem::path& folder() const { return folder_; }
  /// Why writing stopped, once the disk refused a write.
  const std::optional<std::string>& failure() const { return failure_; }

private:
  void writeSummary();
  void syncMetrics();
  /// Resume: metrics.csv cut back to the runs' checkpoints and opened for appending.
  void continueMetrics(const train::SessionInfo& info);
  /// The run's record in the summary found when resuming, or nullptr.
  const nlohmann::json* previousRecord(int run) const;
  void row(int run, int64_t step, int64_t epoch, const char* metric, double value, double wall);
  /// Runs `write`; the first InputError becomes failure_ and is thrown again, as it is by every
  /// later call (the training calls) or swallowed (`quiet`: the closing calls).
  template <class F>
  void guarded(F&& write, bool quiet);

  std::filesystem::path folder_;
  WriterLock lock_;
  Mode mode_;
  std::optional<DurableAppendFile> metrics_;  ///< open from the start (Fresh) or the session's start (Resume)
  nlohmann::json summary_;
  nlohmann::json previousRuns_;  ///< Resume: the runs of the summary found in the folder
  std::map<int, std::string> settingKeys_;
  std::optional<std::string> failure_;
};

/// The JSON record of one run in summary.json.
nlohmann::json toJson(const train::RunSummary& run);
/// A run's record read back (for runs that had ended before a resume). Throws InputError for
/// a record that is not one.
train::RunSummary runSummaryFromJson(const nlohmann::json& record);

} // namespace genlab::results
