#include "ui/figure_data.h"

#include <algorithm>

namespace genlab::ui {

const std::vector<EpochCurves>& epochCurves() {
  using M = train::EpochMetrics;
  static const std::vector<EpochCurves> all{
      {"train_accuracy", &FigureData::trainAccuracy, [](const M& m) { return std::optional(m.trainAccuracy); }},
      {"test_accuracy", &FigureData::testAccuracy, [](const M& m) { return std::optional(m.testAccuracy); }},
      {"fitted_clean", &FigureData::fittedClean, [](const M& m) { return m.fittedClean; }},
      {"fitted_corrupted", &FigureData::fittedCorrupted, [](const M& m) { return m.fittedCorrupted; }},
      {train::kDistanceFromInit, &FigureData::distanceFromInit,
       [](const M& m) { return m.capacity ? std::optional(m.capacity->distanceFromInit) : std::nullopt; }},
      {train::kSpectralProduct, &FigureData::spectralProduct,
       [](const M& m) { return m.capacity ? std::optional(m.capacity->spectralProduct) : std::nullopt; }},
      {train::kFrobeniusSq, &FigureData::frobeniusSq,
       [](const M& m) { return m.capacity ? std::optional(m.capacity->frobeniusSq) : std::nullopt; }},
      {train::kMargin, &FigureData::margin,
       [](const M& m) { return m.capacity ? std::optional(m.capacity->margin) : std::nullopt; }},
      {train::kSpectralComplexity, &FigureData::spectralComplexity,
       [](const M& m) { return m.capacity ? m.capacity->spectralComplexity : std::nullopt; }},
  };
  return all;
}

std::vector<std::vector<Curve>*> runCurves(FigureData& data) {
  std::vector<std::vector<Curve>*> lists{&data.loss};
  for (const EpochCurves& epoch : epochCurves()) lists.push_back(&(data.*epoch.curves));
  return lists;
}

std::vector<const std::vector<Curve>*> runCurves(const FigureData& data) {
  std::vector<const std::vector<Curve>*> lists{&data.loss};
  for (const EpochCurves& epoch : epochCurves()) lists.push_back(&(data.*epoch.curves));
  return lists;
}

void addNormPoint(NormSeries& series, const corruption::Setting& setting, double norm) {
  using corruption::Kind;
  if (setting.kind != Kind::TrueLabels && setting.kind != Kind::PartialLabels && setting.kind != Kind::RandomLabels)
    return;
  const double level = setting.labelCorruptionProbability();
  const auto at = std::upper_bound(series.level.begin(), series.level.end(), level);
  const auto index = at - series.level.begin();
  series.level.insert(at, level);
  series.norm.insert(series.norm.begin() + index, norm);
}

void FigureRecorder::onSessionStarted(const train::SessionInfo& info) {
  data_ = {};
  model_ = QString::fromStdString(info.model);
  sweep_ = info.sweep;
  runs_.clear();
  for (const auto& run : info.runs) {
    const Curve empty{run.run, QString::fromStdString(run.setting.name()), {}, {}, false};
    for (std::vector<Curve>* curves : runCurves(data_)) curves->push_back(empty);
    // A resumed run that had ended keeps its record; the others count as levels still training.
    train::RunSummary start = run.start;
    start.run = run.run;
    start.setting = run.setting;
    runs_.push_back(start);
  }
  updateSweep();
}

void FigureRecorder::updateSweep() {
  if (!sweep_) return;
  data_.sweep.clear();
  std::vector<train::SweepPoint> points = train::sweepPoints(runs_);
  if (!points.empty()) data_.sweep.push_back({0, model_, std::move(points)});
}

void FigureRecorder::onStepLosses(const train::StepLosses& losses) {
  Curve& curve = data_.loss.at(static_cast<size_t>(losses.run));
  for (size_t i = 0; i < losses.losses.size(); ++i) {
    curve.x.push_back(static_cast<double>(losses.firstStep + static_cast<int64_t>(i)));
    curve.y.push_back(losses.losses[i]);
  }
}

void FigureRecorder::onEpoch(const train::EpochMetrics& m) {
  const auto run = static_cast<size_t>(m.run);
  for (const EpochCurves& epoch : epochCurves())
    if (const std::optional<double> value = epoch.value(m)) {
      Curve& curve = (data_.*epoch.curves).at(run);
      curve.x.push_back(static_cast<double>(m.epoch));
      curve.y.push_back(*value);
    }
}

void FigureRecorder::onRunEnded(const train::RunSummary& run) {
  using train::RunStatus;
  const bool early = run.status == RunStatus::Diverged || run.status == RunStatus::Stopped ||
                     run.status == RunStatus::Interrupted || run.status == RunStatus::Failed;
  if (run.rkhsNorm) {
    if (data_.norms.empty()) data_.norms.push_back({0, model_, {}, {}});
    addNormPoint(data_.norms.front(), run.setting, *run.rkhsNorm);
  }
  for (std::vector<Curve>* figure : runCurves(data_)) {
    Curve& curve = figure->at(static_cast<size_t>(run.run));
    curve.endedEarly = early;
    if (early)
      curve.name += QStringLiteral(" (%1)").arg(
          QString::fromUtf8(nameOf(train::runStatusNames(), run.status).data()));
  }
  for (train::RunSummary& known : runs_)
    if (known.run == run.run) known = run;
  updateSweep();
}

void FigureRecorder::onSessionEnded(const train::SessionResult& result) {
  data_.sweep.clear();
  if (!result.sweep.empty()) data_.sweep.push_back({0, model_, result.sweep});
}

} // namespace genlab::ui
