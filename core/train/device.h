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

/// How a session trains its runs: `concurrentRuns` at a time, each on its own thread with
/// `perRun` threads. On the CPU, several small runs on one thread each keep every core busy
/// with real work, where one run on every core spends much of its time in per-step work on one
/// thread and in BLAS threads waiting for each other (docs/BENCHMARKS.md). On a GPU, each run
/// queues its kernels from its own thread on its own stream (Trainer), so that the device
/// overlaps the small kernels of several runs.
struct RunPlan {
  int concurrentRuns = 1;
  ThreadPlan perRun;
};

/// The plan for `runs` runs on `threads` cores (0 as in planThreads), at most `concurrentRuns`
/// at a time (0: as many as cores): min(cores, runs, concurrentRuns) runs at once, each with
/// cores / that many LibTorch threads and one BLAS thread; a single run at a time gets
/// planThreads(threads, gemmBound).
RunPlan planRuns(int threads, bool gemmBound, int runs, int concurrentRuns);

/// The plan a session of `spec` trains with: planRuns over its runs when they are interleaved,
/// else one run at a time with planThreads.
RunPlan planRuns(const ExperimentSpec& spec);

/// Applies `plan` (and useBlasKernel(), keepFreedMemory(), cacheTensorBlocks()) and returns the
/// plan in force afterwards.
ThreadPlan useThreads(const ThreadPlan& plan);

/// Convenience: every core for LibTorch's loops, one BLAS thread (convolutional default).
int useThreads(int threads);

} // namespace genlab::train
