#include "core/models/mlp_rows.h"

#include "core/cpu_clones.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace genlab::models::mlp_rows {

GENLAB_CLONED_PER_CPU void reluInPlace(float* __restrict x, int64_t count) {
  for (int64_t i = 0; i < count; ++i) x[i] = x[i] < 0.0f ? 0.0f : x[i];
}

GENLAB_CLONED_PER_CPU void columnSums(const float* __restrict g, int64_t rows, int64_t columns,
                                      float* __restrict sums) {
  std::fill_n(sums, columns, 0.0f);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < columns; ++c) sums[c] += g[r * columns + c];
}

GENLAB_CLONED_PER_CPU void reluGradientAndColumnSums(float* __restrict dh, const float* __restrict h,
                                                     int64_t rows, int64_t columns, float* __restrict sums) {
  std::fill_n(sums, columns, 0.0f);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < columns; ++c) {
      const int64_t i = r * columns + c;
      const float passed = h[i] <= 0.0f ? 0.0f : dh[i];
      dh[i] = passed;
      sums[c] += passed;
    }
}

double softmaxCrossEntropy(const float* logits, const int64_t* labels, int64_t rows, int64_t classes,
                           float* gradient) {
  std::vector<float> exps(static_cast<size_t>(classes));
  const float perRow = 1.0f / static_cast<float>(rows);
  double loss = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const float* z = logits + r * classes;
    float* g = gradient + r * classes;
    const int64_t label = labels[r];
    if (label < 0 || label >= classes)
      throw std::out_of_range("label " + std::to_string(label) + " is outside [0, " + std::to_string(classes) + ")");
    // Shifted by the largest score, so that no exponential overflows; a NaN score makes the
    // row's loss NaN, which the trainer reports as divergence.
    float largest = z[0];
    for (int64_t c = 1; c < classes; ++c) largest = std::max(largest, z[c]);
    float sum = 0;
    for (int64_t c = 0; c < classes; ++c) sum += exps[static_cast<size_t>(c)] = std::exp(z[c] - largest);
    loss += std::log(static_cast<double>(sum)) - static_cast<double>(z[label] - largest);
    const float scale = perRow / sum;
    for (int64_t c = 0; c < classes; ++c) g[c] = exps[static_cast<size_t>(c)] * scale;
    g[label] -= perRow;
  }
  return loss / static_cast<double>(rows);
}

} // namespace genlab::models::mlp_rows
