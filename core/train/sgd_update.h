#pragma once
/// The loop of FusedSgd's update (core/train/fused_sgd.h): plain C++ without LibTorch, compiled
/// per CPU (core/cpu_clones.h) and without fused multiply-adds, so that an element updated in
/// the vector loop and one updated in its scalar remainder get the same bits: FusedSgd splits a
/// parameter into parts by thread count, which moves elements between the two.

#include <cstdint>

namespace genlab::train {

/// SGD's rule with momentum, as torch::optim::SGD applies it.
struct SgdRule {
  float learningRate = 0;
  float momentum = 0;
  float dampening = 0;
  float weightDecay = 0;
  bool nesterov = false;
};

/// Elements [begin, end): w <- w - lr * b, with b <- momentum * b + (1 - dampening) * g
/// (b <- g at the first step), g = grad + weightDecay * w, and for Nesterov
/// w <- w - lr * (g + momentum * b); one pass.
void sgdUpdate(float* w, const float* grad, float* b, int64_t begin, int64_t end, const SgdRule& rule,
               bool first);

} // namespace genlab::train
