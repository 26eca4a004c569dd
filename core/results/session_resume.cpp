#include "core/results/session_resume.h"

#include "core/errors.h"
#include "core/format.h"
#include "core/results/atomic_file.h"
#include "core/results/layout.h"
#include "core/results/metrics_table.h"
#include "core/results/results_writer.h"
#include "core/results/run_record.h"
#include "core/results/spec_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>
#include <system_error>

namespace genlab::results {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// The runs list of the folder's summary.json; null when there is no readable one.
json summaryRuns(const fs::path& folder) {
  std::error_code ec;
  if (!fs::exists(folder / kSummaryFile, ec)) return nullptr;
  try {
    const json summary = readJsonFile(folder / kSummaryFile);
    if (summary.is_object() && summary.contains("runs") && summary["runs"].is_array()) return summary["runs"];
  } catch (const InputError&) {
  }
  return nullptr;
}

/// The runs of the folder's summary.json for a resume, which rewrites that file: null without
/// one. A summary that this GenLab would not have written is refused, naming what is wrong,
/// rather than read in part and overwritten.
json runsToResume(const fs::path& folder) {
  const fs::path path = folder / kSummaryFile;
  std::error_code ec;
  if (!fs::exists(path, ec)) return nullptr;
  const json summary = readJsonFile(path);
  const auto refuse = [&](const std::string& why) { throw InputError(quoted(path) + ": " + why); };
  if (!summary.is_object()) refuse("not a JSON object");
  if (const auto format = summary.find("format"); format != summary.end()) {
    if (!format->is_number_integer()) refuse("\"format\" is not a whole number");
    if (format->get<int64_t>() > kResultsFormat)
      refuse("format " + std::to_string(format->get<int64_t>()) + " is newer than this GenLab's (" +
             std::to_string(kResultsFormat) + "): resume it with the GenLab that wrote it");
  }
  const auto runs = summary.find("runs");
  if (runs == summary.end()) return nullptr;
  if (!runs->is_array()) refuse("\"runs\" is not a list");
  for (const json& record : *runs) {
    if (!record.is_object() || !record.contains("run") || !record["run"].is_number_integer())
      refuse("a run's record has no whole \"run\" number");
    if (!record.contains("setting") || !record["setting"].is_string())
      refuse("run " + std::to_string(record["run"].get<int64_t>()) + " has no \"setting\" text");
    if (record.contains("status") && !record["status"].is_string())
      refuse("run " + std::to_string(record["run"].get<int64_t>()) + "'s \"status\" is not text");
  }
  return *runs;
}

std::optional<train::RunStatus> statusOf(const json& record) {
  if (!record.is_object() || !record.contains("status") || !record["status"].is_string()) return std::nullopt;
  return valueNamed(train::runStatusNames(), record["status"].get<std::string>());
}

std::string readBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError("cannot read '" + path.string() + "'");
  return bytes;
}

} // namespace

bool holdsNoSession(const fs::path& folder) {
  std::error_code ec;
  for (const char* name : {kSpecFile, kMetricsFile, kSummaryFile})
    if (fs::exists(folder / name, ec)) return false;
  return true;
}

bool sessionFinished(const fs::path& folder) {
  const json runs = summaryRuns(folder);
  if (!runs.is_array() || runs.empty()) return false;
  for (const json& record : runs) {
    const auto status = statusOf(record);
    if (!status || !train::reachedOutcome(*status)) return false;
  }
  return true;
}

bool hasCheckpoint(const fs::path& folder) {
  const json runs = summaryRuns(folder);
  const size_t count = runs.is_array() ? runs.size() : 0;
  std::error_code ec;
  for (size_t run = 0; run < std::max<size_t>(count, 1); ++run)
    if (fs::exists(folder / checkpointFileName(static_cast<int>(run)), ec)) return true;
  return false;
}

train::ExperimentSpec readSessionSpec(const fs::path& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw InputError(quoted(folder) + (fs::exists(folder, ec) ? " is not a folder" : " does not exist"));
  if (!fs::exists(folder / kSpecFile, ec))
    throw InputError(quoted(folder) + " has no " + kSpecFile + ": not a session folder written by genlab");
  return loadSpecFile(folder / kSpecFile);
}

void requireSameExperiment(const fs::path& folder, const train::ExperimentSpec& spec) {
  train::ExperimentSpec there = readSessionSpec(folder);
  there.compute = spec.compute;
  if (there == spec) return;
  const auto theirs = flattenSpec(toJson(there));
  const auto ours = flattenSpec(toJson(spec));
  std::string difference = "its spec.json describes another experiment";
  for (const auto& [path, value] : theirs) {
    std::string here = "(none)";
    for (const auto& [p, v] : ours)
      if (p == path) here = v;
    if (here != value) {
      difference = path + " is " + value + " there, " + here + " here";
      break;
    }
  }
  throw InputError(quoted(folder) + " holds another experiment (" + difference +
                   "): resume it with its own spec, or train into a new folder");
}

std::vector<train::RunStart> planResume(const fs::path& folder, const train::ExperimentSpec& spec) {
  requireSameExperiment(folder, spec);
  const auto settings = train::runSettings(spec);
  std::vector<train::RunStart> runs(settings.size());
  const json records = runsToResume(folder);
  if (records.is_array()) {
    for (const json& record : records) {
      const int64_t run = record["run"].get<int64_t>();
      if (run < 0 || static_cast<uint64_t>(run) >= settings.size())
        throw InputError(quoted(folder) + ": summary.json names run " + std::to_string(run) +
                         ", its spec has " + std::to_string(settings.size()) + " runs");
      const std::string setting = record["setting"].get<std::string>();
      if (setting != settings[static_cast<size_t>(run)].key())
        throw InputError(quoted(folder) + ": summary.json's run " + std::to_string(run) + " is '" + setting +
                         "', its spec's is '" + settings[static_cast<size_t>(run)].key() + "'");
      const auto status = statusOf(record);
      if (status && train::reachedOutcome(*status)) try {
          runs[static_cast<size_t>(run)].ended = runSummaryFromJson(record);
        } catch (const InputError& error) {
          throw InputError(quoted(folder / kSummaryFile) + ", run " + std::to_string(run) + ": " + error.what());
        }
    }
  }
  std::error_code ec;
  for (size_t run = 0; run < runs.size(); ++run) {
    const fs::path checkpoint = folder / checkpointFileName(static_cast<int>(run));
    if (runs[run].ended || !fs::exists(checkpoint, ec)) continue;
    runs[run].checkpoint = readBytes(checkpoint);
    // Checkpoints are written whole or not at all (atomically): an empty one was damaged since.
    if (runs[run].checkpoint.empty())
      throw InputError(quoted(checkpoint) + " is empty: remove it to train run " + std::to_string(run) +
                       " again from its start");
  }
  return runs;
}

OpenedFolder openSessionFolder(const fs::path& folder, const train::ExperimentSpec& spec) {
  prepareOutputFolder(folder);
  // Taken before looking: what the folder holds cannot change while this process decides.
  WriterLock lock(folder, WriterLock::Mode::Refuse);
  removeLeftoverTemporaries(folder);  // half-written files of a writer that was killed
  OpenedFolder opened;
  if (holdsNoSession(folder)) {
    opened.writer = std::make_unique<ResultsWriter>(std::move(lock), folder, spec, ResultsWriter::Mode::Fresh);
    return opened;
  }
  opened.runs = planResume(folder, spec);
  const bool finished = std::all_of(opened.runs.begin(), opened.runs.end(),
                                    [](const train::RunStart& run) { return run.ended.has_value(); });
  if (!finished) {
    requireRewritableMetrics(folder / kMetricsFile);
    opened.writer = std::make_unique<ResultsWriter>(std::move(lock), folder, spec, ResultsWriter::Mode::Resume);
  }
  return opened;
}

} // namespace genlab::results
