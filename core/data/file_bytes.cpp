#include "core/data/file_bytes.h"

#include "core/errors.h"

#include <algorithm>
#include <memory>
#include <system_error>

#ifdef GENLAB_HAVE_ZLIB
#include <zlib.h>
#else
#include <fstream>
#endif

namespace genlab::data {

namespace fs = std::filesystem;

void requireFolder(const fs::path& folder, const std::string& what) {
  std::error_code ec;
  if (!fs::exists(folder, ec))
    throw DataError(what + " folder '" + folder.string() + "' does not exist");
  if (!fs::is_directory(folder, ec))
    throw DataError(what + " folder '" + folder.string() + "' is not a directory");
}

fs::path findDataFile(const fs::path& folder, const std::string& name) {
  requireFolder(folder, "data");
  std::error_code ec;
  for (const fs::path& candidate : {folder / name, folder / (name + ".gz")})
    if (fs::is_regular_file(candidate, ec)) return candidate;
  throw DataError("missing file '" + name + "' (or '" + name + ".gz') in data folder '" +
                   folder.string() + "'");
}

namespace {

std::string tooLarge(const fs::path& path, uint64_t maxBytes) {
  return "data file '" + path.string() + "' holds more than " + std::to_string(maxBytes) +
         " bytes" + (maxBytes == kMaxDataFileBytes ? " (the limit for one data file)"
                                                   : " (more than its header declares)");
}

void requireRegularFile(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw DataError("data file '" + path.string() + "' does not exist or is not a file");
}

#ifdef GENLAB_HAVE_ZLIB
/// A file read through zlib: gzopen reads plain files transparently, so one code path serves
/// both forms.
class DataFile {
public:
  explicit DataFile(const fs::path& path) : path_(path), file_(gzopen(path.c_str(), "rb"), &gzclose) {
    if (!file_) throw DataError("cannot open data file '" + path.string() + "'");
    gzbuffer(file_.get(), 1 << 20);
  }
  /// Reads up to `count` bytes into `to` (nullptr: skips them); returns how many there were.
  uint64_t read(uint8_t* to, uint64_t count) {
    std::vector<uint8_t> skipped;
    uint64_t done = 0;
    while (done < count) {
      constexpr uint64_t kChunk = uint64_t{1} << 22;
      const auto want = static_cast<unsigned>(std::min(kChunk, count - done));
      if (to == nullptr) skipped.resize(want);
      const int got = gzread(file_.get(), to == nullptr ? skipped.data() : to + done, want);
      if (got < 0) {
        int code = 0;
        const char* message = gzerror(file_.get(), &code);
        throw DataError("data file '" + path_.string() + "' is not readable: " + message);
      }
      done += static_cast<uint64_t>(got);
      if (static_cast<unsigned>(got) < want) break;
    }
    return done;
  }
  /// Throws when the stream ended in error (a truncated or corrupt gzip file).
  void requireIntact() {
    int code = Z_OK;
    const char* message = gzerror(file_.get(), &code);
    if (code != Z_OK && code != Z_STREAM_END)
      throw DataError("data file '" + path_.string() + "' is a truncated or corrupt gzip file (" + message + ")");
  }

private:
  fs::path path_;
  std::unique_ptr<gzFile_s, decltype(&gzclose)> file_;
};
#else
/// Built without zlib: raw files only.
class DataFile {
public:
  explicit DataFile(const fs::path& path) : path_(path), in_(path, std::ios::binary) {
    if (!in_) throw DataError("cannot open data file '" + path.string() + "'");
    char magic[2] = {0, 0};
    in_.read(magic, 2);
    if (in_.gcount() == 2 && uint8_t(magic[0]) == 0x1f && uint8_t(magic[1]) == 0x8b)
      throw DataError("data file '" + path.string() +
                       "' is gzip-compressed, but this build has no zlib; decompress it first");
    in_.clear();
    in_.seekg(0);
  }
  uint64_t read(uint8_t* to, uint64_t count) {
    if (to == nullptr) {
      const auto before = in_.tellg();
      in_.seekg(0, std::ios::end);
      const auto left = static_cast<uint64_t>(in_.tellg() - before);
      in_.seekg(before + static_cast<std::streamoff>(std::min(left, count)));
      return std::min(left, count);
    }
    in_.read(reinterpret_cast<char*>(to), static_cast<std::streamsize>(count));
    return static_cast<uint64_t>(in_.gcount());
  }
  void requireIntact() {}

private:
  fs::path path_;
  std::ifstream in_;
};
#endif

/// Up to `maxBytes` + 1 bytes of `path`, decompressed.
std::vector<uint8_t> readAtMost(const fs::path& path, uint64_t maxBytes) {
  DataFile file(path);
  std::vector<uint8_t> bytes;
  // The uncompressed size is unknown for gzip; a hint of the file size avoids most
  // reallocations for raw files and the first few for compressed ones.
  std::error_code ec;
  const uint64_t onDisk = fs::file_size(path, ec);
  bytes.reserve(static_cast<size_t>(std::min(ec ? 0 : onDisk, maxBytes + 1)));
  constexpr uint64_t kChunk = uint64_t{1} << 22;
  while (bytes.size() <= maxBytes) {
    const size_t used = bytes.size();
    const uint64_t want = std::min(kChunk, maxBytes + 1 - used);
    bytes.resize(used + want);
    const uint64_t got = file.read(bytes.data() + used, want);
    bytes.resize(used + got);
    if (got < want) break;
  }
  file.requireIntact();
  return bytes;
}

} // namespace

std::vector<uint8_t> readFileBytes(const fs::path& path, uint64_t maxBytes) {
  requireRegularFile(path);
  maxBytes = std::min(maxBytes, kMaxDataFileBytes);
  std::vector<uint8_t> bytes = readAtMost(path, maxBytes);
  if (bytes.size() > maxBytes) throw DataError(tooLarge(path, maxBytes));
  return bytes;
}

uint64_t readFileInto(const fs::path& path, uint64_t skip, uint8_t* destination, uint64_t size) {
  requireRegularFile(path);
  DataFile file(path);
  if (file.read(nullptr, skip) < skip) {
    file.requireIntact();
    return 0;
  }
  const uint64_t present = file.read(destination, size);
  uint8_t beyond = 0;
  if (present == size && file.read(&beyond, 1) > 0) throw DataError(tooLarge(path, skip + size));
  file.requireIntact();
  return present;
}

std::vector<uint8_t> readFilePrefix(const fs::path& path, size_t count) {
  requireRegularFile(path);
  std::vector<uint8_t> bytes = readAtMost(path, count);
  bytes.resize(std::min(bytes.size(), count));
  return bytes;
}

} // namespace genlab::data
