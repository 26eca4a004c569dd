#include "core/models/conv_weight_gradient.h"

#include "core/cpu_clones.h"

#include <algorithm>
#include <array>

#ifdef GENLAB_AVX512_LOOPS
#include <immintrin.h>
#endif

namespace genlab::models::conv_weight {

namespace {

/// A part's block of the weight: 32 input channels (16 for a remainder) by up to 12 output
/// channels at one kernel position. Its sums, up to 24 registers, stay in registers over the
/// pixels. The output channels are shared out evenly among as few blocks as hold them (64 as
/// 11, 11, 11, 11, 10, 10 rather than five 12s and a 4, whose 8 sums would wait on each other).
constexpr int64_t kVector = 16;           // floats in an AVX-512 register
constexpr int64_t kChannelsPerBlock = 32;  // two registers of input channels
constexpr int64_t kOutputsPerBlock = 12;
/// Images per pass over a block: the input's and the output gradient's pixels of one pass stay
/// in the core's L2 cache while every block of the part's range runs over them.
constexpr int64_t kBytesPerPass = int64_t{512} << 10;

struct Blocks {
  int64_t channelBlocks, outputBlocks, positions;
};

Blocks blocksOf(const ConvShape& shape) {
  return {(shape.inChannels + kChannelsPerBlock - 1) / kChannelsPerBlock,
          (shape.outChannels + kOutputsPerBlock - 1) / kOutputsPerBlock,
          shape.kernel * shape.kernel};
}

/// The range [first, last) of output rows (or columns) whose input row stride * y + offset -
/// padding falls inside [0, size).
std::array<int64_t, 2> insideRange(int64_t offset, int64_t size, int64_t outSize,
                                   const ConvShape& shape) {
  const int64_t low = shape.padding - offset;  // stride * y >= low
  const int64_t first = low > 0 ? (low + shape.stride - 1) / shape.stride : 0;
  const int64_t high = size - 1 + shape.padding - offset;  // stride * y <= high
  const int64_t last = high < 0 ? 0 : std::min(outSize, high / shape.stride + 1);
  return {first, std::max(first, last)};
}

#ifdef GENLAB_AVX512_LOOPS

/// One block's sums over images [firstImage, lastImage): `vectors` registers of input channels
/// from `channel`, `Outputs` output channels from `output`, at kernel position (i, j). The first
/// pass (from image 0) stores its sums, later ones add theirs.
template <int Vectors, int Outputs>
[[gnu::target("avx512f")]] void accumulateBlock(const ConvShape& shape, const float* input,
                                                const float* gradient, float* weight, int64_t i,
                                                int64_t j, int64_t channel, int64_t output,
                                                int64_t firstImage, int64_t lastImage) {
  const int64_t c = shape.inChannels, o = shape.outChannels, k = shape.kernel;
  const int64_t outH = shape.outHeight(), outW = shape.outWidth();
  auto rows = insideRange(i, shape.height, outH, shape);
  const auto columns = insideRange(j, shape.width, outW, shape);
  if (columns[0] == columns[1]) rows[1] = rows[0];  // no pixel: the sums stay 0

  float* sums = weight + ((output * k + i) * k + j) * c + channel;  // weight[output, i, j, channel]
  const int64_t sumStep = k * k * c;                                 // to the next output channel
  // The pass's own sums, stored or added to the weight's at the end: summing pass by pass keeps
  // the rounding error of a long sum smaller.
  __m512 acc[Outputs][Vectors];
#pragma GCC unroll 16
  for (int b = 0; b < Outputs; ++b)
#pragma GCC unroll 2
    for (int v = 0; v < Vectors; ++v) acc[b][v] = _mm512_setzero_ps();

  const int64_t xStep = shape.stride * c;
  for (int64_t n = firstImage; n < lastImage; ++n) {
    for (int64_t y = rows[0]; y < rows[1]; ++y) {
      const int64_t inY = shape.stride * y + i - shape.padding;
      const int64_t inX = shape.stride * columns[0] + j - shape.padding;
      const float* x = input + ((n * shape.height + inY) * shape.width + inX) * c + channel;
      const float* g = gradient + ((n * outH + y) * outW + columns[0]) * o + output;
      for (int64_t column = columns[0]; column < columns[1]; ++column, x += xStep, g += o) {
        __m512 in[Vectors];
#pragma GCC unroll 2
        for (int v = 0; v < Vectors; ++v) in[v] = _mm512_loadu_ps(x + v * kVector);
#pragma GCC unroll 16
        for (int b = 0; b < Outputs; ++b) {
          const __m512 scale = _mm512_set1_ps(g[b]);
#pragma GCC unroll 2
          for (int v = 0; v < Vectors; ++v) acc[b][v] = _mm512_fmadd_ps(in[v], scale, acc[b][v]);
        }
      }
    }
  }
#pragma GCC unroll 16
  for (int b = 0; b < Outputs; ++b)
#pragma GCC unroll 2
    for (int v = 0; v < Vectors; ++v) {
      float* sum = sums + b * sumStep + v * kVector;
      if (firstImage != 0) acc[b][v] = _mm512_add_ps(_mm512_loadu_ps(sum), acc[b][v]);
      _mm512_storeu_ps(sum, acc[b][v]);
    }
}

/// bias[b] (+)= the sum of outputs [output, output + count) of the output gradient's pixels
/// [firstPixel, lastPixel), stored by the first pass (from pixel 0) and added by later ones.
[[gnu::target("avx512f")]] void sumOutputs(const float* gradient, int64_t outChannels,
                                           int64_t output, int64_t count, int64_t firstPixel,
                                           int64_t lastPixel, float* bias) {
  const __mmask16 mask = static_cast<__mmask16>((1u << count) - 1);
  __m512 sum = _mm512_setzero_ps();
  for (int64_t pixel = firstPixel; pixel < lastPixel; ++pixel)
    sum = _mm512_add_ps(sum, _mm512_maskz_loadu_ps(mask, gradient + pixel * outChannels + output));
  if (firstPixel != 0) sum = _mm512_add_ps(sum, _mm512_maskz_loadu_ps(mask, bias + output));
  _mm512_mask_storeu_ps(bias + output, mask, sum);
}

using BlockLoop = void (*)(const ConvShape&, const float*, const float*, float*, int64_t, int64_t,
                           int64_t, int64_t, int64_t, int64_t);

template <int Vectors, int... Outputs>
constexpr std::array<BlockLoop, sizeof...(Outputs)> blockLoops(
    std::integer_sequence<int, Outputs...>) {
  return {&accumulateBlock<Vectors, Outputs + 1>...};
}

/// kLoops[vectors - 1][outputs - 1].
constexpr std::array<std::array<BlockLoop, kOutputsPerBlock>, 2> kLoops{
    blockLoops<1>(std::make_integer_sequence<int, kOutputsPerBlock>{}),
    blockLoops<2>(std::make_integer_sequence<int, kOutputsPerBlock>{})};

#endif

} // namespace

bool fastRouteFor(const ConvShape& shape) {
#ifdef GENLAB_AVX512_LOOPS
  const bool valid = shape.stride > 0 && shape.kernel > 0 && shape.padding >= 0 &&
                     shape.inChannels > 0 && shape.outChannels > 0 && shape.images > 0;
  return valid && cpuRunsAvx512() && shape.inChannels % kVector == 0 &&
         shape.outHeight() > 0 && shape.outWidth() > 0;
#else
  (void)shape;
  return false;
#endif
}

namespace {

int64_t partsOf(const ConvShape& shape) {
  const Blocks blocks = blocksOf(shape);
  return blocks.channelBlocks * blocks.outputBlocks * blocks.positions;
}

} // namespace

int64_t parts(std::span<const Gradients> convolutions) {
  int64_t total = 0;
  for (const Gradients& convolution : convolutions) total += partsOf(convolution.shape);
  return total;
}

void accumulate(const float* input, std::span<const Gradients> convolutions, int64_t first,
                int64_t last) {
#ifdef GENLAB_AVX512_LOOPS
  if (convolutions.empty()) return;
  const ConvShape& in = convolutions.front().shape;
  int64_t bytesPerImage = in.height * in.width * in.inChannels;
  for (const Gradients& convolution : convolutions)
    bytesPerImage += convolution.shape.outHeight() * convolution.shape.outWidth() *
                     convolution.shape.outChannels;
  bytesPerImage *= int64_t{sizeof(float)};
  const int64_t imagesPerPass = std::max<int64_t>(1, kBytesPerPass / bytesPerImage);
  for (int64_t image = 0; image < in.images; image += imagesPerPass) {
    const int64_t lastImage = std::min(in.images, image + imagesPerPass);
    int64_t firstOfConvolution = 0;  // the number of the convolution's first part
    for (const Gradients& convolution : convolutions) {
      const ConvShape& shape = convolution.shape;
      const Blocks blocks = blocksOf(shape);
      const int64_t count = partsOf(shape);
      const int64_t begin = std::max(first, firstOfConvolution);
      const int64_t end = std::min(last, firstOfConvolution + count);
      for (int64_t part = begin - firstOfConvolution; part < end - firstOfConvolution; ++part) {
        // Kernel positions vary fastest, so that a range of parts shares its channels.
        const int64_t position = part % blocks.positions;
        const int64_t outputBlock = part / blocks.positions % blocks.outputBlocks;
        const int64_t channelBlock = part / blocks.positions / blocks.outputBlocks;
        const int64_t channel = channelBlock * kChannelsPerBlock;
        const int64_t vectors = std::min(kChannelsPerBlock, shape.inChannels - channel) / kVector;
        // The first `extra` blocks hold one output channel more than the others.
        const int64_t fewest = shape.outChannels / blocks.outputBlocks;
        const int64_t extra = shape.outChannels % blocks.outputBlocks;
        const int64_t output = outputBlock * fewest + std::min(outputBlock, extra);
        const int64_t outputs = fewest + (outputBlock < extra ? 1 : 0);
        kLoops[vectors - 1][outputs - 1](shape, input, convolution.outputGradient,
                                         convolution.weightGradient, position / shape.kernel,
                                         position % shape.kernel, channel, output, image,
                                         lastImage);
        // One part of each block of outputs also sums their gradient, its pixels still in cache.
        if (convolution.biasGradient != nullptr && channelBlock == 0 && position == 0) {
          const int64_t pixels = shape.outHeight() * shape.outWidth();
          sumOutputs(convolution.outputGradient, shape.outChannels, output, outputs,
                     image * pixels, lastImage * pixels, convolution.biasGradient);
        }
      }
      firstOfConvolution += count;
    }
  }
#else
  (void)input, (void)convolutions, (void)first, (void)last;
#endif
}

} // namespace genlab::models::conv_weight
