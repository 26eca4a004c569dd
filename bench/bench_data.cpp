// Times the data layer on the real Fashion-MNIST: reading and decoding the gzip IDX files,
// the whole default preparation (load + standardize), and each corruption of the full set.
// Prints one tab-separated line per measurement: name, median seconds, min, max, repetitions.
//
//   genlab_bench_data [repetitions] [data folder]

#include "core/corruption/corrupt.h"
#include "core/data/load.h"
#include "core/data/mnist.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

void measure(const std::string& name, int repetitions, const std::function<void()>& work) {
  std::vector<double> seconds;
  for (int r = 0; r < repetitions; ++r) {
    const auto start = Clock::now();
    work();
    seconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf("%s\t%.4f\t%.4f\t%.4f\t%d\n", name.c_str(), seconds[seconds.size() / 2],
              seconds.front(), seconds.back(), repetitions);
  std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv) {
  using namespace genlab;
  const int repetitions = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
  const std::string folder = argc > 2 ? argv[2] : data::kFashionMnistPackageDir;
  at::set_num_threads(static_cast<int>(std::max(1U, std::thread::hardware_concurrency())));

  measure("load_fashion_mnist", repetitions, [&] { (void)data::loadFashionMnist(folder); });

  data::DataSpec spec;
  spec.directory = folder;
  measure("prepare_default", repetitions, [&] { (void)data::loadDataset(spec); });

  const data::Dataset full = data::loadDataset(spec).dataset;
  for (const auto* key : {"random-labels", "shuffled-pixels", "random-pixels", "gaussian"}) {
    const auto setting = corruption::parseSetting(key);
    measure(std::string("corrupt_") + key, repetitions,
            [&] { (void)corruption::corrupt(full, setting, 1); });
  }
  return 0;
}
