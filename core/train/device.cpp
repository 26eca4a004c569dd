#include "core/train/device.h"

#include "core/errors.h"
#include "core/models/cpu_linear.h"
#include "core/random.h"
#include "core/train/blas_kernel.h"
#include "core/train/heap.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <torch/cuda.h>

#include <algorithm>
#include <cstdlib>
#include <thread>
#include <utility>

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
  if (const int products = models::productThreads(); products > 1)
    text += ", " + std::to_string(products) + " threads for an MLP's products";
  return text + ")";
}

bool splitProductsKeepBits() {
  static const bool keep = [] {
    useBlasKernel();  // the kernels that will run the products
    const SetThreads set = openblasSetThreads();
    const GetThreads get = openblasGetThreads();
    const int before = get != nullptr ? get() : 0;
    if (set != nullptr) set(1);
    // MLP 1x512's products at batch 128: forward, weight gradient, input gradient, as CpuLinear
    // forms them, and as the MLP's own training step does, on activations transposed.
    at::Generator generator = makeGenerator(0);
    const torch::Tensor x = torch::randn({128, 784}, generator);
    const torch::Tensor w = torch::randn({512, 784}, generator);
    const torch::Tensor g = torch::randn({128, 512}, generator);
    const torch::Tensor gT = g.t().contiguous();
    bool same = true;
    for (const auto& [a, b] : {std::pair{x, w.t()}, std::pair{g.t(), x}, std::pair{g, w}, std::pair{w, x.t()},
                               std::pair{gT, x}, std::pair{w.t(), gT}}) {
      const torch::Tensor whole = torch::mm(a, b);
      for (const int64_t blocks : {2, 3})
        for (const bool byColumns : {true, false})
          same = same && torch::equal(models::productInBlocks(a, b, {}, blocks, byColumns), whole);
    }
    if (set != nullptr && before > 0) set(before);
    return same;
  }();
  return keep;
}

int coresFor(int threads) { return threads > 0 ? threads : autoThreads(); }

Workload workloadOf(models::Architecture architecture) {
  if (models::isClosedForm(architecture)) return Workload::LinearAlgebra;
  return architecture == models::Architecture::Mlp ? Workload::Mlp : Workload::Convolutional;
}

ThreadPlan planThreads(int threads, Workload workload) {
  const int cores = coresFor(threads);
  switch (workload) {
  case Workload::Mlp:
    if (splitProductsKeepBits()) return {.intraOp = 1, .blas = 1, .products = cores};
    return {.intraOp = 1, .blas = cores, .products = 1};
  case Workload::LinearAlgebra:
    return {.intraOp = 1, .blas = cores, .products = 1};
  case Workload::Convolutional:
    break;
  }
  // The convolutions and the lab's layers run on LibTorch's threads; the dense layers' products
  // (CpuLinear) on threads of their own where that keeps their bits.
  return {.intraOp = cores, .blas = 1, .products = splitProductsKeepBits() ? cores : 1};
}

RunPlan planRuns(int threads, Workload workload, int runs, int concurrentRuns) {
  const int cores = coresFor(threads);
  int atOnce = std::min(cores, std::max(1, runs));
  if (concurrentRuns > 0) atOnce = std::min(atOnce, concurrentRuns);
  if (atOnce <= 1) return {1, planThreads(cores, workload)};
  // Runs at once each keep to one BLAS thread: the BLAS's own threads would change their numbers.
  ThreadPlan each = planThreads(std::max(1, cores / atOnce), workload);
  each.blas = 1;
  return {atOnce, each};
}

RunPlan planRuns(const ExperimentSpec& spec) {
  const Workload workload = workloadOf(spec.model.architecture);
  if (!spec.compute.interleaved) return {1, planThreads(spec.compute.threads, workload)};
  return planRuns(spec.compute.threads, workload, static_cast<int>(runSettings(spec).size()),
                  spec.compute.concurrentRuns);
}

ThreadPlan useThreads(const ThreadPlan& plan) {
  // Before the first BLAS call of a session: OpenBLAS's kernels for this CPU, and whether
  // their products keep their bits in blocks (which runs products on one BLAS thread).
  useBlasKernel();
  splitProductsKeepBits();
  keepFreedMemory();
  cacheTensorBlocks();
  if (at::get_num_threads() != plan.intraOp) at::set_num_threads(plan.intraOp);
  models::setProductThreads(plan.products);
  ThreadPlan now{at::get_num_threads(), 0, models::productThreads()};
  if (const auto set = openblasSetThreads(); set != nullptr && plan.blas > 0) set(plan.blas);
  if (const auto get = openblasGetThreads(); get != nullptr) now.blas = get();
  return now;
}

int useThreads(int threads) { return useThreads(planThreads(threads, Workload::Convolutional)).intraOp; }

} // namespace genlab::train
