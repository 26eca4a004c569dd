#pragma once
/// The loops of batch norm followed by a ReLU on the CPU (batch_norm_relu.h), over channels-last
/// rows of float values: plain C++ without LibTorch, compiled for AVX-512 and AVX2 besides the
/// baseline, the CPU's best chosen when the program loads. Rows [begin, end) of `channels`
/// values; a gradient's rows are `stride` floats apart (a channel slice of a concatenation).

#include <cstdint>

namespace genlab::models::batch_norm {

/// sum[c] += x, squares[c] += x^2 over the rows.
void sumRows(const float* x, int64_t channels, int64_t begin, int64_t end, double* sum,
             double* squares);

/// y = max(0, (x - mean) * invstd), NaN where that is NaN; y's rows `outStride` floats apart
/// (a channel slice of a concatenation).
void normalizeReLURows(const float* x, float* y, int64_t outStride, const float* mean,
                       const float* invstd, int64_t channels, int64_t begin, int64_t end);

/// With g = dy where x > mean (the ReLU passed it) and 0 elsewhere: sum[c] += g,
/// centred[c] += g * (x - mean).
void sumGradientRows(const float* dy, int64_t stride, const float* x, const float* mean,
                     int64_t channels, int64_t begin, int64_t end, double* sum, double* centred);

/// dx = invstd * (g - a - (x - mean) * b), g as above.
void gradientRows(const float* dy, int64_t stride, const float* x, const float* mean,
                  const float* invstd, const float* a, const float* b, float* dx, int64_t channels,
                  int64_t begin, int64_t end);

} // namespace genlab::models::batch_norm
