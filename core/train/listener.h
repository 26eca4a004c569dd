#pragma once
/// The callback interface through which a session reports; plain C++, no Qt. The window's
/// controller turns these calls into queued signals; the command line prints them; the
/// results writer writes them to files. Calls come on the thread that runs the session.

#include "core/train/metrics.h"

#include <string>
#include <vector>

namespace genlab::train {

/// One run as the session set it up.
struct RunInfo {
  int run = 0;
  corruption::Setting setting;
  std::string corruption;  ///< what the corruption did (its report line)
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
  std::vector<RunInfo> runs;
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
  virtual void onRunEnded(const RunSummary&) {}
  virtual void onSessionEnded(const SessionResult&) {}
};

} // namespace genlab::train
