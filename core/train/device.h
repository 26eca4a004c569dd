#pragma once
/// Choosing where training runs.

#include "core/train/experiment_spec.h"

#include <torch/types.h>

#include <string>

namespace genlab::train {

/// True when this LibTorch was built with CUDA and sees at least one GPU.
bool cudaAvailable();

/// The device for `choice`: Auto picks CUDA when available, else the CPU. Throws InputError
/// when CUDA is asked for and is not available, saying why.
torch::Device chooseDevice(DeviceChoice choice);

/// "CPU (2 threads)" or "CUDA: NVIDIA H100 80GB HBM3"-style text for status lines.
std::string describeDevice(const torch::Device& device);

/// Sets LibTorch's intra-op CPU threads: `threads`, or every core when it is 0. Returns the
/// number now in use. (Debian's LibTorch starts with one thread.)
int useThreads(int threads);

} // namespace genlab::train
