#pragma once
/// The weight gradient of a convolution on the CPU, from channels-last input and output
/// gradient, by the lab's own AVX-512 loop: LibTorch's oneDNN backward-weights kernels run well
/// below its forward ones (docs/BENCHMARKS.md, "Convolutional networks"). Plain C++ without
/// LibTorch. The work is split into parts over the weight's elements, never over pixels, so each
/// weight's sum runs over the batch in one fixed order whatever the thread count.

#include <cstdint>
#include <span>

namespace genlab::models::conv_weight {

/// A convolution with a square kernel, the same stride and zero padding on every side.
struct ConvShape {
  int64_t images, height, width, inChannels, outChannels, kernel, stride, padding;

  int64_t outHeight() const { return (height + 2 * padding - kernel) / stride + 1; }
  int64_t outWidth() const { return (width + 2 * padding - kernel) / stride + 1; }
};

/// Whether accumulate() runs for `shape` on this CPU: x86-64 with AVX-512, a valid shape (positive
/// sizes and stride, padding not negative), input channels a multiple of 16 and an output of at
/// least one pixel.
bool fastRouteFor(const ConvShape& shape);

/// One convolution of accumulate()'s input: its shape, its output gradient [images, outHeight,
/// outWidth, out], its weight gradient, laid out as a channels-last weight [out, kernel, kernel,
/// in], and its bias gradient [out] (null for none).
struct Gradients {
  ConvShape shape;
  const float* outputGradient;
  float* weightGradient;
  float* biasGradient = nullptr;
};

/// How many parts the convolutions' weight gradients split into (each a block of one weight's
/// elements): the first convolution's parts, then the second's, and so on.
int64_t parts(std::span<const Gradients> convolutions);

/// Writes parts [first, last) of the weight and bias gradients of `convolutions`, all of the one
/// `input` [images, height, width, in] (dense channels-last; their shapes differ in out
/// channels, kernel, stride and padding alone), in one pass over it (an Inception module's two
/// branches read their input once):
///   weightGradient[o, i, j, c] = sum over (n, y, x) of
///     outputGradient[n, y, x, o] * input[n, stride * y + i - padding, stride * x + j - padding, c]
/// (zero outside the image) and biasGradient[o] = sum over (n, y, x) of outputGradient[n, y, x, o].
/// Parts write disjoint elements, so they may run on different threads at once; together they
/// write every element (no zeros needed beforehand). Requires fastRouteFor(shape) of every
/// convolution.
void accumulate(const float* input, std::span<const Gradients> convolutions, int64_t first,
                int64_t last);

} // namespace genlab::models::conv_weight
