#include "core/results/metrics_json.h"

#include "core/errors.h"
#include "core/results/atomic_file.h"
#include "core/results/layout.h"
#include "core/results/metrics_table.h"
#include "core/results/spec_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <string>

namespace genlab::results {

namespace fs = std::filesystem;
using nlohmann::json;

json metricsJson(const fs::path& folder) {
  json document = readJsonFile(folder / kSummaryFile);
  if (!document.is_object() || !document.contains("runs") || !document["runs"].is_array())
    throw InputError("'" + (folder / kSummaryFile).string() + "' has no \"runs\" array");

  // run -> metric -> columns; complete rows only (a run still being written may end mid-row).
  std::map<int, std::map<std::string, json, std::less<>>> series;
  MetricsTail tail(folder / kMetricsFile);
  const MetricsTail::Result read = tail.read([&](const MetricsRow& row) {
    auto& metrics = series[row.run];
    auto found = metrics.find(row.metric);
    if (found == metrics.end())
      found = metrics.emplace(std::string(row.metric), json{{"step", json::array()}, {"epoch", json::array()},
                                                            {"value", json::array()}, {"wall_time", json::array()}}).first;
    json& columns = found->second;
    columns["step"].push_back(row.step);
    columns["epoch"].push_back(row.epoch);
    columns["value"].push_back(row.value);
    columns["wall_time"].push_back(row.wallTime);
  });
  if (read.missing) throw InputError("cannot read '" + (folder / kMetricsFile).string() + "': no such file");
  if (!read.problem.empty()) throw InputError("'" + folder.string() + "': " + read.problem);
  for (json& run : document["runs"]) {
    const int index = run.value("run", -1);
    json metrics = json::object();
    if (const auto found = series.find(index); found != series.end())
      for (auto& [name, columns] : found->second) metrics[name] = std::move(columns);
    run["metrics"] = std::move(metrics);
  }
  return document;
}

json metricsJson(const std::vector<FolderRuns>& shown) {
  if (shown.empty()) throw InputError("no run to export");
  const auto one = [](const FolderRuns& session) {
    json document = metricsJson(session.folder);
    if (!session.runs.empty()) {
      json runs = json::array();
      for (json& run : document["runs"])
        if (std::find(session.runs.begin(), session.runs.end(), run.value("run", -1)) != session.runs.end())
          runs.push_back(std::move(run));
      document["runs"] = std::move(runs);
    }
    return document;
  };
  if (shown.size() == 1) return one(shown.front());
  json sessions = json::array();
  for (const FolderRuns& session : shown) {
    json entry = {{"folder", session.folder.string()}, {"name", session.folder.filename().string()}};
    entry.update(one(session));
    sessions.push_back(std::move(entry));
  }
  return {{"sessions", std::move(sessions)}};
}

void writeMetricsJson(const std::vector<FolderRuns>& shown, const fs::path& path) {
  // Folder names and metrics.csv's cells may be any bytes; JSON holds UTF-8 only.
  writeFileAtomically(path, metricsJson(shown).dump(1, ' ', false, json::error_handler_t::replace) + "\n");
}

} // namespace genlab::results
