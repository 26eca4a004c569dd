#include "core/results/writer_lock.h"

#include "core/errors.h"
#include "core/results/layout.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace genlab::results {

WriterLock::WriterLock(const std::filesystem::path& folder) {
  const std::filesystem::path path = folder / kWriterLockFile;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw InputError("cannot create '" + path.string() + "': " + std::strerror(errno));
  while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
  }
}

WriterLock::~WriterLock() { release(); }

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
