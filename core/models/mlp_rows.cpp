#include "core/models/mlp_rows.h"

#include "core/cpu_clones.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace genlab::models::mlp_rows {

GENLAB_CLONED_PER_CPU void addBiasReLU(float* __restrict h, const float* __restrict bias, int64_t rows,
                                       int64_t columns) {
  for (int64_t r = 0; r < rows; ++r) {
    float* __restrict row = h + r * columns;
    const float b = bias[r];
    for (int64_t c = 0; c < columns; ++c) {
      const float v = row[c] + b;
      row[c] = v < 0.0f ? 0.0f : v;
    }
  }
}

GENLAB_CLONED_PER_CPU void addBias(float* __restrict z, const float* __restrict bias, int64_t rows,
                                   int64_t columns) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < columns; ++c) z[r * columns + c] += bias[r];
}

GENLAB_CLONED_PER_CPU void rowSums(const float* __restrict g, int64_t rows, int64_t columns,
                                   float* __restrict sums) {
  for (int64_t r = 0; r < rows; ++r) {
    float sum = 0;
    for (int64_t c = 0; c < columns; ++c) sum += g[r * columns + c];
    sums[r] = sum;
  }
}

GENLAB_CLONED_PER_CPU void reluGradientAndRowSums(float* __restrict dh, const float* __restrict h,
                                                  int64_t rows, int64_t columns, float* __restrict sums) {
  for (int64_t r = 0; r < rows; ++r) {
    float sum = 0;
    for (int64_t c = 0; c < columns; ++c) {
      const int64_t i = r * columns + c;
      const float passed = h[i] <= 0.0f ? 0.0f : dh[i];
      dh[i] = passed;
      sum += passed;
    }
    sums[r] = sum;
  }
}

double softmaxCrossEntropy(const float* z, const int64_t* labels, int64_t classes, int64_t images,
                           float* gradient) {
  // Image by image, a column at a time: the largest score, the exponentials shifted by it (none
  // overflows; a NaN score makes the image's loss NaN, which the trainer reports as divergence),
  // their sum, the loss and the gradient.
  std::vector<float> largest(static_cast<size_t>(images), -std::numeric_limits<float>::infinity());
  std::vector<float> sums(static_cast<size_t>(images), 0.0f);
  for (int64_t k = 0; k < classes; ++k)
    for (int64_t i = 0; i < images; ++i) largest[size_t(i)] = std::max(largest[size_t(i)], z[k * images + i]);
  for (int64_t k = 0; k < classes; ++k)
    for (int64_t i = 0; i < images; ++i) {
      const float e = std::exp(z[k * images + i] - largest[size_t(i)]);
      gradient[k * images + i] = e;
      sums[size_t(i)] += e;
    }
  const float perImage = 1.0f / static_cast<float>(images);
  double loss = 0;
  for (int64_t i = 0; i < images; ++i) {
    const int64_t label = labels[i];
    if (label < 0 || label >= classes)
      throw std::out_of_range("label " + std::to_string(label) + " is outside [0, " + std::to_string(classes) + ")");
    loss += std::log(static_cast<double>(sums[size_t(i)])) -
            static_cast<double>(z[label * images + i] - largest[size_t(i)]);
  }
  for (int64_t k = 0; k < classes; ++k)
    for (int64_t i = 0; i < images; ++i) gradient[k * images + i] *= perImage / sums[size_t(i)];
  for (int64_t i = 0; i < images; ++i) gradient[labels[i] * images + i] -= perImage;
  return loss / static_cast<double>(images);
}

} // namespace genlab::models::mlp_rows
