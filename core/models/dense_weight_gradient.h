#pragma once
/// The weight gradient of a dense layer on the CPU, by the lab's own AVX-512 loop: OpenBLAS
/// packs both operands of every product and zeroes the output first, which at an MLP's shapes
/// (a batch of 128) is a large part of the product's time (docs/BENCHMARKS.md). Plain C++
/// without LibTorch. Parts are blocks of the weight's columns, never of the images, so each
/// element's sum runs over the batch in one fixed order whatever the thread count.

#include <cstdint>

namespace genlab::models::dense_weight {

/// Whether accumulate() runs on this CPU (x86-64 with AVX-512).
bool fastRoute();

/// The product that accumulate() splits: w[o, i] = sum over n < images of g[o, n] * x[n, i], with
/// the output gradient g [outputs, images] at g[o * gOutputStride + n * gImageStride] (an MLP's
/// step keeps it transposed, autograd hands it over as [images, outputs]), and x [images,
/// inputs] and w [outputs, inputs] dense and row-major.
struct Product {
  const float* g;
  int64_t gOutputStride, gImageStride;
  const float* x;
  float* w;
  int64_t outputs, images, inputs;
};

/// How many parts accumulate() splits the product's columns into, each of a few vectors.
int64_t parts(const Product& product);

/// Writes the columns of parts [first, last) of w (no zeros needed beforehand). Parts write
/// disjoint elements, so they may run on different threads at once. Requires fastRoute().
void accumulate(const Product& product, int64_t first, int64_t last);

} // namespace genlab::models::dense_weight
