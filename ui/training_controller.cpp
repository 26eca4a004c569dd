#include "ui/training_controller.h"

#include "core/errors.h"
#include "core/models/model_spec.h"
#include "core/results/metrics_replay.h"
#include "core/results/results_writer.h"
#include "core/results/session_resume.h"
#include "core/train/device.h"
#include "core/train/session.h"
#include "core/train/speed_probe.h"
#include "ui/training_thread.h"

#include <QTimer>

#include <algorithm>
#include <condition_variable>
#include <mutex>

namespace genlab::ui {

QString describe(SessionState state) {
  switch (state) {
  case SessionState::Idle: return QStringLiteral("idle");
  case SessionState::Preparing: return QStringLiteral("preparing");
  case SessionState::Running: return QStringLiteral("running");
  case SessionState::Paused: return QStringLiteral("paused");
  case SessionState::Stopping: return QStringLiteral("stopping");
  case SessionState::Ended: return QStringLiteral("ended");
  }
  return {};
}

/// What the GUI thread and the training thread share: the session's controls and the events
/// not yet delivered. Guarded by `mutex`.
struct TrainingController::Shared {
  std::mutex mutex;
  std::condition_variable finishedChanged;
  std::shared_ptr<train::Session> session;
  bool finished = true;              // no session task is running
  bool deliveryRequested = false;    // a delivery is queued or deferred on the GUI thread
  std::optional<train::SessionInfo> started;
  MetricsBatch batch;
  std::optional<train::SessionResult> result;
  std::optional<std::pair<Failure, QString>> failure;
  bool sessionReturned = false;      // the session task has returned since the last delivery
};

/// The session's listener on the training thread: queues what it hears for the GUI thread and,
/// between chunks, runs the short tasks posted to the training thread meanwhile.
class TrainingController::Reporter : public train::SessionListener {
public:
  Reporter(TrainingController& controller, std::shared_ptr<Shared> shared, TrainingThread& thread)
      : controller_(controller), shared_(std::move(shared)), thread_(thread) {}

  void onSessionStarted(const train::SessionInfo& info) override {
    started_ = true;
    queue([&](Shared& s) { s.started = info; });
    if (replayFolder_.empty()) return;
    // A continued session: its curves so far (the results writer, before this listener, has
    // cut them back to the checkpoints), and the runs that had ended before.
    results::replayMetrics(replayFolder_, *this);
    for (const auto& run : info.runs)
      if (!run.resumedFromEpoch && train::isFinal(run.start.status)) onRunEnded(run.start);
  }
  void onStepLosses(const train::StepLosses& losses) override {
    queue([&](Shared& s) { s.batch.losses.push_back(losses); });
    thread_.runPending();
  }
  void onEpoch(const train::EpochMetrics& metrics) override {
    queue([&](Shared& s) { s.batch.epochs.push_back(metrics); });
    thread_.runPending();
  }
  void onRunEnded(const train::RunSummary& run) override {
    queue([&](Shared& s) { s.batch.endedRuns.push_back(run); });
  }
  void onSessionEnded(const train::SessionResult& result) override {
    queue([&](Shared& s) { s.result = result; });
  }

  /// Records the end of the session task (with what kept it from starting, if anything).
  void finish(std::optional<std::pair<Failure, QString>> failure) {
    queue([&](Shared& s) {
      s.failure = std::move(failure);
      s.sessionReturned = true;
      s.finished = true;
    });
    shared_->finishedChanged.notify_all();
  }

  bool started() const { return started_; }
  /// Continuing a session: report the folder's curves once it has started.
  void replayFrom(std::filesystem::path folder) { replayFolder_ = std::move(folder); }

private:
  template <class Change>
  void queue(Change&& change) {
    bool post = false;
    {
      std::lock_guard lock(shared_->mutex);
      change(*shared_);
      post = !std::exchange(shared_->deliveryRequested, true);
    }
    if (post)
      QMetaObject::invokeMethod(&controller_, [c = &controller_] { c->deliver(); },
                                Qt::QueuedConnection);
  }

  TrainingController& controller_;
  std::shared_ptr<Shared> shared_;
  TrainingThread& thread_;
  bool started_ = false;
  std::filesystem::path replayFolder_;
};

TrainingController::TrainingController(QObject* parent)
    : QObject(parent), shared_(std::make_shared<Shared>()),
      thread_(std::make_unique<TrainingThread>()) {
  qRegisterMetaType<SessionState>();
  qRegisterMetaType<Failure>();
  qRegisterMetaType<MetricsBatch>();
  qRegisterMetaType<train::SessionInfo>();
  qRegisterMetaType<train::SessionResult>();
}

TrainingController::~TrainingController() {
  {
    std::lock_guard lock(shared_->mutex);
    if (shared_->session) shared_->session->stop();
  }
  thread_.reset();  // joins after the session has returned
}

bool TrainingController::active() const {
  return state_ == SessionState::Preparing || state_ == SessionState::Running ||
         state_ == SessionState::Paused || state_ == SessionState::Stopping;
}

bool TrainingController::start(const train::ExperimentSpec& spec, const QString& resultsFolder) {
  return begin(spec, resultsFolder, false);
}

bool TrainingController::continueSession(const train::ExperimentSpec& spec, const QString& folder) {
  return begin(spec, folder, true);
}

bool TrainingController::begin(const train::ExperimentSpec& spec, const QString& resultsFolder, bool continuing) {
  if (active()) return false;
  // The previous session task may still be returning after its last delivery.
  if (!waitUntilFinished(5000)) return false;
  spec_ = spec;
  resultsFolder_ = resultsFolder;
  {
    std::lock_guard lock(shared_->mutex);
    shared_->session = std::make_shared<train::Session>(spec);
    shared_->finished = false;
  }
  sinceStart_.start();
  heldSince_.invalidate();
  heldMs_ = 0;
  startedThisSession_ = false;
  setState(SessionState::Preparing);
  thread_->post([this, spec, resultsFolder, continuing] { runSession(spec, resultsFolder, continuing); });
  return true;
}

void TrainingController::runSession(const train::ExperimentSpec& spec, const QString& resultsFolder,
                                    bool continuing) {
  std::shared_ptr<train::Session> session;
  {
    std::lock_guard lock(shared_->mutex);
    session = shared_->session;
  }
  Reporter reporter(*this, shared_, *thread_);
  std::optional<std::pair<Failure, QString>> failure;
  Failure stage = Failure::Spec;
  std::unique_ptr<results::ResultsWriter> writer;
  try {
    train::validate(spec);
    stage = Failure::Device;
    (void)train::chooseDevice(spec.compute.device);
    stage = Failure::Results;
    if (continuing) {
      const std::string folder = resultsFolder.toStdString();
      if (results::holdsNoSession(folder)) throw InputError("'" + folder + "' holds no session to continue");
      results::OpenedFolder opened = results::openSessionFolder(folder, spec);
      if (!opened.writer)
        throw InputError("every run in '" + folder + "' has reached its outcome: nothing to continue");
      writer = std::move(opened.writer);
      session->resumeFrom(std::move(opened.runs));
      reporter.replayFrom(resultsFolder.toStdString());
    } else if (!resultsFolder.isEmpty()) {
      writer = std::make_unique<results::ResultsWriter>(resultsFolder.toStdString(), spec);
    }
    stage = Failure::Spec;  // Session::run: the data set (DataError) or the experiment
    session->run({writer.get(), &reporter});
  } catch (const DataError& error) {
    failure = {reporter.started() ? Failure::Other : Failure::Data, QString::fromStdString(error.what())};
  } catch (const InputError& error) {
    failure = {reporter.started() ? Failure::Other : stage, QString::fromStdString(error.what())};
  } catch (const std::exception& error) {
    failure = {Failure::Other, QString::fromStdString(firstLine(error.what()))};
  }
  if (writer) writer->discardUnstarted();
  writer.reset();  // the folder's lock goes before the window hears that the session ended
  reporter.finish(std::move(failure));
}

void TrainingController::pause() {
  if (state_ != SessionState::Running && state_ != SessionState::Preparing) return;
  std::lock_guard lock(shared_->mutex);
  if (shared_->session) shared_->session->pause();
  setState(SessionState::Paused);
}

void TrainingController::resume() {
  if (state_ != SessionState::Paused) return;
  std::lock_guard lock(shared_->mutex);
  if (shared_->session) shared_->session->resume();
  setState(SessionState::Running);
}

void TrainingController::step() {
  if (state_ != SessionState::Paused) return;
  std::lock_guard lock(shared_->mutex);
  if (shared_->session) shared_->session->stepOnce();
}

void TrainingController::stop() {
  if (!active() || state_ == SessionState::Stopping) return;
  std::lock_guard lock(shared_->mutex);
  if (shared_->session) shared_->session->stop();
  setState(SessionState::Stopping);
}

void TrainingController::reset() {
  if (active()) return;
  setState(SessionState::Idle);
}

bool TrainingController::holding() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->session && shared_->session->holding();
}

bool TrainingController::allDelivered() const {
  std::lock_guard lock(shared_->mutex);
  return !shared_->deliveryRequested;
}

bool TrainingController::waitUntilFinished(int milliseconds) {
  std::unique_lock lock(shared_->mutex);
  return shared_->finishedChanged.wait_for(lock, std::chrono::milliseconds(milliseconds),
                                           [&] { return shared_->finished; });
}

double TrainingController::elapsedSeconds() const {
  if (!sinceStart_.isValid()) return 0.0;
  const qint64 held = heldMs_ + (heldSince_.isValid() ? heldSince_.elapsed() : 0);
  return static_cast<double>(std::max<qint64>(0, sinceStart_.elapsed() - held)) / 1000.0;
}

void TrainingController::countParameters(const models::ModelSpec& model, const data::DataSpec& data) {
  const quint64 request = ++countRequest_;
  thread_->post([this, request, model, data] {
    if (request != countRequest_) return;  // a newer request supersedes this one
    qint64 count = 0;
    QString error;
    try {
      const data::DataFormat format = data::expectedFormat(data);
      count = models::isClosedForm(model.architecture)
                  ? models::closedFormParameterCount(model, format.trainImages, format.numClasses)
                  : models::parameterCount(model, format.shape, format.numClasses);
    } catch (const std::exception& e) {
      error = QString::fromStdString(firstLine(e.what()));
    }
    QMetaObject::invokeMethod(
        this,
        [this, request, count, error] {
          if (request == countRequest_) Q_EMIT parametersCounted(count, error);
        },
        Qt::QueuedConnection);
  });
}

void TrainingController::probeSpeed(const train::ExperimentSpec& spec) {
  if (active()) return;
  const quint64 request = ++probeRequest_;
  thread_->post([this, request, spec] {
    if (request != probeRequest_) return;  // a newer request supersedes this one
    double rate = 0;
    QString error;
    try {
      rate = train::probeTrainingSpeed(spec);
    } catch (const std::exception& e) {
      error = QString::fromStdString(firstLine(e.what()));
    }
    const QString key = QString::fromStdString(train::speedKey(spec));
    QMetaObject::invokeMethod(
        this,
        [this, request, key, rate, error] {
          if (request == probeRequest_) Q_EMIT speedProbed(key, rate, error);
        },
        Qt::QueuedConnection);
  });
}

void TrainingController::deliver() {
  // At most one delivery per interval: a burst of small chunks becomes one batch, so the
  // window redraws at a steady rate whatever the training speed.
  if (sinceDelivery_.isValid() && sinceDelivery_.elapsed() < deliveryIntervalMs_) {
    QTimer::singleShot(deliveryIntervalMs_ - static_cast<int>(sinceDelivery_.elapsed()), this,
                       [this] { deliver(); });
    return;
  }
  std::optional<train::SessionInfo> started;
  MetricsBatch batch;
  std::optional<train::SessionResult> result;
  std::optional<std::pair<Failure, QString>> failure;
  bool returned = false;
  {
    std::lock_guard lock(shared_->mutex);
    started = std::exchange(shared_->started, std::nullopt);
    batch = std::exchange(shared_->batch, {});
    result = std::exchange(shared_->result, std::nullopt);
    failure = std::exchange(shared_->failure, std::nullopt);
    returned = std::exchange(shared_->sessionReturned, false);
    if (returned) shared_->session.reset();
    shared_->deliveryRequested = false;
  }
  sinceDelivery_.start();

  if (started) {
    startedThisSession_ = true;
    if (state_ == SessionState::Preparing) setState(SessionState::Running);
    Q_EMIT sessionStarted(*started);
  }
  if (!batch.empty()) Q_EMIT metricsArrived(batch);
  if (result) Q_EMIT sessionEnded(*result);
  if (failure) Q_EMIT sessionFailed(failure->first, failure->second);
  if (returned) setState(startedThisSession_ ? SessionState::Ended : SessionState::Idle);
}

void TrainingController::setState(SessionState state) {
  if (state == state_) return;
  // The training clock stands still while paused and after the end.
  const bool held = state == SessionState::Paused || state == SessionState::Ended || state == SessionState::Idle;
  if (held && !heldSince_.isValid()) heldSince_.start();
  if (!held && heldSince_.isValid()) {
    heldMs_ += heldSince_.elapsed();
    heldSince_.invalidate();
  }
  state_ = state;
  Q_EMIT stateChanged(state);
}

} // namespace genlab::ui
