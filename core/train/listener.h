#pragma once
/// The callback interface through which a session reports; plain C++, no Qt. The window's
/// controller turns these calls into queued signals; the command line prints them; the
/// results writer writes them to files. Calls come on the thread that runs the session.

#include "core/train/metrics.h"

#include <optional>
#include <string>
#include <vector>

namespace genlab::train {

/// One run as the session set it up.
struct RunInfo {
  int run = 0;
  corruption::Setting setting;
  std::string corruption;  ///< what the corruption did (its report line); empty for a run
                           ///< that had ended before a resume
  /// Where the run starts: pending for a new run; for a resumed session, the state of its
  /// checkpoint, or its final record when it had reached its outcome (then it is not trained).
  RunSummary start{};
  /// Resumed sessions: the epoch whose checkpoint the run continues from (0: from its start);
  /// none for a new session and for a run that had reached its outcome.
  std::optional<int64_t> resumedFromEpoch{};
};

/// What a session is about to train.
struct SessionInfo {
  std::string device;       ///< e.g. "CPU (2 threads)"
  std::string dataset;      ///< summary of the clean data set
  std::string preprocessing;
  std::string model;        ///< e.g. "MLP 1x512"
  int64_t parameters = 0;   ///< learnable parameters of one run's network
  int64_t trainImages = 0;  ///< per run (after any validation hold-out)
  int64_t stepsPerEpoch = 0;
  /// The runs are a label-corruption sweep (ExperimentSpec::sweepLevels): Figures 1b and 1c
  /// get a point as each run ends (train::sweepPoints), and SessionResult::sweep at the end.
  bool sweep = false;
  std::vector<RunInfo> runs;
};

/// A run's state at the end of an epoch (Trainer::saveState), to resume it from there.
struct Checkpoint {
  int run = 0;
  int64_t epoch = 0;
  std::string state;  ///< opaque bytes for Trainer::restoreState
};

/// One training example in a memorization record.
struct MemorizedExample {
  int64_t example = 0;      ///< its index in the training set as loaded and corrupted (the
                            ///< order of corruption::previewSetting)
  int64_t label = 0;        ///< the label the run trains on
  bool corrupted = false;   ///< that label differs from the true one
  int64_t fittedSince = 0;  ///< the epoch since which it has been fitted without a break; 0: not now
};

/// measures.memorization (Arpit et al. 2017): at every epoch's end, after onEpoch, where each
/// training example stands, in training-set order (a validation hold-out left out).
struct MemorizationRecord {
  int run = 0;
  int64_t epoch = 0;
  std::vector<MemorizedExample> examples;
};

/// The end of a session.
struct SessionResult {
  std::vector<RunSummary> runs;
  std::vector<SweepPoint> sweep;  ///< filled for a label-corruption sweep
  double wallSeconds = 0;
};

class SessionListener {
public:
  virtual ~SessionListener() = default;
  virtual void onSessionStarted(const SessionInfo&) {}
  virtual void onStepLosses(const StepLosses&) {}
  virtual void onEpoch(const EpochMetrics&) {}
  /// Every compute.checkpointEpochs epochs (after that epoch's onEpoch), and for a run that is
  /// stopped, interrupted or fails: the state of its last completed epoch, when not sent yet.
  virtual void onCheckpoint(const Checkpoint&) {}
  virtual void onMemorization(const MemorizationRecord&) {}
  virtual void onRunEnded(const RunSummary&) {}
  virtual void onSessionEnded(const SessionResult&) {}
};

} // namespace genlab::train
