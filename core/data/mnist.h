#pragma once
/// Loaders for the MNIST family of data sets, stored as four IDX files in one folder.

#include "core/data/dataset.h"

#include <filesystem>

namespace genlab::data {

/// Loads train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and
/// t10k-labels-idx1-ubyte (each raw or with .gz) from `folder`. Images become float32
/// [N, 1, H, W] in [0, 1] (or stay bytes: `values`). Throws InputError on a missing file, a
/// malformed file, image and label counts that differ, train and test images of different
/// sizes, or a label outside [0, classNames.size()).
Dataset loadIdxFolder(const std::filesystem::path& folder, const std::string& name,
                      const std::vector<std::string>& classNames,
                      ImageValues values = ImageValues::UnitFloat);

/// Fashion-MNIST (Xiao et al. 2017): 60,000 + 10,000 images of 28x28, ten kinds of clothing.
Dataset loadFashionMnist(const std::filesystem::path& folder, ImageValues values = ImageValues::UnitFloat);

/// MNIST (LeCun et al. 1998): 60,000 + 10,000 images of 28x28 handwritten digits.
Dataset loadMnist(const std::filesystem::path& folder, ImageValues values = ImageValues::UnitFloat);

const std::vector<std::string>& fashionMnistClassNames();

} // namespace genlab::data
