#include "core/data/file_bytes.h"

#include "core/errors.h"

#include <memory>
#include <system_error>

#ifdef GENLAB_HAVE_ZLIB
#include <zlib.h>
#else
#include <fstream>
#include <iterator>
#endif

namespace genlab::data {

namespace fs = std::filesystem;

void requireFolder(const fs::path& folder, const std::string& what) {
  std::error_code ec;
  if (!fs::exists(folder, ec))
    throw InputError(what + " folder '" + folder.string() + "' does not exist");
  if (!fs::is_directory(folder, ec))
    throw InputError(what + " folder '" + folder.string() + "' is not a directory");
}

fs::path findDataFile(const fs::path& folder, const std::string& name) {
  requireFolder(folder, "data");
  std::error_code ec;
  for (const fs::path& candidate : {folder / name, folder / (name + ".gz")})
    if (fs::is_regular_file(candidate, ec)) return candidate;
  throw InputError("missing file '" + name + "' (or '" + name + ".gz') in data folder '" +
                   folder.string() + "'");
}

std::vector<uint8_t> readFileBytes(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw InputError("data file '" + path.string() + "' does not exist or is not a file");
#ifndef GENLAB_HAVE_ZLIB
  // Built without zlib: raw files only.
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (raw.size() >= 2 && raw[0] == 0x1f && raw[1] == 0x8b)
    throw InputError("data file '" + path.string() +
                     "' is gzip-compressed, but this build has no zlib; decompress it first");
  return raw;
#else

  // gzopen reads plain files transparently, so one code path serves both forms.
  using GzFile = std::unique_ptr<gzFile_s, decltype(&gzclose)>;
  GzFile file(gzopen(path.c_str(), "rb"), &gzclose);
  if (!file) throw InputError("cannot open data file '" + path.string() + "'");
  gzbuffer(file.get(), 1 << 20);

  std::vector<uint8_t> bytes;
  // The uncompressed size is unknown for gzip; a size hint of the file size avoids most
  // reallocations for raw files and the first few for compressed ones.
  bytes.reserve(static_cast<size_t>(fs::file_size(path, ec)));
  constexpr unsigned kChunk = 1U << 22;
  for (;;) {
    const size_t used = bytes.size();
    bytes.resize(used + kChunk);
    const int got = gzread(file.get(), bytes.data() + used, kChunk);
    if (got < 0) {
      int code = 0;
      const char* message = gzerror(file.get(), &code);
      throw InputError("data file '" + path.string() + "' is not readable: " + message);
    }
    bytes.resize(used + static_cast<size_t>(got));
    if (got < static_cast<int>(kChunk)) break;
  }
  int code = Z_OK;
  const char* message = gzerror(file.get(), &code);
  if (code != Z_OK && code != Z_STREAM_END)
    throw InputError("data file '" + path.string() + "' is a truncated or corrupt gzip file (" +
                     message + ")");
  return bytes;
#endif
}

} // namespace genlab::data
