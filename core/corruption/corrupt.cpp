#include "core/corruption/corrupt.h"

#include "core/format.h"
#include "core/random.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <limits>
#include <numeric>

namespace genlab::corruption {

namespace {

/// Applies per-image permutations of pixel positions: image i gets permutations[i]
/// (or permutations[0] for all when there is one row).
torch::Tensor permutePixels(const torch::Tensor& images, const torch::Tensor& permutations) {
  const auto n = images.size(0);
  const auto c = images.size(1);
  const torch::Tensor flat = images.reshape({n, c, -1});
  const torch::Tensor index = permutations.unsqueeze(1).expand({n, c, flat.size(2)});
  return flat.gather(2, index).reshape(images.sizes());
}

/// Each image with its pixel positions under an independent uniform permutation: a
/// Fisher-Yates shuffle per image from its own stream, seeded from `seed` and the image's
/// index, so the result does not depend on the number of threads. Each permutation is applied
/// as it is drawn, never stored. (Sorting random keys, the tensor-only way, is about 10x slower
/// for full Fashion-MNIST.)
torch::Tensor permuteEachImage(const torch::Tensor& images, uint64_t seed) {
  const int64_t n = images.size(0), channels = images.size(1);
  const torch::Tensor flat = images.reshape({n, channels, -1}).contiguous();
  const int64_t pixels = flat.size(2);
  torch::Tensor out = torch::empty_like(flat);
  AT_DISPATCH_ALL_TYPES(flat.scalar_type(), "permuteEachImage", [&] {
    const scalar_t* from = flat.data_ptr<scalar_t>();
    scalar_t* to = out.data_ptr<scalar_t>();
    at::parallel_for(0, n, 256, [&](int64_t begin, int64_t end) {
      std::vector<int64_t> position(static_cast<size_t>(pixels));
      for (int64_t image = begin; image < end; ++image) {
        std::iota(position.begin(), position.end(), int64_t{0});
        SplitMix64 stream(deriveSeed(seed, "pixels", static_cast<uint64_t>(image)));
        for (int64_t i = pixels - 1; i > 0; --i)
          std::swap(position[static_cast<size_t>(i)], position[stream.below(static_cast<uint64_t>(i) + 1)]);
        for (int64_t c = 0; c < channels; ++c) {
          const scalar_t* source = from + (image * channels + c) * pixels;
          scalar_t* target = to + (image * channels + c) * pixels;
          for (int64_t j = 0; j < pixels; ++j) target[j] = source[position[static_cast<size_t>(j)]];
        }
      }
    });
  });
  return out.reshape(images.sizes());
}

void corruptLabels(data::Dataset& d, double p, at::Generator& generator, Report& report) {
  const torch::Tensor original = d.train.labels;  // a handle: d.train.labels is replaced below
  const int64_t n = original.size(0);
  const torch::Tensor redraw = torch::rand({n}, generator, torch::kFloat64) < p;
  const torch::Tensor drawn = torch::randint(0, d.numClasses(), {n}, generator, torch::kInt64);
  d.train.labels = torch::where(redraw, drawn, original);
  report.labelChanged = d.train.labels != original;
  report.trainLabelsChanged = report.labelChanged.sum().item<int64_t>();
  report.fractionLabelsChanged = n > 0 ? static_cast<double>(report.trainLabelsChanged) / n : 0.0;
  report.description = "each training label redrawn uniformly with probability " +
                       fixed(p, 2) + ": " +
                       std::to_string(report.trainLabelsChanged) + " of " + std::to_string(n) +
                       " changed (" + percent(report.fractionLabelsChanged) +
                       "); test labels kept";
}

void shufflePixels(data::Dataset& d, at::Generator& generator, Report& report) {
  const int64_t pixels = d.shape().pixels();
  report.pixelPermutation = torch::randperm(pixels, generator, torch::kInt64);
  const torch::Tensor one = report.pixelPermutation.unsqueeze(0);
  d.train.images = permutePixels(d.train.images, one.expand({d.train.size(), pixels}));
  d.test.images = permutePixels(d.test.images, one.expand({d.test.size(), pixels}));
  report.description = "one permutation of the " + std::to_string(pixels) +
                       " pixel positions applied to every training and test image";
}

void randomizePixels(data::Dataset& d, at::Generator& generator, Report& report) {
  const int64_t pixels = d.shape().pixels();
  // Two seeds from the setting's stream: one for the training images, one for the test images.
  const auto trainSeed = static_cast<uint64_t>(
      torch::randint(0, std::numeric_limits<int64_t>::max(), {1}, generator, torch::kInt64)
          .item<int64_t>());
  const auto testSeed = deriveSeed(trainSeed, "test");
  d.train.images = permuteEachImage(d.train.images, trainSeed);
  d.test.images = permuteEachImage(d.test.images, testSeed);
  report.description = "an independent permutation of the " + std::to_string(pixels) +
                       " pixel positions for each training and test image";
}

void replaceByGaussian(data::Dataset& d, at::Generator& generator, Report& report) {
  const torch::Tensor& train = d.train.images;
  const torch::Tensor mean = train.mean({0, 2, 3}, /*keepdim=*/true);
  const torch::Tensor std = train.std({0, 2, 3}, /*unbiased=*/false, /*keepdim=*/true);
  const auto noise = [&](const torch::Tensor& like) {
    return torch::randn(like.sizes(), generator, torch::kFloat32).mul_(std).add_(mean);
  };
  d.train.images = noise(d.train.images);
  d.test.images = noise(d.test.images);
  report.description = "every training and test image replaced by Gaussian noise with the "
                       "training set's per-channel mean " +
                       data::joinValues(mean, 3) + " and std " + data::joinValues(std, 3);
}

} // namespace

CorruptedDataset corrupt(const data::Dataset& clean, const Setting& setting, uint64_t seed) {
  validate(setting);
  CorruptedDataset out{clean, Report{}};
  Report& report = out.report;
  report.setting = setting;
  // One stream per (seed, setting): settings compared side by side draw independently, and
  // the same pair always draws the same values.
  at::Generator generator =
      makeGenerator(deriveSeed(seed, "corruption:" + setting.key()));

  switch (setting.kind) {
  case Kind::TrueLabels:
    report.description = "data set unchanged";
    break;
  case Kind::PartialLabels:
  case Kind::RandomLabels:
    corruptLabels(out.dataset, setting.labelCorruptionProbability(), generator, report);
    break;
  case Kind::ShuffledPixels:
    shufflePixels(out.dataset, generator, report);
    break;
  case Kind::RandomPixels:
    randomizePixels(out.dataset, generator, report);
    break;
  case Kind::GaussianInputs:
    replaceByGaussian(out.dataset, generator, report);
    break;
  }
  return out;
}

} // namespace genlab::corruption
