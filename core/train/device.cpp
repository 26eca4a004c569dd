#include "core/train/device.h"

#include "core/errors.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>

#include <algorithm>
#include <thread>

namespace genlab::train {

bool cudaAvailable() { return torch::cuda::is_available(); }

torch::Device chooseDevice(DeviceChoice choice) {
  switch (choice) {
  case DeviceChoice::Cpu:
    return torch::kCPU;
  case DeviceChoice::Auto:
    return cudaAvailable() ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
  case DeviceChoice::Cuda:
    if (!cudaAvailable())
      throw InputError(
          "CUDA was requested but is not available: this LibTorch has no CUDA support or no "
          "GPU is visible; choose the CPU (or auto)");
    return {torch::kCUDA, 0};
  }
  return torch::kCPU;
}

std::string describeDevice(const torch::Device& device) {
  if (device.is_cuda()) return "CUDA GPU " + std::to_string(device.index());
  return "CPU (" + std::to_string(at::get_num_threads()) + " threads)";
}

int useThreads(int threads) {
  const int wanted =
      threads > 0 ? threads : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  if (at::get_num_threads() != wanted) at::set_num_threads(wanted);
  return at::get_num_threads();
}

} // namespace genlab::train
