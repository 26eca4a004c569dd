#include "core/data/synthetic.h"

#include "core/errors.h"
#include "core/random.h"

#include <torch/torch.h>

namespace genlab::data {

namespace {

LabelledImages makePart(int64_t size, const torch::Tensor& prototypes, double noise,
                        at::Generator& generator) {
  const int64_t numClasses = prototypes.size(0);
  LabelledImages part;
  const torch::Tensor balanced = torch::arange(size, torch::kInt64).remainder(numClasses);
  part.labels = balanced.index_select(0, torch::randperm(size, generator, torch::kInt64));
  const torch::Tensor clean = prototypes.index_select(0, part.labels);
  part.images = (clean + noise * torch::randn(clean.sizes(), generator, torch::kFloat32))
                    .clamp_(0.0, 1.0);
  return part;
}

} // namespace

Dataset makeSynthetic(const SyntheticSpec& spec) {
  const ImageShape& s = spec.shape;
  if (spec.trainSize <= 0 || spec.testSize <= 0)
    throw InputError("synthetic data set sizes must be positive (got " +
                     std::to_string(spec.trainSize) + " training and " +
                     std::to_string(spec.testSize) + " test images)");
  if (s.channels <= 0 || s.height <= 0 || s.width <= 0)
    throw InputError("synthetic image shape " + s.toString() + " must be positive");
  if (spec.numClasses < 2 || spec.numClasses > 1000)
    throw InputError("synthetic class count " + std::to_string(spec.numClasses) +
                     " must lie in [2, 1000]");
  if (!(spec.noise >= 0.0))
    throw InputError("synthetic noise level " + std::to_string(spec.noise) +
                     " must not be negative");

  at::Generator generator = makeGenerator(spec.seed);
  // Smooth prototypes: coarse random patterns, upsampled. Their contrast is what makes
  // classes learnable with true labels and generalizable to the test set.
  const int64_t coarse = 4;
  const torch::Tensor pattern =
      torch::rand({spec.numClasses, s.channels, coarse, coarse}, generator, torch::kFloat32);
  const torch::Tensor prototypes = torch::nn::functional::interpolate(
      pattern, torch::nn::functional::InterpolateFuncOptions()
                   .size(std::vector<int64_t>{s.height, s.width})
                   .mode(torch::kBilinear)
                   .align_corners(false));

  Dataset dataset;
  dataset.name = "synthetic";
  dataset.source = "generated: " + std::to_string(spec.numClasses) + " classes, noise " +
                   std::to_string(spec.noise) + ", seed " + std::to_string(spec.seed);
  for (int64_t c = 0; c < spec.numClasses; ++c)
    dataset.classNames.push_back("class " + std::to_string(c));
  dataset.train = makePart(spec.trainSize, prototypes, spec.noise, generator);
  dataset.test = makePart(spec.testSize, prototypes, spec.noise, generator);
  return dataset;
}

} // namespace genlab::data
