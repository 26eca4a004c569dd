#include "core/corruption/preview.h"

#include "core/corruption/corrupt.h"
#include "core/data/load.h"
#include "core/errors.h"
#include "core/format.h"

#include <cstring>

namespace genlab::corruption {

namespace {

std::vector<uint8_t> toBytes(const torch::Tensor& image) {
  const torch::Tensor x = image.to(torch::kFloat32).contiguous();
  const float low = x.min().item<float>(), high = x.max().item<float>();
  const float scale = high > low ? 255.0F / (high - low) : 0.0F;
  const torch::Tensor bytes =
      ((x - low) * scale).clamp(0, 255).to(torch::kUInt8).permute({1, 2, 0}).contiguous();
  std::vector<uint8_t> out(static_cast<size_t>(bytes.numel()));
  std::memcpy(out.data(), bytes.data_ptr<uint8_t>(), out.size());
  return out;
}

} // namespace

namespace {

/// The images numbered `examples`, or the first `count` when `examples` is null.
Preview previewOf(const data::DataSpec& dataSpec, const Setting& setting, uint64_t seed,
                  const std::vector<int64_t>* examples, int count) {
  data::DataSpec spec = dataSpec;
  spec.seed = seed;
  const data::Dataset clean = data::loadDataset(spec).dataset;
  const CorruptedDataset corrupted = corrupt(clean, setting, seed);
  Preview preview;
  preview.description = corrupted.report.description;
  const data::Dataset& d = corrupted.dataset;
  std::vector<int64_t> first;
  if (examples == nullptr) {
    for (int64_t i = 0; i < std::min<int64_t>(count, d.train.size()); ++i) first.push_back(i);
    examples = &first;
  }
  for (const int64_t i : *examples) {
    if (i < 0 || i >= d.train.size())
      throw InputError("training image " + std::to_string(i) + " is not in the training set of " +
                       std::to_string(d.train.size()) + " images");
    const auto label = static_cast<size_t>(d.train.labels[i].item<int64_t>());
    const auto original = static_cast<size_t>(clean.train.labels[i].item<int64_t>());
    preview.images.push_back({d.shape(), toBytes(d.train.images[i]), d.classNames.at(label),
                              clean.classNames.at(original)});
  }
  return preview;
}

} // namespace

Preview previewSetting(const data::DataSpec& data, const Setting& setting, uint64_t seed, int count) {
  return previewOf(data, setting, seed, nullptr, count);
}

Preview previewExamples(const data::DataSpec& data, const Setting& setting, uint64_t seed,
                        const std::vector<int64_t>& examples) {
  return previewOf(data, setting, seed, &examples, 0);
}

std::string describeSettings(const data::DataSpec& dataSpec, const std::vector<Setting>& settings,
                             uint64_t seed) {
  data::DataSpec spec = dataSpec;
  spec.seed = seed;
  const data::LoadedDataset loaded = data::loadDataset(spec);
  std::string text = data::summary(loaded.dataset) + "  loaded in " +
                     fixed(loaded.loadSeconds, 2) + " s; " + loaded.preprocessing +
                     "\n\nCorruption settings (seed " + std::to_string(seed) + "):\n";
  for (const auto& setting : settings)
    text += "  " + setting.name() + ": " + corrupt(loaded.dataset, setting, seed).report.description +
            '\n';
  return text;
}

} // namespace genlab::corruption
