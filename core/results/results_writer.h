#pragma once
/// Writes a session's results to a folder as they are produced.

#include "core/train/experiment_spec.h"
#include "core/train/listener.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>

namespace genlab::results {

/// A session listener that keeps a results folder up to date:
/// - spec.json: the experiment, written once at the start;
/// - metrics.csv: one tidy table (run, setting, step, epoch, metric, value, wall_time) with a
///   "loss" row per optimization step and one row per epoch metric (train_loss,
///   train_accuracy, fit_check_accuracy when checked, test_loss, test_accuracy,
///   validation_loss/accuracy when early stopping, learning_rate, images_per_second); flushed
///   at every epoch's end, so a killed process loses at most the epoch in progress;
/// - summary.json: the spec and every run's state (status, accuracies, time to fit, ...),
///   rewritten atomically (temporary file + rename) at every epoch and run end.
class ResultsWriter : public train::SessionListener {
public:
  /// Creates the folder if needed. Throws InputError naming it when it cannot be written.
  ResultsWriter(std::filesystem::path folder, const train::ExperimentSpec& spec);

  void onSessionStarted(const train::SessionInfo& info) override;
  void onStepLosses(const train::StepLosses& losses) override;
  void onEpoch(const train::EpochMetrics& metrics) override;
  void onRunEnded(const train::RunSummary& run) override;
  void onSessionEnded(const train::SessionResult& result) override;

  const std::filesystem::path& folder() const { return folder_; }

private:
  void writeSummary();
  void row(int run, int64_t step, int64_t epoch, const char* metric, double value, double wall);

  std::filesystem::path folder_;
  nlohmann::json summary_;
  std::map<int, std::string> settingKeys_;
  std::ofstream metrics_;
};

/// The JSON record of one run in summary.json.
nlohmann::json toJson(const train::RunSummary& run);

} // namespace genlab::results
