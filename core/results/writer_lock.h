#pragma once
/// Whether a live process writes a results folder: the writer holds an advisory lock (flock) on
/// the folder's kWriterLockFile; the kernel drops it when the process ends, however it ends.

#include <filesystem>

namespace genlab::results {

class WriterLock {
public:
  /// Wait: for a new folder, where only readers' brief looks can hold the lock.
  /// Refuse: for an existing folder (a resume), where a live writer may hold it for hours.
  enum class Mode { Wait, Refuse };

  /// Locks `folder`'s lock file exclusively. Throws InputError naming the file when it cannot
  /// be created, and (Refuse) naming the folder when another live process writes it: readers'
  /// looks are waited out for about a second, a writer is not.
  explicit WriterLock(const std::filesystem::path& folder, Mode mode = Mode::Wait);
  ~WriterLock();
  WriterLock(WriterLock&& other) noexcept;
  WriterLock& operator=(WriterLock&&) = delete;
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
