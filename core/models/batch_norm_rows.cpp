#include "core/models/batch_norm_rows.h"

#include "core/cpu_clones.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

namespace genlab::models::batch_norm {

namespace {

/// Sums over rows [begin, end): terms(row, c, a, b) gives one row's two terms of channel c,
/// added to float sums four rows at a time (a chain of additions one row at a time bounds the
/// loop), each block of rows then to the double sums `sum` and `other`. The loop over channels
/// has one type throughout, so that the compiler vectorizes it.
template <class Terms>
[[gnu::always_inline]] inline void sumInFours(int64_t channels, int64_t begin, int64_t end,
                                              double* sum, double* other, Terms&& terms) {
  constexpr int64_t kBlock = 256;
  std::vector<float> blockSums(static_cast<size_t>(2 * channels));
  float* __restrict s = blockSums.data();
  float* __restrict o = s + channels;
  for (int64_t first = begin; first < end; first += kBlock) {
    std::fill(blockSums.begin(), blockSums.end(), 0.0f);
    const int64_t last = std::min(end, first + kBlock);
    int64_t row = first;
    for (; row + 4 <= last; row += 4)
      for (int64_t c = 0; c < channels; ++c) {
        float a0, b0, a1, b1, a2, b2, a3, b3;
        terms(row, c, a0, b0);
        terms(row + 1, c, a1, b1);
        terms(row + 2, c, a2, b2);
        terms(row + 3, c, a3, b3);
        s[c] += (a0 + a1) + (a2 + a3);
        o[c] += (b0 + b1) + (b2 + b3);
      }
    for (; row < last; ++row)
      for (int64_t c = 0; c < channels; ++c) {
        float a, b;
        terms(row, c, a, b);
        s[c] += a;
        o[c] += b;
      }
    for (int64_t c = 0; c < channels; ++c) {
      sum[c] += s[c];
      other[c] += o[c];
    }
  }
}

/// The gradient the ReLU passes back: `gradient` where its input (x - mean) was positive, 0
/// elsewhere (even for a NaN gradient), as a bit mask rather than a branch, which the vectorizer
/// takes in every loop.
[[gnu::always_inline]] inline float passed(float centred, float gradient) {
  const uint32_t keep = centred > 0.0f ? ~uint32_t(0) : 0;
  return std::bit_cast<float>(std::bit_cast<uint32_t>(gradient) & keep);
}

} // namespace

GENLAB_CLONED_PER_CPU
void sumRows(const float* x, int64_t channels, int64_t begin, int64_t end, double* sum,
             double* squares) {
  sumInFours(channels, begin, end, sum, squares, [=](int64_t row, int64_t c, float& v, float& v2) {
    v = x[row * channels + c];
    v2 = v * v;
  });
}

GENLAB_CLONED_PER_CPU
void normalizeReLURows(const float* x, float* y, int64_t outStride, const float* mean,
                       const float* invstd, int64_t channels, int64_t begin, int64_t end) {
  for (int64_t row = begin; row < end; ++row) {
    const float* __restrict xr = x + row * channels;
    float* __restrict yr = y + row * outStride;
    for (int64_t c = 0; c < channels; ++c) {
      const float v = (xr[c] - mean[c]) * invstd[c];
      yr[c] = v < 0.0f ? 0.0f : v;  // a NaN passes, as through LibTorch's ReLU
    }
  }
}

GENLAB_CLONED_PER_CPU
void sumGradientRows(const float* dy, int64_t stride, const float* x, const float* mean,
                     int64_t channels, int64_t begin, int64_t end, double* sum, double* centred) {
  sumInFours(channels, begin, end, sum, centred, [=](int64_t row, int64_t c, float& g, float& gd) {
    const float d = x[row * channels + c] - mean[c];
    g = passed(d, dy[row * stride + c]);
    gd = g * d;
  });
}

GENLAB_CLONED_PER_CPU
void gradientRows(const float* dy, int64_t stride, const float* x, const float* mean,
                  const float* invstd, const float* a, const float* b, float* dx, int64_t channels,
                  int64_t begin, int64_t end) {
  for (int64_t row = begin; row < end; ++row) {
    const float* __restrict gr = dy + row * stride;
    const float* __restrict xr = x + row * channels;
    float* __restrict out = dx + row * channels;
    for (int64_t c = 0; c < channels; ++c) {
      const float d = xr[c] - mean[c];
      const float g = passed(d, gr[c]);
      out[c] = invstd[c] * (g - a[c] - d * b[c]);
    }
  }
}

} // namespace genlab::models::batch_norm
