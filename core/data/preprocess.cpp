#include "core/data/preprocess.h"

#include "core/errors.h"
#include "core/format.h"

#include <torch/torch.h>

#include <cmath>

namespace genlab::data {

namespace {

constexpr int64_t kPaperCrop = 28;

std::string standardize(Dataset& dataset) {
  const torch::Tensor& train = dataset.train.images;
  const torch::Tensor mean = train.mean({0, 2, 3}, /*keepdim=*/true);
  // A constant channel (std 0) is only centred, not divided by zero.
  torch::Tensor std = train.std({0, 2, 3}, /*unbiased=*/false, /*keepdim=*/true);
  std = torch::where(std > 0, std, torch::ones_like(std));
  // In place on the differences: one new tensor each, not two (fresh memory is faulted in).
  dataset.train.images = (train - mean).div_(std);
  dataset.test.images = (dataset.test.images - mean).div_(std);

  return "per-channel standardization with the training set's mean " + joinValues(mean, 3) +
         " and std " + joinValues(std, 3);
}

torch::Tensor whitenEachImage(const torch::Tensor& images) {
  const int64_t values = images[0].numel();
  const torch::Tensor flat = images.reshape({images.size(0), -1});
  const torch::Tensor mean = flat.mean(1, /*keepdim=*/true);
  const torch::Tensor std = flat.std(1, /*unbiased=*/false, /*keepdim=*/true)
                                .clamp_min(1.0 / std::sqrt(static_cast<double>(values)));
  return ((flat - mean) / std).reshape(images.sizes());
}

} // namespace

torch::Tensor centreCrop(const torch::Tensor& images, int64_t size) {
  const int64_t top = (images.size(2) - size) / 2;
  const int64_t left = (images.size(3) - size) / 2;
  return images.narrow(2, top, size).narrow(3, left, size).contiguous();
}

std::string preprocess(Dataset& dataset, Preprocessing method) {
  switch (method) {
  case Preprocessing::ScaleOnly:
    return "pixels scaled to [0, 1]";
  case Preprocessing::Standardize:
    return standardize(dataset);
  case Preprocessing::CropAndWhiten: {
    const ImageShape shape = dataset.shape();
    if (shape.height < kPaperCrop || shape.width < kPaperCrop)
      throw InputError("cannot centre-crop " + shape.toString() + " images to 28x28");
    dataset.train.images = whitenEachImage(centreCrop(dataset.train.images, kPaperCrop));
    dataset.test.images = whitenEachImage(centreCrop(dataset.test.images, kPaperCrop));
    return "centre crop " + std::to_string(shape.height) + "x" + std::to_string(shape.width) +
           " to 28x28, then per-image whitening (x - mean) / max(std, 1/sqrt(N))";
  }
  }
  throw InputError("unknown preprocessing method");
}

} // namespace genlab::data
