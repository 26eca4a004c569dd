#pragma once
/// The runs of session folders as a table like the paper's Table 1 (model, regularizers,
/// setting, train and test accuracy, epochs to fit, wall time), in the formats the terminal and
/// the window offer, and the text filter both use.

#include "core/results/run_record.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace genlab::results {

/// One run as a row.
struct RunTableRow {
  std::string folder;   ///< the session folder's path
  std::string session;  ///< its name
  int run = 0;
  std::string model;
  std::string architecture;
  std::string regularizers;
  std::string setting;  ///< the setting's key
  std::string name;     ///< the setting in words
  std::string status;   ///< "fitted", "incomplete", ...
  std::string reason;   ///< the first problem of the folder, or why the run ended
  int64_t epochs = 0;
  std::optional<double> trainAccuracy;
  std::optional<double> testAccuracy;
  std::optional<int64_t> epochFitted;
  double wallSeconds = 0;
  std::optional<double> rkhsNorm;         ///< closed-form runs (RunRecord); JSON format only
  std::optional<double> coefficientNorm;
};

/// A row per run, in the sessions' order; a session with no runs (an empty or unreadable
/// folder) gives one row with its reason.
std::vector<RunTableRow> runTable(const std::vector<const SessionRecord*>& sessions);
/// The same for the runs `keep` accepts (a session with none left gives no row).
std::vector<RunTableRow> runTable(const std::vector<const SessionRecord*>& sessions,
                                  const std::function<bool(const SessionRecord&, const RunRecord&)>& keep);

enum class TableFormat {
  Text,      ///< aligned columns for a terminal
  Markdown,  ///< a GitHub table
  Tsv,
  Csv,
  Latex,     ///< a tabular for a paper, booktabs rules
  Json,      ///< a list of runs, one object each
};
/// "text", "md", "tsv", "csv", "tex", "json".
std::span<const NamedValue<TableFormat>> tableFormatNames();

std::string formatRunTable(const std::vector<RunTableRow>& rows, TableFormat format);

/// Whether `text` (case-insensitive; empty matches all) occurs in the run's setting (key or
/// words), status, the session's name or title, model, architecture, or any value of its spec
/// ("width=2048", "2048", "sgd") apart from the list of settings (each run matches by its own).
bool runMatches(const SessionRecord& session, const RunRecord& run, std::string_view text);

} // namespace genlab::results
