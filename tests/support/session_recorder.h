#pragma once
/// A session listener that records everything, for tests.

#include "core/train/listener.h"

#include <atomic>
#include <functional>
#include <mutex>
#include <vector>

namespace genlab::test {

/// Stops a session when a test leaves its scope, also on a failed check, so that the thread
/// running it ends and the test does not hang in the future's destructor.
template <class Session>
struct StopOnExit {
  Session& session;
  ~StopOnExit() { session.stop(); }
};

class SessionRecorder : public train::SessionListener {
public:
  void onSessionStarted(const train::SessionInfo& i) override {
    std::lock_guard lock(mutex);
    info = i;
  }
  void onStepLosses(const train::StepLosses& s) override {
    {
      std::lock_guard lock(mutex);
      steps.push_back(s);
      stepCount += static_cast<int64_t>(s.losses.size());
    }
    if (afterSteps) afterSteps(s);
  }
  void onEpoch(const train::EpochMetrics& m) override {
    {
      std::lock_guard lock(mutex);
      epochs.push_back(m);
    }
    if (afterEpoch) afterEpoch(m);
  }
  void onMemorization(const train::MemorizationRecord& r) override {
    std::lock_guard lock(mutex);
    memorization.push_back(r);
  }
  void onRunEnded(const train::RunSummary& r) override {
    std::lock_guard lock(mutex);
    ended.push_back(r);
  }
  void onSessionEnded(const train::SessionResult& r) override {
    std::lock_guard lock(mutex);
    result = r;
    sessionEnded = true;
  }

  /// Every step loss of `run`, in step order.
  std::vector<float> lossesOf(int run) const {
    std::lock_guard lock(mutex);
    std::vector<float> out;
    for (const auto& s : steps)
      if (s.run == run) out.insert(out.end(), s.losses.begin(), s.losses.end());
    return out;
  }

  mutable std::mutex mutex;
  train::SessionInfo info;
  std::vector<train::StepLosses> steps;
  std::vector<train::EpochMetrics> epochs;
  std::vector<train::MemorizationRecord> memorization;
  std::vector<train::RunSummary> ended;
  train::SessionResult result;
  std::atomic<int64_t> stepCount{0};
  std::atomic<bool> sessionEnded{false};
  std::function<void(const train::StepLosses&)> afterSteps;
  std::function<void(const train::EpochMetrics&)> afterEpoch;
};

/// A small, fast experiment on synthetic 1x12x12 images.
inline train::ExperimentSpec tinySpec(int64_t trainSize = 256) {
  train::ExperimentSpec spec;
  spec.data.kind = data::DatasetKind::Synthetic;
  spec.data.synthetic = {.trainSize = trainSize, .testSize = 100, .shape = {1, 12, 12}, .seed = 3};
  spec.settings = {corruption::Setting::trueLabels(), corruption::Setting::randomLabels()};
  spec.model.width = 256;
  spec.optimizer.learningRate = 0.01;
  spec.training.batchSize = 32;
  spec.training.epochs = 300;
  spec.compute.device = train::DeviceChoice::Cpu;
  return spec;
}

} // namespace genlab::test
