#pragma once
/// TrainingController: the window's handle on a training session. It lives on the GUI thread;
/// the session trains on a TrainingThread. What the session reports is gathered there into
/// batches of plain values and handed to the GUI thread as queued calls, at most about 30 times
/// a second, where the controller emits them as signals. No widget is touched from the
/// training thread and no model from the GUI thread.

#include "core/train/experiment_spec.h"
#include "core/train/listener.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>

namespace genlab::train {
class Session;
}

namespace genlab::ui {

class TrainingThread;

enum class SessionState {
  Idle,       ///< nothing trained since the last reset (or the last start failed)
  Preparing,  ///< loading and corrupting the data, building the networks
  Running,
  Paused,     ///< no training until resume, step or stop
  Stopping,   ///< stop was asked; the chunk in flight is ending
  Ended,      ///< the session is over; its results stay until reset or the next start
};
/// "idle", "preparing", "running", "paused", "stopping", "ended".
QString describe(SessionState state);

/// What kept a session from starting, so that the window can say what to do about it.
enum class Failure {
  Spec,     ///< a value of the experiment is out of range
  Device,   ///< CUDA asked for and not available
  Results,  ///< the results folder cannot be written
  Data,     ///< the data set is missing or malformed
  Other,    ///< anything else (an unexpected error)
};

/// What a session reported since the last delivery.
struct MetricsBatch {
  std::vector<train::StepLosses> losses;
  std::vector<train::EpochMetrics> epochs;
  std::vector<train::RunSummary> endedRuns;
  bool empty() const { return losses.empty() && epochs.empty() && endedRuns.empty(); }
};

class TrainingController : public QObject {
  Q_OBJECT

public:
  explicit TrainingController(QObject* parent = nullptr);
  /// Stops a running session and waits for the training thread: the results written so far
  /// stay, and the chunk in flight ends (about 0.1 s, or one evaluation pass).
  ~TrainingController() override;

  /// Starts a session of `spec` when none is active (Idle or Ended; otherwise returns false and
  /// does nothing). `resultsFolder`: where spec.json, metrics.csv and summary.json are written
  /// as training goes (empty: nowhere). The spec is validated first; problems arrive as
  /// sessionFailed.
  bool start(const train::ExperimentSpec& spec, const QString& resultsFolder);
  /// Continues the session in `folder` (stopped, interrupted, failed or incomplete), whose
  /// spec.json is `spec`, when none is active: runs that reached their outcome stay, the others
  /// go on from their checkpoints (results::openSessionFolder). The folder's curves so far
  /// arrive first (sessionStarted, then metricsArrived), so the plots show whole runs. A live
  /// writer, another experiment or nothing left to continue arrive as sessionFailed(Results).
  bool continueSession(const train::ExperimentSpec& spec, const QString& folder);
  void pause();
  void resume();
  /// While paused: one optimization step of every unfinished run.
  void step();
  /// Ends every unfinished run as "stopped"; the state becomes Ended when the chunk in flight
  /// has ended.
  void stop();
  /// Back to Idle after a session has ended (the window then clears its plots).
  void reset();

  SessionState state() const { return state_; }
  bool active() const;  ///< Preparing, Running, Paused or Stopping
  /// True while paused and the chunk that was in flight has ended: no step is taken until
  /// resume, step or stop.
  bool holding() const;
  /// True when every event the session has reported so far has been emitted as a signal (no
  /// delivery is queued or deferred). With holding(): the plots show all a pause left.
  bool allDelivered() const;
  /// Blocks (processing no events) until the training thread has finished the session, at
  /// most `milliseconds`; true when it did. For closing the window.
  bool waitUntilFinished(int milliseconds);
  const train::ExperimentSpec& spec() const { return spec_; }
  QString resultsFolder() const { return resultsFolder_; }
  /// Seconds the session has trained: from its start, without the time it was paused, and
  /// standing still once it ended.
  double elapsedSeconds() const;

  /// Counts the parameters of the network `model` would have on `data`'s images, on the
  /// training thread (it draws from LibTorch's global generator); the answer arrives as
  /// parametersCounted. Only the latest request is answered.
  void countParameters(const models::ModelSpec& model, const data::DataSpec& data);
  /// Times one run of `spec` on this machine (train::probeTrainingSpeed) on the training thread
  /// and answers with speedProbed. Only the latest request is answered; none is taken while a
  /// session is active (it would time the session's share of the machine).
  void probeSpeed(const train::ExperimentSpec& spec);

  /// The shortest interval between two deliveries of metrics (default 33 ms: ~30 per second).
  void setDeliveryInterval(int milliseconds) { deliveryIntervalMs_ = milliseconds; }

Q_SIGNALS:
  void stateChanged(genlab::ui::SessionState state);
  void sessionStarted(const genlab::train::SessionInfo& info);
  void metricsArrived(const genlab::ui::MetricsBatch& batch);
  void sessionEnded(const genlab::train::SessionResult& result);
  void sessionFailed(genlab::ui::Failure failure, const QString& message);
  void parametersCounted(qint64 count, const QString& error);
  /// `key`: train::speedKey of the spec timed; `imagesPerSecond` 0 with an `error`.
  void speedProbed(const QString& key, double imagesPerSecond, const QString& error);

private:
  struct Shared;
  class Reporter;

  void deliver();
  void setState(SessionState state);
  bool begin(const train::ExperimentSpec& spec, const QString& resultsFolder, bool continuing);
  void runSession(const train::ExperimentSpec& spec, const QString& resultsFolder, bool continuing);

  SessionState state_ = SessionState::Idle;
  train::ExperimentSpec spec_;
  QString resultsFolder_;
  std::shared_ptr<Shared> shared_;
  std::atomic<quint64> countRequest_{0};
  std::atomic<quint64> probeRequest_{0};
  int deliveryIntervalMs_ = 33;
  QElapsedTimer sinceDelivery_;
  QElapsedTimer sinceStart_;
  QElapsedTimer heldSince_;  ///< valid while paused or after the end: the clock stands still
  qint64 heldMs_ = 0;        ///< pauses that are over
  bool startedThisSession_ = false;  // sessionStarted was emitted for the current session
  std::unique_ptr<TrainingThread> thread_;  // last: destroyed (joined) first
};

} // namespace genlab::ui

Q_DECLARE_METATYPE(genlab::ui::SessionState)
Q_DECLARE_METATYPE(genlab::ui::Failure)
Q_DECLARE_METATYPE(genlab::ui::MetricsBatch)
Q_DECLARE_METATYPE(genlab::train::SessionInfo)
Q_DECLARE_METATYPE(genlab::train::SessionResult)
