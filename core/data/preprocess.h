#pragma once
/// Input preprocessing, applied after loading (pixels already scaled to [0, 1]).

#include "core/data/data_spec.h"
#include "core/data/dataset.h"

#include <string>

namespace genlab::data {

/// Preprocesses training and test images in place and returns one line describing what was
/// done, with the statistics used. Standardize uses the training set's per-channel mean and
/// standard deviation for both sets. CropAndWhiten centre-crops to 28x28 (images must be at
/// least that big, else InputError) and maps each image x to
/// (x - mean(x)) / max(std(x), 1 / sqrt(N)), N the number of values in the image.
std::string preprocess(Dataset& dataset, Preprocessing method);

/// Centre crop of [N, C, H, W] images to [N, C, size, size].
torch::Tensor centreCrop(const torch::Tensor& images, int64_t size);

} // namespace genlab::data
