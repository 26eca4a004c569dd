#pragma once
/// The in-memory data set every other part of the lab works on.

#include "core/data/data_spec.h"

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace genlab::data {

/// Images and their labels, held once in memory.
struct LabelledImages {
  /// float32 [N, C, H, W] (uint8 as stored, from a loader asked for ImageValues::Stored)
  torch::Tensor images;
  torch::Tensor labels;  ///< int64 [N], each in [0, number of classes)

  int64_t size() const { return labels.defined() ? labels.size(0) : 0; }
  ImageShape shape() const;
  /// Images per class, a vector of length numClasses.
  std::vector<int64_t> classCounts(int64_t numClasses) const;
};

/// A data set: a training set, a test set and the names of the classes.
struct Dataset {
  std::string name;                     ///< "Fashion-MNIST", "CIFAR-10", "synthetic", ...
  std::string source;                   ///< where it came from (a folder, or how it was made)
  std::vector<std::string> classNames;  ///< one per class
  LabelledImages train;
  LabelledImages test;

  int64_t numClasses() const { return static_cast<int64_t>(classNames.size()); }
  ImageShape shape() const { return train.shape(); }
};

/// A few lines a person can read: name, source, sizes, shape, class counts.
std::string summary(const Dataset& dataset);

/// The values of a small tensor, each fixed(v, digits), separated by spaces: "0.286 0.353".
std::string joinValues(const torch::Tensor& values, int digits);

/// What a loader hands over: images as float32 in [0, 1], what training takes, or as the bytes
/// the files store, for a caller that takes a subset first (loadDataset), so that only the
/// images it keeps are converted.
enum class ImageValues { UnitFloat, Stored };

/// [N, ...] bytes (0..255) as float32 [N, C, H, W] in [0, 1], or (Stored) as uint8
/// [N, C, H, W] in memory of their own: a copy of `bytes` when they are `borrowed` (from_blob
/// over a buffer that goes), else `bytes` themselves, reshaped.
torch::Tensor imagesFromBytes(const torch::Tensor& bytes, ImageShape shape, ImageValues values, bool borrowed = true);

/// Turns a data set's stored (uint8) images into float32 in [0, 1]; float images stay.
void convertToUnitFloat(Dataset& dataset);

} // namespace genlab::data
