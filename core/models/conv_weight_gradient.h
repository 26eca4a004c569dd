#pragma once
/// The weight gradient of a convolution on the CPU, from channels-last input and output
/// gradient, by the lab's own AVX-512 loop: LibTorch's oneDNN backward-weights kernels run well
/// below its forward ones (docs/BENCHMARKS.md, "Convolutional networks"). Plain C++ without
/// LibTorch. The work is split into parts over the weight's elements, never over pixels, so each
/// weight's sum runs over the batch in one fixed order whatever the thread count.

#include <cstdint>

namespace genlab::models::conv_weight {

/// A convolution with a square kernel, the same stride and zero padding on every side.
struct ConvShape {
  int64_t images, height, width, inChannels, outChannels, kernel, stride, padding;

  int64_t outHeight() const { return (height + 2 * padding - kernel) / stride + 1; }
  int64_t outWidth() const { return (width + 2 * padding - kernel) / stride + 1; }
};

/// Whether accumulate() runs for `shape` on this CPU: x86-64 with AVX-512, input channels a
/// multiple of 16 and an output of at least one pixel.
bool fastRouteFor(const ConvShape& shape);

/// How many parts the weight gradient splits into (each a block of the weight's elements).
int64_t parts(const ConvShape& shape);

/// Adds parts [first, last) of the weight gradient of `shape` to `weightGradient`, laid out as a
/// channels-last weight [out, kernel, kernel, in]:
///   weightGradient[o, i, j, c] += sum over (n, y, x) of
///     outputGradient[n, y, x, o] * input[n, stride * y + i - padding, stride * x + j - padding, c]
/// (zero outside the image), with `input` [images, height, width, in] and `outputGradient`
/// [images, outHeight, outWidth, out], both dense channels-last. Parts touch disjoint elements,
/// so they may run on different threads at once. Requires fastRouteFor(shape).
void accumulate(const ConvShape& shape, const float* input, const float* outputGradient,
                float* weightGradient, int64_t first, int64_t last);

} // namespace genlab::models::conv_weight
