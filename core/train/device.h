#pragma once
/// Choosing where training runs.

#include "core/train/experiment_spec.h"

#include <c10/core/Device.h>

#include <string>

namespace genlab::train {

/// True when this LibTorch was built with CUDA and sees at least one GPU.
bool cudaAvailable();
/// CUDA devices this process sees (0 without CUDA).
int cudaDeviceCount();

/// The device for `choice`: Auto picks CUDA when available, else the CPU. Throws InputError
/// when CUDA is asked for and is not available, saying why.
c10::Device chooseDevice(DeviceChoice choice);

/// "CPU (1 LibTorch thread, 2 OpenBLAS threads, SkylakeX kernels)" or "CUDA GPU 0", for status
/// lines.
std::string describeDevice(const c10::Device& device);

/// How the CPU cores are shared between LibTorch's own parallel loops (intra-op threads) and
/// the BLAS library's threads. Both pools spin while they wait, so giving both every core
/// oversubscribes the machine: on a 2-core machine MLP training then runs about 3x slower.
struct ThreadPlan {
  int intraOp = 1;  ///< at::set_num_threads
  int blas = 1;     ///< OpenBLAS threads (0 when the BLAS in use cannot be set)
};

/// The plan for `threads` cores (0: OMP_NUM_THREADS when set, else every core). GEMM-bound networks (MLPs) give the cores to
/// BLAS and run LibTorch's loops on one thread; convolutional networks give them to LibTorch
/// (oneDNN convolutions, im2col, element-wise loops) and run BLAS on one.
ThreadPlan planThreads(int threads, bool gemmBound);

/// Applies `plan` (and useBlasKernel()) and returns the plan in force afterwards.
ThreadPlan useThreads(const ThreadPlan& plan);

/// Convenience: every core for LibTorch's loops, one BLAS thread (convolutional default).
int useThreads(int threads);

} // namespace genlab::train
