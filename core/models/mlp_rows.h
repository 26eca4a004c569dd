#pragma once
/// The loops of an MLP's training step on the CPU (MlpImpl::trainingStep) over rows of float
/// values: plain C++ without LibTorch, compiled per CPU (core/cpu_clones.h). Each runs on the
/// calling thread in a fixed order, so its results do not depend on any thread count.

#include <cstdint>

namespace genlab::models::mlp_rows {

/// x = max(0, x) over `count` values, in place; NaN stays NaN (as LibTorch's relu).
void reluInPlace(float* x, int64_t count);

/// sums[c] = the sum over the `rows` rows of g[., c].
void columnSums(const float* g, int64_t rows, int64_t columns, float* sums);

/// The gradient dh through a ReLU whose output is h: set to 0 where h <= 0, in place (as
/// LibTorch's threshold_backward); sums[c] = the sum over rows of the result's column c.
void reluGradientAndColumnSums(float* dh, const float* h, int64_t rows, int64_t columns, float* sums);

/// The mean over rows of the cross-entropy of `logits` [rows, classes] against `labels`, and its
/// gradient with respect to the logits, (softmax - one-hot) / rows, in `gradient`. Throws
/// std::out_of_range for a label outside [0, classes).
double softmaxCrossEntropy(const float* logits, const int64_t* labels, int64_t rows, int64_t classes,
                           float* gradient);

} // namespace genlab::models::mlp_rows
