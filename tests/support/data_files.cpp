#include "support/data_files.h"

#include <zlib.h>

#include <fstream>
#include <stdexcept>

namespace genlab::test {

void writeBytes(const std::filesystem::path& path, const std::vector<uint8_t>& bytes, bool gzip) {
  if (gzip) {
    gzFile file = gzopen(path.c_str(), "wb");
    if (file == nullptr) throw std::runtime_error("cannot write " + path.string());
    if (!bytes.empty()) gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(file);
    return;
  }
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::vector<uint8_t> idxBytes(const std::vector<uint32_t>& dims, const std::vector<uint8_t>& values) {
  std::vector<uint8_t> bytes{0, 0, 8, static_cast<uint8_t>(dims.size())};
  for (const uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<uint8_t>(d >> shift));
  bytes.insert(bytes.end(), values.begin(), values.end());
  return bytes;
}

uint8_t idxPixel(uint32_t image, uint32_t position) {
  return static_cast<uint8_t>((7 * image + position) % 256);
}

void writeIdxFolder(const std::filesystem::path& folder, const IdxFolderSpec& spec) {
  std::filesystem::create_directories(folder);
  const std::string suffix = spec.gzip ? ".gz" : "";
  const auto writePart = [&](const std::string& prefix, uint32_t count) {
    std::vector<uint8_t> pixels, labels;
    for (uint32_t i = 0; i < count; ++i) {
      labels.push_back(static_cast<uint8_t>(i % 10));
      for (uint32_t j = 0; j < spec.rows * spec.cols; ++j) pixels.push_back(idxPixel(i, j));
    }
    writeBytes(folder / (prefix + "-images-idx3-ubyte" + suffix),
               idxBytes({count, spec.rows, spec.cols}, pixels), spec.gzip);
    writeBytes(folder / (prefix + "-labels-idx1-ubyte" + suffix), idxBytes({count}, labels),
               spec.gzip);
  };
  writePart("train", spec.trainCount);
  writePart("t10k", spec.testCount);
}

uint8_t cifarPixel(uint8_t label, uint32_t position) {
  return static_cast<uint8_t>((label + 3 * position) % 256);
}

std::vector<uint8_t> cifarRecords(const std::vector<uint8_t>& labels) {
  std::vector<uint8_t> bytes;
  for (const uint8_t label : labels) {
    bytes.push_back(label);
    for (uint32_t j = 0; j < 3072; ++j) bytes.push_back(cifarPixel(label, j));
  }
  return bytes;
}

void writeCifarFolder(const std::filesystem::path& folder, int perBatch, int testCount) {
  std::filesystem::create_directories(folder);
  const auto labels = [](int count, int offset) {
    std::vector<uint8_t> out;
    for (int i = 0; i < count; ++i) out.push_back(static_cast<uint8_t>((i + offset) % 10));
    return out;
  };
  for (int batch = 1; batch <= 5; ++batch)
    writeBytes(folder / ("data_batch_" + std::to_string(batch) + ".bin"),
               cifarRecords(labels(perBatch, batch)), false);
  writeBytes(folder / "test_batch.bin", cifarRecords(labels(testCount, 0)), false);
}

} // namespace genlab::test
