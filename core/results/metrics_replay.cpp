#include "core/results/metrics_replay.h"

#include "core/results/layout.h"
#include "core/results/metrics_table.h"

#include <map>
#include <utility>

namespace genlab::results {

namespace {

/// Stores one epoch-metric row into `m`; false for a metric this version does not know.
bool store(train::EpochMetrics& m, std::string_view metric, double value) {
  if (metric == "train_loss") m.trainLoss = value;
  else if (metric == "train_accuracy") m.trainAccuracy = value;
  else if (metric == "fit_check_accuracy") m.fitCheckAccuracy = value;
  else if (metric == "test_loss") m.testLoss = value;
  else if (metric == "test_accuracy") m.testAccuracy = value;
  else if (metric == "validation_loss") m.validationLoss = value;
  else if (metric == "validation_accuracy") m.validationAccuracy = value;
  else if (metric == "fitted_clean") m.fittedClean = value;
  else if (metric == "fitted_corrupted") m.fittedCorrupted = value;
  else if (metric == "learning_rate") m.learningRate = value;
  else if (metric == "images_per_second") m.imagesPerSecond = value;
  else {
    train::CapacityMeasures capacity = m.capacity.value_or(train::CapacityMeasures{});
    if (!train::storeCapacityMetric(capacity, metric, value)) return false;
    m.capacity = std::move(capacity);
  }
  return true;
}

} // namespace

int64_t replayMetrics(const std::filesystem::path& folder, train::SessionListener& listener) {
  struct Epoch {
    train::StepLosses losses;
    train::EpochMetrics metrics;
    bool ended = false;  ///< it has epoch rows
  };
  std::map<std::pair<int, int64_t>, Epoch> epochs;  // (run, epoch), in order
  MetricsTail table(folder / kMetricsFile);
  const MetricsTail::Result read = table.read([&](const MetricsRow& row) {
    Epoch& e = epochs[{row.run, row.epoch}];
    if (row.metric == "loss") {
      // Rows of one run come in step order; a gap (never written) starts no new batch here.
      if (e.losses.losses.empty()) e.losses = {row.run, row.step, row.epoch, row.wallTime, {}};
      e.losses.losses.push_back(static_cast<float>(row.value));
      e.losses.wallSeconds = row.wallTime;
    } else if (store(e.metrics, row.metric, row.value)) {
      e.ended = true;
      e.metrics.run = row.run;
      e.metrics.epoch = row.epoch;
      e.metrics.step = row.step;
      e.metrics.wallSeconds = row.wallTime;
    }
  });
  for (const auto& [key, e] : epochs) {
    if (!e.losses.losses.empty()) listener.onStepLosses(e.losses);
    if (e.ended) listener.onEpoch(e.metrics);
  }
  return read.rows;
}

} // namespace genlab::results
