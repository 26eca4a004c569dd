// Session::run for the closed-form models of the paper's Section 5 (models::isClosedForm):
// the same data, corruptions and listener calls as a network's session, each run one solve.

#include "core/train/session.h"

#include "core/closed_form/fit.h"
#include "core/corruption/corrupt.h"
#include "core/data/load.h"
#include "core/errors.h"
#include "core/train/device.h"
#include "core/train/fanout.h"

#include <torch/torch.h>

#include <algorithm>

namespace genlab::train {

namespace {

using Clock = std::chrono::steady_clock;

/// A run still to solve: its data as corrupted and its model with the bandwidth resolved.
struct PendingSolve {
  int run = 0;
  corruption::Setting setting;
  data::Dataset dataset;
  models::ModelSpec model;
};

/// The model in words, with the bandwidth the runs use when they share one (each run's own is
/// in its summary).
std::string describeSolves(const models::ModelSpec& model, const std::vector<PendingSolve>& runs) {
  models::ModelSpec shown = model;
  if (!runs.empty() &&
      std::all_of(runs.begin(), runs.end(), [&](const PendingSolve& r) { return r.model.bandwidth == runs.front().model.bandwidth; }))
    shown.bandwidth = runs.front().model.bandwidth;
  return models::describe(shown);
}

/// One solve reported as a network's run of one epoch: onEpoch, then onRunEnded. An error
/// (a kernel matrix that is not positive definite) ends the run as failed with its message.
RunSummary solve(const PendingSolve& pending, const ExperimentSpec& spec, SessionListener& out) {
  RunSummary summary;
  summary.run = pending.run;
  summary.setting = pending.setting;
  const auto start = Clock::now();
  const auto seconds = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  closed_form::ClosedFormFit fit;
  try {
    fit = closed_form::fitClosedForm(pending.model, pending.dataset, spec.seed);
  } catch (const std::exception& error) {
    summary.status = RunStatus::Failed;
    summary.message = firstLine(error.what());
    summary.wallSeconds = seconds();
    out.onRunEnded(summary);
    return summary;
  }
  EpochMetrics metrics;
  metrics.run = pending.run;
  metrics.epoch = 1;
  metrics.step = 0;  // no optimization steps
  metrics.trainLoss = fit.trainLoss;
  metrics.trainAccuracy = 1.0 - fit.trainError;
  metrics.testLoss = fit.testLoss;
  metrics.testAccuracy = 1.0 - fit.testError;
  metrics.wallSeconds = seconds();
  out.onEpoch(metrics);

  summary.epochs = 1;
  summary.trainAccuracy = metrics.trainAccuracy;
  summary.testAccuracy = metrics.testAccuracy;
  summary.trainLoss = metrics.trainLoss;
  summary.testLoss = metrics.testLoss;
  // Fitted or not, with no time to fit: there are no steps to count (fitEpoch, fitStep absent).
  summary.status = metrics.trainAccuracy >= spec.training.fitThreshold ? RunStatus::Fitted : RunStatus::Finished;
  summary.rkhsNorm = fit.rkhsNorm;
  summary.coefficientNorm = fit.coefficientNorm;
  summary.bandwidth = fit.bandwidth;
  summary.wallSeconds = metrics.wallSeconds;
  out.onRunEnded(summary);
  return summary;
}

} // namespace

SessionResult Session::solveClosedForm(Fanout& out, Clock::time_point start) {
  // Matrix products and LAPACK factorizations: the cores go to BLAS. Always the CPU, in
  // float64 (compute.device does not apply).
  useThreads(planThreads(spec_.compute.threads, Workload::LinearAlgebra));
  data::DataSpec dataSpec = spec_.data;
  dataSpec.seed = spec_.seed;
  const data::LoadedDataset loaded = data::loadDataset(dataSpec);
  if (stopRequested()) return {};

  const auto settings = runSettings(spec_);
  if (!resume_.empty() && resume_.size() != settings.size())
    throw InputError("cannot resume: the session had " + std::to_string(resume_.size()) +
                     " runs, its spec names " + std::to_string(settings.size()));
  SessionInfo info;
  std::vector<std::optional<RunSummary>> ended(settings.size());
  std::vector<PendingSolve> pending;
  for (size_t i = 0; i < settings.size(); ++i) {
    if (stopRequested()) return {};
    RunInfo run{static_cast<int>(i), settings[i], {}, {}, {}};
    run.start.run = run.run;
    run.start.setting = settings[i];
    const RunStart* resumed = resume_.empty() ? nullptr : &resume_[i];
    if (resumed != nullptr && resumed->ended) {
      ended[i] = resumed->ended;
      run.start = *resumed->ended;
      info.runs.push_back(run);
      continue;
    }
    // A run that had not ended is solved again from the start: a solve keeps no checkpoint.
    if (resumed != nullptr) run.resumedFromEpoch = 0;
    auto corrupted = corruption::corrupt(loaded.dataset, settings[i], spec_.seed);
    run.corruption = corrupted.report.description;
    PendingSolve solve{run.run, settings[i], std::move(corrupted.dataset), spec_.model};
    try {
      if (const auto bandwidth = closed_form::bandwidthFor(solve.model, solve.dataset.train.images))
        solve.model.bandwidth = *bandwidth;
    } catch (const InputError&) {
      // Images that do not vary: the solve says so and the run fails with that message.
    }
    pending.push_back(std::move(solve));
    info.runs.push_back(run);
  }
  info.device = describeDevice(c10::Device(c10::kCPU));
  info.dataset = data::summary(loaded.dataset);
  info.preprocessing = loaded.preprocessing;
  info.model = describeSolves(spec_.model, pending);
  info.trainImages = loaded.dataset.train.size();
  info.parameters = models::closedFormParameterCount(spec_.model, info.trainImages,
                                                     loaded.dataset.numClasses());
  info.stepsPerEpoch = 0;
  info.sweep = !spec_.sweepLevels.empty();
  if (stopRequested()) return {};
  out.onSessionStarted(info);

  size_t next = 0;
  while (next < pending.size() && !out.failure() && waitForPermission() != 0) {
    ended[static_cast<size_t>(pending[next].run)] = solve(pending[next], spec_, out);
    ++next;
  }
  // A listener that failed ends the session: its results would not be saved.
  const RunStatus reason = out.failure() ? RunStatus::Failed : stopReason_.load();
  const std::string why = out.failure() ? *out.failure() : std::string();
  for (; next < pending.size(); ++next) {
    RunSummary summary;
    summary.run = pending[next].run;
    summary.setting = pending[next].setting;
    summary.status = reason;
    summary.message = why;
    out.onRunEnded(summary);
    ended[static_cast<size_t>(summary.run)] = summary;
  }

  SessionResult result;
  for (const auto& run : ended) result.runs.push_back(*run);
  if (!spec_.sweepLevels.empty()) result.sweep = sweepPoints(result.runs);
  result.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
  out.onSessionEnded(result);
  return result;
}

} // namespace genlab::train
