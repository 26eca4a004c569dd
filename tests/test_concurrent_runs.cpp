// Runs trained at the same time on several threads (train::planRuns, RunPool): the same
// numbers as runs trained alone, listeners called on the session's thread, the controls
// honoured; and the fused SGD step against LibTorch's.

#include "core/models/cpu_linear.h"
#include "core/random.h"
#include "core/train/device.h"
#include "core/train/fused_sgd.h"
#include "core/train/run_pool.h"
#include "core/train/session.h"
#include "support/session_recorder.h"
#include "support/time_scale.h"

#include <QtTest>

#include <torch/torch.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <sstream>
#include <thread>

using namespace genlab;
using test::waitUntil;
using namespace genlab::train;
using corruption::Setting;
using Clock = std::chrono::steady_clock;

namespace {

/// Three runs with dropout and augmentation (both draw random numbers), on two threads.
ExperimentSpec besideSpec() {
  ExperimentSpec spec = test::tinySpec(192);
  spec.settings = {Setting::trueLabels(), Setting::randomLabels(), Setting::gaussianInputs()};
  spec.training.epochs = 3;
  spec.training.stopWhenFitted = false;
  spec.model.dropout = 0.3;
  spec.regularizers.augment = true;
  spec.compute.threads = 2;
  return spec;
}

/// Records the thread of every call besides the losses.
struct ThreadRecorder : test::SessionRecorder {
  std::set<std::thread::id> threads;
  void onStepLosses(const StepLosses& s) override {
    {
      std::lock_guard lock(mutex);
      threads.insert(std::this_thread::get_id());
    }
    SessionRecorder::onStepLosses(s);
  }
  void onEpoch(const EpochMetrics& m) override {
    {
      std::lock_guard lock(mutex);
      threads.insert(std::this_thread::get_id());
    }
    SessionRecorder::onEpoch(m);
  }
};

float largestRelativeDifference(const std::vector<float>& a, const std::vector<float>& b) {
  float largest = 0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    largest = std::max(largest, std::abs(a[i] - b[i]) / std::max(1e-3F, std::abs(b[i])));
  return largest;
}

} // namespace

class TestConcurrentRuns : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void planGivesEachCoreARun() {
    const bool split = splitProductsKeepBits();  // else the BLAS's threads do an MLP's products
    RunPlan plan = planRuns(2, Workload::Mlp, 5, 0);
    QCOMPARE(plan.concurrentRuns, 2);
    QCOMPARE(plan.perRun.intraOp, 1);
    QCOMPARE(plan.perRun.blas, 1);
    QCOMPARE(plan.perRun.products, 1);
    plan = planRuns(8, Workload::Mlp, 3, 0);  // fewer runs than cores: the cores are shared out
    QCOMPARE(plan.concurrentRuns, 3);
    QCOMPARE(plan.perRun.intraOp, 1);
    QCOMPARE(plan.perRun.blas, 1);  // runs at once: always one BLAS thread each
    QCOMPARE(plan.perRun.products, split ? 2 : 1);
    plan = planRuns(8, Workload::Convolutional, 3, 0);
    QCOMPARE(plan.perRun.intraOp, 2);
    QCOMPARE(plan.perRun.blas, 1);
    QCOMPARE(plan.perRun.products, split ? 2 : 1);  // the dense layers' products
    plan = planRuns(8, Workload::Mlp, 5, 1);  // one at a time, as asked: the single-run plan
    QCOMPARE(plan.concurrentRuns, 1);
    QCOMPARE(plan.perRun.products, split ? 8 : 1);
    QCOMPARE(plan.perRun.blas, split ? 1 : 8);
    plan = planRuns(2, Workload::Mlp, 1, 0);
    QCOMPARE(plan.concurrentRuns, 1);
    ExperimentSpec spec = besideSpec();
    QCOMPARE(planRuns(spec).concurrentRuns, 2);
    spec.compute.interleaved = false;
    QCOMPARE(planRuns(spec).concurrentRuns, 1);
  }

  void poolRunsTasksAtTheSameTime() {
    RunPool pool(2);
    // Each task waits for the other to start: they can only both end if they run at once.
    std::atomic<int> started{0};
    const auto task = [&] {
      ++started;
      const auto deadline = Clock::now() + std::chrono::seconds(10);
      while (started.load() < 2 && Clock::now() < deadline) std::this_thread::yield();
    };
    pool.submit(7, task);
    pool.submit(9, task);
    QCOMPARE(pool.busy(), 2);
    std::set<int> ids{pool.collect(), pool.collect()};
    QCOMPARE(ids, (std::set<int>{7, 9}));
    QCOMPARE(started.load(), 2);
    QCOMPARE(pool.busy(), 0);
    QVERIFY_THROWS_EXCEPTION(std::logic_error, pool.collect());
  }

  void runsBesideOthersMatchRunsAlone_data() {
    QTest::addColumn<int>("architecture");
    // The steps over which one run on one thread and on both cores agree to 1e-3: rounding
    // that training amplifies, through batch norm into a few percent by the third epoch (in the
    // sanitizer builds, -O1 without OpenMP, past 1e-3 at the fifth step: 0, 1e-7, 1e-5, 4e-4,
    // 4e-3).
    // (0: the same bits on both cores: an MLP's products keep them, models/cpu_linear.h.)
    QTest::addColumn<int>("roundingSteps");
    QTest::newRow("MLP") << int(models::Architecture::Mlp) << 0;  // (18 where the BLAS's threads do it)
    // The conv nets' own CPU layers (models/cpu_conv.h, batch_norm_relu.h) split their sums by
    // the thread count alone, not by what else runs.
    QTest::newRow("small AlexNet") << int(models::Architecture::AlexNet) << 18;
    QTest::newRow("small Inception with batch norm: its first four steps")
        << int(models::Architecture::Inception) << 4;
  }

  void runsBesideOthersMatchRunsAlone() {
    QFETCH(int, architecture);
    QFETCH(int, roundingSteps);
    ExperimentSpec spec = besideSpec();
    spec.model.architecture = static_cast<models::Architecture>(architecture);
    spec.model.batchNorm = spec.model.architecture == models::Architecture::Inception;
    ThreadRecorder beside;
    Session session(spec);
    session.run({&beside});
    // The device line gives each run's threads: one BLAS thread each, two runs at once.
    const std::string& device = beside.info.device;
    QVERIFY2(device.find("OpenBLAS") == std::string::npos ||
                 (device.find("1 OpenBLAS thread") != std::string::npos &&
                  device.find("1 OpenBLAS threads") == std::string::npos),
             device.c_str());
    QVERIFY2(beside.info.device.find("2 runs at once") != std::string::npos, beside.info.device.c_str());
    // Every report comes on the session's own thread, whichever thread trained the run.
    QCOMPARE(beside.threads, (std::set<std::thread::id>{std::this_thread::get_id()}));
    QCOMPARE(beside.ended.size(), size_t(3));

    // Timing decides which runs share the threads; the numbers do not depend on it.
    Session fine(spec);
    fine.setChunkSeconds(1e-6);
    test::SessionRecorder fineChunks;
    fine.run({&fineChunks});

    for (int run = 0; run < 3; ++run) {
      ExperimentSpec alone = spec;
      alone.settings = {spec.settings[run]};
      // Alone on one thread: the threads each run had beside the others, so the same bits.
      alone.compute.threads = 1;
      test::SessionRecorder oneThread;
      Session(alone).run({&oneThread});
      const std::vector<float> losses = beside.lossesOf(run);
      QCOMPARE(losses.size(), size_t(18));
      QCOMPARE(oneThread.lossesOf(0), losses);
      QCOMPARE(fineChunks.lossesOf(run), losses);
      // Alone on both cores: oneDNN and the lab's loops split their sums differently, so
      // equal to float rounding at first, growing over the steps, not to the bit.
      alone.compute.threads = 2;
      test::SessionRecorder bothCores;
      Session(alone).run({&bothCores});
      const std::vector<float> both = bothCores.lossesOf(0);
      QCOMPARE(both.size(), losses.size());
      if (roundingSteps == 0 && splitProductsKeepBits()) {
        QCOMPARE(both, losses);
        continue;
      }
      const auto steps = roundingSteps > 0 ? roundingSteps : static_cast<int>(losses.size());
      const float difference =
          largestRelativeDifference({both.begin(), both.begin() + steps}, {losses.begin(), losses.begin() + steps});
      QStringList perStep;  // for the message: how the rounding grows
      for (int i = 0; i < steps; ++i)
        perStep << QString::number(largestRelativeDifference({both[size_t(i)]}, {losses[size_t(i)]}), 'g', 2);
      QVERIFY2(difference < 1e-3F, qPrintable("per step: " + perStep.join(", ")));
    }
  }

  void mlpRunsKeepTheirBitsWhenLentTheCoresOfEndedRuns_data() {
    QTest::addColumn<bool>("batchNorm");
    QTest::addColumn<double>("dropout");
    // The cores are lent to the products (and the optimizer's update) alone, so the regularizers'
    // LibTorch loops (batch norm's sums, dropout's mask) keep the one thread of the plan.
    QTest::newRow("plain") << false << 0.0;
    QTest::newRow("dropout") << false << 0.3;
    QTest::newRow("batch norm") << true << 0.0;
  }

  void mlpRunsKeepTheirBitsWhenLentTheCoresOfEndedRuns() {
    QFETCH(bool, batchNorm);
    QFETCH(double, dropout);
    // Products large enough to be split (models/cpu_linear.h): 784 inputs, 512 units, batch 128.
    ExperimentSpec spec = test::tinySpec(512);
    spec.data.synthetic.shape = {1, 28, 28};
    spec.model.width = 512;
    spec.model.batchNorm = batchNorm;
    spec.model.dropout = dropout;
    spec.training.batchSize = 128;
    spec.training.epochs = 30;
    spec.compute.threads = 2;
    test::SessionRecorder beside;
    Session(spec).run({&beside});
    QCOMPARE(beside.ended.size(), size_t(2));
    // True labels fit first; random labels then train alone, lent both cores for their products.
    const RunSummary& trueLabels = beside.ended[0].run == 0 ? beside.ended[0] : beside.ended[1];
    const RunSummary& randomLabels = beside.ended[0].run == 0 ? beside.ended[1] : beside.ended[0];
    QCOMPARE(trueLabels.status, RunStatus::Fitted);
    QVERIFY2(randomLabels.epochs >= trueLabels.epochs + 3,
             qPrintable(QString("%1 and %2 epochs").arg(trueLabels.epochs).arg(randomLabels.epochs)));
    for (int run = 0; run < 2; ++run) {
      ExperimentSpec alone = spec;
      alone.settings = {spec.settings[run]};
      // One thread; and one run's products on both cores, where they keep their bits (else the
      // session lends nothing, and a run alone gives the BLAS both cores: other bits).
      for (const int threads : {1, 2}) {
        if (threads == 2 && !splitProductsKeepBits()) continue;
        alone.compute.threads = threads;
        test::SessionRecorder own;
        Session(alone).run({&own});
        QVERIFY(!own.lossesOf(0).empty());
        QCOMPARE(own.lossesOf(0), beside.lossesOf(run));
      }
    }
  }

  void runsAtOnceOnAGpuMatchRunsAlone() {
    if (!cudaAvailable()) QSKIP("needs a CUDA GPU: runs at once there each train on a stream of their own");
    ExperimentSpec spec = besideSpec();
    spec.compute.device = DeviceChoice::Cuda;
    spec.compute.threads = 3;  // a host thread for each run's kernels
    spec.compute.concurrentRuns = 3;
    test::SessionRecorder beside;
    Session(spec).run({&beside});
    QVERIFY2(beside.info.device.find("3 runs at once") != std::string::npos, beside.info.device.c_str());
    for (int run = 0; run < 3; ++run) {
      ExperimentSpec alone = spec;
      alone.settings = {spec.settings[run]};
      test::SessionRecorder own;
      Session(alone).run({&own});
      QCOMPARE(beside.lossesOf(run).size(), size_t(18));
      QCOMPARE(own.lossesOf(0).size(), beside.lossesOf(run).size());
      const float difference = largestRelativeDifference(own.lossesOf(0), beside.lossesOf(run));
      QVERIFY2(difference < 1e-4F, qPrintable(QString::number(difference)));
    }
  }

  void deviceGeneratorsAreSeededCopies() {
    std::vector<c10::Device> devices{c10::kCPU};
    if (cudaAvailable()) devices.emplace_back(c10::kCUDA, 0);
    for (const c10::Device& device : devices) {
      at::Generator global = at::globalContext().defaultGenerator(device);
      const torch::Tensor globalState = global.get_state();
      const auto draw = [&](at::Generator generator) {
        return torch::rand({64}, generator, torch::TensorOptions().device(device)).cpu();
      };
      const torch::Tensor first = draw(makeGenerator(5, device));
      QVERIFY(torch::equal(first, draw(makeGenerator(5, device))));
      QVERIFY(!torch::equal(first, draw(makeGenerator(6, device))));
      if (device.is_cpu()) QVERIFY(torch::equal(first, draw(makeGenerator(5))));
      QVERIFY(torch::equal(global.get_state(), globalState));  // the device's own is untouched
    }
  }

  void pauseStepAndStopWaitForTheRunsInFlight() {
    ExperimentSpec spec = besideSpec();
    spec.data.synthetic.trainSize = 2048;
    spec.training.epochs = 1000;  // far longer than the test waits
    Session session(spec);
    test::SessionRecorder recorder;
    auto finished = std::async(std::launch::async, [&] { return session.run({&recorder}); });
    const test::StopOnExit guard{session};
    QVERIFY(waitUntil([&] { return recorder.stepCount > 30; }, 30));

    session.pause();
    QVERIFY(waitUntil([&] { return session.holding(); }, 5));
    const int64_t held = recorder.stepCount;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    QCOMPARE(int64_t(recorder.stepCount), held);

    session.stepOnce();  // one step of each of the three runs
    QVERIFY(waitUntil([&] { return recorder.stepCount == held + 3 && session.holding(); }, 5));

    session.resume();
    QVERIFY(waitUntil([&] { return recorder.stepCount > held + 30; }, 10));
    session.stop();
    QVERIFY(finished.wait_for(std::chrono::seconds(10 * test::timeScale())) == std::future_status::ready);
    const SessionResult result = finished.get();
    QCOMPARE(result.runs.size(), size_t(3));
    for (const RunSummary& run : result.runs) QCOMPARE(run.status, RunStatus::Stopped);
  }

  void fusedSgdKeepsItsBitsOnAnyThreads() {
    // A weight large enough to be updated in parts (784 x 512, as MLP 1x512's first layer), and
    // one too small to be: the same bits on one thread and in parts on two or three.
    const struct Restore {
      ~Restore() { models::setProductThreads(1); }
    } restore;
    torch::manual_seed(5);
    const torch::Tensor start[] = {torch::randn({512, 784}), torch::randn({512})};
    const torch::Tensor gradients[] = {torch::randn({512, 784}), torch::randn({512})};
    std::vector<std::vector<torch::Tensor>> after;
    for (const int threads : {1, 2, 3}) {
      models::setProductThreads(threads);
      std::vector<torch::Tensor> weights;
      for (const auto& w : start) weights.push_back(w.clone().requires_grad_());
      FusedSgd sgd(weights, torch::optim::SGDOptions(0.05).momentum(0.9).weight_decay(1e-3));
      for (int step = 0; step < 3; ++step) {  // the first step sets the momentum, the others use it
        for (size_t i = 0; i < weights.size(); ++i) weights[i].mutable_grad() = gradients[i] * (step + 1);
        sgd.step();
      }
      after.push_back(weights);
    }
    for (size_t t = 1; t < after.size(); ++t)
      for (size_t i = 0; i < after[0].size(); ++i) QVERIFY(torch::equal(after[t][i], after[0][i]));
    QVERIFY(!torch::equal(after[0][0], start[0]));
  }

  void fusedSgdFollowsLibTorchsSgd() {
    for (const bool nesterov : {false, true}) {
      torch::manual_seed(11);
      torch::nn::Linear a(20, 7), b(20, 7);
      {
        torch::NoGradGuard noGrad;
        for (size_t i = 0; i < a->parameters().size(); ++i) b->parameters()[i].copy_(a->parameters()[i]);
      }
      const auto options = torch::optim::SGDOptions(0.05).momentum(0.9).weight_decay(1e-3).nesterov(nesterov);
      FusedSgd fused(a->parameters(), options);
      torch::optim::SGD reference(b->parameters(), options);
      const torch::Tensor x = torch::randn({16, 20});
      const torch::Tensor y = torch::randint(7, {16}, torch::kLong);
      for (int step = 0; step < 20; ++step) {
        torch::nn::functional::cross_entropy(a(x), y).backward();
        fused.step();
        for (const auto& p : a->parameters()) QVERIFY(!p.grad().defined());  // released
        reference.zero_grad();
        torch::nn::functional::cross_entropy(b(x), y).backward();
        reference.step();
      }
      for (size_t i = 0; i < a->parameters().size(); ++i)
        QVERIFY(torch::allclose(a->parameters()[i], b->parameters()[i], 1e-5, 1e-6));

      // The same state format: LibTorch's SGD continues from the fused one's checkpoint.
      std::ostringstream saved;
      {
        torch::serialize::OutputArchive archive;
        fused.save(archive);
        archive.save_to(saved);
      }
      torch::optim::SGD resumed(a->parameters(), options);
      {
        std::istringstream in(saved.str());
        torch::serialize::InputArchive archive;
        archive.load_from(in);
        resumed.load(archive);
      }
      QCOMPARE(resumed.state().size(), a->parameters().size());
      torch::nn::functional::cross_entropy(a(x), y).backward();
      resumed.step();
      reference.zero_grad();
      torch::nn::functional::cross_entropy(b(x), y).backward();
      reference.step();
      for (size_t i = 0; i < a->parameters().size(); ++i)
        QVERIFY(torch::allclose(a->parameters()[i], b->parameters()[i], 1e-5, 1e-6));
    }
  }
};

QTEST_GUILESS_MAIN(TestConcurrentRuns)
#include "test_concurrent_runs.moc"
