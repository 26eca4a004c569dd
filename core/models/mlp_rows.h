#pragma once
/// The loops of an MLP's training step on the CPU (MlpImpl::trainingStep) over its activations,
/// which the step keeps transposed: one row per unit (or class), one column per image. Plain C++
/// without LibTorch, compiled per CPU (core/cpu_clones.h). Each runs on the calling thread in a
/// fixed order, so its results do not depend on any thread count.

#include <cstdint>

namespace genlab::models::mlp_rows {

/// h[r, c] = max(0, h[r, c] + bias[r]) over `rows` rows of `columns` values, in place; NaN stays
/// NaN (as LibTorch's relu).
void addBiasReLU(float* h, const float* bias, int64_t rows, int64_t columns);

/// z[r, c] += bias[r].
void addBias(float* z, const float* bias, int64_t rows, int64_t columns);

/// sums[r] = the sum of row r's `columns` values.
void rowSums(const float* g, int64_t rows, int64_t columns, float* sums);

/// The gradient dh through a ReLU whose output is h: set to 0 where h <= 0, in place (as
/// LibTorch's threshold_backward); sums[r] = the sum of the result's row r.
void reluGradientAndRowSums(float* dh, const float* h, int64_t rows, int64_t columns, float* sums);

/// The mean over images of the cross-entropy of the scores `z` [classes, images] against
/// `labels` [images], and its gradient with respect to the scores, (softmax - one-hot) / images,
/// in `gradient` [classes, images]. Throws std::out_of_range for a label outside [0, classes).
double softmaxCrossEntropy(const float* z, const int64_t* labels, int64_t classes, int64_t images,
                           float* gradient);

} // namespace genlab::models::mlp_rows
