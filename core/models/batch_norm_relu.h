#pragma once
/// Batch norm without scale and shift followed by a ReLU, as the small Inception's Conv modules
/// apply them. In training on the CPU it takes one pass over channels-last rows for the batch's
/// statistics and one for the output, and two for the gradient (batch_norm_rows.h), where
/// LibTorch's batch norm and ReLU take more passes and keep both their inputs for the backward
/// pass. Elsewhere (evaluation, other devices and dtypes, scale and shift) it is LibTorch's batch
/// norm then ReLU.

#include <torch/nn/modules/batchnorm.h>

namespace genlab::models {

/// relu(norm(input)) for input [N, C, H, W], with norm's running statistics and batch count
/// updated as its own forward pass updates them in training.
torch::Tensor batchNormReLU(torch::nn::BatchNorm2dImpl& norm, const torch::Tensor& input);

/// torch::cat({batchNormReLU(first, a), batchNormReLU(second, b)}, 1): an Inception module's
/// output. Where both take the loops above, each writes its own channels of the one output, so
/// the concatenation costs no copy.
torch::Tensor batchNormReLUConcat(torch::nn::BatchNorm2dImpl& first, const torch::Tensor& a,
                                  torch::nn::BatchNorm2dImpl& second, const torch::Tensor& b);

} // namespace genlab::models
