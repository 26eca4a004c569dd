#include "app/data_commands.h"

#include "app/exit_codes.h"
#include "app/options.h"
#include "app/signal_scope.h"
#include "core/datasets/catalog.h"
#include "core/datasets/fetch.h"
#include "core/errors.h"
#include "core/format.h"

#include <boost/program_options.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace genlab::app {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

std::atomic<bool> cancelRequested{false};
extern "C" void onCancel(int) { cancelRequested = true; }

std::string datasetNames() {
  std::string names;
  for (const auto& dataset : datasets::knownDatasets())
    names += (names.empty() ? "" : ", ") + std::string(data::toString(dataset.kind));
  return names;
}

data::DatasetKind datasetNamed(const std::string& name) {
  const auto kind = valueNamed(data::datasetKindNames(), name);
  if (!kind || !datasets::knownDataset(*kind)) throw UsageError("'" + name + "' is not a data set GenLab fetches: " + datasetNames());
  return *kind;
}

/// A progress line: on a terminal one line redrawn in place; piped, one line per tenth.
class ProgressLine {
public:
  ProgressLine() : terminal_(isatty(STDERR_FILENO) != 0) {}
  void show(const datasets::FetchProgress& progress) {
    const auto& t = progress.transfer;
    const double fraction = t.total && *t.total > 0 ? double(t.received) / double(*t.total) : 0.0;
    const double rate = t.seconds > 0 ? double(t.received - t.resumedFrom) / t.seconds : 0.0;
    std::ostringstream line;
    line << progress.file;
    if (progress.fileCount > 1) line << " (" << progress.fileIndex + 1 << "/" << progress.fileCount << ")";
    line << "  " << std::setw(3) << int(fraction * 100) << "%  " << mebibytes(double(t.received));
    if (t.total) line << " of " << mebibytes(double(*t.total));
    if (rate > 0) {
      line << "  " << mebibytes(rate) << "/s";
      if (t.total && *t.total > t.received) line << "  " << int(double(*t.total - t.received) / rate) << " s left";
    }
    if (terminal_) {
      std::cerr << "\r" << std::left << std::setw(int(width_)) << line.str() << std::flush;
      width_ = std::max(width_, line.str().size());
      return;
    }
    const int tenth = int(fraction * 10);
    if (progress.file != file_ || tenth > tenth_) {
      file_ = progress.file;
      tenth_ = tenth;
      std::cerr << line.str() << '\n';
    }
  }
  /// Ends a redrawn line (also when the fetch throws, before its message is printed).
  void end() {
    if (terminal_ && width_ > 0) std::cerr << '\n';
    width_ = 0;
  }
  ~ProgressLine() { end(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

private:
  bool terminal_;
  std::size_t width_ = 0;
  std::string file_;
  int tenth_ = -1;
};

po::variables_map parseDataWords(int argc, const char* const* argv, const po::options_description& options) {
  po::positional_options_description positional;
  positional.add("verb", 1).add("name", 1);
  return parseCommandWords(argc, argv, 1, options, positional);
}

fs::path rootFrom(const po::variables_map& values, const char* option) {
  if (values.count(option)) return values[option].as<std::string>();
  return datasets::defaultDatasetsRoot();
}

int list(const po::variables_map& values) {
  const fs::path root = rootFrom(values, "in");
  std::error_code ec;
  std::cout << "Data sets GenLab fetches, in " << root.string() << ":\n";
  for (const auto& dataset : datasets::knownDatasets()) {
    const auto state = datasets::inspectDataset(root, dataset.kind);
    std::cout << "  " << std::left << std::setw(15) << data::toString(dataset.kind);
    if (state.present)
      std::cout << "fetched and checked " << state.fetchedAt << ", " << mebibytes(double(state.bytes)) << "  "
                << state.folder.string();
    else
      std::cout << "not fetched (" << mebibytes(double(datasets::downloadBytes(dataset.kind))) << " to download)";
    if (state.partialBytes > 0) std::cout << "; " << mebibytes(double(state.partialBytes)) << " downloaded so far";
    std::cout << '\n';
  }
  std::cout << "Fashion-MNIST from Debian's package: " << data::kFashionMnistPackageDir
            << (fs::is_directory(data::kFashionMnistPackageDir, ec) ? "" : " (not installed)") << '\n';
  return kExitSuccess;
}

int fetch(const po::variables_map& values) {
  if (!values.count("name")) throw UsageError("genlab data fetch: name the data set: " + datasetNames());
  datasets::FetchRequest request;
  request.kind = datasetNamed(values["name"].as<std::string>());
  request.root = rootFrom(values, "to");
  const auto urls = values.count("url") ? values["url"].as<std::vector<std::string>>() : std::vector<std::string>{};
  const auto sums = values.count("checksum") ? values["checksum"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (urls.size() != sums.size()) throw UsageError("--url and --checksum come in pairs: each mirror URL with its checksum");
  for (std::size_t i = 0; i < urls.size(); ++i) {
    try {
      request.mirror.push_back({urls[i], datasets::Checksum::parse(sums[i]), 0});
    } catch (const InputError& error) {
      throw UsageError(std::string("--checksum: ") + error.what());
    }
  }
  if (values.count("connect-timeout")) {
    const long seconds = values["connect-timeout"].as<long>();
    if (seconds < 1 || seconds > 3600) throw UsageError("--connect-timeout: " + std::to_string(seconds) + " is not in [1, 3600]");
    request.download.connectTimeoutSeconds = seconds;
  }
  cancelRequested = false;
  request.download.cancel = &cancelRequested;
  const SignalScope signals({SIGINT, SIGTERM}, onCancel);
  try {
    ProgressLine line;
    const datasets::FetchResult result = datasets::fetchDataset(request, [&](const datasets::FetchProgress& p) { line.show(p); });
    line.end();
    std::cout << data::displayName(request.kind) << (result.alreadyThere ? " is already in " : " fetched and checked: ")
              << result.folder.string() << '\n';
    return kExitSuccess;
  } catch (const datasets::Cancelled&) {
    std::cerr << "genlab: fetch of " << data::toString(request.kind) << " cancelled; nothing was kept\n";
    return kExitInterrupted;
  }
}

int verify(const po::variables_map& values) {
  if (!values.count("name")) throw UsageError("genlab data verify: name the data set: " + datasetNames());
  const data::DatasetKind kind = datasetNamed(values["name"].as<std::string>());
  const fs::path root = rootFrom(values, "in");
  datasets::verifyDataset(root, kind);
  std::cout << data::displayName(kind) << " in " << datasets::datasetFolder(root, kind).string()
            << ": every file matches its checksum\n";
  return kExitSuccess;
}

} // namespace

void fetchMissingDataSets(const std::vector<data::DataSpec>& specs) {
  std::vector<data::DatasetKind> done;
  for (const data::DataSpec& spec : specs) {
    if (spec.kind == data::DatasetKind::Synthetic || !datasets::knownDataset(spec.kind) ||
        std::find(done.begin(), done.end(), spec.kind) != done.end())
      continue;
    done.push_back(spec.kind);
    // A folder the user named (in the spec or GENLAB_DATA_DIR) is theirs to fill.
    const char* named = std::getenv(data::kDataDirVariable);
    if (!spec.directory.empty() || (named != nullptr && *named != '\0')) continue;
    std::string folder;
    try {
      folder = data::resolveDataDirectory(spec);
    } catch (const DataError&) {
    }
    std::error_code ec;
    if (!folder.empty() && fs::is_directory(folder, ec)) continue;
    datasets::FetchRequest request;
    request.kind = spec.kind;
    request.root = datasets::defaultDatasetsRoot();
    std::cout << "Fetching " << data::displayName(spec.kind) << " into " << request.root.string()
              << " once, for every task\n" << std::flush;
    ProgressLine line;
    datasets::fetchDataset(request, [&](const datasets::FetchProgress& p) { line.show(p); });
  }
}

bool isDataCommand(int argc, const char* const* argv) { return argc >= 2 && std::string(argv[1]) == "data"; }

int runDataCommand(int argc, const char* const* argv) {
  po::options_description options(
      "genlab data list | fetch NAME | verify NAME [options]: the data sets GenLab fetches (" + datasetNames() +
      "), in ~/.local/share/GenLab/datasets unless told");
  options.add_options()
      ("help,h", "show this help and exit")
      ("verb", po::value<std::string>(), "list, fetch or verify")
      ("name", po::value<std::string>(), "the data set")
      ("to", po::value<std::string>(), "fetch: the folder of fetched data sets to fetch into")
      ("in", po::value<std::string>(), "list, verify: the folder of fetched data sets")
      ("url", po::value<std::vector<std::string>>()->composing(),
       "fetch: a mirror's URL of one of the data set's files (repeat for each file), with --checksum")
      ("checksum", po::value<std::vector<std::string>>()->composing(),
       "fetch: md5:HEX or sha256:HEX of the --url before it")
      ("connect-timeout", po::value<long>(), "fetch: seconds to wait for a server to answer (default 30)");
  const po::variables_map values = parseDataWords(argc, argv, options);
  if (values.count("help")) {
    std::cout << options << '\n';
    return kExitSuccess;
  }
  if (!values.count("verb")) throw UsageError("genlab data: say list, fetch NAME or verify NAME");
  const std::string verb = values["verb"].as<std::string>();
  if (verb == "list") return list(values);
  if (verb == "fetch") return fetch(values);
  if (verb == "verify") return verify(values);
  throw UsageError("genlab data: '" + verb + "' is not list, fetch or verify");
}

} // namespace genlab::app
