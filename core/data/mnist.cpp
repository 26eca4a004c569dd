#include "core/data/mnist.h"

#include "core/data/file_bytes.h"
#include "core/data/idx.h"
#include "core/errors.h"

#include <torch/torch.h>

#include <future>

namespace genlab::data {

namespace {

LabelledImages loadPart(const std::filesystem::path& folder, const std::string& prefix,
                        int64_t numClasses, ImageValues values) {
  const auto imagePath = findDataFile(folder, prefix + "-images-idx3-ubyte");
  const auto labelPath = findDataFile(folder, prefix + "-labels-idx1-ubyte");
  // The images inflate straight into their tensor (the lab's allocator gives a large one huge
  // pages): the largest file of a session's set-up is written once.
  torch::Tensor bytes;
  const IdxHeader images = readIdxInto(imagePath, 3, [&](const IdxHeader& header) {
    bytes = torch::empty({header.dims[0], header.dims[1] * header.dims[2]}, torch::kUInt8);
    return bytes.data_ptr<uint8_t>();
  });
  IdxArray labels = readIdx(labelPath, 1);

  if (images.dims[0] != labels.dims[0])
    throw DataError("inconsistent counts: '" + imagePath.string() + "' holds " +
                     std::to_string(images.dims[0]) + " images but '" + labelPath.string() +
                     "' holds " + std::to_string(labels.dims[0]) + " labels");
  for (size_t i = 0; i < labels.values.size(); ++i)
    if (labels.values[i] >= numClasses)
      throw DataError("label " + std::to_string(labels.values[i]) + " at index " +
                       std::to_string(i) + " of '" + labelPath.string() +
                       "' is out of range [0, " + std::to_string(numClasses) + ")");

  const ImageShape shape{1, images.dims[1], images.dims[2]};
  const auto n = static_cast<int64_t>(images.dims[0]);
  LabelledImages part;
  part.images = imagesFromBytes(bytes, shape, values, /*borrowed=*/false);
  part.labels = torch::from_blob(labels.values.data(), {n}, torch::kUInt8).to(torch::kInt64);
  return part;
}

} // namespace

Dataset loadIdxFolder(const std::filesystem::path& folder, const std::string& name,
                      const std::vector<std::string>& classNames, ImageValues values) {
  requireFolder(folder, name + " data");
  Dataset dataset;
  dataset.name = name;
  dataset.source = folder.string();
  dataset.classNames = classNames;
  const auto numClasses = static_cast<int64_t>(classNames.size());
  // The test files inflate on a thread of their own while the training files do.
  auto test = std::async(std::launch::async, [&] { return loadPart(folder, "t10k", numClasses, values); });
  dataset.train = loadPart(folder, "train", numClasses, values);
  dataset.test = test.get();
  if (dataset.train.shape() != dataset.test.shape())
    throw DataError("training images in '" + folder.string() + "' are " +
                     dataset.train.shape().toString() + " but test images are " +
                     dataset.test.shape().toString());
  return dataset;
}

const std::vector<std::string>& fashionMnistClassNames() {
  static const std::vector<std::string> names{"T-shirt/top", "Trouser", "Pullover", "Dress",
                                              "Coat",        "Sandal",  "Shirt",    "Sneaker",
                                              "Bag",         "Ankle boot"};
  return names;
}

Dataset loadFashionMnist(const std::filesystem::path& folder, ImageValues values) {
  return loadIdxFolder(folder, "Fashion-MNIST", fashionMnistClassNames(), values);
}

Dataset loadMnist(const std::filesystem::path& folder, ImageValues values) {
  static const std::vector<std::string> digits{"0", "1", "2", "3", "4",
                                               "5", "6", "7", "8", "9"};
  return loadIdxFolder(folder, "MNIST", digits, values);
}

} // namespace genlab::data
