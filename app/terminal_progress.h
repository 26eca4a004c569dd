#pragma once
/// Training progress in the terminal.

#include "core/train/listener.h"

#include <chrono>
#include <map>
#include <string>

namespace genlab::app {

/// Shows a session's progress. On a terminal (live): one line per run, redrawn in place at
/// most ten times a second, with a bar of epochs, the latest loss, train and test accuracy,
/// images/s and an upper bound of the time left. Otherwise (a pipe, a log file): one plain
/// line per epoch of each run. Both end with a table in the style of the paper's Table 1.
/// For a closed-form model (`closedForm`: each run one solve) a run's line shows its train and
/// test accuracy, its norm (RKHS or coefficient) and the solve's seconds, and the table the
/// norm instead of the epochs to fit.
class TerminalProgress : public train::SessionListener {
public:
  TerminalProgress(int64_t maxEpochs, bool live, bool closedForm = false)
      : maxEpochs_(maxEpochs), live_(live), closedForm_(closedForm) {}

  void onSessionStarted(const train::SessionInfo& info) override;
  void onStepLosses(const train::StepLosses& losses) override;
  void onEpoch(const train::EpochMetrics& metrics) override;
  void onRunEnded(const train::RunSummary& run) override;
  void onSessionEnded(const train::SessionResult& result) override;

private:
  struct Row {
    std::string name;
    int64_t epoch = 0;
    double loss = 0, trainAccuracy = 0, testAccuracy = 0, imagesPerSecond = 0, wallSeconds = 0;
    std::string status;  ///< empty while running
    std::string norm;    ///< closed form: "RKHS norm 55.6", once solved
  };
  std::string format(const Row& row) const;
  void redraw(bool force);

  int64_t maxEpochs_;
  bool live_;
  bool closedForm_;
  std::map<int, Row> rows_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point lastDraw_;
};

} // namespace genlab::app
