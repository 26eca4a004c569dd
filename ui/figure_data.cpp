#include "ui/figure_data.h"

namespace genlab::ui {

void FigureRecorder::onSessionStarted(const train::SessionInfo& info) {
  data_ = {};
  model_ = QString::fromStdString(info.model);
  for (const auto& run : info.runs) {
    const Curve empty{run.run, QString::fromStdString(run.setting.name()), {}, {}, false};
    data_.loss.push_back(empty);
    data_.trainAccuracy.push_back(empty);
    data_.testAccuracy.push_back(empty);
  }
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
  data_.trainAccuracy.at(run).x.push_back(static_cast<double>(m.epoch));
  data_.trainAccuracy.at(run).y.push_back(m.trainAccuracy);
  data_.testAccuracy.at(run).x.push_back(static_cast<double>(m.epoch));
  data_.testAccuracy.at(run).y.push_back(m.testAccuracy);
}

void FigureRecorder::onRunEnded(const train::RunSummary& run) {
  using train::RunStatus;
  const bool early = run.status == RunStatus::Diverged || run.status == RunStatus::Stopped ||
                     run.status == RunStatus::Interrupted || run.status == RunStatus::Failed;
  for (auto* figure : {&data_.loss, &data_.trainAccuracy, &data_.testAccuracy}) {
    Curve& curve = figure->at(static_cast<size_t>(run.run));
    curve.endedEarly = early;
    if (early)
      curve.name += QStringLiteral(" (%1)").arg(
          QString::fromUtf8(nameOf(train::runStatusNames(), run.status).data()));
  }
}

void FigureRecorder::onSessionEnded(const train::SessionResult& result) {
  data_.sweep.clear();
  if (!result.sweep.empty()) data_.sweep.push_back({0, model_, result.sweep});
}

} // namespace genlab::ui
