#include "core/results/run_table.h"

#include "core/format.h"
#include "core/results/json_optional.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace genlab::results {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool contains(std::string_view haystack, const std::string& needle) {
  return lower(haystack).find(needle) != std::string::npos;
}

std::string percentOr(const std::optional<double>& value) { return value ? fixed(100.0 * *value, 2) : "-"; }

std::string wallTime(double seconds) {
  // A damaged summary's time (negative, or beyond a century) is no time to print.
  if (!(seconds >= 0 && seconds < 3.2e9)) return "-";
  const auto total = static_cast<long long>(seconds + 0.5);
  char text[32];
  if (total >= 3600) std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60, total % 60);
  else std::snprintf(text, sizeof text, "%lld:%02lld", total / 60, total % 60);
  return text;
}

struct Column {
  const char* title;
  std::string (*cell)(const RunTableRow&);
};

const std::vector<Column>& columns() {
  static const std::vector<Column> list = {
      {"session", [](const RunTableRow& r) { return r.session; }},
      {"model", [](const RunTableRow& r) { return r.model; }},
      {"regularizers", [](const RunTableRow& r) { return r.regularizers; }},
      {"setting", [](const RunTableRow& r) { return r.name; }},
      {"status", [](const RunTableRow& r) { return r.status; }},
      {"epochs", [](const RunTableRow& r) { return std::to_string(r.epochs); }},
      {"train %", [](const RunTableRow& r) { return percentOr(r.trainAccuracy); }},
      {"test %", [](const RunTableRow& r) { return percentOr(r.testAccuracy); }},
      {"epoch fitted", [](const RunTableRow& r) { return r.epochFitted ? std::to_string(*r.epochFitted) : std::string("-"); }},
      {"wall time", [](const RunTableRow& r) { return wallTime(r.wallSeconds); }},
  };
  return list;
}

std::string escaped(const std::string& text, TableFormat format) {
  std::string out;
  for (const char c : text) {
    // A line break (a folder may be named with one) would split the row in every format but CSV.
    if (format != TableFormat::Csv && (c == '\n' || c == '\r' || (format == TableFormat::Tsv && c == '\t'))) {
      out += ' ';
      continue;
    }
    if (format == TableFormat::Latex) {
      // LaTeX's ten special characters: three need a command of their own.
      if (c == '\\') out += "\\textbackslash{}";
      else if (c == '~') out += "\\textasciitilde{}";
      else if (c == '^') out += "\\textasciicircum{}";
      else if (c == '&' || c == '%' || c == '_' || c == '#' || c == '$' || c == '{' || c == '}') out += {'\\', c};
      else out += c;
      continue;
    }
    if (format == TableFormat::Markdown && c == '|') out += '\\';
    out += c;
  }
  if (format == TableFormat::Csv && text.find_first_of(",\"\n") != std::string::npos) {
    std::string quoted = "\"";
    for (const char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
  }
  return out;
}

} // namespace

std::vector<RunTableRow> runTable(const std::vector<const SessionRecord*>& sessions) {
  return runTable(sessions, {});
}

std::vector<RunTableRow> runTable(const std::vector<const SessionRecord*>& sessions,
                                  const std::function<bool(const SessionRecord&, const RunRecord&)>& keep) {
  std::vector<RunTableRow> rows;
  for (const SessionRecord* session : sessions) {
    const std::string reason = session->problems.empty() ? std::string() : session->problems.front();
    if (session->runs.empty() && !keep) {
      RunTableRow row;
      row.folder = session->folder.string();
      row.session = session->name;
      row.model = session->model;
      // A session without runs: one that prepares (or was killed while it prepared), or one
      // whose records cannot be read.
      if (reason.empty() && session->state == "preparing") {
        row.status = session->live ? "preparing" : "incomplete";
        row.reason = session->live ? "" : "stopped while preparing, before any run started";
      } else {
        row.status = "unreadable";
        row.reason = reason.empty() ? "no run records" : reason;
      }
      rows.push_back(row);
      continue;
    }
    for (const RunRecord& run : session->runs) {
      if (keep && !keep(*session, run)) continue;
      RunTableRow row;
      row.folder = session->folder.string();
      row.session = session->name;
      row.run = run.run;
      row.model = session->model;
      row.architecture = session->architecture;
      row.regularizers = session->regularizers;
      row.setting = run.setting;
      row.name = run.name;
      row.status = std::string(nameOf(train::runStatusNames(), run.status));
      row.reason = !run.message.empty() ? run.message : reason;
      row.epochs = run.epochs;
      row.trainAccuracy = run.trainAccuracy;
      row.testAccuracy = run.testAccuracy;
      row.epochFitted = run.fitEpoch;
      row.wallSeconds = run.wallSeconds;
      row.rkhsNorm = run.rkhsNorm;
      row.coefficientNorm = run.coefficientNorm;
      rows.push_back(row);
    }
  }
  return rows;
}

std::span<const NamedValue<TableFormat>> tableFormatNames() {
  static constexpr NamedValue<TableFormat> table[] = {
      {TableFormat::Text, "text"}, {TableFormat::Markdown, "md"}, {TableFormat::Tsv, "tsv"},
      {TableFormat::Csv, "csv"},   {TableFormat::Latex, "tex"},   {TableFormat::Json, "json"}};
  return table;
}

std::string formatRunTable(const std::vector<RunTableRow>& rows, TableFormat format) {
  if (format == TableFormat::Json) {
    nlohmann::json list = nlohmann::json::array();
    for (const RunTableRow& r : rows)
      list.push_back({{"folder", r.folder}, {"session", r.session}, {"run", r.run}, {"setting", r.setting},
                      {"name", r.name}, {"model", r.model}, {"architecture", r.architecture},
                      {"regularizers", r.regularizers}, {"status", r.status}, {"reason", r.reason},
                      {"epochs", r.epochs}, {"train_accuracy", orNull(r.trainAccuracy)},
                      {"test_accuracy", orNull(r.testAccuracy)}, {"epoch_fitted", orNull(r.epochFitted)},
                      {"wall_seconds", r.wallSeconds}, {"rkhs_norm", orNull(r.rkhsNorm)},
                      {"coefficient_norm", orNull(r.coefficientNorm)}});
    // Folder names and metrics.csv's cells may be any bytes; JSON holds UTF-8 only.
    return list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  const auto& cols = columns();
  std::vector<std::vector<std::string>> cells;
  for (const RunTableRow& r : rows) {
    std::vector<std::string> line;
    for (const Column& c : cols) line.push_back(escaped(c.cell(r), format));
    cells.push_back(std::move(line));
  }
  std::string out;
  const auto joined = [&](const std::vector<std::string>& line, const std::string& separator) {
    std::string text;
    for (size_t i = 0; i < line.size(); ++i) text += (i ? separator : "") + line[i];
    return text;
  };
  std::vector<std::string> titles;
  for (const Column& c : cols) titles.push_back(escaped(c.title, format));
  switch (format) {
  case TableFormat::Text: {
    std::vector<size_t> width(cols.size());
    for (size_t i = 0; i < cols.size(); ++i) {
      width[i] = titles[i].size();
      for (const auto& line : cells) width[i] = std::max(width[i], line[i].size());
    }
    const auto aligned = [&](const std::vector<std::string>& line) {
      std::string text;
      for (size_t i = 0; i < line.size(); ++i)
        text += (i ? "  " : "") + line[i] + (i + 1 < line.size() ? std::string(width[i] - line[i].size(), ' ') : "");
      return text + "\n";
    };
    out += aligned(titles);
    for (const auto& line : cells) out += aligned(line);
    break;
  }
  case TableFormat::Markdown:
    out += "| " + joined(titles, " | ") + " |\n|";
    for (size_t i = 0; i < cols.size(); ++i) out += "---|";
    out += "\n";
    for (const auto& line : cells) out += "| " + joined(line, " | ") + " |\n";
    break;
  case TableFormat::Tsv:
  case TableFormat::Csv: {
    const std::string separator = format == TableFormat::Tsv ? "\t" : ",";
    out += joined(titles, separator) + "\n";
    for (const auto& line : cells) out += joined(line, separator) + "\n";
    break;
  }
  case TableFormat::Latex:
    out += "\\begin{tabular}{" + std::string(cols.size(), 'l') + "}\n\\toprule\n" + joined(titles, " & ") +
           " \\\\\n\\midrule\n";
    for (const auto& line : cells) out += joined(line, " & ") + " \\\\\n";
    out += "\\bottomrule\n\\end{tabular}\n";
    break;
  case TableFormat::Json:
    break;
  }
  return out;
}

bool runMatches(const SessionRecord& session, const RunRecord& run, std::string_view text) {
  if (text.empty()) return true;
  const std::string needle = lower(text);
  for (const std::string* field : {&run.setting, &run.name, &session.name, &session.title, &session.model,
                                   &session.architecture, &session.regularizers})
    if (contains(*field, needle)) return true;
  if (contains(nameOf(train::runStatusNames(), run.status), needle)) return true;
  // The session's list of settings is every run's; a run matches by its own setting above.
  for (const auto& [path, value] : flattenSpec(session.spec))
    if (path != "settings" && path != "sweep_levels" && contains(path + "=" + value, needle)) return true;
  return false;
}

} // namespace genlab::results
