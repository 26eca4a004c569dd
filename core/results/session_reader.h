#pragma once
/// Reading session folders back, one reader for the window, `genlab runs` and `genlab report`:
/// finished ones, ones another process still writes (read incrementally), and damaged ones
/// (shown with a reason, never fatal).

#include "core/results/metrics_table.h"
#include "core/results/run_record.h"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace genlab::results {

/// Keeps a SessionRecord of one folder current. Not thread-safe: one thread reads, others get
/// copies of record().
class SessionReader {
public:
  /// `curves`: read metrics.csv into each run's loss and epoch metrics (otherwise only the
  /// summary, and metrics.csv only when there is no summary to say what the runs are).
  explicit SessionReader(std::filesystem::path folder, bool curves = false);

  /// Reads what changed since the last call: spec.json once it exists, summary.json when its
  /// size or time changed, metrics.csv from where the last read stopped; then settles each
  /// run's status (a run that a dead process left unfinished is "incomplete"). Returns true
  /// when the record changed. Never throws for what is in the folder: problems become
  /// record().problems.
  bool refresh();

  /// Starts reading curves (from the start of metrics.csv at the next refresh) or drops them.
  void setCurves(bool curves);
  bool curves() const { return curves_; }

  const SessionRecord& record() const { return record_; }
  /// Whether the folder may still change: a live writer, or no end recorded yet.
  bool open() const { return record_.live; }

private:
  struct FileStamp {
    bool exists = false;
    int64_t size = -1;
    int64_t modified = 0;  ///< nanoseconds
    bool operator==(const FileStamp&) const = default;
  };
  static FileStamp stampOf(const std::filesystem::path& path);
  void readSpec();
  void readSummary();
  bool readMetrics();
  void settle();
  RunRecord& runAt(int run, std::string_view setting);

  SessionRecord record_;
  bool curves_;
  FileStamp specStamp_, summaryStamp_, metricsStamp_;
  MetricsTail metrics_;
  std::vector<std::string> specProblems_, summaryProblems_, metricsProblems_;
  nlohmann::json summary_;
  std::string writerHost_;
  int64_t writerPid_ = 0;
  int64_t lastChange_ = 0;  ///< newest modification time of the folder's files (ns)
};

/// Session folders under `root`, at any depth up to `maxDepth` (a folder holding spec.json,
/// summary.json or metrics.csv is one; its subfolders are not searched), sorted by path.
/// `root` itself may be one. Folders that cannot be listed are named in `problems`.
struct FoundFolders {
  std::vector<std::filesystem::path> folders;
  std::vector<std::string> problems;
};
FoundFolders findSessionFolders(const std::filesystem::path& root, int maxDepth = 8);

/// Reads every session folder under each root once, with or without curves (for the terminal's
/// `genlab runs` and `genlab report`). Roots that hold no session folder become a record with
/// the reason as its problem.
std::vector<SessionRecord> readSessions(const std::vector<std::filesystem::path>& roots, bool curves);

} // namespace genlab::results
