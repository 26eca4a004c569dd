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

/// What a session's CPU time goes to, which decides how its cores are shared (planThreads).
enum class Workload {
  Convolutional,  ///< LibTorch's own loops and oneDNN's convolutions
  Mlp,            ///< matrix products, split by CpuLinear (core/models/cpu_linear.h)
  LinearAlgebra,  ///< a BLAS factorization or product (the closed-form models)
};

/// Whether CpuLinear's blocks (core/models/cpu_linear.h) have the bits of whole products on
/// this BLAS, checked once on an MLP's products. OpenBLAS's AVX-512 kernels keep them, its
/// Haswell (and Zen) kernels do not; there an MLP's cores go to the BLAS's threads, as before.
/// The first call switches the BLAS to one thread and back, so it must not run beside other
/// BLAS work: useThreads, which every session calls before its first, makes it.
bool splitProductsKeepBits();

/// The workload of training `architecture`.
Workload workloadOf(models::Architecture architecture);

/// How the CPU cores are shared between LibTorch's own parallel loops (intra-op threads), the
/// BLAS library's threads and CpuLinear's product threads. The first two pools spin while they
/// wait, so giving both every core oversubscribes the machine: on a 2-core machine MLP training
/// then runs about 3x slower.
struct ThreadPlan {
  int intraOp = 1;   ///< at::set_num_threads
  int blas = 1;      ///< OpenBLAS threads (0 when the BLAS in use cannot be set)
  int products = 1;  ///< CpuLinear's threads (models::setProductThreads), on the calling thread
};

/// The cores that a spec's `threads` stands for: itself, or for 0, OMP_NUM_THREADS when set,
/// else every core.
int coresFor(int threads);

/// The plan for `threads` cores (0 as in coresFor): each workload
/// gives the cores to what does its work and one thread to the others. An MLP's products, and a
/// convolutional network's dense layers', get them rather than the BLAS's own threads, whose
/// sums depend on how many there are, where splitProductsKeepBits().
ThreadPlan planThreads(int threads, Workload workload);

/// How a session trains its runs: `concurrentRuns` at a time, each on its own thread with
/// `perRun` threads. On the CPU, several small runs on one thread each keep every core busy
/// with real work, where one run on every core spends much of its time in per-step work on one
/// thread and in threads waiting for each other (docs/BENCHMARKS.md). On a GPU, each run
/// queues its kernels from its own thread on its own stream (Trainer), so that the device
/// overlaps the small kernels of several runs.
struct RunPlan {
  int concurrentRuns = 1;
  ThreadPlan perRun;
};

/// The plan for `runs` runs on `threads` cores (0 as in planThreads), at most `concurrentRuns`
/// at a time (0: as many as cores): min(cores, runs, concurrentRuns) runs at once, each with
/// planThreads(cores / that many, workload) but one BLAS thread; a single run at a time gets
/// planThreads(threads, workload).
RunPlan planRuns(int threads, Workload workload, int runs, int concurrentRuns);

/// The plan a session of `spec` trains with: planRuns over its runs when they are interleaved,
/// else one run at a time with planThreads.
RunPlan planRuns(const ExperimentSpec& spec);

/// Applies `plan` (and useBlasKernel(), splitProductsKeepBits(), keepFreedMemory(),
/// cacheTensorBlocks()) and returns the plan in force afterwards; its product threads are the
/// calling thread's.
ThreadPlan useThreads(const ThreadPlan& plan);

/// Convenience: every core for LibTorch's loops, one BLAS thread (convolutional default).
int useThreads(int threads);

} // namespace genlab::train
