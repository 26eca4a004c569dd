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
