#pragma once
/// Choosing and loading a data set: the one entry point the UI, the command line and the
/// training engine use.

#include "core/data/dataset.h"
#include "core/data/preprocess.h"
#include "core/data/subset.h"
#include "core/data/synthetic.h"
#include "core/names.h"

#include <string>
#include <string_view>

namespace genlab::data {

enum class DatasetKind { FashionMnist, Mnist, Cifar10, Synthetic };

/// Where Debian's dataset-fashion-mnist package installs Fashion-MNIST: the lab's built-in
/// default data set.
inline constexpr const char* kFashionMnistPackageDir = "/usr/share/datasets/fashion-mnist";

/// Environment variable naming the data folder when the user names none.
inline constexpr const char* kDataDirVariable = "GENLAB_DATA_DIR";

/// Spellings used on the command line and in JSON: "fashion-mnist", "mnist", "cifar10",
/// "synthetic" (parse with valueNamed, list with listNames).
std::span<const NamedValue<DatasetKind>> datasetKindNames();
std::string_view toString(DatasetKind kind);

/// What to load and how to prepare it.
struct DataSpec {
  DatasetKind kind = DatasetKind::FashionMnist;
  std::string directory;  ///< empty: $GENLAB_DATA_DIR, else the package folder (Fashion-MNIST)
  int64_t trainSize = 0;  ///< 0: the whole training set
  int64_t testSize = 0;   ///< 0: the whole test set
  SubsetMethod subset = SubsetMethod::ClassBalanced;
  Preprocessing preprocessing = Preprocessing::Standardize;
  SyntheticSpec synthetic;  ///< used when kind is Synthetic (its sizes are the full sets)
  uint64_t seed = 0;        ///< for subsets
  bool operator==(const DataSpec&) const = default;
};

/// The folder a spec reads from: its own directory, else $GENLAB_DATA_DIR, else (only for
/// Fashion-MNIST) the package folder. Throws InputError for MNIST or CIFAR-10 with no folder.
std::string resolveDataDirectory(const DataSpec& spec);

/// The image shape and class count a spec's data set will have once loaded and preprocessed,
/// known without reading any file (for example to count a network's parameters while the
/// user edits the experiment). MNIST and Fashion-MNIST are 1x28x28, CIFAR-10 3x32x32 (28x28
/// after the paper's centre crop), synthetic data as its spec says; 10 classes, or the
/// synthetic spec's count.
struct DataFormat {
  ImageShape shape;
  int64_t numClasses = 10;
};
DataFormat expectedFormat(const DataSpec& spec);

/// A prepared data set and what was done to it.
struct LoadedDataset {
  Dataset dataset;
  std::string preprocessing;  ///< the line preprocess() returned
  double loadSeconds = 0.0;   ///< reading and decoding the files (or generating)
};

/// Loads, takes subsets, and preprocesses. Throws InputError on any bad input; nothing
/// partial is returned.
LoadedDataset loadDataset(const DataSpec& spec);

} // namespace genlab::data
