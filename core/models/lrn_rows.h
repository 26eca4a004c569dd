#pragma once
/// The loops of the lab's local response norm on the CPU (local_response_norm.h), over
/// channels-last rows of float values: plain C++ without LibTorch, compiled on their own with
/// -fno-math-errno so that the compiler vectorizes their square roots (core/models/CMakeLists.txt),
/// and for AVX-512 and AVX2 besides the baseline, the CPU's best chosen when the program loads.

#include <cstdint>

namespace genlab::models::lrn {

/// One LRN: d = k + alpha / size * (the window sum of x^2), y = x * d^-beta.
struct Constants {
  int64_t before, after;  ///< channels of the window before and after its centre
  float alphaOverSize, beta, k;
};

/// Rows [begin, end) of `channels` values each: y, and d and s = d^-beta for the backward pass.
/// `work` holds `channels` floats.
void forwardRows(const float* x, float* y, float* d, float* s, int64_t channels, const Constants& lrn,
                 int64_t begin, int64_t end, float* work);

/// Rows [begin, end): dx_j = g_j * s_j - 2 * alpha * beta / size * x_j * (the sum over the
/// windows c holding j of g_c * x_c * s_c / d_c).
void backwardRows(const float* g, const float* x, const float* d, const float* s, float* dx,
                  int64_t channels, const Constants& lrn, int64_t begin, int64_t end, float* work);

} // namespace genlab::models::lrn
