#pragma once
/// Keeping freed memory for reuse between training steps.
///
/// A training step frees the same activations and gradients that the next step allocates again.
/// Memory given back to the kernel in between is faulted in afresh, page by page, on its next
/// use: glibc's malloc unmaps blocks over its mmap threshold (32 MiB at most) and trims the top
/// of its heap. For the convolutional networks that was much of each step (docs/BENCHMARKS.md).

#include <cstddef>

namespace genlab::train {

/// Once per process, with glibc: blocks up to 32 MiB (glibc's largest such setting) come from
/// the heap, and freed heap memory is kept for reuse. Leaves alone a process whose environment
/// sets glibc's own MALLOC_MMAP_THRESHOLD_ or MALLOC_TRIM_THRESHOLD_. Returns whether the
/// settings are in force.
bool keepFreedMemory();

/// Once per process: LibTorch's CPU tensors of kSmallestCachedBlock bytes or more take their
/// memory from a cache of freed blocks of the same size (rounded up to 64 KiB), so a step
/// reuses the previous step's mapped pages. The cache keeps at most a quarter of the physical
/// memory and no block over kLargestCachedBlock: caching larger ones made runs at once slower,
/// not faster, and kept data sets' temporaries as peak memory. Blocks of 2 MiB or more are mapped
/// on huge-page boundaries and offered to transparent huge pages: fewer faults for fresh memory.
void cacheTensorBlocks();
inline constexpr std::size_t kSmallestCachedBlock = std::size_t{1} << 20;
inline constexpr std::size_t kLargestCachedBlock = std::size_t{64} << 20;

/// Bytes of freed blocks the cache holds for reuse.
std::size_t cachedTensorBytes();

/// Gives the cache's freed blocks back to the system; a session does once it is set up (its
/// data loaded and corrupted) and when it ends.
void releaseCachedTensorBlocks();

} // namespace genlab::train
