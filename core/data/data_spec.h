#pragma once
/// What data set to load and how to prepare it: plain values, no LibTorch, so that the spec of
/// an experiment, the window and the command line need none of its headers.

#include "core/names.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace genlab::data {

/// Shape of one image: channels x height x width.
struct ImageShape {
  int64_t channels = 0;
  int64_t height = 0;
  int64_t width = 0;

  int64_t pixels() const { return height * width; }  ///< pixel positions per image
  int64_t values() const { return channels * pixels(); }  ///< numbers per image
  std::string toString() const;  ///< "1x28x28"
  bool operator==(const ImageShape&) const = default;
};

enum class DatasetKind { FashionMnist, Mnist, Cifar10, Synthetic };

/// Spellings used on the command line and in JSON: "fashion-mnist", "mnist", "cifar10",
/// "synthetic" (parse with valueNamed, list with listNames).
std::span<const NamedValue<DatasetKind>> datasetKindNames();
std::string_view toString(DatasetKind kind);
/// For titles and captions: "Fashion-MNIST", "MNIST", "CIFAR-10", "synthetic data".
std::string displayName(DatasetKind kind);

/// Where Debian's dataset-fashion-mnist package installs Fashion-MNIST: the lab's built-in
/// default data set.
inline constexpr const char* kFashionMnistPackageDir = "/usr/share/datasets/fashion-mnist";

/// Environment variable naming the data folder when the user names none.
inline constexpr const char* kDataDirVariable = "GENLAB_DATA_DIR";

enum class SubsetMethod {
  First,          ///< the first n images, in file order
  ClassBalanced,  ///< n images spread evenly over the classes, chosen at random from a seed
};
/// "first", "balanced".
std::span<const NamedValue<SubsetMethod>> subsetMethodNames();

enum class Preprocessing {
  ScaleOnly,      ///< pixels in [0, 1], nothing more
  Standardize,    ///< per-channel (x - mean) / std with the training set's statistics (default)
  CropAndWhiten,  ///< the paper's CIFAR-10 recipe: centre crop to 28x28, per-image whitening
};
/// "scale", "standardize", "crop-whiten".
std::span<const NamedValue<Preprocessing>> preprocessingNames();

/// A synthetic data set with class-dependent structure (core/data/synthetic.h), for tests and
/// for machines without a real data set.
struct SyntheticSpec {
  int64_t trainSize = 2000;
  int64_t testSize = 500;
  ImageShape shape{1, 28, 28};
  int64_t numClasses = 10;
  /// Standard deviation of the per-pixel noise added to each class's prototype image
  /// (pixel values lie in [0, 1]). Small values make classes easy to tell apart.
  double noise = 0.25;
  uint64_t seed = 0;
  bool operator==(const SyntheticSpec&) const = default;
};

/// What to load and how to prepare it.
struct DataSpec {
  DatasetKind kind = DatasetKind::FashionMnist;
  std::string directory;  ///< empty: resolveDataDirectory's search
  int64_t trainSize = 0;  ///< 0: the whole training set
  int64_t testSize = 0;   ///< 0: the whole test set
  SubsetMethod subset = SubsetMethod::ClassBalanced;
  Preprocessing preprocessing = Preprocessing::Standardize;
  SyntheticSpec synthetic;  ///< used when kind is Synthetic (its sizes are the full sets)
  uint64_t seed = 0;        ///< for subsets
  bool operator==(const DataSpec&) const = default;
};

/// The folder a spec reads from: its own directory, else $GENLAB_DATA_DIR, else (Fashion-MNIST)
/// Debian's package folder when installed, else the data set fetched into the shared folder
/// (core/datasets/fetch.h). Throws DataError for MNIST or CIFAR-10 found in none of them, saying
/// how to fetch it.
std::string resolveDataDirectory(const DataSpec& spec);

/// The image shape and class count a spec's data set will have once loaded and preprocessed,
/// known without reading any file (for example to count a network's parameters while the
/// user edits the experiment). MNIST and Fashion-MNIST are 1x28x28, CIFAR-10 3x32x32 (28x28
/// after the paper's centre crop), synthetic data as its spec says; 10 classes, or the
/// synthetic spec's count; the images the subsets keep of each part.
struct DataFormat {
  ImageShape shape;
  int64_t numClasses = 10;
  int64_t trainImages = 0;  ///< after the spec's subset (60,000 for all of Fashion-MNIST)
  int64_t testImages = 0;
};
DataFormat expectedFormat(const DataSpec& spec);

} // namespace genlab::data
