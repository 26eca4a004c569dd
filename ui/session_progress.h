#pragma once
/// SessionProgress: the status bar's figures (epoch, images per second, time left) computed
/// from what a session reports. Plain values in, plain values out.

#include "core/train/listener.h"

#include <cstdint>
#include <deque>
#include <optional>
#include <utility>
#include <vector>

namespace genlab::ui {

struct MetricsBatch;

struct ProgressReading {
  int64_t epoch = 0;           ///< the highest epoch any run has reached
  int64_t epochs = 0;          ///< the most epochs a run may train
  double imagesPerSecond = 0;  ///< all runs together, over the last few seconds
  /// An upper bound: every unfinished run training all its epochs (runs that fit stop sooner).
  std::optional<double> secondsLeft;
  int runsEnded = 0;
  int runs = 0;
};

class SessionProgress {
public:
  void start(const train::SessionInfo& info, int64_t epochs, int64_t batchSize);
  /// Adds what arrived at `seconds` after the start.
  void add(const MetricsBatch& batch, double seconds);
  ProgressReading reading() const;

private:
  int64_t epochs_ = 0;
  int64_t batchSize_ = 1;
  int64_t stepsPerEpoch_ = 0;
  std::vector<int64_t> steps_;     // per run
  std::vector<bool> ended_;        // per run
  int64_t epoch_ = 0;
  std::deque<std::pair<double, int64_t>> history_;  // (seconds, total steps), last few seconds
};

} // namespace genlab::ui
