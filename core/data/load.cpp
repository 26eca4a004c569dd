#include "core/data/load.h"

#include "core/data/cifar10.h"
#include "core/data/mnist.h"
#include "core/data/preprocess.h"
#include "core/data/subset.h"
#include "core/data/synthetic.h"
#include "core/errors.h"

#include <chrono>

namespace genlab::data {

namespace {

/// The images as the files store them (bytes) when a subset is to be taken, so that only the
/// images kept become floats; as floats at once when every image is kept (no copy of the bytes).
/// Synthetic ones are made as floats.
Dataset readDataset(const DataSpec& spec) {
  const ImageValues values = spec.trainSize == 0 && spec.testSize == 0 ? ImageValues::UnitFloat : ImageValues::Stored;
  switch (spec.kind) {
  case DatasetKind::FashionMnist:
    return loadFashionMnist(resolveDataDirectory(spec), values);
  case DatasetKind::Mnist:
    return loadMnist(resolveDataDirectory(spec), values);
  case DatasetKind::Cifar10:
    return loadCifar10(resolveDataDirectory(spec), values);
  case DatasetKind::Synthetic:
    return makeSynthetic(spec.synthetic);
  }
  throw InputError("unknown data set kind");
}

} // namespace

LoadedDataset loadDataset(const DataSpec& spec) {
  const auto start = std::chrono::steady_clock::now();
  LoadedDataset loaded;
  loaded.dataset = readDataset(spec);
  loaded.loadSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  Dataset& d = loaded.dataset;
  d.train = takeSubset(d.train, spec.trainSize, spec.subset, d.numClasses(), spec.seed, "training");
  d.test = takeSubset(d.test, spec.testSize, spec.subset, d.numClasses(), spec.seed, "test");
  convertToUnitFloat(d);  // the images kept (when stored), not the whole files'
  loaded.preprocessing = preprocess(d, spec.preprocessing);
  return loaded;
}

} // namespace genlab::data
