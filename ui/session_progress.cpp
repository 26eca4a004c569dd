#include "ui/session_progress.h"

#include "ui/training_controller.h"

#include <algorithm>
#include <numeric>

namespace genlab::ui {

namespace {
constexpr double kRateWindowSeconds = 3.0;
}

void SessionProgress::start(const train::SessionInfo& info, int64_t epochs, int64_t batchSize) {
  epochs_ = epochs;
  batchSize_ = std::max<int64_t>(1, batchSize);
  stepsPerEpoch_ = info.stepsPerEpoch;
  steps_.assign(info.runs.size(), 0);
  ended_.assign(info.runs.size(), false);
  epoch_ = 0;
  untimedSteps_ = 0;
  history_.clear();
}

void SessionProgress::add(const MetricsBatch& batch, double seconds, bool timed) {
  const int64_t before = std::accumulate(steps_.begin(), steps_.end(), int64_t{0});
  for (const auto& losses : batch.losses) {
    const auto run = static_cast<size_t>(losses.run);
    if (run >= steps_.size()) continue;
    steps_[run] = losses.firstStep + static_cast<int64_t>(losses.losses.size()) - 1;
    epoch_ = std::max(epoch_, losses.epoch);
  }
  for (const auto& summary : batch.endedRuns)
    if (static_cast<size_t>(summary.run) < ended_.size()) ended_[static_cast<size_t>(summary.run)] = true;
  const int64_t total = std::accumulate(steps_.begin(), steps_.end(), int64_t{0});
  if (!timed) {
    untimedSteps_ += total - before;
    return;
  }
  history_.emplace_back(seconds, total - untimedSteps_);
  while (history_.size() > 2 && history_.front().first < seconds - kRateWindowSeconds) history_.pop_front();
}

ProgressReading SessionProgress::reading() const {
  ProgressReading reading;
  reading.epoch = epoch_;
  reading.epochs = epochs_;
  reading.runs = static_cast<int>(ended_.size());
  reading.runsEnded = static_cast<int>(std::count(ended_.begin(), ended_.end(), true));
  reading.hasSteps = stepsPerEpoch_ > 0;
  for (const int64_t steps : steps_) reading.step = std::max(reading.step, steps);
  if (stepsPerEpoch_ > 0 && !steps_.empty()) {
    double done = 0;
    for (const int64_t steps : steps_) done += static_cast<double>(std::min(steps, stepsPerEpoch_)) / static_cast<double>(stepsPerEpoch_);
    reading.firstEpochDone = done / static_cast<double>(steps_.size());
  }
  if (history_.size() < 2) return reading;
  const double seconds = history_.back().first - history_.front().first;
  const auto steps = static_cast<double>(history_.back().second - history_.front().second);
  if (seconds <= 0 || steps <= 0) return reading;
  const double stepsPerSecond = steps / seconds;
  reading.imagesPerSecond = stepsPerSecond * static_cast<double>(batchSize_);
  int64_t remaining = 0;
  for (size_t run = 0; run < steps_.size(); ++run)
    if (!ended_[run]) remaining += std::max<int64_t>(0, epochs_ * stepsPerEpoch_ - steps_[run]);
  reading.secondsLeft = static_cast<double>(remaining) / stepsPerSecond;
  return reading;
}

} // namespace genlab::ui
