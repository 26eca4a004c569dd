#include "core/results/session_reader.h"

#include "core/corruption/setting.h"
#include "core/errors.h"
#include "core/results/layout.h"
#include "core/results/spec_json.h"
#include "core/results/writer_lock.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <system_error>

namespace genlab::results {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// How long a folder that another machine writes may stay unchanged before its runs count as
/// incomplete, at least (more when epochs take longer).
constexpr double kRemoteHeartbeatSeconds = 120.0;

std::string thisHost() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return {};
  return name;
}

int64_t nowNanoseconds() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string settingName(const std::string& key) {
  try {
    return corruption::parseSetting(key).name();
  } catch (const InputError&) {
    return key;  // a setting of a newer version: its key is all there is
  }
}

template <class T>
std::optional<T> optionalOf(const json& object, const char* key) {
  if (!object.contains(key) || object[key].is_null()) return std::nullopt;
  const json& value = object[key];
  // A number that T cannot hold (1e300 epochs, a fractional run number) is no value: converting
  // it would be undefined behaviour, and what came out was shown as if written.
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    static_assert(std::is_signed_v<T> && sizeof(T) <= sizeof(int64_t));
    if (value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<T>::max()))
      return std::nullopt;
    if (!value.is_number_integer()) return std::nullopt;
    const int64_t number = value.get<int64_t>();
    if (number < std::numeric_limits<T>::min() || number > std::numeric_limits<T>::max()) return std::nullopt;
    return static_cast<T>(number);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!value.is_number()) return std::nullopt;
    const T number = value.get<T>();
    return std::isfinite(number) ? std::optional<T>(number) : std::nullopt;
  } else {
    try {
      return value.get<T>();
    } catch (const json::exception&) {
      return std::nullopt;
    }
  }
}

template <class T>
T valueOf(const json& object, const char* key, T fallback) {
  return optionalOf<T>(object, key).value_or(fallback);
}

void flattenInto(const json& value, const std::string& path,
                 std::vector<std::pair<std::string, std::string>>& out) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items())
      flattenInto(child, path.empty() ? key : path + "." + key, out);
  } else if (value.is_array()) {
    std::string joined;
    for (const auto& item : value) {
      if (!joined.empty()) joined += ',';
      joined += item.is_string() ? item.get<std::string>() : item.dump();
    }
    out.emplace_back(path, joined);
  } else {
    out.emplace_back(path, value.is_string() ? value.get<std::string>() : value.dump());
  }
}

} // namespace

void LossCurve::append(int64_t step, float value) {
  if (stretches_.empty() || stretches_.back().firstStep + static_cast<int64_t>(stretches_.back().count) != step)
    stretches_.push_back({step, values_.size(), 0});
  ++stretches_.back().count;
  values_.push_back(value);
}

void LossCurve::clear() {
  stretches_.clear();
  values_.clear();
}

int64_t LossCurve::step(size_t i) const {
  const auto after = std::upper_bound(stretches_.begin(), stretches_.end(), i,
                                      [](size_t index, const Stretch& s) { return index < s.begin; });
  const Stretch& s = *(after - 1);
  return s.firstStep + static_cast<int64_t>(i - s.begin);
}

std::vector<std::pair<std::string, std::string>> flattenSpec(const json& spec) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!spec.is_null()) flattenInto(spec, "", out);
  return out;
}

SessionReader::SessionReader(fs::path folder, bool curves)
    : curves_(curves), metrics_(folder / kMetricsFile) {
  record_.folder = std::move(folder);
  record_.name = record_.folder.filename().string();
  if (record_.name.empty()) record_.name = record_.folder.parent_path().filename().string();
  record_.curvesRead = curves_;
}

SessionReader::FileStamp SessionReader::stampOf(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return {};
  return {true, static_cast<int64_t>(info.st_size),
          static_cast<int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec};
}

void SessionReader::setCurves(bool curves) {
  if (curves == curves_) return;
  curves_ = curves;
  record_.curvesRead = curves;
  for (RunRecord& run : record_.runs) {
    run.loss.clear();
    run.epochMetrics.clear();
  }
  // Read the table again from its start: rows read without curves were not kept.
  metrics_ = MetricsTail(record_.folder / kMetricsFile);
  metricsStamp_ = {};
  record_.metricRows = 0;
  metricsProblems_.clear();
}

bool SessionReader::refresh() {
  bool changed = false;
  const FileStamp spec = stampOf(record_.folder / kSpecFile);
  if (!(spec == specStamp_)) {
    specStamp_ = spec;
    readSpec();
    changed = true;
  }
  const FileStamp summary = stampOf(record_.folder / kSummaryFile);
  if (!(summary == summaryStamp_)) {
    summaryStamp_ = summary;
    readSummary();
    changed = true;
  }
  const FileStamp metrics = stampOf(record_.folder / kMetricsFile);
  // Without a summary, the table is the only record of which runs there are.
  if (!(metrics == metricsStamp_) && (curves_ || !summaryStamp_.exists)) {
    metricsStamp_ = metrics;
    changed = readMetrics() || changed;
  }
  lastChange_ = std::max({spec.modified, summary.modified, metrics.modified});
  const bool wasLive = record_.live;
  const size_t problems = record_.problems.size();
  settle();
  return changed || wasLive != record_.live || problems != record_.problems.size();
}

void SessionReader::readSpec() {
  specProblems_.clear();
  record_.spec = nullptr;
  if (!specStamp_.exists) return;
  try {
    record_.spec = readJsonFile(record_.folder / kSpecFile);
  } catch (const InputError& error) {
    specProblems_.push_back(firstLine(error.what()));
    return;
  }
  if (!record_.spec.is_object()) {
    specProblems_.push_back("spec.json is not a JSON object");
    record_.spec = nullptr;
    return;
  }
  record_.title = valueOf<std::string>(record_.spec, "name", "");
  record_.dataset = record_.spec.contains("data") ? valueOf<std::string>(record_.spec["data"], "dataset", "") : "";
  if (record_.spec.contains("model"))
    record_.architecture = valueOf<std::string>(record_.spec["model"], "architecture", "");
  try {
    train::ExperimentSpec parsed;
    mergeJson(parsed, record_.spec, "spec.json");
    if (record_.model.empty()) record_.model = models::describe(parsed.model);
    record_.regularizers = train::describeRegularizers(parsed);
  } catch (const InputError& error) {
    // A spec of a newer version (an unknown key) or a damaged one: shown as written.
    specProblems_.push_back(firstLine(error.what()) + " (written by a newer GenLab?)");
  }
}

RunRecord& SessionReader::runAt(int run, std::string_view setting) {
  for (RunRecord& r : record_.runs)
    if (r.run == run) return r;
  RunRecord added;
  added.run = run;
  added.setting = setting;
  added.name = settingName(added.setting);
  record_.runs.push_back(std::move(added));
  std::sort(record_.runs.begin(), record_.runs.end(),
            [](const RunRecord& a, const RunRecord& b) { return a.run < b.run; });
  for (RunRecord& r : record_.runs)
    if (r.run == run) return r;
  return record_.runs.back();  // not reached
}

void SessionReader::readSummary() {
  summaryProblems_.clear();
  summary_ = nullptr;
  if (!summaryStamp_.exists) return;
  try {
    summary_ = readJsonFile(record_.folder / kSummaryFile);
  } catch (const InputError& error) {
    summaryProblems_.push_back(firstLine(error.what()));
    summary_ = nullptr;
    return;
  }
  if (!summary_.is_object()) {
    summaryProblems_.push_back("summary.json is not a JSON object");
    summary_ = nullptr;
    return;
  }
  record_.format = valueOf<int>(summary_, "format", 0);
  if (record_.format > kResultsFormat)
    summaryProblems_.push_back("written by a newer GenLab (results format " + std::to_string(record_.format) +
                               "; this one reads up to " + std::to_string(kResultsFormat) +
                               "): shown as far as understood");
  record_.state = valueOf<std::string>(summary_, "state", "");
  record_.wallSeconds = valueOf<double>(summary_, "wall_seconds", 0.0);
  if (const auto model = optionalOf<std::string>(summary_, "model"); model && !model->empty())
    record_.model = *model;
  if (summary_.contains("writer") && summary_["writer"].is_object()) {
    writerHost_ = valueOf<std::string>(summary_["writer"], "host", "");
    writerPid_ = valueOf<int64_t>(summary_["writer"], "pid", 0);
  }
  if (!summary_.contains("runs") || !summary_["runs"].is_array()) {
    summaryProblems_.push_back("summary.json has no \"runs\" list");
    return;
  }
  for (const json& entry : summary_["runs"]) {
    if (!entry.is_object() || !optionalOf<int>(entry, "run")) {
      summaryProblems_.push_back("summary.json has a run without a number");
      continue;
    }
    RunRecord& run = runAt(entry["run"].get<int>(), valueOf<std::string>(entry, "setting", "?"));
    run.name = valueOf<std::string>(entry, "name", run.name);
    run.corruption = valueOf<std::string>(entry, "corruption", run.corruption);
    const std::string status = valueOf<std::string>(entry, "status", "pending");
    if (const auto known = valueNamed(train::runStatusNames(), status)) {
      run.status = *known;
    } else {
      run.status = train::RunStatus::Pending;
      summaryProblems_.push_back("run " + std::to_string(run.run) + " has the unknown status '" + status + "'");
    }
    run.message = valueOf<std::string>(entry, "message", "");
    // A number of the wrong kind or beyond its field (a damaged or hand-edited file) is left out
    // and named, not shown as if it had been written.
    const auto number = [&]<class T>(const char* key, T) {
      std::optional<T> value = optionalOf<T>(entry, key);
      if (!value && entry.contains(key) && !entry[key].is_null())
        summaryProblems_.push_back("run " + std::to_string(run.run) + "'s " + key + " " + entry[key].dump() +
                                   " is no value it can hold");
      return value;
    };
    run.epochs = number("epochs", int64_t{}).value_or(0);
    run.steps = number("steps", int64_t{}).value_or(0);
    const std::optional<double> train = number("train_accuracy", double{}), test = number("test_accuracy", double{});
    if (run.epochs > 0) {
      run.trainAccuracy = train;
      run.testAccuracy = test;
    }
    run.fitEpoch = number("fit_epoch", int64_t{});
    run.fitStep = number("fit_step", int64_t{});
    run.wallSeconds = number("wall_seconds", double{}).value_or(0.0);
    run.rkhsNorm = optionalOf<double>(entry, "rkhs_norm");
    run.coefficientNorm = optionalOf<double>(entry, "coefficient_norm");
    run.bandwidth = optionalOf<double>(entry, "bandwidth");
  }
}

bool SessionReader::readMetrics() {
  if (!metricsStamp_.exists) return false;
  if (metricsStamp_.size < static_cast<int64_t>(metrics_.offset())) {
    // Replaced by a shorter file: the tail reads it again from its start.
    for (RunRecord& run : record_.runs) {
      run.loss.clear();
      run.epochMetrics.clear();
    }
    record_.metricRows = 0;
  }
  const bool summarized = summaryStamp_.exists && !summary_.is_null();
  const MetricsTail::Result result = metrics_.read([&](const MetricsRow& row) {
    RunRecord& run = runAt(row.run, row.setting);
    if (row.metric == "loss") {
      if (curves_) run.loss.append(row.step, static_cast<float>(row.value));
      if (!summarized) run.steps = std::max(run.steps, row.step);
      return;
    }
    if (curves_) {
      auto found = run.epochMetrics.find(row.metric);
      if (found == run.epochMetrics.end()) found = run.epochMetrics.emplace(std::string(row.metric), EpochSeries{}).first;
      found->second.epochs.push_back(row.epoch);
      found->second.values.push_back(row.value);
    }
    if (!summarized) {
      // No summary: the table says how far each run came.
      run.epochs = std::max(run.epochs, row.epoch);
      run.wallSeconds = std::max(run.wallSeconds, row.wallTime);
      if (row.metric == "train_accuracy") run.trainAccuracy = row.value;
      if (row.metric == "test_accuracy") run.testAccuracy = row.value;
    }
  });
  record_.metricRows += result.rows;
  metricsProblems_.clear();
  if (!result.problem.empty()) {
    std::string problem = result.problem;
    if (metrics_.badLines() > 1) problem += " (" + std::to_string(metrics_.badLines()) + " bad lines skipped)";
    metricsProblems_.push_back(problem);
  }
  return result.rows > 0 || result.restarted || !result.problem.empty();
}

void SessionReader::settle() {
  const bool anything = specStamp_.exists || summaryStamp_.exists || metricsStamp_.exists;
  record_.problems.clear();
  if (!anything) {
    record_.problems.push_back("no GenLab results here (spec.json, metrics.csv, summary.json)");
    record_.live = false;
    return;
  }
  if (!specStamp_.exists) record_.problems.push_back("no spec.json");
  if (!summaryStamp_.exists)
    record_.problems.push_back("no summary.json: the process that wrote it ended before its first record");
  for (const auto* list : {&specProblems_, &summaryProblems_, &metricsProblems_})
    record_.problems.insert(record_.problems.end(), list->begin(), list->end());

  std::error_code ec;
  const bool lockFile = fs::exists(record_.folder / kWriterLockFile, ec);
  if (record_.state == "ended") {
    record_.live = false;
  } else if (lockFile && (writerHost_.empty() || writerHost_ == thisHost())) {
    // Written by this version on this machine (or before its summary said where): the writer's
    // lock says for certain whether it still lives.
    record_.live = WriterLock::held(record_.folder);
  } else {
    // Another machine, or an older folder without a lock: its files must keep changing.
    double perEpoch = 0;
    for (const RunRecord& run : record_.runs)
      if (run.epochs > 0) perEpoch = std::max(perEpoch, run.wallSeconds / static_cast<double>(run.epochs));
    const double heartbeat = kRemoteHeartbeatSeconds + 3.0 * perEpoch * static_cast<double>(std::max<size_t>(record_.runs.size(), 1));
    const double quiet = static_cast<double>(nowNanoseconds() - lastChange_) / 1e9;
    record_.live = WriterLock::held(record_.folder) || quiet < heartbeat;
  }
  if (!record_.live) {
    for (RunRecord& run : record_.runs) {
      if (train::isFinal(run.status)) continue;
      run.status = train::RunStatus::Incomplete;
      run.message = record_.state == "ended" ? "the session ended without recording this run's end"
                                             : "the process writing it ended without recording the run's end";
    }
  }
}

FoundFolders findSessionFolders(const fs::path& root, int maxDepth) {
  FoundFolders found;
  const auto isSession = [](const fs::path& folder) {
    std::error_code ec;
    for (const char* name : {kSpecFile, kSummaryFile, kMetricsFile})
      if (fs::exists(folder / name, ec)) return true;
    return false;
  };
  std::vector<std::pair<fs::path, int>> pending{{root, 0}};
  while (!pending.empty()) {
    const auto [folder, depth] = pending.back();
    pending.pop_back();
    if (isSession(folder)) {
      found.folders.push_back(folder);
      continue;
    }
    if (depth >= maxDepth) continue;
    std::error_code ec;
    fs::directory_iterator entries(folder, ec);
    if (ec) {
      found.problems.push_back("cannot list '" + folder.string() + "': " + ec.message());
      continue;
    }
    for (const auto& entry : entries) {
      std::error_code kind;
      if (entry.is_directory(kind) && entry.path().filename().string().rfind('.', 0) != 0)
        pending.emplace_back(entry.path(), depth + 1);
    }
  }
  std::sort(found.folders.begin(), found.folders.end());
  return found;
}

std::vector<SessionRecord> readSessions(const std::vector<fs::path>& roots, bool curves) {
  std::vector<SessionRecord> sessions;
  for (const fs::path& root : roots) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) {
      SessionRecord missing;
      missing.folder = root;
      missing.name = root.filename().string();
      missing.problems.push_back(fs::exists(root, ec) ? "not a folder" : "no such folder");
      sessions.push_back(std::move(missing));
      continue;
    }
    const FoundFolders found = findSessionFolders(root);
    if (found.folders.empty()) {
      SessionRecord empty;
      empty.folder = root;
      empty.name = root.filename().string();
      empty.problems = found.problems;
      empty.problems.insert(empty.problems.begin(), "no GenLab results here (spec.json, metrics.csv, summary.json)");
      sessions.push_back(std::move(empty));
      continue;
    }
    for (const fs::path& folder : found.folders) {
      SessionReader reader(folder, curves);
      reader.refresh();
      sessions.push_back(reader.record());
    }
  }
  return sessions;
}

} // namespace genlab::results
