#include "core/data/load.h"

#include "core/data/cifar10.h"
#include "core/data/mnist.h"
#include "core/errors.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

namespace genlab::data {

namespace {

Dataset readDataset(const DataSpec& spec) {
  switch (spec.kind) {
  case DatasetKind::FashionMnist:
    return loadFashionMnist(resolveDataDirectory(spec));
  case DatasetKind::Mnist:
    return loadMnist(resolveDataDirectory(spec));
  case DatasetKind::Cifar10:
    return loadCifar10(resolveDataDirectory(spec));
  case DatasetKind::Synthetic:
    return makeSynthetic(spec.synthetic);
  }
  throw InputError("unknown data set kind");
}

} // namespace

std::span<const NamedValue<DatasetKind>> datasetKindNames() {
  static constexpr NamedValue<DatasetKind> table[] = {{DatasetKind::FashionMnist, "fashion-mnist"},
                                                      {DatasetKind::Mnist, "mnist"},
                                                      {DatasetKind::Cifar10, "cifar10"},
                                                      {DatasetKind::Synthetic, "synthetic"}};
  return table;
}

std::string_view toString(DatasetKind kind) { return nameOf(datasetKindNames(), kind); }

std::string resolveDataDirectory(const DataSpec& spec) {
  if (!spec.directory.empty()) return spec.directory;
  if (const char* fromEnvironment = std::getenv(kDataDirVariable);
      fromEnvironment != nullptr && *fromEnvironment != '\0')
    return fromEnvironment;
  if (spec.kind == DatasetKind::FashionMnist) return kFashionMnistPackageDir;
  throw InputError(std::string(toString(spec.kind)) +
                   " needs a data folder: name one, or set " + kDataDirVariable);
}

DataFormat expectedFormat(const DataSpec& spec) {
  DataFormat format;
  switch (spec.kind) {
  case DatasetKind::FashionMnist:
  case DatasetKind::Mnist:
    format.shape = {1, 28, 28};
    break;
  case DatasetKind::Cifar10:
    format.shape = {3, 32, 32};
    break;
  case DatasetKind::Synthetic:
    format.shape = spec.synthetic.shape;
    format.numClasses = spec.synthetic.numClasses;
    break;
  }
  if (spec.preprocessing == Preprocessing::CropAndWhiten) {
    // The same rule as centreCrop: images smaller than 28x28 are rejected when loading.
    format.shape.height = std::min<int64_t>(format.shape.height, 28);
    format.shape.width = std::min<int64_t>(format.shape.width, 28);
  }
  return format;
}

LoadedDataset loadDataset(const DataSpec& spec) {
  const auto start = std::chrono::steady_clock::now();
  LoadedDataset loaded;
  loaded.dataset = readDataset(spec);
  loaded.loadSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  Dataset& d = loaded.dataset;
  d.train = takeSubset(d.train, spec.trainSize, spec.subset, d.numClasses(), spec.seed, "training");
  d.test = takeSubset(d.test, spec.testSize, spec.subset, d.numClasses(), spec.seed, "test");
  loaded.preprocessing = preprocess(d, spec.preprocessing);
  return loaded;
}

} // namespace genlab::data
