#include "core/results/results_writer.h"

#include "core/errors.h"
#include "core/results/atomic_file.h"
#include "core/results/json_optional.h"
#include "core/results/layout.h"
#include "core/results/memorization_file.h"
#include "core/results/metrics_table.h"
#include "core/results/spec_json.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace genlab::results {

using nlohmann::json;
using namespace genlab::train;

json toJson(const RunSummary& run) {
  json record = {{"run", run.run},
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
  // Closed-form runs only: a network's record stays as it was.
  if (run.rkhsNorm) record["rkhs_norm"] = *run.rkhsNorm;
  if (run.coefficientNorm) record["coefficient_norm"] = *run.coefficientNorm;
  if (run.bandwidth) record["bandwidth"] = *run.bandwidth;
  return record;
}

RunSummary runSummaryFromJson(const json& record) {
  try {
    RunSummary run;
    run.run = record.at("run").get<int>();
    run.setting = corruption::parseSetting(record.at("setting").get<std::string>());
    const std::string status = record.at("status").get<std::string>();
    const auto known = valueNamed(runStatusNames(), status);
    if (!known) throw InputError("unknown status '" + status + "'");
    run.status = *known;
    run.message = record.value("message", std::string());
    run.epochs = record.value("epochs", int64_t{0});
    run.steps = record.value("steps", int64_t{0});
    run.trainAccuracy = record.value("train_accuracy", 0.0);
    run.testAccuracy = record.value("test_accuracy", 0.0);
    run.trainLoss = record.value("train_loss", 0.0);
    run.testLoss = record.value("test_loss", 0.0);
    run.fitEpoch = presentOrNull<int64_t>(record, "fit_epoch");
    run.fitStep = presentOrNull<int64_t>(record, "fit_step");
    run.earlyStopEpoch = presentOrNull<int64_t>(record, "early_stop_epoch");
    run.wallSeconds = record.value("wall_seconds", 0.0);
    run.imagesPerSecond = record.value("images_per_second", 0.0);
    run.rkhsNorm = presentOrNull<double>(record, "rkhs_norm");
    run.coefficientNorm = presentOrNull<double>(record, "coefficient_norm");
    run.bandwidth = presentOrNull<double>(record, "bandwidth");
    return run;
  } catch (const json::exception& error) {
    throw InputError(std::string("a run's record in summary.json cannot be read: ") + error.what());
  }
}

namespace {

/// Throws unless `folder` holds no results yet.
void requireNoResults(const std::filesystem::path& folder) {
  for (const char* name : {kSpecFile, kMetricsFile, kSummaryFile})
    if (std::filesystem::exists(folder / name))
      throw InputError("'" + folder.string() + "' already holds results (" + name +
                       "): results are never overwritten; choose a new folder");
}

/// Creates `folder` if needed and takes its writer lock, for a new session. A folder with
/// results is refused before waiting for its lock (its writer may hold it for hours).
WriterLock lockNewFolder(const std::filesystem::path& folder) {
  prepareOutputFolder(folder);
  requireNoResults(folder);
  return WriterLock(folder);
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
    : ResultsWriter(lockNewFolder(folder), folder, spec, Mode::Fresh) {}

ResultsWriter::ResultsWriter(WriterLock lock, std::filesystem::path folder, const ExperimentSpec& spec,
                             Mode mode)
    : folder_(std::move(folder)), lock_(std::move(lock)), mode_(mode) {
  summary_ = {{"format", kResultsFormat},
              {"writer", {{"program", "genlab " GENLAB_VERSION}, {"host", hostName()}, {"pid", ::getpid()}}},
              {"spec", toJson(spec)},
              {"state", "preparing"},
              {"runs", json::array()}};
  if (mode_ == Mode::Resume) {
    try {
      const json previous = readJsonFile(folder_ / kSummaryFile);
      if (previous.is_object() && previous.contains("runs") && previous["runs"].is_array())
        previousRuns_ = previous["runs"];
    } catch (const InputError&) {
      // No summary (the writer died before its first record) or a damaged one: no run had ended.
    }
    return;
  }
  requireNoResults(folder_);
  // spec.json first: a process killed between the two leaves a folder that resumes from the
  // start, not one without its experiment.
  writeFileAtomically(folder_ / kSpecFile, toJson(spec).dump(2) + "\n");
  metrics_.emplace(folder_ / kMetricsFile);
  metrics_->append(std::string(kMetricsHeader) + "\n");
  metrics_->sync();
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

void ResultsWriter::syncMetrics() {
  if (metrics_) metrics_->sync();
}

const json* ResultsWriter::previousRecord(int run) const {
  if (!previousRuns_.is_array()) return nullptr;
  for (const json& record : previousRuns_)
    if (record.is_object() && record.contains("run") && record["run"] == run) return &record;
  return nullptr;
}

void ResultsWriter::continueMetrics(const SessionInfo& info) {
  std::map<int, int64_t> lastEpoch;
  for (const RunInfo& run : info.runs)
    if (run.resumedFromEpoch) lastEpoch[run.run] = *run.resumedFromEpoch;
  cutMetricsAfter(folder_ / kMetricsFile, lastEpoch);
  metrics_.emplace(folder_ / kMetricsFile, DurableAppendFile::Mode::Continue);
}

void ResultsWriter::row(int run, int64_t step, int64_t epoch, const char* metric, double value,
                        double wall) {
  char line[256];
  std::snprintf(line, sizeof line, "%d,%s,%lld,%lld,%s,%.9g,%.4f\n", run, settingKeys_[run].c_str(),
                static_cast<long long>(step), static_cast<long long>(epoch), metric, value, wall);
  metrics_->append(line);
}

void ResultsWriter::discardUnstarted() {
  if (mode_ != Mode::Fresh || summary_["state"] != "preparing") return;
  metrics_.reset();
  lock_.release();
  std::error_code ec;
  for (const char* name : {kSpecFile, kMetricsFile, kSummaryFile, kWriterLockFile})
    std::filesystem::remove(folder_ / name, ec);
  std::filesystem::remove(folder_, ec);  // only when empty
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
    if (mode_ == Mode::Resume) continueMetrics(info);
    json runs = json::array();
    for (const auto& r : info.runs) {
      settingKeys_[r.run] = r.setting.key();
      const json* before = previousRecord(r.run);
      if (mode_ == Mode::Resume && !r.resumedFromEpoch && before != nullptr) {
        runs.push_back(*before);  // it had reached its outcome: kept as it was
        continue;
      }
      RunSummary start = r.start;  // pending for a new run
      start.run = r.run;
      start.setting = r.setting;
      json record = toJson(start);
      record["corruption"] = r.corruption;
      if (r.resumedFromEpoch) {
        json resumed = json::array();
        if (before != nullptr && before->contains("resumed_from_epoch") && (*before)["resumed_from_epoch"].is_array())
          resumed = (*before)["resumed_from_epoch"];
        resumed.push_back(*r.resumedFromEpoch);
        record["resumed_from_epoch"] = resumed;
        if (*r.resumedFromEpoch > 0) record["checkpoint_epoch"] = *r.resumedFromEpoch;
      }
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
    if (m.fittedClean) put("fitted_clean", *m.fittedClean);
    if (m.fittedCorrupted) put("fitted_corrupted", *m.fittedCorrupted);
    if (m.capacity)
      for (const auto& [name, value] : train::capacityMetrics(*m.capacity)) put(name.c_str(), value);
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

void ResultsWriter::onCheckpoint(const Checkpoint& checkpoint) {
  guarded([&] {
    writeFileAtomically(folder_ / checkpointFileName(checkpoint.run), checkpoint.state);
    summary_["runs"][static_cast<size_t>(checkpoint.run)]["checkpoint_epoch"] = checkpoint.epoch;
  }, false);
}

void ResultsWriter::onMemorization(const MemorizationRecord& record) {
  guarded([&] { writeFileAtomically(folder_ / memorizationFileName(record.run), memorizationCsv(record)); }, false);
}

void ResultsWriter::onRunEnded(const RunSummary& run) {
  guarded([&] {
    syncMetrics();
    // Updated in place: the corruption, checkpoint and resume entries stay.
    json& record = summary_["runs"][static_cast<size_t>(run.run)];
    const json fresh = toJson(run);
    for (const auto& [key, value] : fresh.items()) record[key] = value;
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
