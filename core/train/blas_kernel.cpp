#include "core/train/blas_kernel.h"

#include <dlfcn.h>

#include <cstdlib>

namespace genlab::train {

namespace {

/// OpenBLAS's entry points, looked up at run time: LibTorch reaches BLAS through Debian's
/// libblas.so.3 alternative, which may be OpenBLAS or another BLAS. The two dynamic_* entry
/// points are exported by OpenBLAS builds with DYNAMIC_ARCH (Debian's): quit forgets the
/// kernel table, init chooses one again, reading OPENBLAS_CORETYPE as at load time.
template <class Function>
Function lookUp(const char* name) {
  return reinterpret_cast<Function>(dlsym(RTLD_DEFAULT, name));
}

} // namespace

std::string blasKernelInForce() {
  const auto name = lookUp<char* (*)()>("openblas_get_corename");
  const char* text = name != nullptr ? name() : nullptr;
  return text != nullptr ? text : "";
}

std::string kernelForThisCpu() {
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  // OpenBLAS's SkylakeX kernels use AVX-512 F, CD, BW, DQ and VL.
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
  if (__builtin_cpu_supports("avx")) return "Sandybridge";
#endif
  return "";
}

BlasKernel useBlasKernel() {
  // Once per process (thread-safe): later calls report what the first one found and did.
  static const BlasKernel kernel = [] {
    BlasKernel result{blasKernelInForce(), {}, false};
    result.now = result.before;
    const auto quit = lookUp<void (*)()>("gotoblas_dynamic_quit");
    const auto init = lookUp<void (*)()>("gotoblas_dynamic_init");
    const std::string wanted = kernelForThisCpu();
    // Only OpenBLAS's fallback for CPUs it does not know; never what the user asked for.
    if (result.before != "Prescott" || wanted.empty() ||
        std::getenv("OPENBLAS_CORETYPE") != nullptr || quit == nullptr || init == nullptr)
      return result;
    setenv("OPENBLAS_CORETYPE", wanted.c_str(), 1);  // child processes get the same kernels
    quit();
    init();
    result.now = blasKernelInForce();
    result.changed = result.now != result.before;
    return result;
  }();
  return kernel;
}

} // namespace genlab::train
