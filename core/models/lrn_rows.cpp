#include "core/models/lrn_rows.h"

#include "core/cpu_clones.h"

#include <algorithm>
#include <cmath>

namespace genlab::models::lrn {

namespace {

/// out[c] = the sum of in[c + o] for o in [-before, after] that fall within [0, channels).
/// One pass per offset, each over contiguous channels, so that the compiler vectorizes it.
void sumWindow(const float* in, float* out, int64_t channels, int64_t before, int64_t after) {
  std::fill(out, out + channels, 0.0f);
  for (int64_t offset = -before; offset <= after; ++offset) {
    const int64_t first = std::max<int64_t>(0, -offset);
    const int64_t last = std::min(channels, channels - offset);
    for (int64_t c = first; c < last; ++c) out[c] += in[c + offset];
  }
}

} // namespace

GENLAB_CLONED_PER_CPU
void forwardRows(const float* x, float* y, float* d, float* s, int64_t channels, const Constants& lrn,
                 int64_t begin, int64_t end, float* work) {
  const bool threeQuarters = lrn.beta == 0.75f;
  for (int64_t row = begin; row < end; ++row) {
    const int64_t at = row * channels;
    const float* xr = x + at;
    float *yr = y + at, *dr = d + at, *sr = s + at;
    for (int64_t c = 0; c < channels; ++c) work[c] = xr[c] * xr[c];
    sumWindow(work, dr, channels, lrn.before, lrn.after);
    for (int64_t c = 0; c < channels; ++c) dr[c] = lrn.k + lrn.alphaOverSize * dr[c];
    if (threeQuarters) {  // AlexNet's: d^-3/4 = d^-1/2 * (d^-1/2)^1/2, far cheaper than a power
      for (int64_t c = 0; c < channels; ++c) {
        const float r = 1.0f / std::sqrt(dr[c]);
        sr[c] = r * std::sqrt(r);
      }
    } else {
      for (int64_t c = 0; c < channels; ++c) sr[c] = std::pow(dr[c], -lrn.beta);
    }
    for (int64_t c = 0; c < channels; ++c) yr[c] = xr[c] * sr[c];
  }
}

GENLAB_CLONED_PER_CPU
void backwardRows(const float* g, const float* x, const float* d, const float* s, float* dx,
                  int64_t channels, const Constants& lrn, int64_t begin, int64_t end, float* work) {
  const float coefficient = -2.0f * lrn.alphaOverSize * lrn.beta;
  for (int64_t row = begin; row < end; ++row) {
    const int64_t at = row * channels;
    const float *gr = g + at, *xr = x + at, *dr = d + at, *sr = s + at;
    float* out = dx + at;
    for (int64_t c = 0; c < channels; ++c) work[c] = gr[c] * xr[c] * sr[c] / dr[c];
    // Channel j lies in the windows of channels j - after .. j + before.
    sumWindow(work, out, channels, lrn.after, lrn.before);
    for (int64_t c = 0; c < channels; ++c) out[c] = gr[c] * sr[c] + coefficient * xr[c] * out[c];
  }
}

} // namespace genlab::models::lrn
