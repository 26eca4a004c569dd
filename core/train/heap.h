#pragma once
/// Keeping freed memory for reuse between training steps.
///
/// glibc's malloc gives large blocks back to the kernel when they are freed (it unmaps them, or
/// trims the top of the heap), so every training step faults in its activations and gradients
/// afresh, page by page: for the convolutional networks that was half of each step
/// (docs/BENCHMARKS.md). Serving blocks up to 32 MiB from the heap and never trimming it keeps
/// the step's memory mapped, at the cost of the process keeping its peak heap.

namespace genlab::train {

/// Once per process, with glibc: blocks up to 32 MiB (glibc's largest such setting) come from
/// the heap, and freed heap memory is kept for reuse. Leaves alone a process whose environment
/// sets glibc's own MALLOC_MMAP_THRESHOLD_ or MALLOC_TRIM_THRESHOLD_. Returns whether the
/// settings are in force.
bool keepFreedMemory();

} // namespace genlab::train
