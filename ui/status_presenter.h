#pragma once
/// The window's status bar: the session's state, the device, and its progress (epoch, runs
/// ended, images per second, elapsed and left), redrawn while a session is active.

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
  /// Puts its labels into `bar`; reads the controller's state and elapsed time.
  StatusPresenter(QStatusBar* bar, const TrainingController* controller, QObject* parent = nullptr);

  void sessionStarted(const train::SessionInfo& info, int64_t epochs, int64_t batchSize);
  void metricsArrived(const MetricsBatch& batch);
  /// Forgets the session (Reset).
  void clear();
  /// Redraws now, and every half second while the session is active.
  void update();

  /// "running | CPU (...) | epoch 3/100 | ...", as shown.
  QString text() const;

private:
  const TrainingController* controller_;
  SessionProgress progress_;
  QString device_;
  QLabel* state_;
  QLabel* device_label_;
  QLabel* progressLabel_;
  QTimer* timer_;
};

} // namespace genlab::ui
