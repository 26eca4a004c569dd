#include "core/results/writer_lock.h"

#include "core/errors.h"
#include "core/results/layout.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <utility>

namespace genlab::results {

WriterLock::WriterLock(const std::filesystem::path& folder, Mode mode) {
  const std::filesystem::path path = folder / kWriterLockFile;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw InputError("cannot create '" + path.string() + "': " + std::strerror(errno));
  if (mode == Mode::Wait) {
    while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
    }
    return;
  }
  // Readers hold a shared lock for a moment only; 50 tries 20 ms apart outlast any of them.
  for (int attempt = 0; attempt < 50; ++attempt) {
    if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
    if (errno != EWOULDBLOCK && errno != EINTR) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::close(fd_);
  fd_ = -1;
  throw InputError("'" + folder.string() +
                   "' is being written by another process that is still running; let it end (or "
                   "stop it) first");
}

WriterLock::~WriterLock() { release(); }

WriterLock::WriterLock(WriterLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

void WriterLock::release() {
  if (fd_ < 0) return;
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
  fd_ = -1;
}

bool WriterLock::held(const std::filesystem::path& folder) {
  const std::filesystem::path path = folder / kWriterLockFile;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool locked = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);  // closing drops a shared lock taken above at once
  return locked;
}

} // namespace genlab::results
