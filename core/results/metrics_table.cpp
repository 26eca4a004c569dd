#include "core/results/metrics_table.h"

#include "core/errors.h"
#include "core/format.h"
#include "core/results/atomic_file.h"
#include "core/results/layout.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <vector>

namespace genlab::results {

namespace {

template <class Number>
bool parseNumber(std::string_view text, Number& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

/// Reads the whole of a regular file from `offset` on; the system's reason on failure.
std::string readFrom(const std::filesystem::path& path, uint64_t offset, std::string& out,
                     uint64_t& size, bool& missing) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    missing = errno == ENOENT;
    return missing ? std::string() : std::string(std::strerror(errno));
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return "not a regular file";
  }
  size = static_cast<uint64_t>(info.st_size);
  if (size > offset) {
    out.resize(size - offset);
    size_t got = 0;
    while (got < out.size()) {
      const ssize_t n = ::pread(fd, out.data() + got, out.size() - got, static_cast<off_t>(offset + got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        return reason;
      }
      if (n == 0) break;  // the file shrank while being read: take what there is
      got += static_cast<size_t>(n);
    }
    out.resize(got);
  }
  ::close(fd);
  return {};
}

} // namespace

std::string parseMetricsRow(std::string_view line, MetricsRow& row) {
  std::array<std::string_view, kMetricsColumns> fields;
  size_t count = 0, start = 0;
  for (;;) {
    const size_t comma = line.find(',', start);
    if (count < fields.size()) fields[count] = line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    ++count;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (count != fields.size())
    return std::to_string(count) + " fields, not " + std::to_string(kMetricsColumns);
  if (!parseNumber(fields[0], row.run) || row.run < 0) return "run '" + std::string(fields[0]) + "' is not a run number";
  if (!parseNumber(fields[2], row.step)) return "step '" + std::string(fields[2]) + "' is not a number";
  if (!parseNumber(fields[3], row.epoch)) return "epoch '" + std::string(fields[3]) + "' is not a number";
  if (!parseNumber(fields[5], row.value)) return "value '" + std::string(fields[5]) + "' is not a number";
  if (!parseNumber(fields[6], row.wallTime)) return "wall time '" + std::string(fields[6]) + "' is not a number";
  if (fields[4].empty()) return "no metric name";
  row.setting = fields[1];
  row.metric = fields[4];
  return {};
}

MetricsTail::Result MetricsTail::read(const std::function<void(const MetricsRow&)>& onRow) {
  Result result;
  const auto fail = [&](const std::string& reason) {
    result.problem = path_.filename().string() + ": " + reason;
    return result;
  };
  if (badHeader_) return fail("does not start with the metrics header");
  std::string text;
  uint64_t size = 0;
  if (std::string reason = readFrom(path_, offset_, text, size, result.missing); !reason.empty())
    return fail(reason);
  if (result.missing) return result;
  if (size < offset_) {
    // Replaced by a shorter file: what was read is void; read it again from its start.
    offset_ = 0;
    line_ = 0;
    badLines_ = 0;
    result.restarted = true;
    text.clear();
    if (std::string reason = readFrom(path_, 0, text, size, result.missing); !reason.empty())
      return fail(reason);
    if (result.missing) return result;
  }
  size_t position = 0;
  MetricsRow row;
  for (;;) {
    const size_t newline = text.find('\n', position);
    if (newline == std::string::npos) break;  // a partial line waits for the next read
    std::string_view line(text.data() + position, newline - position);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    position = newline + 1;
    ++line_;
    if (line_ == 1) {
      if (line != kMetricsHeader) {
        // Not a table of this format: no row after it can be trusted to mean what it says.
        badHeader_ = true;
        offset_ += position;
        return fail("does not start with the metrics header");
      }
      continue;
    }
    if (line.empty()) continue;
    if (std::string reason = parseMetricsRow(line, row); !reason.empty()) {
      ++badLines_;
      if (result.problem.empty())
        result.problem = path_.filename().string() + " line " + std::to_string(line_) + ": " + reason;
      continue;
    }
    onRow(row);
    ++result.rows;
  }
  offset_ += position;
  return result;
}

namespace {

/// Calls f(line, row) for every row of a whole metrics.csv text (as read from `path`), after
/// checking that its first line is the header: line endings of \n or \r\n, blank lines skipped,
/// a partial last line (a write cut short) left out. A malformed complete line is refused by its
/// number: the callers rewrite or export the table, and must not drop rows without a word.
template <class F>
void forEachCompleteRow(const std::filesystem::path& path, const std::string& text, F&& f) {
  const auto lineAt = [&](size_t begin, size_t end) {
    std::string_view line(text.data() + begin, end - begin);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  };
  size_t position = text.find('\n');
  if (position == std::string::npos || lineAt(0, position) != kMetricsHeader)
    throw InputError(quoted(path) + " does not start with the metrics header");
  MetricsRow row;
  for (int64_t number = 2;; ++number) {
    const size_t next = text.find('\n', position + 1);
    if (next == std::string::npos) break;  // a partial last line
    const std::string_view line = lineAt(position + 1, next);
    position = next;
    if (line.empty()) continue;
    if (std::string reason = parseMetricsRow(line, row); !reason.empty())
      throw InputError(quoted(path) + " line " + std::to_string(number) + ": " + reason);
    f(line, row);
  }
}

} // namespace

void exportMetricsCsv(const std::vector<FolderRuns>& shown, const std::filesystem::path& path) {
  if (shown.empty()) throw InputError("no run to export");
  const bool several = shown.size() > 1;
  std::string out = several ? std::string("session,") + kMetricsHeader + "\n" : std::string(kMetricsHeader) + "\n";
  for (const FolderRuns& session : shown) {
    const std::filesystem::path source = session.folder / kMetricsFile;
    std::string text;
    uint64_t size = 0;
    bool missing = false;
    if (std::string reason = readFrom(source, 0, text, size, missing); !reason.empty() || missing)
      throw InputError("cannot read '" + source.string() + "': " + (missing ? "no such file" : reason));
    const std::string prefix = several ? session.folder.filename().string() + "," : std::string();
    forEachCompleteRow(source, text, [&](std::string_view line, const MetricsRow& row) {
      if (!session.runs.empty() && std::find(session.runs.begin(), session.runs.end(), row.run) == session.runs.end())
        return;
      out += prefix;
      out += line;
      out += '\n';
    });
  }
  writeFileAtomically(path, out);
}

void requireRewritableMetrics(const std::filesystem::path& path) {
  std::string text;
  uint64_t size = 0;
  bool missing = false;
  if (std::string reason = readFrom(path, 0, text, size, missing); !reason.empty())
    throw InputError("cannot read '" + path.string() + "': " + reason);
  if (!missing && !text.empty()) forEachCompleteRow(path, text, [](std::string_view, const MetricsRow&) {});
}

void cutMetricsAfter(const std::filesystem::path& path, const std::map<int, int64_t>& lastEpoch) {
  std::string text;
  uint64_t size = 0;
  bool missing = false;
  if (std::string reason = readFrom(path, 0, text, size, missing); !reason.empty())
    throw InputError("cannot read '" + path.string() + "': " + reason);
  std::string out = std::string(kMetricsHeader) + "\n";
  if (!missing && !text.empty()) {
    forEachCompleteRow(path, text, [&](std::string_view line, const MetricsRow& row) {
      const auto cut = lastEpoch.find(row.run);
      if (cut != lastEpoch.end() && row.epoch > cut->second) return;
      out += line;
      out += '\n';
    });
  }
  writeFileAtomically(path, out);
}

} // namespace genlab::results
