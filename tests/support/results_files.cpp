#include "support/results_files.h"

namespace genlab::test {

void reportEpoch(results::ResultsWriter& writer, int run, int64_t epoch, int steps, double accuracy) {
  train::StepLosses losses;
  losses.run = run;
  losses.firstStep = (epoch - 1) * steps + 1;
  losses.epoch = epoch;
  for (int i = 0; i < steps; ++i) losses.losses.push_back(2.3F / static_cast<float>(losses.firstStep + i));
  writer.onStepLosses(losses);
  train::EpochMetrics m;
  m.run = run;
  m.epoch = epoch;
  m.step = epoch * steps;
  m.trainAccuracy = accuracy;
  m.testAccuracy = accuracy / 2;
  m.wallSeconds = static_cast<double>(epoch);
  writer.onEpoch(m);
}

void writeFinishedSession(const std::filesystem::path& folder, const train::ExperimentSpec& spec,
                          int epochs, int steps) {
  results::ResultsWriter writer(folder, spec);
  train::SessionInfo info;
  info.model = models::describe(spec.model);
  const auto settings = train::runSettings(spec);
  for (size_t i = 0; i < settings.size(); ++i) info.runs.push_back({static_cast<int>(i), settings[i], {}});
  writer.onSessionStarted(info);
  train::SessionResult result;
  for (const auto& run : info.runs) {
    for (int e = 1; e <= epochs; ++e) reportEpoch(writer, run.run, e, steps, static_cast<double>(e) / epochs);
    train::RunSummary summary;
    summary.run = run.run;
    summary.setting = run.setting;
    summary.status = train::RunStatus::Fitted;
    summary.epochs = epochs;
    summary.steps = static_cast<int64_t>(epochs) * steps;
    summary.trainAccuracy = 1.0;
    summary.testAccuracy = 0.5;
    summary.fitEpoch = epochs;
    summary.fitStep = summary.steps;
    writer.onRunEnded(summary);
    result.runs.push_back(summary);
  }
  writer.onSessionEnded(result);
}

} // namespace genlab::test
