#pragma once
/// Parallel loops over the rows (pixels, or output pixels) of channels-last tensors on the CPU,
/// shared by the lab's own layers.

#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>

namespace genlab::models {

/// Runs loop(begin, end) over rows [0, rows) of `channels` values each, in parallel chunks of
/// about 16,384 values.
template <class Loop>
void forRowChunks(int64_t rows, int64_t channels, const Loop& loop) {
  at::parallel_for(0, rows, std::max<int64_t>(1, 16384 / std::max<int64_t>(1, channels)), loop);
}

/// How many parts forEachPart splits `rows` into: as many as LibTorch has threads, each of at
/// least `fewestRowsPerPart` rows (one part for fewer).
inline int64_t rowParts(int64_t rows, int64_t fewestRowsPerPart) {
  return std::clamp<int64_t>(rows / fewestRowsPerPart, 1, at::get_num_threads());
}

/// Runs part(index, first, last) on each of `parts` equal parts of rows [0, rows), in parallel.
/// The parts follow from the row and thread counts alone, so sums formed part by part and then
/// added in order give the same bits whatever runs beside them.
template <class Part>
void forEachPart(int64_t rows, int64_t parts, const Part& part) {
  at::parallel_for(0, parts, 1, [&](int64_t begin, int64_t end) {
    for (int64_t index = begin; index < end; ++index)
      part(index, rows * index / parts, rows * (index + 1) / parts);
  });
}

/// As forEachPart, but each part on a thread of its own (an OpenMP team of `parts`), whatever
/// LibTorch's thread count: for work whose result does not depend on the split, on threads
/// that LibTorch's own loops do not get (CpuLinear's products, FusedSgd's update). Without OpenMP
/// (GENLAB_OPENMP off) the parts run one after the other. The first exception is rethrown.
template <class Part>
void forEachPartOnOwnThreads(int64_t rows, int64_t parts, const Part& part) {
  if (parts <= 1) return part(0, 0, rows);
  std::atomic_flag failed = ATOMIC_FLAG_INIT;
  std::exception_ptr error;
#ifdef _OPENMP
#pragma omp parallel for num_threads(parts) schedule(static, 1)
#endif
  for (int64_t index = 0; index < parts; ++index) {
    try {
      part(index, rows * index / parts, rows * (index + 1) / parts);
    } catch (...) {
      if (!failed.test_and_set()) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
}

} // namespace genlab::models
