#include "core/train/device.h"

#include "core/errors.h"
#include "core/train/blas_kernel.h"
#include "core/train/heap.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <torch/cuda.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace genlab::train {

namespace {

/// OpenBLAS's thread setter and getter, looked up at run time: LibTorch reaches BLAS through
/// Debian's libblas.so.3 alternative, which may be OpenBLAS (then these exist) or another BLAS.
using SetThreads = void (*)(int);
using GetThreads = int (*)();
SetThreads openblasSetThreads() {
  return reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
}
GetThreads openblasGetThreads() {
  return reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
}

/// The cores that "auto" (0 threads) stands for: OMP_NUM_THREADS when it is a positive number
/// (LibTorch's own default honours it; a batch job or the tsan test preset sets it), else all.
int autoThreads() {
  if (const char* variable = std::getenv("OMP_NUM_THREADS"); variable != nullptr) {
    char* end = nullptr;
    const long count = std::strtol(variable, &end, 10);
    if (end != variable && *end == '\0' && count > 0 && count <= 4096) return static_cast<int>(count);
  }
  return static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
}

} // namespace

bool cudaAvailable() { return torch::cuda::is_available(); }

int cudaDeviceCount() { return cudaAvailable() ? static_cast<int>(torch::cuda::device_count()) : 0; }

c10::Device chooseDevice(DeviceChoice choice) {
  switch (choice) {
  case DeviceChoice::Cpu:
    return c10::kCPU;
  case DeviceChoice::Auto:
    return cudaAvailable() ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
  case DeviceChoice::Cuda:
    if (!cudaAvailable())
      throw InputError(
          "CUDA was requested but is not available: this LibTorch has no CUDA support or no "
          "GPU is visible; choose the CPU (or auto)");
    return {c10::kCUDA, 0};
  }
  return c10::kCPU;
}

std::string describeDevice(const c10::Device& device) {
  if (device.is_cuda()) return "CUDA GPU " + std::to_string(device.index());
  std::string text = "CPU (" + std::to_string(at::get_num_threads()) + " LibTorch thread";
  text += at::get_num_threads() == 1 ? "" : "s";
  if (const auto get = openblasGetThreads(); get != nullptr) {
    text += ", " + std::to_string(get()) + " OpenBLAS thread" + (get() == 1 ? "" : "s");
    if (const std::string kernel = blasKernelInForce(); !kernel.empty()) text += ", " + kernel + " kernels";
  }
  return text + ")";
}

ThreadPlan planThreads(int threads, bool gemmBound) {
  const int cores = threads > 0 ? threads : autoThreads();
  return gemmBound ? ThreadPlan{1, cores} : ThreadPlan{cores, 1};
}

RunPlan planRuns(int threads, bool gemmBound, int runs, int concurrentRuns) {
  const int cores = threads > 0 ? threads : autoThreads();
  int atOnce = std::min(cores, std::max(1, runs));
  if (concurrentRuns > 0) atOnce = std::min(atOnce, concurrentRuns);
  if (atOnce <= 1) return {1, planThreads(cores, gemmBound)};
  return {atOnce, ThreadPlan{std::max(1, cores / atOnce), 1}};
}

RunPlan planRuns(const ExperimentSpec& spec) {
  const bool gemmBound = spec.model.architecture == models::Architecture::Mlp;
  if (!spec.compute.interleaved) return {1, planThreads(spec.compute.threads, gemmBound)};
  return planRuns(spec.compute.threads, gemmBound, static_cast<int>(runSettings(spec).size()),
                  spec.compute.concurrentRuns);
}

ThreadPlan useThreads(const ThreadPlan& plan) {
  // Before the first BLAS call of a session: OpenBLAS's kernels for this CPU.
  useBlasKernel();
  keepFreedMemory();
  cacheTensorBlocks();
  if (at::get_num_threads() != plan.intraOp) at::set_num_threads(plan.intraOp);
  ThreadPlan now{at::get_num_threads(), 0};
  if (const auto set = openblasSetThreads(); set != nullptr && plan.blas > 0) set(plan.blas);
  if (const auto get = openblasGetThreads(); get != nullptr) now.blas = get();
  return now;
}

int useThreads(int threads) { return useThreads(planThreads(threads, false)).intraOp; }

} // namespace genlab::train
