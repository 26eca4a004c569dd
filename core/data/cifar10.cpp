#include "core/data/cifar10.h"

#include "core/data/file_bytes.h"
#include "core/errors.h"

#include <torch/torch.h>

namespace genlab::data {

namespace {

constexpr ImageShape kCifarShape{3, 32, 32};

/// Appends the records of one batch file to `records` after checking every one of them.
void readBatch(const std::filesystem::path& path, std::vector<uint8_t>& records) {
  const std::vector<uint8_t> bytes = readFileBytes(path);
  checkCifarBatch(bytes, "CIFAR-10 file '" + path.string() + "'");
  records.insert(records.end(), bytes.begin(), bytes.end());
}

LabelledImages decode(std::vector<uint8_t>& records, ImageValues values) {
  const auto n = static_cast<int64_t>(records.size()) / kCifarRecordBytes;
  const torch::Tensor raw =
      torch::from_blob(records.data(), {n, kCifarRecordBytes}, torch::kUInt8);
  LabelledImages part;
  part.labels = raw.select(1, 0).to(torch::kInt64);
  part.images = imagesFromBytes(raw.narrow(1, 1, kCifarShape.values()), kCifarShape, values);
  return part;
}

} // namespace

const std::vector<std::string>& cifar10ClassNames() {
  static const std::vector<std::string> names{"airplane", "automobile", "bird",  "cat",  "deer",
                                              "dog",      "frog",       "horse", "ship", "truck"};
  return names;
}

Dataset loadCifar10(const std::filesystem::path& folder, ImageValues values) {
  requireFolder(folder, "CIFAR-10 data");
  std::vector<uint8_t> trainRecords;
  for (int batch = 1; batch <= 5; ++batch)
    readBatch(findDataFile(folder, "data_batch_" + std::to_string(batch) + ".bin"), trainRecords);
  std::vector<uint8_t> testRecords;
  readBatch(findDataFile(folder, "test_batch.bin"), testRecords);

  Dataset dataset;
  dataset.name = "CIFAR-10";
  dataset.source = folder.string();
  dataset.classNames = cifar10ClassNames();
  dataset.train = decode(trainRecords, values);
  dataset.test = decode(testRecords, values);
  return dataset;
}

} // namespace genlab::data
