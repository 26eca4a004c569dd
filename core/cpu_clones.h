#pragma once
/// GENLAB_CLONED_PER_CPU before a function with vectorizable loops: on x86-64, GCC compiles it
/// for AVX-512, AVX2 and the baseline, and the loader picks the CPU's best (an ifunc). Elsewhere
/// (an ARM host of a GPU) it is compiled once. Not under the sanitizers: the loader runs ifunc
/// resolvers before their runtimes are up, and the instrumented resolvers crash (the tsan
/// preset's tests died at start).

#if defined(__x86_64__) && !defined(__SANITIZE_THREAD__) && !defined(__SANITIZE_ADDRESS__)
#define GENLAB_CLONED_PER_CPU [[gnu::target_clones("avx512f", "avx2", "default")]]
#else
#define GENLAB_CLONED_PER_CPU
#endif

/// GENLAB_AVX512_LOOPS where loops written with AVX-512 intrinsics (functions marked
/// [[gnu::target("avx512f")]]) compile: x86-64 with GCC or Clang. cpuRunsAvx512() says whether
/// this CPU runs them.
#if defined(__x86_64__) && defined(__GNUC__)
#define GENLAB_AVX512_LOOPS 1
inline bool cpuRunsAvx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f");
}
#else
inline bool cpuRunsAvx512() { return false; }
#endif
