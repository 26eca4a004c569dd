#include "core/models/pool_rows.h"

#include "core/cpu_clones.h"

#include <algorithm>
#include <vector>

namespace genlab::models::pool {

GENLAB_CLONED_PER_CPU
void forwardImages(const float* x, float* y, int32_t* chosen, const Geometry& g, int64_t begin, int64_t end) {
  const int64_t c = g.channels;
  for (int64_t n = begin; n < end; ++n) {
    const float* image = x + n * g.height * g.width * c;
    for (int64_t oh = 0; oh < g.outHeight; ++oh) {
      for (int64_t ow = 0; ow < g.outWidth; ++ow) {
        const int64_t out = ((n * g.outHeight + oh) * g.outWidth + ow) * c;
        float* best = y + out;
        int32_t* which = chosen + out;
        std::fill(best, best + c, 0.0f);  // the ReLU's floor
        std::fill(which, which + c, -1);
        for (int64_t kh = 0; kh < g.window; ++kh) {
          const int64_t ih = oh * g.stride - g.padding + kh;
          if (ih < 0 || ih >= g.height) continue;
          for (int64_t kw = 0; kw < g.window; ++kw) {
            const int64_t iw = ow * g.stride - g.padding + kw;
            if (iw < 0 || iw >= g.width) continue;
            const float* in = image + (ih * g.width + iw) * c;
            const auto position = static_cast<int32_t>(kh * g.window + kw);
            for (int64_t k = 0; k < c; ++k) {
              const float v = in[k];
              const bool take = v > best[k] || v != v;  // v != v: NaN
              best[k] = take ? v : best[k];
              which[k] = take ? position : which[k];
            }
          }
        }
      }
    }
  }
}

GENLAB_CLONED_PER_CPU
void backwardImages(const float* dy, const int32_t* chosen, float* dx, const Geometry& g, int64_t begin,
                    int64_t end) {
  const int64_t c = g.channels;
  // For each output, where its gradient goes by the chosen position + 1; entry 0 (no position:
  // the ReLU gave 0) and positions in the padding go to a sink. Branch-free: which outputs the
  // ReLU zeroed is as unpredictable as a coin.
  std::vector<float> sink(static_cast<size_t>(c));
  std::vector<float*> target(static_cast<size_t>(g.window * g.window + 1), sink.data());
  for (int64_t n = begin; n < end; ++n) {
    float* image = dx + n * g.height * g.width * c;
    for (int64_t oh = 0; oh < g.outHeight; ++oh) {
      for (int64_t ow = 0; ow < g.outWidth; ++ow) {
        for (int64_t kh = 0; kh < g.window; ++kh) {
          const int64_t ih = oh * g.stride - g.padding + kh;
          for (int64_t kw = 0; kw < g.window; ++kw) {
            const int64_t iw = ow * g.stride - g.padding + kw;
            const bool inside = ih >= 0 && ih < g.height && iw >= 0 && iw < g.width;
            float* at = inside ? image + (ih * g.width + iw) * c : sink.data();
            target[static_cast<size_t>(kh * g.window + kw + 1)] = at;
          }
        }
        const int64_t out = ((n * g.outHeight + oh) * g.outWidth + ow) * c;
        for (int64_t k = 0; k < c; ++k) target[static_cast<size_t>(chosen[out + k] + 1)][k] += dy[out + k];
      }
    }
  }
}

} // namespace genlab::models::pool
