#pragma once
/// Choosing OpenBLAS's compute kernels when OpenBLAS does not know the CPU.
///
/// OpenBLAS picks its kernels (its "core type") from the CPU's model number when the library
/// loads. A CPU newer than the OpenBLAS release has a number it does not know, and OpenBLAS
/// then falls back to "Prescott" kernels (SSE3, 2004). Debian 12's OpenBLAS 0.3.21 does this
/// on Intel's Emerald Rapids (family 6, model 207), an AVX-512 CPU: a 2048^3 matrix product
/// runs at about 50 GFLOP/s on 2 cores instead of about 250 with its AVX-512 kernels, and MLP
/// training, mostly GEMMs, at less than half its speed. See docs/BENCHMARKS.md.

#include <string>

namespace genlab::train {

/// What useBlasKernel found and did.
struct BlasKernel {
  std::string before;  ///< OpenBLAS's own choice at load ("" when the BLAS is not OpenBLAS)
  std::string now;     ///< the kernel in force afterwards
  bool changed = false;
};

/// The OpenBLAS core type that suits this CPU's instruction sets ("SkylakeX" with AVX-512,
/// "Haswell" with AVX2 and FMA, "Sandybridge" with AVX), or "" for older CPUs.
std::string kernelForThisCpu();

/// The OpenBLAS kernels in force now ("SkylakeX", ...), or "" when the BLAS is not OpenBLAS.
/// Only reports: it never switches (for status lines).
std::string blasKernelInForce();

/// When OpenBLAS fell back to its Prescott kernels on a CPU with AVX or better, switches it to
/// kernelForThisCpu(), as if OPENBLAS_CORETYPE had been set before it loaded. Leaves alone an
/// OPENBLAS_CORETYPE the user set, OpenBLAS's choice for a CPU it knows, and other BLAS
/// libraries (MKL in a CUDA LibTorch). The first call decides, before any BLAS work or with
/// none in flight (OpenBLAS swaps a table of kernels); later calls return what it found.
BlasKernel useBlasKernel();

} // namespace genlab::train
