#pragma once
/// Data augmentation of Table 1 ("random cropping" and flips), on whole batches.

#include <torch/types.h>

namespace genlab::train {

/// Each image of `batch` [N, C, H, W] shifted by a random crop from its zero-padded copy
/// (offsets uniform in [0, 2 * padding] in each direction, so the output keeps H x W) and,
/// when `flip` is set, mirrored left-right with probability 1/2. Done with tensor operations
/// on the batch's own device; draws come from the thread's generator (genlab::threadGenerator)
/// when one is installed, else from LibTorch's default generator of that device.
torch::Tensor randomCropAndFlip(const torch::Tensor& batch, int64_t padding, bool flip);

} // namespace genlab::train
