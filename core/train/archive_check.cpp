#include "core/train/archive_check.h"

#include "core/errors.h"

#include <algorithm>
#include <array>
#include <limits>
#include <optional>

namespace genlab::train {

namespace {

constexpr std::array<uint32_t, 256> crcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}

/// Little-endian fields of a zip file, each read only inside the bytes.
struct ZipBytes {
  std::string_view bytes;
  std::optional<uint64_t> at(uint64_t offset, int size) const {
    if (offset > bytes.size() || static_cast<uint64_t>(size) > bytes.size() - offset) return std::nullopt;
    uint64_t value = 0;
    for (int i = 0; i < size; ++i) value |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
    return value;
  }
};

constexpr uint32_t kEndOfDirectory = 0x06054b50, kZip64Locator = 0x07064b50, kZip64End = 0x06064b50;
constexpr uint32_t kDirectoryEntry = 0x02014b50, kLocalHeader = 0x04034b50;

/// Zip64's extended information (extra field 0x0001): the 64-bit sizes and offset whose 32-bit
/// fields hold 0xFFFFFFFF, in that order.
void widen(const ZipBytes& zip, uint64_t extra, uint64_t extraLength, uint64_t& uncompressed, uint64_t& compressed,
           uint64_t& offset) {
  for (uint64_t at = extra; at + 4 <= extra + extraLength;) {
    const auto id = zip.at(at, 2), length = zip.at(at + 2, 2);
    if (!id || !length) return;
    if (*id == 0x0001) {
      uint64_t field = at + 4;
      for (uint64_t* value : {&uncompressed, &compressed, &offset})
        if (*value == 0xFFFFFFFFU)
          if (const auto wide = zip.at(field, 8)) {
            *value = *wide;
            field += 8;
          }
      return;
    }
    at += 4 + *length;
  }
}

} // namespace

uint32_t crc32(std::string_view bytes) {
  static constexpr std::array<uint32_t, 256> table = crcTable();
  uint32_t c = 0xFFFFFFFFU;
  for (const char byte : bytes) c = table[(c ^ static_cast<unsigned char>(byte)) & 0xFFU] ^ (c >> 8);
  return c ^ 0xFFFFFFFFU;
}

void requireIntactArchive(std::string_view archive, const std::string& what) {
  const ZipBytes zip{archive};
  const auto damaged = [&](const std::string& why) { throw InputError(what + " is damaged: " + why); };
  // The end-of-directory record: the last 22 bytes, or before a comment of up to 65535.
  std::optional<uint64_t> end;
  for (uint64_t back = 22; back <= std::min<uint64_t>(archive.size(), 22 + 65535) && !end; ++back)
    if (zip.at(archive.size() - back, 4) == kEndOfDirectory) end = archive.size() - back;
  if (!end) damaged("it is not a whole zip archive (no end of its directory)");
  uint64_t entries = *zip.at(*end + 10, 2), directory = *zip.at(*end + 16, 4);
  if (entries == 0xFFFF || directory == 0xFFFFFFFFU) {
    const auto locator = *end >= 20 ? zip.at(*end - 20, 4) : std::nullopt;
    const auto record = locator == kZip64Locator ? zip.at(*end - 20 + 8, 8) : std::nullopt;
    if (!record || zip.at(*record, 4) != kZip64End) damaged("its zip64 directory is missing");
    entries = zip.at(*record + 32, 8).value_or(0);
    directory = zip.at(*record + 48, 8).value_or(std::numeric_limits<uint64_t>::max());
  }
  uint64_t at = directory;
  for (uint64_t entry = 0; entry < entries; ++entry) {
    if (zip.at(at, 4) != kDirectoryEntry || !zip.at(at + 42, 4)) damaged("its directory is cut or overwritten");
    // Within the bytes now (the entry's fixed part ends at +46).
    const uint64_t method = *zip.at(at + 10, 2), crc = *zip.at(at + 16, 4);
    uint64_t compressed = *zip.at(at + 20, 4), uncompressed = *zip.at(at + 24, 4);
    const uint64_t nameLength = *zip.at(at + 28, 2), extraLength = *zip.at(at + 30, 2), commentLength = *zip.at(at + 32, 2);
    uint64_t local = *zip.at(at + 42, 4);
    widen(zip, at + 46 + nameLength, extraLength, uncompressed, compressed, local);
    const std::string name(archive.substr(std::min<uint64_t>(at + 46, archive.size()), nameLength));
    if (zip.at(local, 4) != kLocalHeader) damaged("its record '" + name + "' is not where its directory says");
    const auto localName = zip.at(local + 26, 2), localExtra = zip.at(local + 28, 2);
    const uint64_t data = local + 30 + localName.value_or(0) + localExtra.value_or(0);
    if (!localName || !localExtra || data > archive.size() || compressed > archive.size() - data)
      damaged("its record '" + name + "' is cut short");
    // The tensors are stored as they are; the few small compressed records (LibTorch's code
    // files) would need inflating to check, and inflating them fails when they are damaged.
    // A CRC of 0 is what a writer told not to compute them leaves (1 in 2^32 a true one).
    if (method == 0 && (compressed != uncompressed || (crc != 0 && crc32(archive.substr(data, uncompressed)) != crc)))
      damaged("its record '" + name + "' does not match its checksum");
    at += 46 + nameLength + extraLength + commentLength;
  }
}

} // namespace genlab::train
