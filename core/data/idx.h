#pragma once
/// The IDX file format of the MNIST family (MNIST, Fashion-MNIST, KMNIST, ...).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace genlab::data {

/// One decoded IDX file of unsigned bytes: its dimensions and its values in row-major order.
struct IdxArray {
  std::vector<int64_t> dims;
  std::vector<uint8_t> values;
};

/// What an IDX header declares: the dimensions, the header's length and the number of values.
struct IdxHeader {
  std::vector<int64_t> dims;
  size_t headerBytes = 0;
  uint64_t count = 0;
};

/// Decodes the header at the start of `bytes` (`size` of them). `what` names the file in
/// messages. Throws InputError on a wrong magic number, an unsupported element type, a wrong
/// number of dimensions, a truncated header, or a value count that overflows or exceeds what
/// a data file may hold (kMaxDataFileBytes).
IdxHeader decodeIdxHeader(const uint8_t* bytes, size_t size, const std::string& what,
                          int expectedDims);

/// Decodes a whole IDX file held in memory; throws InputError as decodeIdxHeader does and when
/// the values present are fewer or more than the header declares.
IdxArray decodeIdx(std::vector<uint8_t> bytes, const std::string& what, int expectedDims);

/// Reads an IDX file (gzip or raw) of type unsigned byte with `expectedDims` dimensions
/// (3 for images, 1 for labels), reading no more than its header declares. Throws InputError
/// naming the file as decodeIdx does.
IdxArray readIdx(const std::filesystem::path& path, int expectedDims);

/// As readIdx, with the values inflated straight into the header's `count` bytes that
/// `destination(header)` returns (called once, after the header is checked): no copy of a
/// large file's values on their way to their tensor. The destination is sized by the header
/// before the values are read: memory that a short file leaves untouched. Returns the header.
IdxHeader readIdxInto(const std::filesystem::path& path, int expectedDims,
                      const std::function<uint8_t*(const IdxHeader&)>& destination);

} // namespace genlab::data
