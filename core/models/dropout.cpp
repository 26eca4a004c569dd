#include "core/models/dropout.h"

#include "core/random.h"

#include <torch/torch.h>

namespace genlab::models {

torch::Tensor DropoutImpl::forward(const torch::Tensor& input) {
  const std::optional<at::Generator> generator = threadGenerator();
  if (!generator || !is_training() || probability_ == 0 || input.numel() == 0)
    return torch::dropout(input, probability_, is_training());
  // As LibTorch's CPU dropout: a Bernoulli(1 - p) mask, scaled, multiplied in.
  torch::Tensor mask = torch::empty_like(input);
  mask.bernoulli_(1 - probability_, c10::optional<at::Generator>(*generator));
  mask.div_(1 - probability_);
  return input * mask;
}

} // namespace genlab::models
