#pragma once
/// metrics.csv, the tidy table of a results folder (layout.h): one row per optimization step
/// ("loss") and per epoch metric. Rows are parsed in place, and a growing file is read from
/// where the last read stopped.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace genlab::results {

/// One row. The text fields point into the line they were parsed from.
struct MetricsRow {
  int run = 0;
  std::string_view setting;
  int64_t step = 0;
  int64_t epoch = 0;
  std::string_view metric;
  double value = 0;
  double wallTime = 0;
};

/// Parses one line (without its newline). Returns an empty string, or why the line is not a row
/// ("6 fields, not 7", "step 'x' is not a number").
std::string parseMetricsRow(std::string_view line, MetricsRow& row);

/// Reads a metrics.csv that may still be growing, each row once: every read goes on from the
/// end of the last complete line it saw, so a partial last line (a writer mid-row, or killed
/// mid-row) waits for the next read. A file that got shorter than what was read (replaced) is
/// read again from its start.
class MetricsTail {
public:
  explicit MetricsTail(std::filesystem::path path) : path_(std::move(path)) {}

  struct Result {
    bool missing = false;   ///< no such file (yet)
    bool restarted = false; ///< the file shrank: earlier rows are void, these are all of it
    int64_t rows = 0;       ///< complete rows delivered
    std::string problem;    ///< first problem met (unreadable file, wrong header, bad rows)
  };
  /// Calls `onRow` for each complete new row, in file order, and returns what happened. Bad
  /// lines are skipped and counted; the first one is named in `problem` with its line number.
  Result read(const std::function<void(const MetricsRow&)>& onRow);

  /// Bytes consumed so far (complete lines).
  uint64_t offset() const { return offset_; }
  int64_t badLines() const { return badLines_; }

private:
  std::filesystem::path path_;
  uint64_t offset_ = 0;
  int64_t line_ = 0;  ///< number of the last complete line read (1 = the header)
  int64_t badLines_ = 0;
  bool badHeader_ = false;
};

/// Runs of one session folder, as shown or exported; no runs: all of them.
struct FolderRuns {
  std::filesystem::path folder;
  std::vector<int> runs;
};

/// Writes the metrics of `shown` to `path` (atomically), complete rows only (a partial last line
/// of a run still being written is left out). One session: its metrics.csv as it is (the
/// rows of the runs named). Several: the same table with the session folder's name as a first
/// column, "session". Throws InputError naming the file at fault (and a malformed line by its
/// number).
void exportMetricsCsv(const std::vector<FolderRuns>& shown, const std::filesystem::path& path);

/// Rewrites the metrics.csv at `path` (atomically) for a resume: the header, every row of the
/// runs that `lastEpoch` does not name, and of each run it names the rows of epochs up to its
/// number (step and epoch rows beyond it are dropped, as is a partial last line; lines end in
/// \n afterwards, whether they ended in \r\n before). A missing file becomes one holding just
/// the header. Throws InputError naming the file when it cannot be read or written, does not
/// start with the metrics header (exactly: not a table of another format) or holds a malformed
/// line (by its number), so that no row is dropped unseen.
void cutMetricsAfter(const std::filesystem::path& path, const std::map<int, int64_t>& lastEpoch);

/// Throws what cutMetricsAfter would for the table at `path`, without writing: a resume checks
/// its table before it trains.
void requireRewritableMetrics(const std::filesystem::path& path);

} // namespace genlab::results
