#include "core/train/session.h"

#include "core/corruption/corrupt.h"
#include "core/data/load.h"
#include "core/errors.h"
#include "core/models/cpu_linear.h"
#include "core/models/network.h"
#include "core/train/corruption_queue.h"
#include "core/train/device.h"
#include "core/train/event_log.h"
#include "core/train/fanout.h"
#include "core/train/heap.h"
#include "core/train/run_pool.h"
#include "core/train/trainer.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <memory>

namespace genlab::train {

namespace {

/// Moves tensors to the training device, once per distinct tensor: runs whose corruption
/// leaves images (or labels) alone share the clean tensor, and on a GPU they keep sharing one
/// copy instead of one copy per run.
class DeviceCopies {
public:
  explicit DeviceCopies(torch::Device device) : device_(device) {}
  torch::Tensor operator()(const torch::Tensor& tensor) {
    if (tensor.device() == device_) return tensor;
    auto& entry = copies_[tensor.unsafeGetTensorImpl()];
    // The source is kept alive with its copy, so that its address cannot be reused by a
    // later tensor and mistaken for it.
    if (!entry.second.defined()) entry = {tensor, tensor.to(device_)};
    return entry.second;
  }
  void moveAll(data::Dataset& d) {
    for (auto* part : {&d.train, &d.test}) {
      part->images = (*this)(part->images);
      part->labels = (*this)(part->labels);
    }
  }

private:
  torch::Device device_;
  std::map<const void*, std::pair<torch::Tensor, torch::Tensor>> copies_;
};

} // namespace

Session::Session(ExperimentSpec spec) : spec_(std::move(spec)) {}

void Session::pause() { paused_ = true; }

void Session::resume() {
  {
    std::lock_guard lock(mutex_);
    paused_ = false;
    pendingSingleSteps_ = 0;  // steps asked for while paused are not owed once running
  }
  wake_.notify_all();
}

void Session::stepOnce() {
  {
    std::lock_guard lock(mutex_);
    paused_ = true;
    ++pendingSingleSteps_;
  }
  wake_.notify_all();
}

void Session::stop(RunStatus reason) {
  {
    std::lock_guard lock(mutex_);
    stopReason_ = reason;
    stopRequested_ = true;
  }
  wake_.notify_all();
}

int64_t Session::waitForPermission() {
  std::unique_lock lock(mutex_);
  const auto mayGo = [&] { return stopRequested_ || !paused_ || pendingSingleSteps_ > 0; };
  if (!mayGo()) {
    holding_ = true;
    wake_.wait(lock, mayGo);
    holding_ = false;
  }
  if (stopRequested_) return 0;
  if (paused_) {
    --pendingSingleSteps_;
    return 1;
  }
  return -1;  // running freely: each run takes a full chunk
}

SessionResult Session::run(const std::vector<SessionListener*>& listeners) {
  // Destroyed last, after the trainers and the data: their freed blocks go back to the system.
  const struct ReleaseCachedBlocks {
    ~ReleaseCachedBlocks() { releaseCachedTensorBlocks(); }
  } releaseCachedBlocks;
  Fanout out(listeners);
  const auto start = std::chrono::steady_clock::now();
  validate(spec_);
  if (models::isClosedForm(spec_.model.architecture)) return solveClosedForm(out, start);
  useThreads(planThreads(spec_.compute.threads, workloadOf(spec_.model.architecture)));
  const torch::Device device = chooseDevice(spec_.compute.device);

  data::DataSpec dataSpec = spec_.data;
  dataSpec.seed = spec_.seed;
  const data::LoadedDataset loaded = data::loadDataset(dataSpec);
  if (stopRequested()) return {};

  SessionInfo info;
  info.device = describeDevice(device);
  info.dataset = data::summary(loaded.dataset);
  info.preprocessing = loaded.preprocessing;
  info.model = models::describe(spec_.model);
  info.sweep = !spec_.sweepLevels.empty();

  // Runs that had reached their outcome before a resume keep it and get no trainer.
  std::vector<std::unique_ptr<Trainer>> trainers;
  std::vector<std::optional<RunSummary>> ended;
  const auto settings = runSettings(spec_);
  if (!resume_.empty() && resume_.size() != settings.size())
    throw InputError("cannot resume: the session had " + std::to_string(resume_.size()) +
                     " runs, its spec names " + std::to_string(settings.size()));
  DeviceCopies toDevice(device);
  std::vector<bool> toTrain;
  for (size_t i = 0; i < settings.size(); ++i) toTrain.push_back(resume_.empty() || !resume_[i].ended);
  // A few ahead at most: each is held until its trainer takes it (on a GPU, a copy on the CPU).
  CorruptionQueue corruptions(loaded.dataset, settings, toTrain, spec_.seed, std::min(coresFor(spec_.compute.threads), 4));
  for (size_t i = 0; i < settings.size(); ++i) {
    if (stopRequested()) return {};
    RunInfo run{static_cast<int>(i), settings[i], {}, {}, {}};
    const RunStart* start = resume_.empty() ? nullptr : &resume_[i];
    if (start != nullptr && start->ended) {
      ended.push_back(start->ended);
      run.start = *start->ended;
      info.runs.push_back(run);
      continue;
    }
    auto corrupted = corruptions.next();
    toDevice.moveAll(corrupted.dataset);
    auto trainer = std::make_unique<Trainer>(static_cast<int>(i), spec_, corrupted, device);
    if (start != nullptr && !start->checkpoint.empty()) trainer->restoreState(start->checkpoint);
    run.corruption = corrupted.report.description;
    run.start = trainer->summary();
    if (start != nullptr) run.resumedFromEpoch = trainer->summary().epochs;
    if (trainers.empty()) {  // what every run shares, from the first trained one
      info.parameters = models::countParameters(trainer->network());
      info.trainImages = trainer->trainImages();
      info.stepsPerEpoch = trainer->stepsPerEpoch();
    }
    trainers.push_back(std::move(trainer));
    ended.push_back(std::nullopt);
    info.runs.push_back(run);
  }
  if (stopRequested()) return {};
  // Interleaved, several runs train at once (planRuns). The plan follows from the spec alone,
  // not from the runs left (a resumed session), so that each run trains on the same threads,
  // to the same bits, however the session goes.
  const RunPlan plan = planRuns(spec_);
  // Whether the last runs of an MLP session get the cores that ended runs left (severalAtOnce).
  const bool lendProducts = device.is_cpu() && workloadOf(spec_.model.architecture) == Workload::Mlp &&
                            splitProductsKeepBits();
  if (plan.concurrentRuns > 1) {
    useThreads(plan.perRun);  // before describing: the device line gives each run's threads
    info.device = describeDevice(device) + ", " + std::to_string(plan.concurrentRuns) + " runs at once";
    if (lendProducts) info.device += ", the last ones lent the free cores for their products";
  }
  // What the set-up freed (the loader's and the corruptions' temporaries) goes back to the
  // system: the cache is for the blocks that the training steps free and take again.
  releaseCachedTensorBlocks();
  out.onSessionStarted(info);

  const auto chunkFor = [&](const Trainer& trainer) -> int64_t {
    // The first chunk is one step: it gives a first point at once and a measure of speed.
    // Wall time per step includes the evaluation at the end of each epoch.
    const double perStep = trainer.wallSecondsPerStep();
    if (perStep <= 0) return 1;
    return std::clamp<int64_t>(std::llround(chunkSeconds_ / perStep), 1, 1000);
  };
  const auto advance = [&](Trainer& trainer, int64_t steps) {
    try {
      trainer.advance(steps, out);
    } catch (const std::exception& error) {
      trainer.end(RunStatus::Failed, firstLine(error.what()), out);
    }
  };

  // One chunk of one run at a time, the runs in turn (interleaved) or the first unfinished
  // run until it ends (sequential); the controls are looked at before every chunk.
  const auto oneAtATime = [&] {
    size_t next = 0;
    while (!out.failure()) {
      std::vector<Trainer*> unfinished;
      for (auto& trainer : trainers)
        if (!trainer->done()) unfinished.push_back(trainer.get());
      if (unfinished.empty()) break;
      const int64_t permission = waitForPermission();
      if (permission == 0) break;
      if (permission > 0) {  // a single step: every unfinished run (sequential: the current one)
        for (Trainer* trainer : unfinished) {
          advance(*trainer, permission);
          if (!spec_.compute.interleaved) break;
        }
        continue;
      }
      Trainer& trainer = spec_.compute.interleaved ? *unfinished[next++ % unfinished.size()]
                                                   : *unfinished.front();
      advance(trainer, chunkFor(trainer));
    }
  };

  // Several at once: each free thread takes a chunk of the next run in turn that is neither
  // ended nor in flight; what a chunk reports is kept and replayed here when it finishes, so
  // listeners hear each run in order, on this thread. Pause, a single step and stop wait for
  // the chunks in flight. When fewer runs are left than threads, each chunk is lent the free
  // cores for its matrix products (an MLP's CpuLinear, whose results keep their bits whatever
  // the threads on BLAS kernels that keep them: splitProductsKeepBits) and, on the same threads,
  // its SGD update (FusedSgd); LibTorch's own threads stay as planned, since more of them would
  // change the numbers of an MLP with batch norm.
  const auto severalAtOnce = [&] {
    RunPool pool(plan.concurrentRuns);
    const size_t count = trainers.size();
    std::vector<EventLog> logs(count);
    std::vector<bool> inFlight(count, false);
    const auto collectOne = [&] {
      const auto i = static_cast<size_t>(pool.collect());
      logs[i].replayTo(out);
      inFlight[i] = false;
    };
    const auto drain = [&] {
      while (pool.busy() > 0) collectOne();
    };
    size_t next = 0;
    for (;;) {
      if (out.failure() || paused_ || stopRequested()) drain();
      if (out.failure()) break;
      // done() is read only for runs not in flight, whose trainer no other thread touches.
      std::vector<size_t> ready;
      for (size_t i = 0; i < count; ++i)
        if (!inFlight[i] && !trainers[i]->done()) ready.push_back(i);
      if (ready.empty() && pool.busy() == 0) break;
      if (pool.busy() == 0) {
        const int64_t permission = waitForPermission();
        if (permission == 0) break;
        if (permission > 0) {
          for (const size_t i : ready) advance(*trainers[i], permission);
          continue;
        }
      }
      // Free threads take the next ready runs in turn, from where the last hand-out stopped.
      int unfinished = 0;
      for (size_t i = 0; i < count; ++i) unfinished += inFlight[i] || !trainers[i]->done() ? 1 : 0;
      const int products = lendProducts ? plan.perRun.products * std::max(1, pool.threads() / std::max(1, unfinished))
                                        : plan.perRun.products;
      while (pool.busy() < pool.threads()) {
        std::optional<size_t> pick;
        for (size_t k = 0; k < count && !pick; ++k)
          if (const size_t i = (next + k) % count; !inFlight[i] && !trainers[i]->done()) pick = i;
        if (!pick) break;
        const size_t i = *pick;
        inFlight[i] = true;
        next = i + 1;
        pool.submit(static_cast<int>(i), [&, i, products] {
          // LibTorch's thread count is per thread (OpenMP); the pool's threads follow the plan.
          if (at::get_num_threads() != plan.perRun.intraOp) at::set_num_threads(plan.perRun.intraOp);
          models::setProductThreads(products);
          Trainer& trainer = *trainers[i];
          try {
            trainer.advance(chunkFor(trainer), logs[i]);
          } catch (const std::exception& error) {
            trainer.end(RunStatus::Failed, firstLine(error.what()), logs[i]);
          }
        });
      }
      if (pool.busy() > 0) collectOne();
    }
    drain();
  };

  if (plan.concurrentRuns > 1)
    severalAtOnce();
  else
    oneAtATime();
  // A listener that failed ends the session: its results would not be saved.
  const RunStatus reason = out.failure() ? RunStatus::Failed : stopReason_.load();
  const std::string why = out.failure() ? *out.failure() : std::string();
  for (auto& trainer : trainers)
    if (!trainer->done()) trainer->end(reason, why, out);

  SessionResult result;
  for (size_t i = 0, next = 0; i < ended.size(); ++i)
    result.runs.push_back(ended[i] ? *ended[i] : trainers[next++]->summary());
  if (!spec_.sweepLevels.empty()) result.sweep = sweepPoints(result.runs);
  result.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.onSessionEnded(result);
  return result;
}

} // namespace genlab::train
