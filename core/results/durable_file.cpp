#include "core/results/durable_file.h"

#include "core/errors.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace genlab::results {

DurableAppendFile::DurableAppendFile(std::filesystem::path path, Mode mode) : path_(std::move(path)) {
  const int create = mode == Mode::Create ? O_CREAT | O_EXCL : 0;
  fd_ = ::open(path_.c_str(), O_WRONLY | create | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw InputError("cannot " + std::string(mode == Mode::Create ? "create" : "append to") + " '" +
                     path_.string() + "': " + std::strerror(errno) +
                     (errno == EEXIST ? " (results are never overwritten)" : ""));
}

DurableAppendFile::~DurableAppendFile() {
  if (fd_ >= 0) ::close(fd_);
}

void DurableAppendFile::append(std::string_view text) { buffer_.append(text); }

void DurableAppendFile::sync() {
  size_t written = 0;
  while (written < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + written, buffer_.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      // Keep what could not be written out of the file: the next sync must not repeat the part
      // that reached it. A partial last line is left for readers to skip.
      buffer_.erase(0, written);
      throw InputError("cannot write '" + path_.string() + "': " + std::strerror(errno));
    }
    written += static_cast<size_t>(n);
  }
  buffer_.clear();
  if (::fdatasync(fd_) != 0 && errno != EINVAL)
    throw InputError("cannot write '" + path_.string() + "': " + std::strerror(errno));
}

} // namespace genlab::results
