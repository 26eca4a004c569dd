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
  int64_t step = 0;            ///< the most optimization steps any run has taken
  /// How much of the first epoch the runs have trained (their mean), 0..1: the accuracy plot
  /// has its first point only once an epoch ends.
  double firstEpochDone = 0;
  int64_t epochs = 0;          ///< the most epochs a run may train
  double imagesPerSecond = 0;  ///< all runs together, over the last few seconds
  /// An upper bound: every unfinished run training all its epochs (runs that fit stop sooner).
  std::optional<double> secondsLeft;
  int runsEnded = 0;
  int runs = 0;
  /// False for a session without optimization steps (a closed-form solve): no epochs to count.
  bool hasSteps = true;
};

class SessionProgress {
public:
  void start(const train::SessionInfo& info, int64_t epochs, int64_t batchSize);
  /// Adds what arrived at `seconds` of training time after the start. `timed` false (single
  /// steps while paused): the steps count, but not towards the rate, which is the training's.
  void add(const MetricsBatch& batch, double seconds, bool timed = true);
  ProgressReading reading() const;

private:
  int64_t epochs_ = 0;
  int64_t batchSize_ = 1;
  int64_t stepsPerEpoch_ = 0;
  std::vector<int64_t> steps_;     // per run
  std::vector<bool> ended_;        // per run
  int64_t epoch_ = 0;
  int64_t untimedSteps_ = 0;       // steps taken while paused, kept out of the rate
  std::deque<std::pair<double, int64_t>> history_;  // (seconds, total steps), last few seconds
};

} // namespace genlab::ui
