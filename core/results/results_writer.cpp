#include "core/results/results_writer.h"

#include "core/errors.h"
#include "core/results/atomic_file.h"
#include "core/results/spec_json.h"

#include <cstdio>

namespace genlab::results {

using nlohmann::json;
using namespace genlab::train;

namespace {

template <class T>
json orNull(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

} // namespace

json toJson(const RunSummary& run) {
  return {{"run", run.run},
          {"setting", run.setting.key()},
          {"name", run.setting.name()},
          {"status", std::string(nameOf(runStatusNames(), run.status))},
          {"message", run.message},
          {"epochs", run.epochs},
          {"steps", run.steps},
          {"train_accuracy", run.trainAccuracy},
          {"test_accuracy", run.testAccuracy},
          {"train_loss", run.trainLoss},
          {"test_loss", run.testLoss},
          {"fit_epoch", orNull(run.fitEpoch)},
          {"fit_step", orNull(run.fitStep)},
          {"early_stop_epoch", orNull(run.earlyStopEpoch)},
          {"wall_seconds", run.wallSeconds},
          {"images_per_second", run.imagesPerSecond}};
}

ResultsWriter::ResultsWriter(std::filesystem::path folder, const ExperimentSpec& spec)
    : folder_(std::move(folder)) {
  prepareOutputFolder(folder_);
  writeFileAtomically(folder_ / "spec.json", toJson(spec).dump(2) + "\n");
  summary_ = {{"spec", toJson(spec)}, {"state", "preparing"}, {"runs", json::array()}};
  const auto path = folder_ / "metrics.csv";
  metrics_.open(path, std::ios::trunc);
  if (!metrics_) throw InputError("cannot write '" + path.string() + "'");
  metrics_ << "run,setting,step,epoch,metric,value,wall_time\n";
  metrics_.flush();
  writeSummary();
}

void ResultsWriter::writeSummary() {
  writeFileAtomically(folder_ / "summary.json", summary_.dump(2) + "\n");
}

void ResultsWriter::row(int run, int64_t step, int64_t epoch, const char* metric, double value,
                        double wall) {
  char numbers[96];
  std::snprintf(numbers, sizeof numbers, "%.9g,%.4f", value, wall);
  metrics_ << run << ',' << settingKeys_[run] << ',' << step << ',' << epoch << ',' << metric
           << ',' << numbers << '\n';
}

void ResultsWriter::onSessionStarted(const SessionInfo& info) {
  summary_["state"] = "running";
  summary_["device"] = info.device;
  summary_["model"] = info.model;
  summary_["parameters"] = info.parameters;
  summary_["train_images"] = info.trainImages;
  summary_["steps_per_epoch"] = info.stepsPerEpoch;
  summary_["preprocessing"] = info.preprocessing;
  json runs = json::array();
  for (const auto& r : info.runs) {
    settingKeys_[r.run] = r.setting.key();
    RunSummary pending;
    pending.run = r.run;
    pending.setting = r.setting;
    json record = toJson(pending);
    record["corruption"] = r.corruption;
    runs.push_back(record);
  }
  summary_["runs"] = runs;
  writeSummary();
}

void ResultsWriter::onStepLosses(const StepLosses& losses) {
  for (size_t i = 0; i < losses.losses.size(); ++i)
    row(losses.run, losses.firstStep + static_cast<int64_t>(i), losses.epoch, "loss",
        losses.losses[i], losses.wallSeconds);
}

void ResultsWriter::onEpoch(const EpochMetrics& m) {
  const auto put = [&](const char* metric, double value) {
    row(m.run, m.step, m.epoch, metric, value, m.wallSeconds);
  };
  put("train_loss", m.trainLoss);
  put("train_accuracy", m.trainAccuracy);
  if (m.fitCheckAccuracy) put("fit_check_accuracy", *m.fitCheckAccuracy);
  put("test_loss", m.testLoss);
  put("test_accuracy", m.testAccuracy);
  if (m.validationLoss) put("validation_loss", *m.validationLoss);
  if (m.validationAccuracy) put("validation_accuracy", *m.validationAccuracy);
  put("learning_rate", m.learningRate);
  put("images_per_second", m.imagesPerSecond);
  metrics_.flush();

  json& record = summary_["runs"][static_cast<size_t>(m.run)];
  record["status"] = "running";
  record["epochs"] = m.epoch;
  record["steps"] = m.step;
  record["train_accuracy"] = m.trainAccuracy;
  record["test_accuracy"] = m.testAccuracy;
  record["train_loss"] = m.trainLoss;
  record["test_loss"] = m.testLoss;
  record["wall_seconds"] = m.wallSeconds;
  writeSummary();
}

void ResultsWriter::onRunEnded(const RunSummary& run) {
  metrics_.flush();
  json& record = summary_["runs"][static_cast<size_t>(run.run)];
  const json corruption = record.value("corruption", json(""));
  record = toJson(run);
  record["corruption"] = corruption;
  writeSummary();
}

void ResultsWriter::onSessionEnded(const SessionResult& result) {
  metrics_.flush();
  summary_["state"] = "ended";
  summary_["wall_seconds"] = result.wallSeconds;
  if (!result.sweep.empty()) {
    json sweep = json::array();
    for (const auto& p : result.sweep)
      sweep.push_back({{"level", p.level},
                       {"relative_time_to_fit", orNull(p.relativeTimeToFit)},
                       {"test_error", p.testError}});
    summary_["sweep"] = sweep;
  }
  writeSummary();
}

} // namespace genlab::results
