#pragma once
/// What the fuzz targets share: a scratch folder in memory for the parsers that read files, and
/// a check that stops the run when a property of a parser's result does not hold.

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>
#include <string_view>

namespace genlab::fuzz {

/// A folder of this process's own under /dev/shm (the temporary folder where there is none),
/// emptied at every call: files written there cost no disk write per input. It goes when the
/// process exits normally (the end of a run; a crash leaves it, with the input that caused it).
inline std::filesystem::path scratchFolder(const std::string& name) {
  namespace fs = std::filesystem;
  struct RemovedAtExit {
    std::vector<fs::path> folders;
    ~RemovedAtExit() {
      std::error_code ec;
      for (const fs::path& folder : folders) fs::remove_all(folder, ec);
    }
  };
  static RemovedAtExit made;
  std::error_code ec;
  const fs::path base = fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
  const fs::path folder = base / ("genlab-fuzz-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(folder, ec);
  fs::create_directories(folder);
  if (std::find(made.folders.begin(), made.folders.end(), folder) == made.folders.end())
    made.folders.push_back(folder);
  return folder;
}

/// Writes `size` bytes at `data` to `path`, replacing it.
inline void writeFile(const std::filesystem::path& path, const uint8_t* data, size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) {
    std::fprintf(stderr, "fuzz: cannot write %s\n", path.c_str());
    std::abort();
  }
}

/// Aborts (a crash libFuzzer saves the input of) when a property the parser promises fails.
inline void require(bool holds, std::string_view property) {
  if (holds) return;
  std::fprintf(stderr, "fuzz: property violated: %.*s\n", static_cast<int>(property.size()), property.data());
  std::abort();
}

/// An error message must say something, on one line or more.
inline void requireMessage(const std::exception& error) {
  require(error.what() != nullptr && error.what()[0] != '\0', "an error has a message");
}

} // namespace genlab::fuzz
