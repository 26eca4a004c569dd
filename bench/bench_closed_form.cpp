// The kernel interpolant's solve (core/closed_form) against LAPACK alone. Prints tab-separated
// lines: name, value, unit.
//
//   genlab_bench_closed_form [THREADS [REPEATS [N...]]]
//
// For each N (default 5000 10000) on N synthetic 28x28 images: the median over REPEATS
// (default 3) of the time to build a KernelInterpolant (Gram matrix by blocks, in-place
// Cholesky, two triangular solves; RBF kernel, float64), and of LAPACK's dpotrf_ alone,
// called directly on a copy of the same Gram matrix; their ratio says what the Gram matrix
// and the solves cost on top of the factorization. THREADS (0, the default: OMP_NUM_THREADS
// when set, else every core) go to BLAS (train::planThreads for linear algebra); dpotrf_ is
// the one LibTorch calls, from the same LAPACK library. Also the peak resident memory after
// the interpolants, against the 8 N^2 bytes of one Gram matrix.

#include "core/closed_form/interpolation.h"
#include "core/closed_form/kernel.h"
#include "core/data/synthetic.h"
#include "core/train/device.h"

#include <torch/torch.h>

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

// LAPACK's Cholesky factorization (32-bit integers, as Debian's OpenBLAS and reference LAPACK).
extern "C" void dpotrf_(const char* uplo, const int* n, double* a, const int* lda, int* info);

namespace {

using namespace genlab;
using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t middle = values.size() / 2;
  return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

/// The process's peak resident memory so far (VmHWM), in MB.
double peakResidentMb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return -1;
}

void bench(int64_t n, int repeats) {
  const data::Dataset dataset =
      data::makeSynthetic({.trainSize = n, .testSize = 1, .shape = {1, 28, 28}, .seed = 1});
  const torch::Tensor& images = dataset.train.images;
  const torch::Tensor& labels = dataset.train.labels;

  std::vector<double> solve;
  closed_form::Kernel kernel;
  double norm = 0;
  for (int r = 0; r < repeats; ++r) {
    const auto start = Clock::now();
    const closed_form::KernelInterpolant f(images, labels, dataset.numClasses());
    solve.push_back(seconds(start));
    kernel = f.kernel();
    norm = f.rkhsNorm();
  }
  const double peak = peakResidentMb();

  // The same Gram matrix, through the public API, factored by LAPACK on a fresh copy each time.
  const torch::Tensor rows = images.reshape({n, -1}).to(torch::kFloat64);
  const torch::Tensor centred = rows - rows.mean(0);
  const torch::Tensor k = closed_form::gram(kernel, centred, centred);
  torch::Tensor work = torch::empty_like(k);
  std::vector<double> factor;
  const int size = static_cast<int>(n);
  for (int r = 0; r < repeats; ++r) {
    work.copy_(k);
    int info = 0;
    const auto start = Clock::now();
    dpotrf_("L", &size, work.data_ptr<double>(), &size, &info);
    factor.push_back(seconds(start));
    if (info != 0) std::fprintf(stderr, "dpotrf_ failed: info %d\n", info);
  }

  const std::string at = "_n" + std::to_string(n);
  std::printf("interpolant_solve%s\t%.3f\ts (median of %d)\n", at.c_str(), median(solve), repeats);
  std::printf("lapack_dpotrf%s\t%.3f\ts (median of %d)\n", at.c_str(), median(factor), repeats);
  std::printf("solve_over_dpotrf%s\t%.2f\tratio\n", at.c_str(), median(solve) / median(factor));
  std::printf("dpotrf_rate%s\t%.1f\tGFLOP/s\n", at.c_str(),
              double(n) * double(n) * double(n) / 3.0 / median(factor) / 1e9);
  std::printf("peak_resident_after_solves%s\t%.0f\tMB (one Gram matrix: %.0f MB)\n", at.c_str(),
              peak, 8.0 * double(n) * double(n) / 1048576.0);
  std::printf("rkhs_norm%s\t%.2f\t(RBF bandwidth %.3f)\n", at.c_str(), norm, kernel.bandwidth);
  std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 0;
  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  std::vector<int64_t> sizes;
  for (int i = 3; i < argc; ++i) sizes.push_back(std::atoll(argv[i]));
  if (sizes.empty()) sizes = {5000, 10000};

  const train::ThreadPlan plan = train::useThreads(train::planThreads(threads, train::Workload::LinearAlgebra));
  Dl_info library{};
  const char* lapack = dladdr(reinterpret_cast<void*>(&dpotrf_), &library) && library.dli_fname
                           ? library.dli_fname
                           : "?";
  std::printf("threads\t%d LibTorch, %d BLAS\t(dpotrf_ from %s)\n", plan.intraOp, plan.blas, lapack);
  for (const int64_t n : sizes) bench(n, repeats);
  return 0;
}
