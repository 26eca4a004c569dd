#include "app/run_commands.h"

#include "app/exit_codes.h"
#include "app/figure_writing.h"
#include "app/options.h"
#include "core/errors.h"
#include "core/results/atomic_file.h"
#include "core/results/run_table.h"
#include "core/results/session_reader.h"
#include "ui/figure_renderer.h"
#include "ui/run_figures.h"

#include <QApplication>

#include <boost/program_options.hpp>

#include <iostream>
#include <sstream>

namespace genlab::app {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

struct Selection {
  std::vector<results::SessionRecord> sessions;
  std::vector<ui::ShownSession> shown;  ///< the runs the filter keeps, by session
  std::vector<results::RunTableRow> rows;
};

Selection select(const std::vector<std::string>& folders, const std::string& filter, bool curves) {
  std::vector<fs::path> roots(folders.begin(), folders.end());
  // A folder named on the command line that is not there is the user's mistake; damaged
  // folders inside one are shown with their reasons instead.
  for (const fs::path& root : roots) {
    std::error_code ec;
    if (!fs::is_directory(root, ec))
      throw InputError("'" + root.string() + "' is " + (fs::exists(root, ec) ? "not a folder" : "no such folder"));
  }
  Selection selection;
  selection.sessions = results::readSessions(roots, curves);
  std::vector<const results::SessionRecord*> kept;
  for (const results::SessionRecord& session : selection.sessions) {
    ui::ShownSession shown{&session, {}};
    for (const results::RunRecord& run : session.runs)
      if (results::runMatches(session, run, filter)) shown.runs.push_back(run.run);
    if (session.runs.empty() && filter.empty()) kept.push_back(&session);  // unreadable: named with its reason
    if (shown.runs.empty()) continue;
    results::SessionRecord only = session;
    std::erase_if(only.runs, [&](const results::RunRecord& run) {
      return std::find(shown.runs.begin(), shown.runs.end(), run.run) == shown.runs.end();
    });
    selection.shown.push_back(shown);
    auto rows = results::runTable({&only});
    selection.rows.insert(selection.rows.end(), rows.begin(), rows.end());
  }
  for (const auto* session : kept) {
    auto rows = results::runTable({session});
    selection.rows.insert(selection.rows.end(), rows.begin(), rows.end());
  }
  return selection;
}

/// Problems of the folders read, one line each on stderr: the table shows the runs, this
/// what kept some of them from being read in full.
void reportProblems(const Selection& selection) {
  for (const results::SessionRecord& session : selection.sessions)
    for (const std::string& problem : session.problems)
      std::cerr << "genlab: " << session.folder.string() << ": " << problem << '\n';
}

po::options_description commonOptions(const char* caption) {
  po::options_description options(caption);
  options.add_options()
      ("help,h", "show this help and exit")
      ("folders", po::value<std::vector<std::string>>()->composing(), "results folders (any depth)")
      ("filter", po::value<std::string>(), "only runs whose setting, status, session, model or spec "
       "value contains this text (case-insensitive), e.g. random, width=2048");
  return options;
}

po::variables_map parseFolderWords(int argc, const char* const* argv, const po::options_description& options) {
  po::positional_options_description positional;
  positional.add("folders", -1);
  return parseCommandWords(argc, argv, 1, options, positional);
}

int runs(int argc, const char* const* argv) {
  po::options_description options = commonOptions("genlab runs DIR... [options]: the runs of results folders as a table");
  options.add_options()("format", po::value<std::string>()->default_value("text"),
                        ("table format: " + listNames(results::tableFormatNames())).c_str());
  const po::variables_map values = parseFolderWords(argc, argv, options);
  if (values.count("help")) {
    std::cout << options << '\n';
    return kExitSuccess;
  }
  if (!values.count("folders")) throw UsageError("genlab runs: name at least one results folder");
  const std::string formatName = values["format"].as<std::string>();
  const auto format = valueNamed(results::tableFormatNames(), formatName);
  if (!format) throw UsageError("--format: '" + formatName + "' is not one of " + listNames(results::tableFormatNames()));
  const Selection selection = select(values["folders"].as<std::vector<std::string>>(),
                                     values.count("filter") ? values["filter"].as<std::string>() : "", false);
  reportProblems(selection);
  std::cout << results::formatRunTable(selection.rows, *format);
  return kExitSuccess;
}

int report(int argc, const char* const* argv) {
  po::options_description options = commonOptions(
      "genlab report DIR... --export FORMATS --out DIR [options]: figures and the run table from results folders");
  options.add_options()
      ("export", po::value<std::string>(), "what to write: figures as png, jpg, pdf, svg; the run table as "
       "md, tsv, csv, tex, json")
      ("out", po::value<std::string>(), "folder to write into (created if needed)");
  addFigureOptions(options);
  const po::variables_map values = parseFolderWords(argc, argv, options);
  if (values.count("help")) {
    std::cout << options << '\n';
    return kExitSuccess;
  }
  if (!values.count("folders")) throw UsageError("genlab report: name at least one results folder");
  if (!values.count("out")) throw UsageError("genlab report: --out DIR names where the report goes");
  if (!values.count("export")) throw UsageError("genlab report: --export names what to write, e.g. png,md");
  std::vector<std::string> figureFormats;
  std::vector<results::TableFormat> tableFormats;
  std::stringstream list(values["export"].as<std::string>());
  for (std::string format; std::getline(list, format, ',');) {
    if (ui::figureFormats().contains(QString::fromStdString(format))) figureFormats.push_back(format);
    else if (const auto table = valueNamed(results::tableFormatNames(), format); table && *table != results::TableFormat::Text)
      tableFormats.push_back(*table);
    else throw UsageError("--export: '" + format + "' is not one of png, jpg, pdf, svg, md, tsv, csv, tex, json");
  }
  const FigureOptions figure = figureOptions(values);
  const fs::path out = values["out"].as<std::string>();
  results::prepareOutputFolder(out);

  const bool curves = !figureFormats.empty();
  const Selection selection = select(values["folders"].as<std::vector<std::string>>(),
                                     values.count("filter") ? values["filter"].as<std::string>() : "", curves);
  reportProblems(selection);
  if (selection.shown.empty()) throw InputError("no run to report: the folders hold none that the filter keeps");
  for (const results::TableFormat format : tableFormats) {
    const fs::path path = out / ("runs." + std::string(nameOf(results::tableFormatNames(), format)));
    results::writeFileAtomically(path, results::formatRunTable(selection.rows, format));
    std::cout << "table: " << path.string() << '\n';
  }
  if (!figureFormats.empty()) {
    const ui::FigureData data = ui::composeFigures({}, selection.shown);
    writeFigures(data, out, figureFormats, figure);
  }
  return kExitSuccess;
}

} // namespace

bool isRunCommand(int argc, const char* const* argv) {
  if (argc < 2) return false;
  const std::string command = argv[1];
  return command == "runs" || command == "report";
}

int runRunCommand(int argc, const char* const* argv) {
  const std::string command = argv[1];
  return command == "runs" ? runs(argc, argv) : report(argc, argv);
}

} // namespace genlab::app
