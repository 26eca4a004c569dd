// summary.json as the run reader, `genlab runs`, the JSON export and a resume read it
// (core/results/session_reader.h, run_table.h, metrics_json.h, session_resume.h): the input is
// the summary of a session folder whose spec.json and metrics.csv are well formed.

#include "core/errors.h"
#include "core/results/layout.h"
#include "core/results/metrics_json.h"
#include "core/results/run_table.h"
#include "core/results/session_reader.h"
#include "core/results/session_resume.h"
#include "core/results/spec_json.h"
#include "fuzz_support.h"

#include <nlohmann/json.hpp>

namespace {

using namespace genlab;
namespace fs = std::filesystem;

void writeText(const fs::path& path, const std::string& text) {
  fuzz::writeFile(path, reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

fs::path sessionFolder() {
  const fs::path folder = fuzz::scratchFolder("summary") / "20260101-000000-fuzz";
  fs::create_directories(folder);
  writeText(folder / results::kSpecFile, results::toJson(train::ExperimentSpec{}).dump(2));
  writeText(folder / results::kMetricsFile, std::string(results::kMetricsHeader) + "\n"
            "0,true,1,1,loss,2.3,0.01\n1,random-labels,1,1,loss,2.31,0.02\n"
            "0,true,1,1,train_accuracy,0.25,0.03\n0,true,1,1,test_accuracy,0.2,0.03\n"
            "1,random-labels,1,1,train_accuracy,0.1,0.04\n");
  return folder;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const fs::path folder = sessionFolder();
  fuzz::writeFile(folder / results::kSummaryFile, data, size);

  results::SessionReader reader(folder, /*curves=*/true);
  reader.refresh();
  const results::SessionRecord& record = reader.record();
  const std::vector<results::RunTableRow> rows = results::runTable({&record});
  for (const auto& [format, name] : results::tableFormatNames()) (void)results::formatRunTable(rows, format);
  for (const results::RunRecord& run : record.runs) (void)results::runMatches(record, run, "fitted");

  const fs::path out = folder.parent_path() / "metrics.json";
  try {
    results::writeMetricsJson({{folder, {}}}, out);
  } catch (const InputError& error) {
    fuzz::requireMessage(error);
  }
  (void)results::sessionFinished(folder);
  (void)results::hasCheckpoint(folder);
  try {
    const std::vector<train::RunStart> runs = results::planResume(folder, train::ExperimentSpec{});
    fuzz::require(runs.size() == 2, "a resume plans every run of the spec");
  } catch (const InputError& error) {
    fuzz::requireMessage(error);
  }
  return 0;
}
