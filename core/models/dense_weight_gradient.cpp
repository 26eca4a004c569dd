#include "core/models/dense_weight_gradient.h"

#include "core/cpu_clones.h"

#include <algorithm>

#ifdef GENLAB_AVX512_LOOPS
#include <immintrin.h>
#endif

namespace genlab::models::dense_weight {

namespace {

constexpr int64_t kVector = 16;        // floats in an AVX-512 register
constexpr int64_t kPartVectors = 4;    // a part's columns: a block of up to 4 vectors
constexpr int64_t kRows = 6;           // rows of w a block keeps in registers, 6 x 4 of 32

} // namespace

#ifdef GENLAB_AVX512_LOOPS

namespace {

/// Rows [row, row + Rows) of w over the columns [column, column + 16 * Vectors), the last
/// vector masked by `tail`: Rows x Vectors sums stay in registers while the loop runs over the
/// images, reading each image's columns once (they stay in L1 from one block of rows to the
/// next) and broadcasting g's elements.
template <int Rows, int Vectors>
[[gnu::target("avx512f")]] void block(const Product& p, int64_t row, int64_t column, __mmask16 tail) {
  __m512 sums[Rows][Vectors];
#pragma GCC unroll 8
  for (int r = 0; r < Rows; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < Vectors; ++v) sums[r][v] = _mm512_setzero_ps();
  const float* g = p.g + row * p.gOutputStride;
  const float* x = p.x + column;
  for (int64_t n = 0; n < p.images; ++n, x += p.inputs, g += p.gImageStride) {
    __m512 in[Vectors];
#pragma GCC unroll 4
    for (int v = 0; v + 1 < Vectors; ++v) in[v] = _mm512_loadu_ps(x + kVector * v);
    in[Vectors - 1] = _mm512_maskz_loadu_ps(tail, x + kVector * (Vectors - 1));
#pragma GCC unroll 8
    for (int r = 0; r < Rows; ++r) {
      const __m512 scale = _mm512_set1_ps(g[r * p.gOutputStride]);
#pragma GCC unroll 4
      for (int v = 0; v < Vectors; ++v) sums[r][v] = _mm512_fmadd_ps(scale, in[v], sums[r][v]);
    }
  }
  float* w = p.w + row * p.inputs + column;
#pragma GCC unroll 8
  for (int r = 0; r < Rows; ++r) {
#pragma GCC unroll 4
    for (int v = 0; v + 1 < Vectors; ++v) _mm512_storeu_ps(w + r * p.inputs + kVector * v, sums[r][v]);
    _mm512_mask_storeu_ps(w + r * p.inputs + kVector * (Vectors - 1), tail, sums[r][Vectors - 1]);
  }
}

template <int Vectors>
void rowsOf(const Product& p, int64_t row, int64_t rows, int64_t column, __mmask16 tail) {
  switch (rows) {
  case 6: return block<6, Vectors>(p, row, column, tail);
  case 5: return block<5, Vectors>(p, row, column, tail);
  case 4: return block<4, Vectors>(p, row, column, tail);
  case 3: return block<3, Vectors>(p, row, column, tail);
  case 2: return block<2, Vectors>(p, row, column, tail);
  default: return block<1, Vectors>(p, row, column, tail);
  }
}

} // namespace

bool fastRoute() { return cpuRunsAvx512(); }

void accumulate(const Product& p, int64_t first, int64_t last) {
  const int64_t width = kVector * kPartVectors;
  for (int64_t part = first; part < last; ++part) {
    const int64_t column = part * width;
    const int64_t columns = std::min(width, p.inputs - column);
    const int64_t vectors = (columns + kVector - 1) / kVector;
    const int64_t inLast = columns - kVector * (vectors - 1);
    const auto tail = static_cast<__mmask16>(inLast == kVector ? 0xFFFF : (1U << inLast) - 1);
    // Every row of w for this block of columns: the images' columns stay in L1 meanwhile.
    for (int64_t row = 0; row < p.outputs; row += kRows) {
      const int64_t rows = std::min(kRows, p.outputs - row);
      switch (vectors) {
      case 4: rowsOf<4>(p, row, rows, column, tail); break;
      case 3: rowsOf<3>(p, row, rows, column, tail); break;
      case 2: rowsOf<2>(p, row, rows, column, tail); break;
      default: rowsOf<1>(p, row, rows, column, tail); break;
      }
    }
  }
}

#else

bool fastRoute() { return false; }
void accumulate(const Product&, int64_t, int64_t) {}

#endif

int64_t parts(const Product& p) {
  const int64_t width = kVector * kPartVectors;
  return (p.inputs + width - 1) / width;
}

} // namespace genlab::models::dense_weight
