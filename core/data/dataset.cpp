#include "core/data/dataset.h"

#include "core/format.h"

#include <torch/torch.h>

#include <sstream>

namespace genlab::data {

ImageShape LabelledImages::shape() const {
  if (!images.defined() || images.dim() != 4) return {};
  return {images.size(1), images.size(2), images.size(3)};
}

std::vector<int64_t> LabelledImages::classCounts(int64_t numClasses) const {
  std::vector<int64_t> counts(static_cast<size_t>(numClasses), 0);
  if (size() == 0) return counts;
  const torch::Tensor bins = torch::bincount(labels.cpu(), /*weights=*/{}, numClasses);
  const auto* data = bins.data_ptr<int64_t>();
  for (int64_t c = 0; c < numClasses; ++c) counts[static_cast<size_t>(c)] = data[c];
  return counts;
}

std::string summary(const Dataset& dataset) {
  std::ostringstream out;
  out << dataset.name << " (" << dataset.source << ")\n"
      << "  training: " << dataset.train.size() << " images, test: " << dataset.test.size()
      << " images, each " << dataset.shape().toString() << " (channels x height x width), "
      << dataset.numClasses() << " classes\n"
      << "  training images per class:";
  const auto counts = dataset.train.classCounts(dataset.numClasses());
  for (size_t c = 0; c < counts.size(); ++c)
    out << (c ? ", " : " ") << dataset.classNames[c] << " " << counts[c];
  out << '\n';
  return out.str();
}

std::string joinValues(const torch::Tensor& values, int digits) {
  const torch::Tensor flat = values.detach().cpu().to(torch::kFloat64).flatten();
  std::string out;
  for (int64_t i = 0; i < flat.numel(); ++i) {
    if (i > 0) out += ' ';
    out += fixed(flat[i].item<double>(), digits);
  }
  return out;
}

namespace {

torch::Tensor unitFloat(const torch::Tensor& bytes) { return bytes.to(torch::kFloat32).div_(255.0F); }

} // namespace

torch::Tensor imagesFromBytes(const torch::Tensor& bytes, ImageShape shape, ImageValues values, bool borrowed) {
  const torch::Tensor images = bytes.reshape({-1, shape.channels, shape.height, shape.width});
  if (values == ImageValues::Stored) return borrowed ? images.clone(at::MemoryFormat::Contiguous) : images.contiguous();
  return unitFloat(images);
}

void convertToUnitFloat(Dataset& dataset) {
  for (LabelledImages* part : {&dataset.train, &dataset.test})
    if (part->images.defined() && part->images.scalar_type() == torch::kUInt8) part->images = unitFloat(part->images);
}

} // namespace genlab::data
