#include "core/data/idx.h"

#include "core/data/file_bytes.h"
#include "core/errors.h"

namespace genlab::data {

namespace {

constexpr uint8_t kUnsignedByte = 0x08;

uint32_t bigEndian32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

} // namespace

IdxArray readIdx(const std::filesystem::path& path, int expectedDims) {
  const std::string file = "IDX file '" + path.string() + "'";
  std::vector<uint8_t> bytes = readFileBytes(path);

  // Header: two zero bytes, the element type, the number of dimensions, then one big-endian
  // 32-bit size per dimension.
  if (bytes.size() < 4 || bytes[0] != 0 || bytes[1] != 0)
    throw InputError(file + " has a wrong magic number (not an IDX file)");
  if (bytes[2] != kUnsignedByte)
    throw InputError(file + " has element type code " + std::to_string(bytes[2]) +
                     "; only unsigned bytes (code 8) are supported");
  const int dims = bytes[3];
  if (dims != expectedDims)
    throw InputError(file + " has " + std::to_string(dims) + " dimensions, expected " +
                     std::to_string(expectedDims));
  const size_t headerSize = 4 + 4 * static_cast<size_t>(dims);
  if (bytes.size() < headerSize) throw InputError(file + " is truncated inside its header");

  IdxArray array;
  uint64_t count = 1;
  for (int d = 0; d < dims; ++d) {
    const uint32_t size = bigEndian32(bytes.data() + 4 + 4 * static_cast<size_t>(d));
    if (size == 0) throw InputError(file + " has a dimension of size 0");
    array.dims.push_back(size);
    count *= size;
    if (count > (uint64_t{1} << 40)) throw InputError(file + " declares an absurd size");
  }
  const uint64_t present = bytes.size() - headerSize;
  if (present < count)
    throw InputError(file + " is truncated: its header declares " + std::to_string(count) +
                     " values but only " + std::to_string(present) + " are present");
  if (present > count)
    throw InputError(file + " has " + std::to_string(present - count) +
                     " bytes after the " + std::to_string(count) + " values its header declares");

  bytes.erase(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(headerSize));
  array.values = std::move(bytes);
  return array;
}

} // namespace genlab::data
