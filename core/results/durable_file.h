#pragma once
/// A file that grows by appends and says when the disk refuses them: what metrics.csv needs so
/// that an interrupted session loses at most the epoch in progress, and a full disk ends the
/// session with a message instead of losing rows silently.

#include <filesystem>
#include <string>
#include <string_view>

namespace genlab::results {

class DurableAppendFile {
public:
  /// Create: `path` must not exist (results are never overwritten). Continue: appends to the
  /// existing `path` (a resumed session's table, already cut back to its checkpoints).
  enum class Mode { Create, Continue };
  /// Opens `path` as `mode` says. Throws InputError naming it when that is not possible.
  explicit DurableAppendFile(std::filesystem::path path, Mode mode = Mode::Create);
  ~DurableAppendFile();
  DurableAppendFile(const DurableAppendFile&) = delete;
  DurableAppendFile& operator=(const DurableAppendFile&) = delete;

  /// Buffers `text` in memory.
  void append(std::string_view text);
  /// Writes what is buffered and asks the disk to keep it (fdatasync). Throws InputError with
  /// the system's reason ("No space left on device") when any of it cannot be written.
  void sync();

  const std::filesystem::path& path() const { return path_; }

private:
  std::filesystem::path path_;
  std::string buffer_;
  int fd_ = -1;
};

} // namespace genlab::results
