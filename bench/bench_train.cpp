// Training benchmarks of the C++ trainer. Prints tab-separated lines: name, value, unit.
//
//   genlab_bench_train throughput ARCH STEPS [CxHxW]
//                                              images/s of ARCH (mlp, mlp3, alexnet,
//                                              inception) at batch 128 on 1x28x28 (or CxHxW)
//                                              images, STEPS timed steps after 2 warm-up steps;
//                                              with GENLAB_PROFILE_TRACE=FILE, the timed steps'
//                                              operators as a Chrome trace (bench/op_table.py)
//   genlab_bench_train matmul                   single-precision matrix-multiply peak (GFLOP/s)
//   genlab_bench_train conv-peak                single-precision convolution peak (GFLOP/s):
//                                              oneDNN on batches of 512, the networks' shapes,
//                                              channels-first and channels-last
//   genlab_bench_train layers                   the lab's max-pool-then-ReLU, LRN, batch norm
//                                              then ReLU and convolutions against LibTorch's,
//                                              forward and backward, one thread:
//                                              ms each and LibTorch's / the lab's
//   genlab_bench_train blas-kernel              OpenBLAS's own kernel choice and the one in
//                                              force after the lab's (train::useBlasKernel)
//   genlab_bench_train cifar-epoch [IMAGES]     wall time of one epoch of small Inception on
//                                              IMAGES (default 50,000) synthetic 32x32x3
//                                              images, batch 128, on the default device
//   genlab_bench_train preset ID                wall time of a preset run, per run time to fit
//   genlab_bench_train limit ID RUNS [SEED]     a preset's session (an MLP) with RUNS runs at
//                                              once (0: as many as cores; SEED instead of the
//                                              preset's), against its
//                                              GEMM-bound limit at the measured peak: prints
//                                              wall s, TFLOP, peak, limit s and their ratio,
//                                              then the same for the training steps' GEMMs
//                                              alone (TFLOP, limit s, ratio), the set-up s and
//                                              the s of the run that ends last alone
//   genlab_bench_train throughput-at-once ARCH STEPS
//                                              the same, with as many runs at once as a session
//                                              of that many settings trains on the CPU: images/s
//                                              of all of them together
//   genlab_bench_train sweep-wall DEPTH EPOCHS [RUNS_AT_ONCE]
//                                              the label-corruption sweep's session (MLP
//                                              DEPTHx512, EPOCHS each, synthetic images of
//                                              its data's shape and sizes) on the default device,
//                                              RUNS_AT_ONCE at a time (default 0, the plan's):
//                                              its wall time against its slowest run's
//   genlab_bench_train fit-check                a session on the default device (CUDA when
//                                              present) memorizes 256 random labels; exit 0
//                                              when it fitted (the GPU machine's Qt-free test)
//   genlab_bench_train runs-at-once-check       three runs trained at once on the default device
//                                              against each alone: exit 0 when their step
//                                              losses agree (to 1e-4 relative)
//
// The throughput protocol is the one bench/train_throughput.py follows in Python: the same
// synthetic data, the same network, SGD with momentum 0.9, one device-to-host loss copy per
// timed block.

#include "core/corruption/corrupt.h"
#include "core/data/data_spec.h"
#include "core/data/synthetic.h"
#include "core/errors.h"
#include "core/models/batch_norm_relu.h"
#include "core/models/cpu_conv.h"
#include "core/models/cpu_linear.h"
#include "core/models/dense_weight_gradient.h"
#include "core/models/local_response_norm.h"
#include "core/models/max_pool_relu.h"
#include "core/models/network.h"
#include "core/results/presets.h"
#include "core/train/blas_kernel.h"
#include "core/train/device.h"
#include "core/train/run_pool.h"
#include "core/train/session.h"
#include "core/train/trainer.h"

#include <torch/csrc/autograd/profiler_legacy.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <latch>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

using namespace genlab;
using Clock = std::chrono::steady_clock;

constexpr int64_t kBatch = 128;
constexpr int64_t kWarmup = 2;

double seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

models::ModelSpec modelNamed(const std::string& name) {
  models::ModelSpec spec;
  if (name == "mlp3") spec.depth = 3;
  if (name == "alexnet") spec.architecture = models::Architecture::AlexNet;
  if (name == "inception") {
    spec.architecture = models::Architecture::Inception;
    spec.batchNorm = true;
  }
  return spec;
}

/// "CxHxW" (as "3x32x32") as an image shape; 1x28x28 when empty.
data::ImageShape shapeNamed(const std::string& text) {
  if (text.empty()) return {1, 28, 28};
  long long c = 0, h = 0, w = 0;
  if (std::sscanf(text.c_str(), "%lldx%lldx%lld", &c, &h, &w) != 3 || c < 1 || h < 1 || w < 1)
    throw InputError("image shape '" + text + "' is not CxHxW");
  return {c, h, w};
}

int throughput(const std::string& arch, int64_t steps, const data::ImageShape& shape) {
  train::ExperimentSpec spec;
  spec.model = modelNamed(arch);
  spec.training.batchSize = kBatch;
  spec.compute.device = train::DeviceChoice::Auto;
  train::useThreads(train::planThreads(0, train::workloadOf(spec.model.architecture)));
  const torch::Device device = train::chooseDevice(spec.compute.device);
  // One batch more than the steps taken, so that no epoch ends (and no evaluation runs)
  // inside the timed block.
  const data::Dataset dataset = data::makeSynthetic(
      {.trainSize = (kWarmup + steps + 1) * kBatch, .testSize = 10, .shape = shape});
  const auto corrupted = corruption::corrupt(dataset, corruption::Setting::trueLabels(), 0);
  train::Trainer trainer(0, spec, corrupted, device);
  train::SessionListener ignore;
  trainer.advance(kWarmup, ignore);
  std::optional<torch::autograd::profiler::RecordProfile> profile;
  if (const char* trace = std::getenv("GENLAB_PROFILE_TRACE"); trace != nullptr && *trace != 0)
    profile.emplace(trace);
  const auto start = Clock::now();
  trainer.advance(steps, ignore);  // ends with one loss copy to the host, which synchronizes
  const double elapsed = seconds(start);
  profile.reset();
  std::printf("throughput_%s\t%.1f\timages/s\n", arch.c_str(), double(steps * kBatch) / elapsed);
  std::printf("parameters_%s\t%lld\tparameters\n", arch.c_str(),
              static_cast<long long>(models::countParameters(trainer.network())));
  return 0;
}

/// As throughput(), for the runs a session trains at once on the CPU (train::planRuns: as many
/// as cores, each on its own thread with its share of LibTorch threads, set on that thread).
int throughputAtOnce(const std::string& arch, int64_t steps) {
  train::ExperimentSpec spec;
  spec.model = modelNamed(arch);
  spec.training.batchSize = kBatch;
  const train::RunPlan plan = train::planRuns(0, train::workloadOf(spec.model.architecture), /*runs=*/1 << 10,
                                              /*concurrentRuns=*/0);
  train::useThreads(plan.perRun);
  const data::Dataset dataset = data::makeSynthetic(
      {.trainSize = (kWarmup + steps + 1) * kBatch, .testSize = 10, .shape = {1, 28, 28}});
  const auto corrupted = corruption::corrupt(dataset, corruption::Setting::trueLabels(), 0);
  std::vector<std::unique_ptr<train::Trainer>> trainers;
  for (int i = 0; i < plan.concurrentRuns; ++i)
    trainers.push_back(std::make_unique<train::Trainer>(i, spec, corrupted, torch::Device(torch::kCPU)));
  train::RunPool pool(plan.concurrentRuns);
  train::SessionListener ignore;  // no state: safe to share between threads
  const auto advanceAll = [&](int64_t count) {
    for (int i = 0; i < plan.concurrentRuns; ++i)
      pool.submit(i, [&, i] {
        if (at::get_num_threads() != plan.perRun.intraOp) at::set_num_threads(plan.perRun.intraOp);
        models::setProductThreads(plan.perRun.products);
        trainers[i]->advance(count, ignore);
      });
    while (pool.busy() > 0) pool.collect();
  };
  advanceAll(kWarmup);
  const auto start = Clock::now();
  advanceAll(steps);
  const double elapsed = seconds(start);
  std::printf("throughput_at_once_%s\t%.1f\timages/s\t%d runs at once\n", arch.c_str(),
              double(plan.concurrentRuns * steps * kBatch) / elapsed, plan.concurrentRuns);
  return 0;
}

/// Best GFLOP/s of `product` (`flops` each) over 5 batches of `repeats`, after one to warm up.
double bestRateOf(const std::function<void()>& product, double flops, int repeats) {
  product();
  double best = 0;
  for (int r = 0; r < 5; ++r) {
    const auto start = Clock::now();
    for (int i = 0; i < repeats; ++i) product();
    best = std::max(best, flops * repeats / seconds(start) / 1e9);
  }
  return best;
}

/// Best single-precision rate of torch::mm(a, b) for an m x k by k x n product, GFLOP/s.
double bestRate(int64_t m, int64_t k, int64_t n, int repeats) {
  const torch::Tensor a = torch::randn({m, k}), b = torch::randn({k, n});
  return bestRateOf([&] { (void)torch::mm(a, b); }, 2.0 * double(m * k * n), repeats);
}

/// GFLOP/s per thread of `product` (`flops` each) on one thread alone, then on every core at
/// once, each thread its own products (the mean of their rates): whether the cores slow each
/// other's products, as hyper-threads of one physical core do.
std::pair<double, double> ratesPerThread(const std::function<void()>& product, double flops) {
  const auto rateOnThisThread = [&] {
    at::set_num_threads(1);
    models::setProductThreads(1);
    return bestRateOf(product, flops, 50);
  };
  double alone = 0;
  std::thread([&] { alone = rateOnThisThread(); }).join();
  const int cores = train::coresFor(0);
  std::vector<double> rates(static_cast<size_t>(cores));
  std::latch ready(cores);
  std::vector<std::thread> threads;
  for (int t = 0; t < cores; ++t)
    threads.emplace_back([&, t] {
      ready.arrive_and_wait();
      rates[static_cast<size_t>(t)] = rateOnThisThread();
    });
  for (auto& thread : threads) thread.join();
  double sum = 0;
  for (const double rate : rates) sum += rate;
  return {alone, sum / cores};
}

int matmul() {
  // One BLAS thread for the per-thread rates first; then the peak on every core.
  train::useThreads(train::planThreads(1, train::Workload::LinearAlgebra));
  // The MLP step's first-layer operands at batch 128: weights, images, output gradient
  // (transposed, as MlpImpl::trainingStep keeps it).
  const torch::Tensor w = torch::randn({512, 784}), x = torch::randn({128, 784}), g = torch::randn({512, 128});
  const double flops = 2.0 * 512 * 784 * 128;
  {
    // OpenBLAS's forward (as the step forms it, 512 x 784 by 784 x 128) and the weight gradient
    // by the route the step takes (models::weightGradient: the lab's loop where it runs, else
    // OpenBLAS).
    const auto [forwardAlone, forwardAtOnce] = ratesPerThread([&] { (void)torch::mm(w, x.t()); }, flops);
    const auto [gradientAlone, gradientAtOnce] = ratesPerThread([&] { (void)models::weightGradient(g, x); }, flops);
    std::printf("matmul_thread_forward\t%.1f\tGFLOP/s alone\t%.1f\tGFLOP/s each at once\t%d threads\n",
                forwardAlone, forwardAtOnce, train::coresFor(0));
    std::printf("matmul_thread_weight_gradient\t%.1f\tGFLOP/s alone\t%.1f\tGFLOP/s each at once\t%d threads\t%s\n",
                gradientAlone, gradientAtOnce, train::coresFor(0),
                models::dense_weight::fastRoute() ? "lab loop" : "OpenBLAS");
  }
  train::useThreads(train::planThreads(0, train::Workload::LinearAlgebra));
  std::printf("matmul_peak\t%.1f\tGFLOP/s\n", bestRate(2048, 2048, 2048, 1));
  // The GEMMs of one MLP 1x512 training step at batch 128, by their shapes: the forward
  // product (128 x 784 by 784 x 512), the same product transposed as the MLP's own step forms it
  // (512 x 784 by 784 x 128, models::MlpImpl::trainingStep) and the weight gradient (784 x 128
  // by 128 x 512).
  std::printf("matmul_mlp_forward\t%.1f\tGFLOP/s\n", bestRate(128, 784, 512, 50));
  std::printf("matmul_mlp_forward_transposed\t%.1f\tGFLOP/s\n", bestRate(512, 784, 128, 50));
  std::printf("matmul_mlp_weight_gradient\t%.1f\tGFLOP/s\n", bestRate(784, 128, 512, 50));
  // The same two first-layer products by the routes an MLP's step on every core takes, under
  // its thread plan: models::splitProduct and models::weightGradient, as MlpImpl::trainingStep
  // calls them.
  train::useThreads(train::planThreads(0, train::Workload::Mlp));
  std::printf("matmul_mlp_step_forward\t%.1f\tGFLOP/s\n",
              bestRateOf([&] { (void)models::splitProduct(w, x.t(), {}); }, flops, 50));
  std::printf("matmul_mlp_step_weight_gradient\t%.1f\tGFLOP/s\n",
              bestRateOf([&] { (void)models::weightGradient(g, x); }, flops, 50));
  return 0;
}

/// Best single-precision rate of LibTorch's CPU convolution (oneDNN) of a batch of `n` images of
/// `c` channels, `size` x `size`, with `out` filters of `k` x `k` (same padding), in `layout`,
/// GFLOP/s.
double bestConvolutionRate(int64_t n, int64_t c, int64_t size, int64_t k, int64_t out,
                           torch::MemoryFormat layout) {
  const torch::Tensor x = torch::randn({n, c, size, size}).contiguous(layout);
  const torch::Tensor w = torch::randn({out, c, k, k}).contiguous(layout);
  torch::Tensor y = torch::conv2d(x, w, {}, 1, k / 2);  // warm-up
  double best = 0;
  for (int r = 0; r < 5; ++r) {
    const auto start = Clock::now();
    y = torch::conv2d(x, w, {}, 1, k / 2);
    best = std::max(best, 2.0 * double(n * c * out * k * k * size * size) / seconds(start) / 1e9);
  }
  return best;
}

/// The convolution peak: the best of large-batch convolutions of the shapes small AlexNet and
/// small Inception use, in both memory layouts, on every core as the trainer plans
/// convolutional networks, with its cache of tensor memory (an output above the cache's largest
/// block, as the 1x1 shape's, is still faulted in afresh each time).
int convolutionPeak() {
  train::useThreads(train::planThreads(0, train::Workload::Convolutional));
  struct Shape {
    const char* name;
    int64_t channels, size, kernel, out;
  };
  for (const Shape& shape : {Shape{"alexnet_5x5", 64, 14, 5, 64}, Shape{"inception_3x3", 160, 14, 3, 160},
                             Shape{"inception_1x1", 160, 14, 1, 176}})
    for (const auto& [layout, name] : {std::pair{torch::MemoryFormat::Contiguous, "nchw"},
                                       std::pair{torch::MemoryFormat::ChannelsLast, "channels_last"}})
      std::printf("conv_%s_%s\t%.1f\tGFLOP/s\n", shape.name, name,
                  bestConvolutionRate(512, shape.channels, shape.size, shape.kernel, shape.out, layout));
  return 0;
}

/// Median milliseconds of `pass` (forward and backward of one layer) over `repetitions`, after
/// two to warm up.
template <class Pass>
double medianMilliseconds(int repetitions, Pass&& pass) {
  pass();
  pass();
  std::vector<double> times;
  for (int r = 0; r < repetitions; ++r) {
    const auto start = Clock::now();
    pass();
    times.push_back(seconds(start) * 1e3);
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

/// The lab's own layers against LibTorch's, forward and backward, at batch 128 on the
/// networks' shapes, channels-last, on one thread (as a run trains beside others): AlexNet's
/// max-pool then ReLU and LRN, Inception's batch norm then ReLU, and CpuConv2d's routes.
int layers() {
  train::useThreads(train::ThreadPlan{1, 1});
  namespace F = torch::nn::functional;
  const auto compare = [](const char* name, const torch::Tensor& input, const auto& ours, const auto& libtorch,
                          bool inputGradient = true) {
    const torch::Tensor x = input.detach().requires_grad_(inputGradient);
    const auto pass = [&](const auto& layer) {
      return [&] {
        const torch::Tensor y = layer(x);
        y.backward(torch::ones_like(y));
        x.mutable_grad() = torch::Tensor();
      };
    };
    const double lab = medianMilliseconds(15, pass(ours)), reference = medianMilliseconds(15, pass(libtorch));
    std::printf("layer_%s\t%.2f\tms\t%.2f\tms LibTorch\t%.2f\n", name, lab, reference, reference / lab);
  };
  const torch::Tensor convolved = torch::randn({kBatch, 64, 28, 28}).contiguous(torch::MemoryFormat::ChannelsLast);
  models::MaxPoolReLU pool(3, 2, 1);
  compare("max_pool_relu", convolved, [&](const torch::Tensor& x) { return pool->forward(x); },
          [](const torch::Tensor& x) { return torch::relu(torch::max_pool2d(x, 3, 2, 1)); });
  const torch::Tensor pooled = torch::relu(torch::randn({kBatch, 64, 14, 14})).contiguous(torch::MemoryFormat::ChannelsLast);
  models::LocalResponseNorm lrn(9, 0.001, 0.75, 1.0);
  compare("local_response_norm", pooled, [&](const torch::Tensor& x) { return lrn->forward(x); },
          [](const torch::Tensor& x) {
            return F::local_response_norm(x, F::LocalResponseNormFuncOptions(9).alpha(0.001).beta(0.75).k(1.0));
          });
  // The small Inception's batch norm then ReLU (batch_norm_relu.h) on its widest activation.
  torch::nn::BatchNorm2d norm(torch::nn::BatchNorm2dOptions(96).affine(false));
  const torch::Tensor normalized = torch::randn({kBatch, 96, 28, 28}).contiguous(torch::MemoryFormat::ChannelsLast);
  compare("batch_norm_relu", normalized, [&](const torch::Tensor& x) { return models::batchNormReLU(*norm, x); },
          [&](const torch::Tensor& x) { return torch::relu(norm->forward(x)); });
  // The lab's routes to convolutions' gradients (cpu_conv.h) against LibTorch's Conv2d with the
  // same weights: the first layers (images need no gradient; gathered patches), 1x1
  // convolutions of the small Inception (the input as patches), wider ones (the lab's
  // weight-gradient loop and the input gradient's route) and a Down module's strided one (the
  // weight-gradient loop alone).
  struct Shape {
    const char* name;
    int64_t in, out, kernel, side, stride = 1;
  };
  for (const Shape& shape : {Shape{"first_conv_alexnet", 1, 64, 5, 28}, Shape{"first_conv_inception", 1, 96, 3, 28},
                             Shape{"first_conv_alexnet_rgb", 3, 64, 5, 32}, Shape{"conv_1x1_inception", 96, 32, 1, 28},
                             Shape{"conv_1x1_inception_13px", 160, 112, 1, 13},
                             Shape{"conv_3x3_inception_13px", 160, 96, 3, 13}, Shape{"conv2_alexnet", 64, 64, 5, 14},
                             Shape{"down_conv_inception", 80, 80, 3, 28, 2}}) {
    const int64_t padding = shape.stride == 1 ? shape.kernel / 2 : 0;  // as the networks'
    models::CpuConv2d ours(shape.in, shape.out, shape.kernel, shape.stride, padding);
    torch::nn::Conv2d libtorch(
        torch::nn::Conv2dOptions(shape.in, shape.out, shape.kernel).stride(shape.stride).padding(padding));
    {
      torch::NoGradGuard copying;
      libtorch->weight.copy_(ours->weight);
      libtorch->bias.copy_(ours->bias);
    }
    models::storeChannelsLast(*ours);
    models::storeChannelsLast(*libtorch);
    const torch::Tensor images = models::channelsLast(torch::randn({kBatch, shape.in, shape.side, shape.side}));
    compare(
        shape.name, images, [&](const torch::Tensor& x) { return ours->forward(x); },
        [&](const torch::Tensor& x) { return libtorch->forward(x); }, /*inputGradient=*/shape.in > 3);
  }
  return 0;
}

int blasKernel() {
  train::useThreads(train::planThreads(0, train::Workload::LinearAlgebra));
  const train::BlasKernel kernel = train::useBlasKernel();
  std::printf("blas_kernel\t%s\t%s\n", kernel.before.empty() ? "-" : kernel.before.c_str(),
              kernel.now.empty() ? "-" : kernel.now.c_str());
  return 0;
}

/// One epoch of CIFAR-10's shape and size: the paper's small Inception (with batch norm) on
/// synthetic 32x32x3 images, the data already on the device, as a session trains it.
int cifarEpoch(int64_t images) {
  train::ExperimentSpec spec;
  spec.model = modelNamed("inception");
  spec.training.batchSize = kBatch;
  spec.training.epochs = 1;
  spec.compute.device = train::DeviceChoice::Auto;
  train::useThreads(train::planThreads(0, train::Workload::Convolutional));
  const torch::Device device = train::chooseDevice(spec.compute.device);
  const data::Dataset dataset =
      data::makeSynthetic({.trainSize = images, .testSize = 100, .shape = {3, 32, 32}});
  const auto corrupted = corruption::corrupt(dataset, corruption::Setting::trueLabels(), 0);
  train::Trainer trainer(0, spec, corrupted, device);
  train::SessionListener ignore;
  const auto start = Clock::now();
  trainer.advance(trainer.stepsPerEpoch(), ignore);  // ends with the epoch's evaluation
  const double elapsed = seconds(start);
  std::printf("cifar_epoch_inception\t%.2f\ts\t%lld images\t%.1f images/s\t%s\n", elapsed,
              static_cast<long long>(images), double(images) / elapsed,
              train::describeDevice(device).c_str());
  return trainer.summary().epochs == 1 ? 0 : 1;
}

/// Prints what a preset run took and reached.
class PresetReport : public train::SessionListener {
public:
  void onRunEnded(const train::RunSummary& run) override {
    std::printf("run\t%s\t%s\tfit_epoch=%lld\tepochs=%lld\twall=%.1f\ttrain_acc=%.4f\ttest_acc=%.4f\n",
                run.setting.key().c_str(), std::string(nameOf(train::runStatusNames(), run.status)).c_str(),
                static_cast<long long>(run.fitEpoch.value_or(-1)), static_cast<long long>(run.epochs),
                run.wallSeconds, run.trainAccuracy, run.testAccuracy);
    std::fflush(stdout);
  }
};

int preset(const std::string& id) {
  const results::Preset preset = results::findPreset(id);
  train::Session session(preset.spec);
  PresetReport report;
  const auto start = Clock::now();
  session.run({&report});
  std::printf("preset_%s\t%.2f\ts\n", id.c_str(), seconds(start));
  return 0;
}

/// GEMM floating-point operations per image of an MLP: one training step (forward products,
/// weight gradients, and input gradients of every layer but the first) and one evaluation
/// (forward products), from the network's Linear layers.
struct GemmFlops {
  double train = 0;
  double evaluate = 0;
};

GemmFlops linearFlops(const train::ExperimentSpec& spec) {
  const data::DataFormat format = data::expectedFormat(spec.data);
  const auto network = models::makeNetwork(spec.model, format.shape, format.numClasses);
  GemmFlops flops;
  bool first = true;
  for (const auto& module : network->modules(/*include_self=*/false)) {
    const auto* linear = module->as<torch::nn::Linear>();
    if (linear == nullptr) continue;
    const double product = 2.0 * double(linear->options.in_features()) * double(linear->options.out_features());
    flops.evaluate += product;
    flops.train += (first ? 2.0 : 3.0) * product;
    first = false;
  }
  return flops;
}

/// Counts the images a session trained on and evaluated, epoch by epoch, and times its set-up
/// (from construction to the first run's start) and the run that ends last alone.
class WorkCount : public train::SessionListener {
public:
  void onSessionStarted(const train::SessionInfo& info) override {
    trainImages_ = info.trainImages;
    setupSeconds = seconds(start_);
  }
  void onEpoch(const train::EpochMetrics& m) override {
    trained += trainImages_;
    evaluated += m.evaluatedImages;
  }
  void onRunEnded(const train::RunSummary&) override {
    lastAloneSeconds = seconds(start_) - lastEnd_;
    lastEnd_ = seconds(start_);
  }
  double trained = 0;
  double evaluated = 0;
  double setupSeconds = 0;
  double lastAloneSeconds = 0;  ///< from the end of the last run but one to the end of the last

private:
  int64_t trainImages_ = 0;
  Clock::time_point start_ = Clock::now();
  double lastEnd_ = 0;
};

/// A preset's session (an MLP) against the GEMM-bound limit: the time its GEMMs would take at
/// the matrix-multiply peak measured here on every core. `concurrentRuns` as the spec field
/// (0: the lab's default, as many runs at once as cores; 1: one run at a time on every core).
int limit(const std::string& id, int concurrentRuns, std::optional<uint64_t> seed) {
  results::Preset preset = results::findPreset(id);
  if (seed) preset.spec.seed = *seed;
  if (preset.spec.model.architecture != models::Architecture::Mlp)
    throw InputError("limit: preset " + id + " does not train an MLP");
  preset.spec.compute.concurrentRuns = concurrentRuns;
  train::useThreads(train::planThreads(preset.spec.compute.threads, train::Workload::LinearAlgebra));
  // The peak before and after the session, the better of the two: on a shared machine a
  // neighbour's burst during one measurement would otherwise lower the limit it sets.
  const auto measurePeak = [] {
    return std::max({bestRate(2048, 2048, 2048, 1), bestRate(128, 784, 512, 50), bestRate(784, 128, 512, 50)});
  };
  double peak = measurePeak();
  const GemmFlops flops = linearFlops(preset.spec);
  WorkCount work;
  PresetReport report;
  train::Session session(preset.spec);
  const auto start = Clock::now();
  session.run({&work, &report});
  const double wall = seconds(start);
  train::useThreads(train::planThreads(preset.spec.compute.threads, train::Workload::LinearAlgebra));
  peak = std::max(peak, measurePeak());
  const double training = work.trained * flops.train;
  const double total = training + work.evaluated * flops.evaluate;
  const double bound = total / (peak * 1e9), trainingBound = training / (peak * 1e9);
  std::printf("limit_%s\t%d\t%.2f\ts\t%.3f\tTFLOP\t%.1f\tGFLOP/s\t%.2f\ts\t%.2f\t%.3f\tTFLOP_training\t%.2f\ts\t%.2f"
              "\t%.2f\ts_setup\t%.2f\ts_last_run_alone\n",
              id.c_str(), concurrentRuns, wall, total / 1e12, peak, bound, wall / bound, training / 1e12,
              trainingBound, wall / trainingBound, work.setupSeconds, work.lastAloneSeconds);
  return 0;
}

/// The label-corruption sweep's session (six levels, MLP of `depth` x 512) for `epochs` epochs
/// each on the default device, `runsAtOnce` at a time (0: the plan's, 1: one at a time, the
/// reference): its wall time against that of its slowest run.
int sweepWall(int depth, int64_t epochs, int runsAtOnce) {
  results::Preset preset = results::findPreset("label-corruption-sweep");
  // On synthetic images of the preset's shape, classes and sizes: a GPU machine has no
  // Fashion-MNIST, and for a fixed number of epochs the wall times do not depend on the pixels.
  const data::DataFormat format = data::expectedFormat(preset.spec.data);
  preset.spec.data.kind = data::DatasetKind::Synthetic;
  preset.spec.data.synthetic = {.trainSize = format.trainImages, .testSize = format.testImages,
                                .shape = format.shape, .numClasses = format.numClasses, .seed = preset.spec.seed};
  preset.spec.model.depth = depth;
  preset.spec.training.epochs = epochs;
  preset.spec.training.stopWhenFitted = false;
  preset.spec.compute.device = train::DeviceChoice::Auto;
  preset.spec.compute.concurrentRuns = runsAtOnce;
  const int atOnce = train::planRuns(preset.spec).concurrentRuns;
  train::Session session(preset.spec);
  const auto start = Clock::now();
  const train::SessionResult result = session.run({});
  const double wall = seconds(start);
  double slowest = 0;
  for (const auto& run : result.runs) slowest = std::max(slowest, run.wallSeconds);
  std::printf("sweep_wall_mlp%dx512\t%.2f\ts\t%zu runs, %d at once\tslowest run %.2f s\t%.2f\t%s\n", depth,
              wall, result.runs.size(), atOnce, slowest, wall / slowest,
              train::describeDevice(train::chooseDevice(preset.spec.compute.device)).c_str());
  return 0;
}

/// Step losses of every run, in order, as a listener hears them.
class LossRecord : public train::SessionListener {
public:
  void onStepLosses(const train::StepLosses& batch) override {
    auto& losses = byRun_[batch.run];
    losses.insert(losses.end(), batch.losses.begin(), batch.losses.end());
  }
  const std::vector<float>& of(int run) { return byRun_[run]; }

private:
  std::map<int, std::vector<float>> byRun_;
};

/// Three runs with dropout and augmentation trained at once on the default device, then each
/// alone: the largest relative difference of their step losses. Exit 0 when every run gave the
/// same number of losses, each within 1e-4 of the same run alone (the GPU machine's Qt-free
/// form of test_concurrent_runs).
int runsAtOnceCheck() {
  train::ExperimentSpec spec;
  spec.data.kind = data::DatasetKind::Synthetic;
  spec.data.synthetic = {.trainSize = 512, .testSize = 100, .shape = {3, 16, 16}, .seed = 3};
  spec.settings = {corruption::Setting::trueLabels(), corruption::Setting::randomLabels(),
                   corruption::Setting::gaussianInputs()};
  spec.model.width = 256;
  spec.model.dropout = 0.3;
  spec.regularizers.augment = true;
  spec.optimizer.learningRate = 0.01;
  spec.training.batchSize = 32;
  spec.training.epochs = 4;
  spec.training.stopWhenFitted = false;
  spec.compute.concurrentRuns = 3;
  const train::RunPlan plan = train::planRuns(spec);
  LossRecord beside;
  train::Session(spec).run({&beside});
  float largest = 0;
  bool sameSteps = true;
  for (int run = 0; run < 3; ++run) {
    train::ExperimentSpec alone = spec;
    alone.settings = {spec.settings[run]};
    alone.compute.threads = plan.perRun.intraOp;  // the threads it had beside the others
    LossRecord own;
    train::Session(alone).run({&own});
    const std::vector<float>& a = beside.of(run);
    const std::vector<float>& b = own.of(0);
    sameSteps = sameSteps && !a.empty() && a.size() == b.size();
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
      largest = std::max(largest, std::abs(a[i] - b[i]) / std::max(1e-3F, std::abs(b[i])));
  }
  const bool same = sameSteps && largest <= 1e-4F;
  std::printf("runs_at_once_check\t%d runs at once\tlargest relative difference %.3g\t%s\t%s\n",
              plan.concurrentRuns, static_cast<double>(largest), same ? "same" : "DIFFERENT",
              train::describeDevice(train::chooseDevice(spec.compute.device)).c_str());
  return same ? 0 : 1;
}

int fitCheck() {
  train::ExperimentSpec spec;
  spec.data.kind = data::DatasetKind::Synthetic;
  spec.data.synthetic = {.trainSize = 256, .testSize = 100, .shape = {1, 12, 12}, .seed = 3};
  spec.settings = {corruption::Setting::trueLabels(), corruption::Setting::randomLabels()};
  spec.model.width = 256;
  spec.training.batchSize = 32;
  spec.training.epochs = 300;
  const torch::Device device = train::chooseDevice(spec.compute.device);
  train::Session session(spec);
  PresetReport report;
  const train::SessionResult result = session.run({&report});
  bool fitted = true;
  for (const auto& run : result.runs) fitted = fitted && run.status == train::RunStatus::Fitted;
  std::printf("fit_check\t%s\t%s\n", fitted ? "fitted" : "NOT fitted", train::describeDevice(device).c_str());
  return fitted ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "throughput" && (argc == 4 || argc == 5))
      return throughput(argv[2], std::atoll(argv[3]), shapeNamed(argc == 5 ? argv[4] : ""));
    if (mode == "sweep-wall" && (argc == 4 || argc == 5))
      return sweepWall(std::atoi(argv[2]), std::atoll(argv[3]), argc == 5 ? std::atoi(argv[4]) : 0);
    if (mode == "matmul") return matmul();
    if (mode == "throughput-at-once" && argc == 4) return throughputAtOnce(argv[2], std::atoll(argv[3]));
    if (mode == "conv-peak") return convolutionPeak();
    if (mode == "layers") return layers();
    if (mode == "preset" && argc == 3) return preset(argv[2]);
    if (mode == "fit-check") return fitCheck();
    if (mode == "runs-at-once-check") return runsAtOnceCheck();
    if (mode == "limit" && (argc == 4 || argc == 5))
      return limit(argv[2], std::atoi(argv[3]),
                   argc == 5 ? std::optional<uint64_t>(std::strtoull(argv[4], nullptr, 10)) : std::nullopt);
    if (mode == "blas-kernel") return blasKernel();
    if (mode == "cifar-epoch") return cifarEpoch(argc > 2 ? std::max<int64_t>(kBatch, std::atoll(argv[2])) : 50000);
    std::fprintf(stderr, "usage: genlab_bench_train throughput ARCH STEPS [CxHxW] | matmul | conv-peak | layers | blas-kernel | "
                         "throughput-at-once ARCH STEPS | cifar-epoch [IMAGES] | preset ID | limit ID RUNS_AT_ONCE [SEED] | sweep-wall DEPTH EPOCHS [RUNS_AT_ONCE] | fit-check | runs-at-once-check\n");
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "genlab_bench_train: %s\n", firstLine(error.what()).c_str());
    return 1;
  }
}
