#include "core/train/metrics.h"

#include <algorithm>

namespace genlab::train {

std::span<const NamedValue<RunStatus>> runStatusNames() {
  static constexpr NamedValue<RunStatus> table[] = {
      {RunStatus::Pending, "pending"},   {RunStatus::Running, "running"},
      {RunStatus::Fitted, "fitted"},     {RunStatus::Finished, "finished"},
      {RunStatus::EarlyStopped, "early-stopped"}, {RunStatus::Diverged, "diverged"},
      {RunStatus::Stopped, "stopped"},   {RunStatus::Interrupted, "interrupted"},
      {RunStatus::Failed, "failed"},     {RunStatus::Incomplete, "incomplete"}};
  return table;
}

bool isFinal(RunStatus status) {
  return status != RunStatus::Pending && status != RunStatus::Running;
}

bool reachedOutcome(RunStatus status) {
  return status == RunStatus::Fitted || status == RunStatus::Finished ||
         status == RunStatus::EarlyStopped || status == RunStatus::Diverged;
}

std::vector<SweepPoint> sweepPoints(const std::vector<RunSummary>& runs) {
  std::vector<const RunSummary*> ordered;
  for (const auto& run : runs) ordered.push_back(&run);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    return a->setting.labelCorruptionProbability() < b->setting.labelCorruptionProbability();
  });
  std::vector<SweepPoint> points;
  if (ordered.empty()) return points;
  const auto reference = ordered.front()->fitStep;
  for (const auto* run : ordered) {
    SweepPoint point;
    point.level = run->setting.labelCorruptionProbability();
    if (reference && *reference > 0 && run->fitStep)
      point.relativeTimeToFit = static_cast<double>(*run->fitStep) / static_cast<double>(*reference);
    point.testError = 1.0 - run->testAccuracy;
    points.push_back(point);
  }
  return points;
}

} // namespace genlab::train
