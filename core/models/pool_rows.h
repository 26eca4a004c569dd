#pragma once
/// The loops of the lab's max-pool-then-ReLU on the CPU (max_pool_relu.h), over channels-last
/// float images: plain C++ without LibTorch, so that the compiler vectorizes them over channels,
/// for AVX-512 and AVX2 besides the baseline (the CPU's best chosen when the program loads).

#include <cstdint>

namespace genlab::models::pool {

/// One image batch's shape and one square pooling window.
struct Geometry {
  int64_t height, width, channels;        ///< of the input
  int64_t outHeight, outWidth;            ///< of the output
  int64_t window, stride, padding;
};

/// Images [begin, end): y = max(0, the window's maximum) for every output position and channel,
/// with `chosen` the window position (kh * window + kw) of the maximum that passed, or -1 where
/// the ReLU gave 0. A NaN in a window is its maximum, as in LibTorch's max-pool.
void forwardImages(const float* x, float* y, int32_t* chosen, const Geometry& g, int64_t begin, int64_t end);

/// Images [begin, end): adds each output's gradient to the input position `chosen` names;
/// `dx` must hold zeros. Windows overlap within an image, so images are the unit of parallel work.
void backwardImages(const float* dy, const int32_t* chosen, float* dx, const Geometry& g, int64_t begin,
                    int64_t end);

} // namespace genlab::models::pool
