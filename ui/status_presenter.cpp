#include "ui/status_presenter.h"

#include <QLabel>
#include <QLocale>
#include <QStatusBar>
#include <QTimer>

#include <cmath>

namespace genlab::ui {

namespace {

QString clock(double seconds) {
  const auto total = static_cast<qint64>(std::llround(seconds));
  return total >= 3600 ? QStringLiteral("%1:%2:%3").arg(total / 3600).arg(total / 60 % 60, 2, 10, QLatin1Char('0')).arg(total % 60, 2, 10, QLatin1Char('0'))
                       : QStringLiteral("%1:%2").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

StatusPresenter::StatusPresenter(QStatusBar* bar, const TrainingController* controller, QObject* parent)
    : QObject(parent), controller_(controller), state_(new QLabel), device_label_(new QLabel),
      progressLabel_(new QLabel), timer_(new QTimer(this)) {
  bar->addWidget(state_);
  bar->addWidget(device_label_);
  bar->addPermanentWidget(progressLabel_);
  timer_->setInterval(500);
  connect(timer_, &QTimer::timeout, this, &StatusPresenter::update);
}

void StatusPresenter::sessionStarted(const train::SessionInfo& info, int64_t epochs, int64_t batchSize) {
  progress_.start(info, epochs, batchSize);
  device_ = QString::fromStdString(info.device);
  update();
}

void StatusPresenter::metricsArrived(const MetricsBatch& batch) { progress_.add(batch, controller_->elapsedSeconds()); }

void StatusPresenter::clear() {
  progress_ = {};
  update();
}

void StatusPresenter::update() {
  const SessionState state = controller_->state();
  if (controller_->active()) timer_->start();
  else timer_->stop();
  state_->setText(describe(state));
  device_label_->setText(device_);
  if (state == SessionState::Idle) {
    progressLabel_->setText(QString());
    return;
  }
  const ProgressReading reading = progress_.reading();
  QString text = tr("epoch %1/%2  |  runs ended %3/%4  |  %5 images/s  |  elapsed %6")
                     .arg(reading.epoch)
                     .arg(reading.epochs)
                     .arg(reading.runsEnded)
                     .arg(reading.runs)
                     .arg(QLocale(QLocale::English).toString(std::lround(reading.imagesPerSecond)))
                     .arg(clock(controller_->elapsedSeconds()));
  if (reading.secondsLeft && controller_->active()) text += tr("  |  left ≤ %1").arg(clock(*reading.secondsLeft));
  progressLabel_->setText(text);
}

QString StatusPresenter::text() const {
  return state_->text() + QStringLiteral(" | ") + device_label_->text() + QStringLiteral(" | ") + progressLabel_->text();
}

} // namespace genlab::ui
