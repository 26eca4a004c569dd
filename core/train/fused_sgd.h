#pragma once
/// SGD with momentum and weight decay whose update of each float32 CPU parameter is one pass
/// over its weights, gradient and momentum buffer, where LibTorch's SGD makes three (and
/// zeroing the gradients for the next step a fourth). The same update rule, state and
/// checkpoint format as torch::optim::SGD, so either loads the other's state; the numbers
/// agree to float rounding (LibTorch's vector kernels fuse multiply and add, this loop may not).

#include <torch/optim/sgd.h>

namespace genlab::train {

class FusedSgd : public torch::optim::SGD {
public:
  using torch::optim::SGD::SGD;

  /// One step of every parameter with a gradient; the gradients are then released (set to
  /// none), so the next backward pass writes them afresh instead of adding to zeros.
  torch::Tensor step(LossClosure closure = nullptr) override;
};

/// Sets every gradient of `optimizer`'s parameters to none, so that the next backward pass
/// writes fresh gradients instead of adding to zeroed ones (FusedSgd::step does it itself).
void releaseGradients(torch::optim::Optimizer& optimizer);

} // namespace genlab::train
