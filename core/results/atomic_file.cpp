#include "core/results/atomic_file.h"

#include "core/errors.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <system_error>

namespace genlab::results {

namespace fs = std::filesystem;

void writeFileAtomically(const fs::path& path, std::string_view content) {
  const fs::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out)
      throw InputError("cannot write '" + temporary.string() + "': " + std::strerror(errno));
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) throw InputError("cannot write '" + temporary.string() + "' (disk full?)");
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) throw InputError("cannot replace '" + path.string() + "': " + ec.message());
}

void prepareOutputFolder(const fs::path& folder) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec || !fs::is_directory(folder))
    throw InputError("cannot create output folder '" + folder.string() + "'" +
                     (ec ? ": " + ec.message() : std::string(": a file of that name exists")));
  const fs::path probe = folder / ".genlab-write-test";
  {
    std::ofstream out(probe);
    if (!out) throw InputError("output folder '" + folder.string() + "' is not writable");
  }
  fs::remove(probe, ec);
}

} // namespace genlab::results
