#include "core/train/augmentation.h"

#include "core/random.h"

#include <torch/torch.h>

namespace genlab::train {

torch::Tensor randomCropAndFlip(const torch::Tensor& batch, int64_t padding, bool flip) {
  const int64_t n = batch.size(0), c = batch.size(1), h = batch.size(2), w = batch.size(3);
  const std::optional<at::Generator> own = threadGenerator();
  const c10::optional<at::Generator> generator = own ? c10::optional<at::Generator>(*own) : c10::nullopt;
  torch::Tensor out = batch;
  if (padding > 0) {
    namespace F = torch::nn::functional;
    const torch::Tensor padded =
        F::pad(batch, F::PadFuncOptions({padding, padding, padding, padding}));
    const auto longOnDevice = torch::TensorOptions().dtype(torch::kInt64).device(batch.device());
    const torch::Tensor top = torch::randint(0, 2 * padding + 1, {n}, generator, longOnDevice);
    const torch::Tensor left = torch::randint(0, 2 * padding + 1, {n}, generator, longOnDevice);
    // Rows top..top+h-1 of each padded image, then columns left..left+w-1: two gathers with
    // per-image index tensors, instead of a loop over images.
    const torch::Tensor rows = (top.view({n, 1}) + torch::arange(h, longOnDevice).view({1, h}))
                                   .view({n, 1, h, 1})
                                   .expand({n, c, h, w + 2 * padding});
    const torch::Tensor cols = (left.view({n, 1}) + torch::arange(w, longOnDevice).view({1, w}))
                                   .view({n, 1, 1, w})
                                   .expand({n, c, h, w});
    out = padded.gather(2, rows).gather(3, cols);
  }
  if (flip) {
    const torch::Tensor mirror =
        torch::rand({n, 1, 1, 1}, generator, torch::TensorOptions().device(batch.device())) < 0.5;
    out = torch::where(mirror, out.flip({3}), out);
  }
  return out;
}

} // namespace genlab::train
