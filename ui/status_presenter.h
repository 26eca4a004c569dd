#pragma once
/// The window's status bar: the session's state, then its progress (epoch, step, runs ended,
/// images per second, elapsed and left) and the device, redrawn while a session is active.
/// What does not fit the bar's width goes, least important first (the device, then the
/// rate, ...); the tooltip always holds all of it. The clock is the training's: it stands
/// still while paused, and single steps then do not count towards the rate.

#include "ui/session_progress.h"
#include "ui/training_controller.h"

#include <QObject>
#include <QString>

class QLabel;
class QStatusBar;
class QTimer;

namespace genlab::ui {

class StatusPresenter : public QObject {
  Q_OBJECT

public:
  /// Puts its labels into `bar`; reads the controller's state and training time.
  StatusPresenter(QStatusBar* bar, const TrainingController* controller, QObject* parent = nullptr);

  void sessionStarted(const train::SessionInfo& info, int64_t epochs, int64_t batchSize);
  void metricsArrived(const MetricsBatch& batch);
  /// Forgets the session (Reset).
  void clear();
  /// Redraws now, and every half second while the session is active.
  void update();

  /// What the bar shows: "running | epoch 3/100 | step 1,234 | ...".
  QString text() const;
  /// All of it, whatever fits ("... | CPU (2 threads)").
  QString fullText() const;
  const ProgressReading& reading() const { return reading_; }

Q_SIGNALS:
  /// After each redraw, with what it read: the plots' hints follow it.
  void updated(const ProgressReading& reading);

protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

private:
  QStatusBar* bar_;
  const TrainingController* controller_;
  SessionProgress progress_;
  ProgressReading reading_;
  QString device_;
  QLabel* state_;
  QLabel* progressLabel_;
  QTimer* timer_;
};

} // namespace genlab::ui
