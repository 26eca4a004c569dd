#include "core/results/metrics_json.h"

#include "core/errors.h"
#include "core/results/atomic_file.h"
#include "core/results/spec_json.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace genlab::results {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::vector<std::string> splitFields(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (;;) {
    const size_t comma = line.find(',', start);
    fields.push_back(line.substr(start, comma - start));
    if (comma == std::string::npos) return fields;
    start = comma + 1;
  }
}

template <class Number>
Number parse(const std::string& text, const std::string& where) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    throw InputError(where + ": '" + text + "' is not a number");
  return value;
}

} // namespace

json metricsJson(const fs::path& folder) {
  json document = readJsonFile(folder / "summary.json");
  if (!document.is_object() || !document.contains("runs") || !document["runs"].is_array())
    throw InputError("'" + (folder / "summary.json").string() + "' has no \"runs\" array");

  const fs::path csv = folder / "metrics.csv";
  std::ifstream in(csv);
  if (!in) throw InputError("cannot read '" + csv.string() + "'");
  std::string line;
  std::getline(in, line);
  if (line != "run,setting,step,epoch,metric,value,wall_time")
    throw InputError("'" + csv.string() + "' does not start with the tidy metrics header");
  // run -> metric -> columns
  std::map<int, std::map<std::string, json>> series;
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const std::string where = csv.string() + ":" + std::to_string(number);
    const auto fields = splitFields(line);
    if (fields.size() != 7) throw InputError(where + ": expected 7 fields");
    json& columns = series[parse<int>(fields[0], where)][fields[4]];
    if (columns.is_null())
      columns = {{"step", json::array()}, {"epoch", json::array()}, {"value", json::array()}, {"wall_time", json::array()}};
    columns["step"].push_back(parse<int64_t>(fields[2], where));
    columns["epoch"].push_back(parse<int64_t>(fields[3], where));
    columns["value"].push_back(parse<double>(fields[5], where));
    columns["wall_time"].push_back(parse<double>(fields[6], where));
  }
  for (json& run : document["runs"]) {
    const int index = run.value("run", -1);
    json metrics = json::object();
    if (const auto found = series.find(index); found != series.end())
      for (auto& [name, columns] : found->second) metrics[name] = std::move(columns);
    run["metrics"] = std::move(metrics);
  }
  return document;
}

void writeMetricsJson(const fs::path& folder, const fs::path& path) {
  writeFileAtomically(path, metricsJson(folder).dump(1) + "\n");
}

} // namespace genlab::results
