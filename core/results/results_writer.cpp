#include "core/results/results_writer.h"

#include "core/errors.h"
#include "core/results/atomic_file.h"
#include "core/results/layout.h"
#include "core/results/spec_json.h"

#include <unistd.h>

#include <chrono>
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

namespace {

/// The folder, created if needed, after checking that it holds no results yet.
std::filesystem::path freshFolder(std::filesystem::path folder) {
  prepareOutputFolder(folder);
  for (const char* name : {kSpecFile, kMetricsFile, kSummaryFile})
    if (std::filesystem::exists(folder / name))
      throw InputError("'" + folder.string() + "' already holds results (" + name +
                       "): results are never overwritten; choose a new folder");
  return folder;
}

std::string hostName() {
  char name[256] = {};
  return ::gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string();
}

int64_t unixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

} // namespace

ResultsWriter::ResultsWriter(std::filesystem::path folder, const ExperimentSpec& spec)
    : folder_(freshFolder(std::move(folder))), lock_(folder_), metrics_(folder_ / kMetricsFile) {
  writeFileAtomically(folder_ / kSpecFile, toJson(spec).dump(2) + "\n");
  summary_ = {{"format", kResultsFormat},
              {"writer", {{"program", "genlab " GENLAB_VERSION}, {"host", hostName()}, {"pid", ::getpid()}}},
              {"spec", toJson(spec)},
              {"state", "preparing"},
              {"runs", json::array()}};
  metrics_.append(std::string(kMetricsHeader) + "\n");
  metrics_.sync();
  writeSummary();
}

template <class F>
void ResultsWriter::guarded(F&& write, bool quiet) {
  if (failure_) {
    if (quiet) return;
    throw InputError(*failure_);
  }
  try {
    write();
  } catch (const InputError& error) {
    failure_ = std::string("results could not be written: ") + error.what();
    if (!quiet) throw InputError(*failure_);
  }
}

void ResultsWriter::writeSummary() {
  summary_["updated_at"] = unixSeconds();
  writeFileAtomically(folder_ / kSummaryFile, summary_.dump(2) + "\n");
}

void ResultsWriter::syncMetrics() { metrics_.sync(); }

void ResultsWriter::row(int run, int64_t step, int64_t epoch, const char* metric, double value,
                        double wall) {
  char line[256];
  std::snprintf(line, sizeof line, "%d,%s,%lld,%lld,%s,%.9g,%.4f\n", run, settingKeys_[run].c_str(),
                static_cast<long long>(step), static_cast<long long>(epoch), metric, value, wall);
  metrics_.append(line);
}

void ResultsWriter::onSessionStarted(const SessionInfo& info) {
  guarded([&] {
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
  }, false);
}

void ResultsWriter::onStepLosses(const StepLosses& losses) {
  guarded([&] {
    for (size_t i = 0; i < losses.losses.size(); ++i)
      row(losses.run, losses.firstStep + static_cast<int64_t>(i), losses.epoch, "loss",
          losses.losses[i], losses.wallSeconds);
  }, false);
}

void ResultsWriter::onEpoch(const EpochMetrics& m) {
  guarded([&] {
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
    syncMetrics();

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
  }, false);
}

void ResultsWriter::onRunEnded(const RunSummary& run) {
  guarded([&] {
    syncMetrics();
    json& record = summary_["runs"][static_cast<size_t>(run.run)];
    const json corruption = record.value("corruption", json(""));
    record = toJson(run);
    record["corruption"] = corruption;
    writeSummary();
  }, true);
}

void ResultsWriter::onSessionEnded(const SessionResult& result) {
  guarded([&] {
    syncMetrics();
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
  }, true);
  lock_.release();
}

} // namespace genlab::results
