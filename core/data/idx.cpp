#include "core/data/idx.h"

#include "core/data/file_bytes.h"
#include "core/errors.h"

namespace genlab::data {

namespace {

constexpr uint8_t kUnsignedByte = 0x08;

uint32_t bigEndian32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

size_t headerBytesFor(int dims) { return 4 + 4 * static_cast<size_t>(dims); }

/// Throws when the `present` values are not the `count` declared.
void requireDeclaredCount(uint64_t present, const IdxHeader& header, const std::string& what) {
  if (present < header.count)
    throw DataError(what + " is truncated: its header declares " + std::to_string(header.count) +
                     " values but only " + std::to_string(present) + " are present");
  if (present > header.count)
    throw DataError(what + " has bytes after the " + std::to_string(header.count) +
                     " values its header declares");
}

/// The header of the IDX file at `path`, checked; `what` names the file in messages.
IdxHeader readHeader(const std::filesystem::path& path, int expectedDims, const std::string& what) {
  const std::vector<uint8_t> start = readFilePrefix(path, headerBytesFor(expectedDims));
  return decodeIdxHeader(start.data(), start.size(), what, expectedDims);
}

} // namespace

IdxHeader decodeIdxHeader(const uint8_t* bytes, size_t size, const std::string& what,
                          int expectedDims) {
  // Two zero bytes, the element type, the number of dimensions, then one big-endian 32-bit
  // size per dimension.
  if (size < 4 || bytes[0] != 0 || bytes[1] != 0)
    throw DataError(what + " has a wrong magic number (not an IDX file)");
  if (bytes[2] != kUnsignedByte)
    throw DataError(what + " has element type code " + std::to_string(bytes[2]) +
                     "; only unsigned bytes (code 8) are supported");
  const int dims = bytes[3];
  if (dims != expectedDims)
    throw DataError(what + " has " + std::to_string(dims) + " dimensions, expected " +
                     std::to_string(expectedDims));
  IdxHeader header;
  header.headerBytes = headerBytesFor(dims);
  if (size < header.headerBytes) throw DataError(what + " is truncated inside its header");

  // Each product is checked before it is formed: 2^20 x 2^20 x 2^24 must not wrap to 0.
  header.count = 1;
  for (int d = 0; d < dims; ++d) {
    const uint32_t extent = bigEndian32(bytes + 4 + 4 * static_cast<size_t>(d));
    if (extent == 0) throw DataError(what + " has a dimension of size 0");
    if (header.count > kMaxDataFileBytes / extent)
      throw DataError(what + " declares more values than the " +
                       std::to_string(kMaxDataFileBytes) + " bytes a data file may hold");
    header.count *= extent;
    header.dims.push_back(extent);
  }
  return header;
}

IdxArray decodeIdx(std::vector<uint8_t> bytes, const std::string& what, int expectedDims) {
  IdxHeader header = decodeIdxHeader(bytes.data(), bytes.size(), what, expectedDims);
  requireDeclaredCount(bytes.size() - header.headerBytes, header, what);

  bytes.erase(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(header.headerBytes));
  return IdxArray{std::move(header.dims), std::move(bytes)};
}

IdxHeader readIdxInto(const std::filesystem::path& path, int expectedDims,
                      const std::function<uint8_t*(const IdxHeader&)>& destination) {
  const std::string what = "IDX file '" + path.string() + "'";
  IdxHeader header = readHeader(path, expectedDims, what);
  // Reading stops where the declared values end, whatever the file inflates to.
  uint8_t* values = destination(header);
  requireDeclaredCount(readFileInto(path, header.headerBytes, values, header.count), header, what);
  return header;
}

IdxArray readIdx(const std::filesystem::path& path, int expectedDims) {
  const std::string what = "IDX file '" + path.string() + "'";
  const IdxHeader header = readHeader(path, expectedDims, what);
  // Reading stops where the declared values end, whatever the file inflates to; the buffer
  // grows with what is there, not with what a header declares.
  return decodeIdx(readFileBytes(path, header.headerBytes + header.count), what, expectedDims);
}

} // namespace genlab::data
