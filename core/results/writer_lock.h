#pragma once
/// Whether a live process writes a results folder: the writer holds an advisory lock (flock) on
/// the folder's kWriterLockFile; the kernel drops it when the process ends, however it ends.

#include <filesystem>

namespace genlab::results {

class WriterLock {
public:
  /// Locks `folder`'s lock file exclusively (waiting out a reader's brief look). Throws
  /// InputError naming the file when it cannot be created.
  explicit WriterLock(const std::filesystem::path& folder);
  ~WriterLock();
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

  /// Unlocks now (the session ended) rather than at destruction.
  void release();

  /// True when some process (this one included) holds `folder`'s writer lock. False when
  /// nobody does, or the folder has no lock file (older results, or a file system without
  /// locks: the caller then judges by other signs).
  static bool held(const std::filesystem::path& folder);

private:
  int fd_ = -1;
};

} // namespace genlab::results
