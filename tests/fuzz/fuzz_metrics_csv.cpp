// metrics.csv as the run reader, `genlab runs` and the exports read it (core/results/
// metrics_table.h, session_reader.h, run_table.h): the input is the table of a session folder
// whose spec.json and summary.json are well formed.

#include "core/errors.h"
#include "core/results/layout.h"
#include "core/results/metrics_json.h"
#include "core/results/metrics_table.h"
#include "core/results/run_table.h"
#include "core/results/session_reader.h"
#include "core/results/spec_json.h"
#include "fuzz_support.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <tuple>

namespace {

using namespace genlab;
namespace fs = std::filesystem;

using RowKey = std::tuple<int, std::string, int64_t, int64_t, std::string, uint64_t, uint64_t>;

/// A row as a value, doubles by their bits (a NaN equals itself).
RowKey keyOf(const results::MetricsRow& row) {
  uint64_t value = 0, wall = 0;
  std::memcpy(&value, &row.value, sizeof value);
  std::memcpy(&wall, &row.wallTime, sizeof wall);
  return {row.run, std::string(row.setting), row.step, row.epoch, std::string(row.metric), value, wall};
}

std::vector<RowKey> readRows(results::MetricsTail& tail) {
  std::vector<RowKey> rows;
  tail.read([&](const results::MetricsRow& row) { rows.push_back(keyOf(row)); });
  return rows;
}

fs::path sessionFolder() {
  const fs::path folder = fuzz::scratchFolder("metrics") / "20260101-000000-fuzz";
  fs::create_directories(folder);
  const std::string spec = results::toJson(train::ExperimentSpec{}).dump(2);
  fuzz::writeFile(folder / results::kSpecFile, reinterpret_cast<const uint8_t*>(spec.data()), spec.size());
  const std::string summary = R"({"format": 1, "state": "ended", "wall_seconds": 2.5, "runs": [
    {"run": 0, "setting": "true", "status": "finished", "epochs": 2, "steps": 8,
     "train_accuracy": 0.5, "test_accuracy": 0.25, "wall_seconds": 1.5},
    {"run": 1, "setting": "random-labels", "status": "fitted", "epochs": 3, "steps": 12,
     "train_accuracy": 1, "test_accuracy": 0.1, "fit_epoch": 3, "fit_step": 12}]})";
  fuzz::writeFile(folder / results::kSummaryFile, reinterpret_cast<const uint8_t*>(summary.data()), summary.size());
  return folder;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const fs::path folder = sessionFolder();
  const fs::path metrics = folder / results::kMetricsFile;

  // Read as it grows (its first half, then all of it) and at once: the same rows, each once.
  fuzz::writeFile(metrics, data, size / 2);
  results::MetricsTail growing(metrics);
  std::vector<RowKey> inParts = readRows(growing);
  fuzz::writeFile(metrics, data, size);
  const std::vector<RowKey> more = readRows(growing);
  inParts.insert(inParts.end(), more.begin(), more.end());
  results::MetricsTail whole(metrics);
  const std::vector<RowKey> atOnce = readRows(whole);
  fuzz::require(inParts == atOnce, "a growing table delivers the rows of the whole, each once");

  // The run reader, the run table in every format and the filter, as `genlab runs` uses them.
  results::SessionReader reader(folder, /*curves=*/true);
  reader.refresh();
  const results::SessionRecord& record = reader.record();
  fuzz::require(record.metricRows == static_cast<int64_t>(atOnce.size()), "the reader counts every row");
  const std::vector<results::RunTableRow> rows = results::runTable({&record});
  for (const auto& [format, name] : results::tableFormatNames()) (void)results::formatRunTable(rows, format);
  for (const results::RunRecord& run : record.runs) (void)results::runMatches(record, run, "random");

  // The exports of the runs shown, and the cut a resume makes.
  const fs::path out = folder.parent_path() / "export";
  try {
    results::exportMetricsCsv({{folder, {}}}, out);
    results::writeMetricsJson({{folder, {0}}}, out);
  } catch (const InputError& error) {
    fuzz::requireMessage(error);
  }
  try {
    results::cutMetricsAfter(metrics, {{0, 1}, {1, 0}});
    results::MetricsTail cut(metrics);
    for (const RowKey& row : readRows(cut)) {
      const int run = std::get<0>(row);
      const int64_t epoch = std::get<3>(row);
      fuzz::require(!(run == 0 && epoch > 1) && !(run == 1 && epoch > 0), "no row past the cut");
    }
  } catch (const InputError& error) {
    fuzz::requireMessage(error);
  }
  return 0;
}
