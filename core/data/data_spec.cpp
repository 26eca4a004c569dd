#include "core/data/data_spec.h"

#include "core/datasets/catalog.h"
#include "core/datasets/locations.h"
#include "core/errors.h"
#include "core/format.h"

#include <algorithm>
#include <cstdlib>

namespace genlab::data {

std::string ImageShape::toString() const {
  return std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width);
}

std::span<const NamedValue<DatasetKind>> datasetKindNames() {
  static constexpr NamedValue<DatasetKind> table[] = {{DatasetKind::FashionMnist, "fashion-mnist"},
                                                      {DatasetKind::Mnist, "mnist"},
                                                      {DatasetKind::Cifar10, "cifar10"},
                                                      {DatasetKind::Synthetic, "synthetic"}};
  return table;
}

std::string_view toString(DatasetKind kind) { return nameOf(datasetKindNames(), kind); }

std::string displayName(DatasetKind kind) {
  switch (kind) {
  case DatasetKind::FashionMnist: return "Fashion-MNIST";
  case DatasetKind::Mnist: return "MNIST";
  case DatasetKind::Cifar10: return "CIFAR-10";
  case DatasetKind::Synthetic: return "synthetic data";
  }
  return std::string(toString(kind));
}

std::span<const NamedValue<SubsetMethod>> subsetMethodNames() {
  static constexpr NamedValue<SubsetMethod> table[] = {{SubsetMethod::First, "first"},
                                                       {SubsetMethod::ClassBalanced, "balanced"}};
  return table;
}

std::span<const NamedValue<Preprocessing>> preprocessingNames() {
  static constexpr NamedValue<Preprocessing> table[] = {
      {Preprocessing::ScaleOnly, "scale"},
      {Preprocessing::Standardize, "standardize"},
      {Preprocessing::CropAndWhiten, "crop-whiten"}};
  return table;
}

std::string resolveDataDirectory(const DataSpec& spec) {
  if (!spec.directory.empty()) return spec.directory;
  if (const char* fromEnvironment = std::getenv(kDataDirVariable);
      fromEnvironment != nullptr && *fromEnvironment != '\0')
    return fromEnvironment;
  std::error_code ec;
  if (spec.kind == DatasetKind::FashionMnist && std::filesystem::is_directory(kFashionMnistPackageDir, ec))
    return kFashionMnistPackageDir;
  const std::filesystem::path root = datasets::defaultDatasetsRoot();
  if (datasets::isFetched(root, spec.kind))
    return datasets::datasetFolder(root, spec.kind).string();
  if (spec.kind == DatasetKind::FashionMnist) return kFashionMnistPackageDir;
  throw DataError(displayName(spec.kind) + " is not on this machine: 'genlab data fetch " +
                  std::string(toString(spec.kind)) + "' downloads it (" +
                  mebibytes(double(datasets::downloadBytes(spec.kind))) +
                  "), or name its folder, or set " + kDataDirVariable);
}

DataFormat expectedFormat(const DataSpec& spec) {
  DataFormat format;
  switch (spec.kind) {
  case DatasetKind::FashionMnist:
  case DatasetKind::Mnist:
    format.shape = {1, 28, 28};
    format.trainImages = 60000;
    format.testImages = 10000;
    break;
  case DatasetKind::Cifar10:
    format.shape = {3, 32, 32};
    format.trainImages = 50000;
    format.testImages = 10000;
    break;
  case DatasetKind::Synthetic:
    format.shape = spec.synthetic.shape;
    format.numClasses = spec.synthetic.numClasses;
    format.trainImages = spec.synthetic.trainSize;
    format.testImages = spec.synthetic.testSize;
    break;
  }
  if (spec.trainSize > 0) format.trainImages = std::min(format.trainImages, spec.trainSize);
  if (spec.testSize > 0) format.testImages = std::min(format.testImages, spec.testSize);
  if (spec.preprocessing == Preprocessing::CropAndWhiten) {
    // The same rule as centreCrop: images smaller than 28x28 are rejected when loading.
    format.shape.height = std::min<int64_t>(format.shape.height, 28);
    format.shape.width = std::min<int64_t>(format.shape.width, 28);
  }
  return format;
}

} // namespace genlab::data
