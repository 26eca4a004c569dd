#pragma once
/// Session: one run per corruption setting, with otherwise identical specs, trained side by
/// side so that every curve of Figure 1a grows together.
/// A closed-form model (the paper's Section 5) runs through the same Session and listeners:
/// each run is one solve, reported as one epoch.

#include "core/train/experiment_spec.h"
#include "core/train/listener.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace genlab::train {

class Fanout;

/// How one run of a resumed session starts (session_resume.h reads it from a session folder).
struct RunStart {
  /// The run had reached its outcome (reachedOutcome): it is reported as it ended, not trained.
  std::optional<RunSummary> ended;
  /// Its last checkpoint (Checkpoint::state); empty: it starts again from its first step.
  std::string checkpoint;
};

class Session {
public:
  explicit Session(ExperimentSpec spec);

  /// Makes run() continue an earlier session of the same spec: one RunStart per run, in the
  /// order of runSettings(spec). Call before run().
  void resumeFrom(std::vector<RunStart> runs) { resume_ = std::move(runs); }

  /// Loads and corrupts the data, builds one Trainer per run and trains them until every run
  /// has ended or stop() is called, reporting to `listeners` (in order) on the calling thread.
  /// Interleaved (the default): a chunk of steps of each run in turn, a chunk sized to take
  /// about `chunkSeconds` (evaluations included); sequential: each run to its end before the
  /// next. The controls are looked at before every chunk. Throws InputError
  /// for a bad spec or data set before training starts (DataError for the data set); an error
  /// inside one run (say, out of memory) ends that run as failed and the others go on. A
  /// listener that throws is dropped and ends every unfinished run as failed with its message.
  /// stop() while the data loads or the networks are built returns at the next of those steps,
  /// with no runs and nothing reported. A closed-form model (models::isClosedForm) is solved
  /// instead, run after run on the CPU, each solve reported as one epoch (solveClosedForm).
  SessionResult run(const std::vector<SessionListener*>& listeners);

  // Controls, safe to call from any thread while run() works; each takes effect at the next
  // chunk boundary (about chunkSeconds).
  void pause();
  void resume();
  /// While paused: one optimization step of every unfinished run, then paused again.
  void stepOnce();
  /// Ends every unfinished run with `reason` (Stopped or Interrupted); run() then returns.
  void stop(RunStatus reason = RunStatus::Stopped);
  bool paused() const { return paused_.load(); }
  /// True while run() waits at a pause: the chunk that was in flight when pause() was called
  /// has ended and reported, and no training happens until resume(), stepOnce() or stop().
  bool holding() const { return holding_.load(); }

  /// Target duration of one chunk. Smaller: smoother interleaving and faster reaction to the
  /// controls; larger: less overhead.
  void setChunkSeconds(double seconds) { chunkSeconds_ = seconds; }

  const ExperimentSpec& spec() const { return spec_; }

private:
  bool stopRequested() const { return stopRequested_.load(); }
  /// Waits while paused; returns the number of steps each run may take next (0: stop).
  int64_t waitForPermission();
  /// run() for a closed-form model (models::isClosedForm): each run one solve, in turn, the
  /// controls looked at before each (closed_form_session.cpp).
  SessionResult solveClosedForm(Fanout& out, std::chrono::steady_clock::time_point start);

  ExperimentSpec spec_;
  std::vector<RunStart> resume_;
  double chunkSeconds_ = 0.1;
  std::atomic<bool> paused_{false};
  std::atomic<bool> stopRequested_{false};
  std::atomic<bool> holding_{false};
  std::atomic<RunStatus> stopReason_{RunStatus::Stopped};
  int pendingSingleSteps_ = 0;  // guarded by mutex_
  std::mutex mutex_;
  std::condition_variable wake_;
};

} // namespace genlab::train
