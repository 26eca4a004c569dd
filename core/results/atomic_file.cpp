#include "core/results/atomic_file.h"

#include "core/errors.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace genlab::results {

namespace fs = std::filesystem;

namespace {

/// Between a file's name and the writer's pid and call number: "summary.json.tmp-4242-7".
constexpr std::string_view kTemporaryInfix = ".tmp-";

/// Writes all of `content` to `fd`; false with errno set when the system refuses.
bool writeAll(int fd, std::string_view content) {
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    written += static_cast<size_t>(n);
  }
  return true;
}

/// Makes a rename in `folder` durable: the folder's entry, not only the file, reaches the disk.
void syncFolder(const fs::path& folder) {
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // the file itself is safe; a folder that cannot be opened is no reason to fail
  ::fsync(fd);
  ::close(fd);
}

} // namespace

void writeFileAtomically(const fs::path& path, std::string_view content) {
  // A name of its own per writer and call: two threads or processes writing the same file
  // never share a temporary file.
  static std::atomic<unsigned> counter{0};
  const fs::path temporary = path.string() + std::string(kTemporaryInfix) + std::to_string(::getpid()) + "-" +
                             std::to_string(counter.fetch_add(1));
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    throw InputError("cannot write '" + path.string() + "': " + std::strerror(errno));
  if (!writeAll(fd, content) || ::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    ::unlink(temporary.c_str());
    throw InputError("cannot write '" + path.string() + "': " + std::strerror(error));
  }
  ::close(fd);
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    ::unlink(temporary.c_str());
    throw InputError("cannot replace '" + path.string() + "': " + ec.message());
  }
  syncFolder(path.parent_path());
}

void removeLeftoverTemporaries(const fs::path& folder) {
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const auto at = name.rfind(kTemporaryInfix);
    if (at != std::string::npos && at > 0 && it->is_regular_file(ec)) fs::remove(it->path(), ec);
  }
}

void prepareOutputFolder(const fs::path& folder) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec || !fs::is_directory(folder))
    throw InputError("cannot create output folder '" + folder.string() + "'" +
                     (ec ? ": " + ec.message() : std::string(": a file of that name exists")));
  if (::access(folder.c_str(), W_OK) != 0)
    throw InputError("output folder '" + folder.string() + "' is not writable");
}

} // namespace genlab::results
