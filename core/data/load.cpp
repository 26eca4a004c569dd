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

/// The images as the files store them (bytes); synthetic ones are made as floats.
Dataset readDataset(const DataSpec& spec) {
  switch (spec.kind) {
  case DatasetKind::FashionMnist:
    return loadFashionMnist(resolveDataDirectory(spec), ImageValues::Stored);
  case DatasetKind::Mnist:
    return loadMnist(resolveDataDirectory(spec), ImageValues::Stored);
  case DatasetKind::Cifar10:
    return loadCifar10(resolveDataDirectory(spec), ImageValues::Stored);
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
  convertToUnitFloat(d);  // the images kept, not the whole files'
  loaded.preprocessing = preprocess(d, spec.preprocessing);
  return loaded;
}

} // namespace genlab::data
