#include "core/train/metrics.h"

#include <algorithm>
#include <cmath>

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

int64_t fitCheckErrorsAllowed(int64_t images, double threshold) {
  // From the closed form, then settled by the very comparison that decides a fit, so that
  // rounding cannot put the two a count apart.
  const auto reaches = [&](int64_t errors) {
    return static_cast<double>(images - errors) / static_cast<double>(std::max<int64_t>(1, images)) >= threshold;
  };
  int64_t errors = std::clamp<int64_t>(static_cast<int64_t>(std::floor((1.0 - threshold) * static_cast<double>(images))), -1, images);
  while (errors >= 0 && !reaches(errors)) --errors;
  while (errors < images && reaches(errors + 1)) ++errors;
  return errors;
}

namespace {
constexpr std::string_view kLayerDistance = "distance_from_init_layer";
}

std::vector<std::pair<std::string, double>> capacityMetrics(const CapacityMeasures& c) {
  std::vector<std::pair<std::string, double>> metrics{{kDistanceFromInit, c.distanceFromInit}};
  for (size_t i = 0; i < c.layerDistances.size(); ++i)
    metrics.emplace_back(std::string(kLayerDistance) + std::to_string(i + 1), c.layerDistances[i]);
  metrics.emplace_back(kSpectralProduct, c.spectralProduct);
  metrics.emplace_back(kFrobeniusSq, c.frobeniusSq);
  metrics.emplace_back(kMargin, c.margin);
  if (c.spectralComplexity) metrics.emplace_back(kSpectralComplexity, *c.spectralComplexity);
  return metrics;
}

bool storeCapacityMetric(CapacityMeasures& c, std::string_view name, double value) {
  if (name == kDistanceFromInit) c.distanceFromInit = value;
  else if (name == kSpectralProduct) c.spectralProduct = value;
  else if (name == kFrobeniusSq) c.frobeniusSq = value;
  else if (name == kMargin) c.margin = value;
  else if (name == kSpectralComplexity) c.spectralComplexity = value;
  else if (name.starts_with(kLayerDistance)) {
    const std::string_view number = name.substr(kLayerDistance.size());
    size_t layer = 0;
    for (const char digit : number) {
      if (digit < '0' || digit > '9' || layer > 10'000) return false;
      layer = layer * 10 + static_cast<size_t>(digit - '0');
    }
    if (number.empty() || layer == 0 || layer > 10'000) return false;
    if (c.layerDistances.size() < layer) c.layerDistances.resize(layer, 0.0);
    c.layerDistances[layer - 1] = value;
  } else return false;
  return true;
}

namespace {

/// A run that trained to its end: a diverged network's test error says nothing of what a fitted
/// one generalizes, and a stopped run's is that of an unfinished one.
bool hasPoint(RunStatus status) {
  return reachedOutcome(status) && status != RunStatus::Diverged;
}

} // namespace

std::vector<SweepPoint> sweepPoints(const std::vector<RunSummary>& runs) {
  std::vector<const RunSummary*> ordered;
  for (const auto& run : runs) ordered.push_back(&run);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    return a->setting.labelCorruptionProbability() < b->setting.labelCorruptionProbability();
  });
  std::vector<SweepPoint> points;
  if (ordered.empty()) return points;
  // The reference is the lowest level whatever became of it: when that run has no time to fit,
  // no level has one, rather than times relative to another level.
  const RunSummary& lowest = *ordered.front();
  const auto reference = hasPoint(lowest.status) ? lowest.fitStep : std::nullopt;
  for (const auto* run : ordered) {
    if (!hasPoint(run->status)) continue;
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
