#include "core/train/sgd_update.h"

#include "core/cpu_clones.h"

namespace genlab::train {

GENLAB_CLONED_PER_CPU void sgdUpdate(float* __restrict w, const float* __restrict grad, float* __restrict b,
                                     int64_t begin, int64_t end, const SgdRule& rule, bool first) {
  const float lr = rule.learningRate, momentum = rule.momentum, keep = 1.0F - rule.dampening;
  const float decay = rule.weightDecay;
  const bool nesterov = rule.nesterov;
  for (int64_t i = begin; i < end; ++i) {
    const float g = grad[i] + decay * w[i];
    const float buffer = first ? g : momentum * b[i] + keep * g;
    b[i] = buffer;
    w[i] -= lr * (nesterov ? g + momentum * buffer : buffer);
  }
}

} // namespace genlab::train
