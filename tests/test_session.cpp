// A session driven from another thread: pause, single step, resume, stop; and the results
// folder it writes as it goes.

#include "core/errors.h"
#include "core/results/results_writer.h"
#include "core/train/session.h"
#include "support/checks.h"
#include "support/session_recorder.h"
#include "support/time_scale.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <future>
#include <thread>

using namespace genlab;
using test::waitUntil;
using namespace genlab::train;
using Clock = std::chrono::steady_clock;

namespace {

ExperimentSpec longSpec() {
  ExperimentSpec spec = test::tinySpec(2048);
  spec.settings = {corruption::Setting::randomLabels(), corruption::Setting::randomPixels(),
                   corruption::Setting::gaussianInputs()};
  spec.training.epochs = 1000;  // far longer than any test waits
  spec.training.stopWhenFitted = false;
  return spec;
}

} // namespace

class TestSession : public QObject {
  Q_OBJECT

private:
  QTemporaryDir scratch_;

private Q_SLOTS:
  void interleavedRunsAdvanceTogether() {
    ExperimentSpec spec = test::tinySpec(256);
    spec.settings = {corruption::Setting::trueLabels(), corruption::Setting::randomLabels(),
                     corruption::Setting::gaussianInputs()};
    spec.training.epochs = 2;
    test::SessionRecorder recorder;
    Session session(spec);
    session.setChunkSeconds(0.001);
    session.run({&recorder});
    // Batches of the three runs alternate: no run finishes before the others start.
    std::vector<int> order;
    for (const auto& batch : recorder.steps)
      if (order.empty() || order.back() != batch.run) order.push_back(batch.run);
    QVERIFY2(order.size() >= 6, qPrintable(QString::number(order.size())));
    QCOMPARE(recorder.ended.size(), size_t(3));
    for (const auto& run : recorder.ended) QCOMPARE(run.steps, int64_t(16));
  }

  void sequentialRunsOneAfterAnother() {
    ExperimentSpec spec = test::tinySpec(256);
    spec.training.epochs = 2;
    spec.compute.interleaved = false;
    test::SessionRecorder recorder;
    Session(spec).run({&recorder});
    std::vector<int> order;
    for (const auto& batch : recorder.steps)
      if (order.empty() || order.back() != batch.run) order.push_back(batch.run);
    QCOMPARE(order, (std::vector<int>{0, 1}));
  }

  void pauseHoldsStepOnceStepsResumeGoesOn() {
    Session session(longSpec());
    test::SessionRecorder recorder;
    auto finished = std::async(std::launch::async, [&] { return session.run({&recorder}); });
    const test::StopOnExit guard{session};
    QVERIFY(waitUntil([&] { return recorder.stepCount > 30; }, 30));

    session.pause();
    QVERIFY(session.paused());
    QVERIFY(waitUntil([&] { return session.holding(); }, 5));  // the chunk in flight ended
    const int64_t held = recorder.stepCount;
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    QCOMPARE(int64_t(recorder.stepCount), held);

    session.stepOnce();  // one step of each of the three runs
    QVERIFY(waitUntil([&] { return recorder.stepCount == held + 3 && session.holding(); }, 5));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    QCOMPARE(int64_t(recorder.stepCount), held + 3);

    session.resume();
    QVERIFY(waitUntil([&] { return recorder.stepCount > held + 30; }, 10));
    session.stop();
    QVERIFY(finished.wait_for(std::chrono::seconds(5 * test::timeScale())) == std::future_status::ready);
  }

  void stepsAskedForBeforeResumeAreNotOwedAtTheNextPause() {
    ExperimentSpec spec = longSpec();
    spec.settings = {corruption::Setting::randomLabels()};
    Session session(spec);
    test::SessionRecorder recorder;
    // On the training thread, after the first step: two steps asked for while paused, then
    // resume and pause again before the session looks at its controls.
    std::atomic<bool> done{false};
    recorder.afterSteps = [&](const StepLosses&) {
      if (done.exchange(true)) return;
      session.pause();
      session.stepOnce();
      session.stepOnce();
      session.resume();
      session.pause();
    };
    auto finished = std::async(std::launch::async, [&] { return session.run({&recorder}); });
    const test::StopOnExit guard{session};
    QVERIFY(waitUntil([&] { return session.holding(); }, 30));
    QCOMPARE(int64_t(recorder.stepCount), int64_t(1));
    session.stop();
    QVERIFY(finished.wait_for(std::chrono::seconds(5 * test::timeScale())) == std::future_status::ready);
    QCOMPARE(finished.get().runs.at(0).steps, int64_t(1));
  }

  void stopBeforeTrainingStartsReturnsWithNothingReported() {
    // stop() while the data set loads: run() returns after loading, before any network.
    Session session(longSpec());
    test::SessionRecorder recorder;
    session.stop();
    const SessionResult result = session.run({&recorder});
    QVERIFY(result.runs.empty());
    QVERIFY(recorder.info.runs.empty());
    QVERIFY(!recorder.sessionEnded);
    QCOMPARE(int64_t(recorder.stepCount), int64_t(0));
  }

  void aListenerThatThrowsEndsTheRunsAndTheOthersStillHear() {
    // A results writer whose disk is full, before the window's listener.
    struct FullDisk : SessionListener {
      void onEpoch(const EpochMetrics& m) override {
        if (m.epoch == 2) throw std::runtime_error("cannot append to metrics.csv: disk full");
      }
    } fullDisk;
    ExperimentSpec spec = longSpec();
    spec.settings = {corruption::Setting::randomLabels(), corruption::Setting::trueLabels()};
    test::SessionRecorder recorder;
    const SessionResult result = Session(spec).run({&fullDisk, &recorder});
    QVERIFY(recorder.sessionEnded);
    QCOMPARE(recorder.ended.size(), size_t(2));
    QCOMPARE(result.runs.size(), size_t(2));
    for (const auto& run : result.runs) {
      QCOMPARE(nameOf(runStatusNames(), run.status), std::string_view("failed"));
      QCOMPARE(run.message, std::string("cannot append to metrics.csv: disk full"));
    }
    // The epoch the writer failed on reached the listener after it.
    std::lock_guard lock(recorder.mutex);
    QVERIFY(std::any_of(recorder.epochs.begin(), recorder.epochs.end(),
                        [](const EpochMetrics& m) { return m.epoch == 2; }));
  }

  void stopReturnsWithinASecondAndLeavesReadableResults() {
    const std::filesystem::path folder = scratch_.path().toStdString() + "/stopped";
    const ExperimentSpec spec = longSpec();
    results::ResultsWriter writer(folder, spec);
    test::SessionRecorder recorder;
    Session session(spec);
    auto finished = std::async(std::launch::async, [&] { return session.run({&writer, &recorder}); });
    const test::StopOnExit guard{session};
    QVERIFY(waitUntil([&] { std::lock_guard l(recorder.mutex); return recorder.epochs.size() >= 4; }, 60));

    const auto stopAt = Clock::now();
    session.stop();
    QVERIFY(finished.wait_for(std::chrono::seconds(1 * test::timeScale())) == std::future_status::ready);
    const double seconds = std::chrono::duration<double>(Clock::now() - stopAt).count();
    QVERIFY2(seconds < 1.0 * test::timeScale(), qPrintable(QString::number(seconds)));
    const SessionResult result = finished.get();
    for (const auto& run : result.runs)
      QCOMPARE(nameOf(runStatusNames(), run.status), std::string_view("stopped"));

    // summary.json parses and says what happened.
    std::ifstream summaryFile(folder / "summary.json");
    const auto summary = nlohmann::json::parse(summaryFile);
    QCOMPARE(summary["state"].get<std::string>(), std::string("ended"));
    QCOMPARE(summary["runs"].size(), size_t(3));
    QCOMPARE(summary["runs"][0]["status"].get<std::string>(), std::string("stopped"));
    QCOMPARE(summary["runs"][1]["setting"].get<std::string>(), std::string("random-pixels"));
    QVERIFY(summary["runs"][0]["fit_epoch"].is_null());
    QCOMPARE(summary["spec"]["training"]["epochs"].get<int>(), 1000);

    // metrics.csv holds every step loss and every epoch metric reported.
    std::ifstream csv(folder / "metrics.csv");
    std::string line;
    std::getline(csv, line);
    QCOMPARE(line, std::string("run,setting,step,epoch,metric,value,wall_time"));
    int64_t lossRows = 0, accuracyRows = 0;
    while (std::getline(csv, line)) {
      lossRows += line.find(",loss,") != std::string::npos;
      accuracyRows += line.find(",train_accuracy,") != std::string::npos;
    }
    QCOMPARE(lossRows, int64_t(recorder.stepCount));
    QCOMPARE(accuracyRows, int64_t(recorder.epochs.size()));
    QVERIFY(std::filesystem::exists(folder / "spec.json"));
    QVERIFY(!std::filesystem::exists(folder / "summary.json.tmp"));
  }

  void summaryIsCurrentDuringTraining() {
    // Results are written as they happen: after an epoch, summary.json already has it.
    const std::filesystem::path folder = scratch_.path().toStdString() + "/live";
    ExperimentSpec spec = longSpec();
    spec.settings = {corruption::Setting::randomLabels()};
    results::ResultsWriter writer(folder, spec);
    Session session(spec);
    test::SessionRecorder recorder;
    std::atomic<int> checked{0};
    recorder.afterEpoch = [&](const EpochMetrics& m) {
      if (m.epoch != 2) return;
      std::ifstream in(folder / "summary.json");
      const auto summary = nlohmann::json::parse(in);
      if (summary["runs"][0]["epochs"].get<int>() == 2 &&
          summary["runs"][0]["status"].get<std::string>() == "running")
        checked = 1;
      session.stop();
    };
    session.run({&writer, &recorder});
    QCOMPARE(int(checked), 1);
  }

  void unwritableOutputFolderIsAnInputError() {
    const ExperimentSpec spec;
    const std::string message = test::messageOf<InputError>(
        [&] { results::ResultsWriter("/proc/genlab-cannot-write-here", spec); });
    QVERIFY2(message.find("/proc/genlab-cannot-write-here") != std::string::npos, message.c_str());
  }

  void badSpecFailsBeforeTraining() {
    ExperimentSpec spec = test::tinySpec();
    spec.optimizer.learningRate = -1;
    const std::string message = test::messageOf<InputError>([&] { Session(spec).run({}); });
    QVERIFY2(message.find("learning rate -1 must be a positive number") != std::string::npos,
             message.c_str());
  }
};

QTEST_APPLESS_MAIN(TestSession)
#include "test_session.moc"
