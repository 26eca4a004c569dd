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
/// Up to `maxBytes` + 1 bytes of `path`, decompressed; gzopen reads plain files transparently,
/// so one code path serves both forms.
std::vector<uint8_t> readAtMost(const fs::path& path, uint64_t maxBytes) {
  using GzFile = std::unique_ptr<gzFile_s, decltype(&gzclose)>;
  GzFile file(gzopen(path.c_str(), "rb"), &gzclose);
  if (!file) throw DataError("cannot open data file '" + path.string() + "'");
  gzbuffer(file.get(), 1 << 20);

  std::vector<uint8_t> bytes;
  // The uncompressed size is unknown for gzip; a hint of the file size avoids most
  // reallocations for raw files and the first few for compressed ones.
  std::error_code ec;
  const uint64_t onDisk = fs::file_size(path, ec);
  bytes.reserve(static_cast<size_t>(std::min(ec ? 0 : onDisk, maxBytes + 1)));
  constexpr uint64_t kChunk = uint64_t{1} << 22;
  while (bytes.size() <= maxBytes) {
    const size_t used = bytes.size();
    const auto want = static_cast<unsigned>(std::min(kChunk, maxBytes + 1 - used));
    bytes.resize(used + want);
    const int got = gzread(file.get(), bytes.data() + used, want);
    if (got < 0) {
      int code = 0;
      const char* message = gzerror(file.get(), &code);
      throw DataError("data file '" + path.string() + "' is not readable: " + message);
    }
    bytes.resize(used + static_cast<size_t>(got));
    if (static_cast<unsigned>(got) < want) break;
  }
  int code = Z_OK;
  const char* message = gzerror(file.get(), &code);
  if (code != Z_OK && code != Z_STREAM_END)
    throw DataError("data file '" + path.string() + "' is a truncated or corrupt gzip file (" +
                     message + ")");
  return bytes;
}
#else
/// Built without zlib: raw files only.
std::vector<uint8_t> readAtMost(const fs::path& path, uint64_t maxBytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError("cannot open data file '" + path.string() + "'");
  std::error_code ec;
  const uint64_t onDisk = fs::file_size(path, ec);
  std::vector<uint8_t> bytes(static_cast<size_t>(std::min(ec ? 0 : onDisk, maxBytes + 1)));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<size_t>(in.gcount()));
  if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
    throw DataError("data file '" + path.string() +
                     "' is gzip-compressed, but this build has no zlib; decompress it first");
  return bytes;
}
#endif

} // namespace

std::vector<uint8_t> readFileBytes(const fs::path& path, uint64_t maxBytes) {
  requireRegularFile(path);
  maxBytes = std::min(maxBytes, kMaxDataFileBytes);
  std::vector<uint8_t> bytes = readAtMost(path, maxBytes);
  if (bytes.size() > maxBytes) throw DataError(tooLarge(path, maxBytes));
  return bytes;
}

std::vector<uint8_t> readFilePrefix(const fs::path& path, size_t count) {
  requireRegularFile(path);
  std::vector<uint8_t> bytes = readAtMost(path, count);
  bytes.resize(std::min(bytes.size(), count));
  return bytes;
}

} // namespace genlab::data
