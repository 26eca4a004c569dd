#pragma once
/// The IDX file format of the MNIST family (MNIST, Fashion-MNIST, KMNIST, ...).

#include <cstdint>
#include <filesystem>
#include <vector>

namespace genlab::data {

/// One decoded IDX file of unsigned bytes: its dimensions and its values in row-major order.
struct IdxArray {
  std::vector<int64_t> dims;
  std::vector<uint8_t> values;
};

/// Reads an IDX file (gzip or raw) of type unsigned byte with `expectedDims` dimensions
/// (3 for images, 1 for labels). Throws InputError naming the file on a wrong magic number,
/// an unsupported element type, a wrong number of dimensions, a truncated file or trailing
/// bytes.
IdxArray readIdx(const std::filesystem::path& path, int expectedDims);

} // namespace genlab::data
