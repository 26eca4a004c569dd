// The pieces of training: learning-rate schedules, batch augmentation, one SGD step, device
// choice, the cache of tensor memory.

// moc needs only the test class: hidden from it, LibTorch's headers cost it nothing.
#ifndef Q_MOC_RUN
#include "core/errors.h"
#include "core/models/cpu_linear.h"
#include "core/models/network.h"
#include "core/train/augmentation.h"
#include "core/train/batch_tally.h"
#include "core/train/blas_kernel.h"
#include "core/train/device.h"
#include "core/train/heap.h"
#include "core/train/schedule.h"
#include "core/train/speed_probe.h"
#include "support/checks.h"
#endif

#include <QtTest>

#include <dlfcn.h>

#ifndef Q_MOC_RUN
#include <torch/torch.h>
#endif

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <tuple>

using namespace genlab;
using namespace genlab::train;

class TestTrainingParts : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void schedules_data() {
    QTest::addColumn<int>("schedule");
    QTest::addColumn<int>("epoch");
    QTest::addColumn<double>("expected");
    QTest::newRow("constant, epoch 1") << int(Schedule::Constant) << 1 << 0.1;
    QTest::newRow("constant, epoch 50") << int(Schedule::Constant) << 50 << 0.1;
    QTest::newRow("exponential, epoch 1") << int(Schedule::Exponential) << 1 << 0.1;
    QTest::newRow("exponential, epoch 2") << int(Schedule::Exponential) << 2 << 0.1 * 0.95;
    QTest::newRow("exponential, epoch 11") << int(Schedule::Exponential) << 11 << 0.1 * std::pow(0.95, 10);
    QTest::newRow("step, epoch 30") << int(Schedule::Step) << 30 << 0.1;
    QTest::newRow("step, epoch 31") << int(Schedule::Step) << 31 << 0.1 * 0.95;
    QTest::newRow("step, epoch 61") << int(Schedule::Step) << 61 << 0.1 * 0.95 * 0.95;
  }

  void schedules() {
    QFETCH(int, schedule);
    QFETCH(int, epoch);
    QFETCH(double, expected);
    OptimizerSpec spec;
    spec.learningRate = 0.1;
    spec.schedule = static_cast<Schedule>(schedule);
    spec.decayFactor = 0.95;
    spec.stepEpochs = 30;
    GENLAB_COMPARE_NEAR(learningRateAt(spec, epoch), expected, 1e-15);
  }

  void cropKeepsShapeAndTakesAWindowOfThePaddedImage() {
    torch::manual_seed(1);
    const int64_t n = 64, pad = 2;
    const torch::Tensor batch = torch::rand({n, 3, 10, 9});
    const torch::Tensor out = randomCropAndFlip(batch, pad, /*flip=*/false);
    QCOMPARE(out.sizes(), batch.sizes());
    const torch::Tensor padded = torch::constant_pad_nd(batch, {pad, pad, pad, pad}, 0);
    std::set<std::pair<int, int>> offsets;
    for (int64_t i = 0; i < n; ++i) {
      bool found = false;
      for (int dy = 0; dy <= 2 * pad && !found; ++dy)
        for (int dx = 0; dx <= 2 * pad && !found; ++dx)
          if (torch::equal(out[i], padded[i].narrow(1, dy, 10).narrow(2, dx, 9))) {
            found = true;
            offsets.insert({dy, dx});
          }
      QVERIFY2(found, qPrintable(QString("image %1 is not a window of its padded copy").arg(i)));
    }
    QVERIFY2(offsets.size() >= 10, "offsets are drawn at random, not all the same");
  }

  void flipMirrorsAboutHalfTheImages() {
    torch::manual_seed(2);
    const int64_t n = 400;
    const torch::Tensor batch = torch::rand({n, 1, 5, 6});
    const torch::Tensor out = randomCropAndFlip(batch, /*padding=*/0, /*flip=*/true);
    int mirrored = 0;
    for (int64_t i = 0; i < n; ++i) {
      const bool same = torch::equal(out[i], batch[i]);
      const bool flipped = torch::equal(out[i], batch[i].flip({2}));
      QVERIFY(same != flipped);
      mirrored += flipped ? 1 : 0;
    }
    QVERIFY2(std::abs(mirrored - 200) < 4 * 10, qPrintable(QString::number(mirrored)));  // sd = 10
  }

  void oneSgdStepLowersTheLossOnAFixedBatch_data() {
    QTest::addColumn<int>("architecture");
    QTest::newRow("mlp") << int(models::Architecture::Mlp);
    QTest::newRow("alexnet") << int(models::Architecture::AlexNet);
    QTest::newRow("inception") << int(models::Architecture::Inception);
  }

  void oneSgdStepLowersTheLossOnAFixedBatch() {
    QFETCH(int, architecture);
    torch::manual_seed(3);
    models::ModelSpec spec;
    spec.architecture = static_cast<models::Architecture>(architecture);
    spec.batchNorm = spec.architecture == models::Architecture::Inception;
    auto network = models::makeNetwork(spec, {1, 16, 16}, 10);
    const torch::Tensor x = torch::randn({32, 1, 16, 16});
    const torch::Tensor y = torch::randint(0, 10, {32}, torch::kInt64);
    torch::optim::SGD sgd(network->parameters(), torch::optim::SGDOptions(0.01).momentum(0.9));
    network->train();
    const auto lossNow = [&] {
      return torch::nn::functional::cross_entropy(network->forward(x), y);
    };
    torch::Tensor before = lossNow();
    sgd.zero_grad();
    before.backward();
    sgd.step();
    const double after = lossNow().item<double>();
    QVERIFY2(after < before.item<double>(),
             qPrintable(QString("loss %1 -> %2").arg(before.item<double>()).arg(after)));
  }

  // The CPU's one pass gives what LibTorch's operations give: ties to the first class, a NaN
  // as the largest score, logits transposed as the MLP's own step hands them over.
  void batchTallyOnTheCpuMatchesLibTorch() {
    torch::manual_seed(5);
    const int64_t n = 200, images = 64, classes = 10;
    // Scores of few values, so that rows have ties; one row with a NaN.
    torch::Tensor scores = torch::randint(0, 4, {classes, images}).to(torch::kFloat);
    scores[3][7] = std::nanf("");
    const torch::Tensor logits = scores.t();  // [images, classes], strided
    const torch::Tensor labels = torch::randint(0, classes, {images}, torch::kInt64);
    const torch::Tensor index = torch::randperm(n, torch::kInt64).narrow(0, 0, images);
    const torch::Tensor loss = torch::scalar_tensor(0.7371f);

    EpochTally tally{torch::full({}, 1.25, torch::kFloat64), torch::full({}, int64_t{3}),
                     torch::ones({n}, torch::kBool)};
    addBatch(tally, loss, logits, labels, index);
    addBatch(tally, loss, logits.contiguous(), labels, index);

    const torch::Tensor right = logits.argmax(1) == labels;
    QCOMPARE(right[7].item<bool>(), labels[7].item<int64_t>() == 3);  // the NaN's class wins
    const double lossSum = (1.25 + loss.to(torch::kFloat64) * double(images)).item<double>() +
                           (loss.to(torch::kFloat64) * double(images)).item<double>();
    QCOMPARE(tally.lossSum.item<double>(), lossSum);
    QCOMPARE(tally.correct.item<int64_t>(), 3 + 2 * right.sum().item<int64_t>());
    torch::Tensor expected = torch::ones({n}, torch::kBool);
    expected.index_copy_(0, index, right.logical_not());
    QVERIFY(torch::equal(tally.misclassified, expected));
    QVERIFY(right.any().item<bool>() && right.logical_not().any().item<bool>());
  }

  void deviceChoiceWithoutAGpu() {
    if (cudaAvailable()) QSKIP("a GPU is visible: deviceChoiceOnAGpu covers this machine");
    QVERIFY(chooseDevice(DeviceChoice::Cpu).is_cpu());
    QVERIFY(chooseDevice(DeviceChoice::Auto).is_cpu());
    const std::string message = test::messageOf<InputError>([] { (void)chooseDevice(DeviceChoice::Cuda); });
    QVERIFY2(message.find("CUDA was requested but is not available") != std::string::npos, message.c_str());
  }

  void deviceChoiceOnAGpu() {
    if (!cudaAvailable()) QSKIP("needs a CUDA GPU, and this machine has none");
    const c10::Device gpu = chooseDevice(DeviceChoice::Cuda);
    QVERIFY(gpu.is_cuda());
    QCOMPARE(chooseDevice(DeviceChoice::Auto), gpu);
    // The device computes: a sum on it comes back right.
    QCOMPARE((torch::ones({4}, torch::TensorOptions().device(gpu)) * 3).sum().item<float>(), 12.0F);
    QCOMPARE(describeDevice(gpu), std::string("CUDA GPU 0"));
  }

  void threadPlans() {
    // "Auto" stands for OMP_NUM_THREADS when it is set (a batch job, the tsan preset).
    const int omp = qEnvironmentVariableIntValue("OMP_NUM_THREADS");
    const int cores = omp > 0 ? omp : std::max(1, int(std::thread::hardware_concurrency()));
    // Each workload gives the cores to what does its work, one thread to the others.
    // An MLP's cores go to its split products where the BLAS's kernels keep their bits.
    const ThreadPlan mlp = planThreads(0, workloadOf(models::Architecture::Mlp));
    QCOMPARE(mlp.intraOp, 1);
    QCOMPARE(mlp.blas, splitProductsKeepBits() ? 1 : cores);
    QCOMPARE(mlp.products, splitProductsKeepBits() ? cores : 1);
    const ThreadPlan conv = planThreads(0, workloadOf(models::Architecture::AlexNet));
    QCOMPARE(conv.intraOp, cores);
    QCOMPARE(conv.blas, 1);
    QCOMPARE(conv.products, splitProductsKeepBits() ? cores : 1);  // the dense layers' products
    const ThreadPlan solve = planThreads(3, workloadOf(models::Architecture::Kernel));
    QCOMPARE(solve.intraOp, 1);
    QCOMPARE(solve.blas, 3);
    QCOMPARE(solve.products, 1);
    QCOMPARE(useThreads(1), 1);
    QCOMPARE(at::get_num_threads(), 1);
    const struct Restore {
      ~Restore() { models::setProductThreads(1); }
    } restore;
    const ThreadPlan applied = useThreads(ThreadPlan{1, 2, 3});
    QCOMPARE(applied.intraOp, 1);
    QCOMPARE(at::get_num_threads(), 1);
    QCOMPARE(applied.products, 3);
    QCOMPARE(models::productThreads(), 3);
    QVERIFY2(describeDevice(c10::kCPU).find("3 threads for an MLP's products") != std::string::npos,
             describeDevice(c10::kCPU).c_str());
    // OpenBLAS, Debian's libblas.so.3 here (packaging/debian-packages.txt), takes the setting
    // and says so through its own interface; another BLAS cannot be told.
    using GetThreads = int (*)();
    const auto openblasThreads = reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    if (openblasThreads == nullptr) QSKIP("the BLAS in use is not OpenBLAS: its thread count cannot be set");
    QCOMPARE(applied.blas, 2);
    QCOMPARE(openblasThreads(), 2);
    QVERIFY2(describeDevice(c10::kCPU).find("1 LibTorch thread, 2 OpenBLAS threads") != std::string::npos,
             describeDevice(c10::kCPU).c_str());
  }

  void freedTensorBlocksAreReused() {
    cacheTensorBlocks();
    releaseCachedTensorBlocks();
    const size_t bytes = 3 * kSmallestCachedBlock + 100;  // rounded up to 64 KiB in the cache
    const void* first = nullptr;
    {
      const torch::Tensor block = torch::empty({int64_t(bytes)}, torch::kUInt8);
      first = block.data_ptr();
    }
    const size_t kept = cachedTensorBytes();
    QVERIFY2(kept >= bytes && kept < bytes + (64 << 10), qPrintable(QString::number(kept)));
    {
      // The same size again takes the same block; a small tensor leaves the cache alone.
      const torch::Tensor again = torch::empty({int64_t(bytes)}, torch::kUInt8);
      QCOMPARE(static_cast<const void*>(again.data_ptr()), first);
      QCOMPARE(cachedTensorBytes(), size_t(0));
      const torch::Tensor small = torch::ones({1000});
      QCOMPARE(small.sum().item<float>(), 1000.0F);
      QCOMPARE(cachedTensorBytes(), size_t(0));
    }
    QCOMPARE(cachedTensorBytes(), kept);
    // oneDNN takes its scratch memory through raw_allocate: a convolution with its gradients
    // through the cache agrees with the same convolution done as a matrix product.
    torch::manual_seed(11);
    const torch::Tensor x = torch::randn({64, 32, 16, 16}).requires_grad_(true);
    const torch::Tensor w = torch::randn({48, 32, 1, 1});
    const torch::Tensor y = torch::conv2d(x, w);
    y.sum().backward();
    const torch::Tensor expected = torch::einsum("nchw,oc->nohw", {x.detach(), w.flatten(1)});
    QVERIFY(torch::allclose(y, expected, 1e-4, 1e-4));
    QVERIFY(torch::allclose(x.grad(), w.flatten(1).sum(0).view({1, 32, 1, 1}).expand_as(x), 1e-4, 1e-4));
    void* raw = c10::GetAllocator(c10::DeviceType::CPU)->raw_allocate(bytes);
    QCOMPARE(static_cast<const void*>(raw), first);
    c10::GetAllocator(c10::DeviceType::CPU)->raw_deallocate(raw);
    QVERIFY(cachedTensorBytes() >= kept);
    // A block over the largest kept size goes straight back; a release empties the cache.
    {
      // Blocks of 2 MiB or more start on a huge-page boundary, and their whole length is usable.
      torch::Tensor huge = torch::empty({int64_t(kLargestCachedBlock + 1)}, torch::kUInt8);
      QCOMPARE(reinterpret_cast<std::uintptr_t>(huge.data_ptr()) % (std::uintptr_t{2} << 20), std::uintptr_t{0});
      huge.fill_(7);
      QCOMPARE(huge[-1].item<int64_t>(), int64_t(7));
    }
    QVERIFY(cachedTensorBytes() < kLargestCachedBlock);
    releaseCachedTensorBlocks();
    QCOMPARE(cachedTensorBytes(), size_t(0));
  }

  void timeEstimateCountsEveryPass() {
    // 5,000 training and 1,000 test images, 2 runs of 10 epochs at 1,000 images/s: the training
    // pass plus a test pass at three times the rate; memorization adds a training-set pass.
    train::ExperimentSpec spec;
    spec.data.kind = data::DatasetKind::Synthetic;
    spec.data.synthetic.trainSize = 5000;
    spec.data.synthetic.testSize = 1000;
    spec.settings = {corruption::Setting::trueLabels(), corruption::Setting::partialLabels(0.4)};
    spec.training.epochs = 10;
    QCOMPARE(train::estimatedSeconds(spec, 1000.0), 2 * 10 * (5.0 + 1.0 / 3));
    spec.measures.memorization = true;
    QCOMPARE(train::estimatedSeconds(spec, 1000.0), 2 * 10 * (5.0 + 6.0 / 3));
    QCOMPARE(train::estimatedSeconds(spec, 0.0), 0.0);
  }

  void blasKernelSuitsTheCpuAndMultipliesCorrectly() {
    const BlasKernel kernel = useBlasKernel();
    const std::string wanted = kernelForThisCpu();
    if (kernel.before.empty()) QSKIP("the BLAS in use is not OpenBLAS: it chooses its own kernels");
    // OpenBLAS's fallback for a CPU it does not know is replaced by the CPU's own kernels,
    // unless the user chose a core type.
    if (kernel.before == "Prescott" && !wanted.empty() && std::getenv("OPENBLAS_CORETYPE") == nullptr) {
      QVERIFY(kernel.changed);
      QCOMPARE(QString::fromStdString(kernel.now), QString::fromStdString(wanted));
    }
    QCOMPARE(QString::fromStdString(useBlasKernel().now), QString::fromStdString(kernel.now));
    // Products through the kernels in force, on sizes that are not multiples of any blocking,
    // against a product without BLAS (broadcast multiply and sum, in double precision).
    torch::manual_seed(5);
    for (const auto& [m, k, n] : {std::tuple{257, 129, 131}, {128, 784, 512}, {3, 1, 7}}) {
      const torch::Tensor a = torch::randn({m, k}), b = torch::randn({k, n});
      const torch::Tensor reference =
          (a.to(torch::kFloat64).unsqueeze(2) * b.to(torch::kFloat64).unsqueeze(0)).sum(1);
      for (const torch::Tensor& product : {torch::mm(a, b).to(torch::kFloat64),
                                           torch::mm(b.t().contiguous(), a.t().contiguous()).t().to(torch::kFloat64)}) {
        const double error = (product - reference).abs().max().item<double>();
        QVERIFY2(error < 1e-3 * std::sqrt(double(k)), qPrintable(QString("%1x%2x%3: %4").arg(m).arg(k).arg(n).arg(error)));
      }
    }
  }
};

QTEST_APPLESS_MAIN(TestTrainingParts)
#include "test_training_parts.moc"
