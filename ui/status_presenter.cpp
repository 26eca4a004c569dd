#include "ui/status_presenter.h"

#include <QEvent>
#include <QFontMetrics>
#include <QLabel>
#include <QLocale>
#include <QStatusBar>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace genlab::ui {

namespace {

QString clock(double seconds) {
  const auto total = static_cast<qint64>(std::llround(seconds));
  return total >= 3600 ? QStringLiteral("%1:%2:%3").arg(total / 3600).arg(total / 60 % 60, 2, 10, QLatin1Char('0')).arg(total % 60, 2, 10, QLatin1Char('0'))
                       : QStringLiteral("%1:%2").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
}

QString number(int64_t value) { return QLocale(QLocale::English).toString(static_cast<qlonglong>(value)); }

const QString kSeparator = QStringLiteral("  |  ");

/// One item of the progress text and how much it matters (lower goes first).
struct Item {
  QString text;
  int importance;
};

} // namespace

StatusPresenter::StatusPresenter(QStatusBar* bar, const TrainingController* controller, QObject* parent)
    : QObject(parent), bar_(bar), controller_(controller), state_(new QLabel), progressLabel_(new QLabel),
      timer_(new QTimer(this)) {
  bar->addWidget(state_);
  bar->addPermanentWidget(progressLabel_, 1);
  progressLabel_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  progressLabel_->setMinimumWidth(0);
  progressLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  bar->installEventFilter(this);
  timer_->setInterval(500);
  connect(timer_, &QTimer::timeout, this, &StatusPresenter::update);
}

void StatusPresenter::sessionStarted(const train::SessionInfo& info, int64_t epochs, int64_t batchSize) {
  progress_.start(info, epochs, batchSize);
  device_ = QString::fromStdString(info.device);
  update();
}

void StatusPresenter::metricsArrived(const MetricsBatch& batch) {
  const bool paused = controller_->state() == SessionState::Paused;
  progress_.add(batch, controller_->elapsedSeconds(), !paused);
  if (paused) update();  // a single step: show that it stepped
}

void StatusPresenter::clear() {
  progress_ = {};
  update();
}

bool StatusPresenter::eventFilter(QObject* watched, QEvent* event) {
  if (watched == bar_ && event->type() == QEvent::Resize) update();
  return false;
}

void StatusPresenter::update() {
  const SessionState state = controller_->state();
  if (controller_->active()) timer_->start();
  else timer_->stop();
  state_->setText(describe(state));
  reading_ = progress_.reading();
  if (state == SessionState::Idle) {
    progressLabel_->clear();
    progressLabel_->setToolTip({});
    Q_EMIT updated(reading_);
    return;
  }
  std::vector<Item> items;
  if (reading_.hasSteps) {
    items.push_back({tr("epoch %1/%2").arg(reading_.epoch).arg(reading_.epochs), 9});
    items.push_back({tr("step %1").arg(number(reading_.step)), 7});
  }
  items.push_back({tr("runs ended %1/%2").arg(reading_.runsEnded).arg(reading_.runs), 5});
  if (state != SessionState::Paused && reading_.imagesPerSecond > 0)
    items.push_back({tr("%1 images/s").arg(number(std::lround(reading_.imagesPerSecond))), 3});
  items.push_back({tr("elapsed %1").arg(clock(controller_->elapsedSeconds())), 8});
  if (reading_.secondsLeft && controller_->active()) items.push_back({tr("left ≤ %1").arg(clock(*reading_.secondsLeft)), 6});
  if (!device_.isEmpty()) items.push_back({device_, 1});

  const auto join = [](const std::vector<Item>& list) {
    QStringList parts;
    for (const Item& item : list) parts << item.text;
    return parts.join(kSeparator);
  };
  progressLabel_->setToolTip(join(items));
  // The room the bar leaves: its width less the state's label, margins and the size grip.
  const int room = bar_->width() - state_->sizeHint().width() - 48;
  const QFontMetrics metrics(progressLabel_->font());
  while (items.size() > 1 && metrics.horizontalAdvance(join(items)) > room) {
    const auto least = std::min_element(items.begin(), items.end(),
                                        [](const Item& a, const Item& b) { return a.importance < b.importance; });
    items.erase(least);
  }
  progressLabel_->setText(join(items));
  Q_EMIT updated(reading_);
}

QString StatusPresenter::text() const {
  return state_->text() + (progressLabel_->text().isEmpty() ? QString() : QStringLiteral(" | ") + progressLabel_->text());
}

QString StatusPresenter::fullText() const {
  return state_->text() + (progressLabel_->toolTip().isEmpty() ? QString() : QStringLiteral(" | ") + progressLabel_->toolTip());
}

} // namespace genlab::ui
