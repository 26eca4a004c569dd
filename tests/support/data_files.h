#pragma once
/// Writers for small data files in the formats the lab reads, so that loader tests need no
/// downloads: IDX (raw or gzip) and CIFAR-10 binary batches.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace genlab::test {

/// Writes `bytes` to `path`, gzip-compressed when `gzip` is true.
void writeBytes(const std::filesystem::path& path, const std::vector<uint8_t>& bytes, bool gzip);

/// An IDX file of unsigned bytes: header (magic 0 0 8 ndims, big-endian sizes) then `values`.
std::vector<uint8_t> idxBytes(const std::vector<uint32_t>& dims, const std::vector<uint8_t>& values);

/// A small MNIST-style folder: `trainCount` and `testCount` images of `rows` x `cols`, pixel
/// (image i, position j) = (7 i + j) mod 256, label of image i = i mod 10.
struct IdxFolderSpec {
  uint32_t trainCount = 20;
  uint32_t testCount = 10;
  uint32_t rows = 6;
  uint32_t cols = 5;
  bool gzip = false;
};
void writeIdxFolder(const std::filesystem::path& folder, const IdxFolderSpec& spec);
uint8_t idxPixel(uint32_t image, uint32_t position);

/// One CIFAR-10 record per label: label byte, then 3072 pixel bytes with value
/// (label + 3 * position) mod 256.
std::vector<uint8_t> cifarRecords(const std::vector<uint8_t>& labels);
uint8_t cifarPixel(uint8_t label, uint32_t position);
/// data_batch_1..5.bin with `perBatch` records each and test_batch.bin with `testCount`.
void writeCifarFolder(const std::filesystem::path& folder, int perBatch, int testCount);

} // namespace genlab::test
