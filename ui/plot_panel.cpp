#include "ui/plot_panel.h"

#include "ui/plot_crosshair.h"
#include "ui/qcustomplot_include.h"

#include <QElapsedTimer>
#include <QEvent>
#include <QMouseEvent>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace genlab::ui {

namespace {

/// Pixels the hint keeps from each side of the axes.
constexpr int kHintMargin = 8;

/// `text` broken at spaces into lines no wider than `width` pixels in `font`; a word wider than
/// that keeps a line of its own.
QString wrapped(const QString& text, const QFont& font, int width) {
  const QFontMetrics metrics(font);
  QStringList lines;
  QString line;
  for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
    const QString longer = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
    if (!line.isEmpty() && metrics.horizontalAdvance(longer) > width) {
      lines << line;
      line = word;
    } else {
      line = longer;
    }
  }
  if (!line.isEmpty()) lines << line;
  return lines.join(QLatin1Char('\n'));
}

/// About 30 replots a second at most: smooth enough to watch.
constexpr int kReplotIntervalMs = 33;
/// Live replots may take this share of one core, no more: on a 2-core machine every slice the
/// GUI thread takes stalls one of the trainer's two BLAS threads, and the other waits for it,
/// so a 6% share cost 8% of the training speed. A 5 ms replot is thus repeated at most every
/// 200 ms; a 1 ms one (a small window, a fast machine) every 40 ms.
constexpr double kReplotShareOfCore = 0.025;
/// However slow a replot, the plot still moves twice a second.
constexpr int kLongestReplotIntervalMs = 500;

QString defaultHint(Figure figure) {
  if (figure == Figure::ErrorByValue) return QStringLiteral("Check sessions that differ in one value (a width sweep)");
  if (figure == Figure::NormByCorruption) return QStringLiteral("Fit a kernel at several label-corruption levels");
  return isPointFigure(figure) ? QStringLiteral("Run a label-corruption sweep to see Figure 1b/1c")
                               : QStringLiteral("Press Start to train");
}

} // namespace

PlotPanel::PlotPanel(Figure figure, QWidget* parent)
    : QWidget(parent), figure_(figure), plot_(new QCustomPlot(this)), hint_(defaultHint(figure)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_);
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  // Dragging redraws at mouse speed: draw without antialiasing while the button is down.
  plot_->setNoAntialiasingOnDrag(true);
  plot_->setMouseTracking(true);  // the crosshair follows the mouse without a button pressed
  plot_->installEventFilter(this);

  auto* hint = hintItem_ = new QCPItemText(plot_);
  hint->position->setType(QCPItemPosition::ptAxisRectRatio);
  hint->position->setCoords(0.5, 0.5);
  hint->setPositionAlignment(Qt::AlignCenter);
  hint->setColor(QColor(110, 110, 110));
  hint->setSelectable(false);
  crosshair_ = std::make_unique<PlotCrosshair>(*plot_);

  replotTimer_.setSingleShot(true);
  replotTimer_.setInterval(kReplotIntervalMs);
  connect(&replotTimer_, &QTimer::timeout, this, &PlotPanel::replotNow);
  connect(plot_, &QCustomPlot::afterReplot, this, &PlotPanel::replotted);
  // The axes' width is known once laid out: the hint is wrapped to it before it is drawn.
  connect(plot_, &QCustomPlot::afterLayout, this, &PlotPanel::updateHint);
  connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this] {
    fitAll();
    plot_->replot(QCustomPlot::rpQueuedReplot);
  });
  connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
    crosshair_->showAt(event->position());
    crosshair_->repaint();
  });
  // Any range change the panel did not make itself is the user's zoom or pan.
  for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis})
    connect(axis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
      if (!fitting_) following_ = false;
    });
  rebuild();
}

PlotPanel::~PlotPanel() = default;

void PlotPanel::setData(const FigureData* data) {
  data_ = data;
  following_ = true;
  rebuild();
}

double PlotPanel::effectiveSmoothing() const { return isPointFigure(figure_) ? 0.0 : smoothing_; }

double PlotPanel::displayed(double value, DebiasedSmoother& smoother) const {
  const double y = smoother.add(value);
  // A logarithmic axis has no place for y <= 0; NaN leaves a gap in the line instead.
  return logScale_ && !(y > 0) ? std::numeric_limits<double>::quiet_NaN() : y;
}

void PlotPanel::Track::cover(double value) {
  if (!std::isfinite(value)) return;
  low = std::min(low, value);
  high = std::max(high, value);
}

DataBounds PlotPanel::bounds() const {
  if (isPointFigure(figure_)) return dataBounds(*plot_);
  DataBounds all;
  for (const Track& track : tracks_) {
    const auto& points = *track.graph->data();
    if (points.isEmpty() || !(track.low <= track.high)) continue;
    const double first = points.constBegin()->key, last = (points.constEnd() - 1)->key;
    all.left = all.found ? std::min(all.left, first) : first;
    all.right = all.found ? std::max(all.right, last) : last;
    all.bottom = all.found ? std::min(all.bottom, track.low) : track.low;
    all.top = all.found ? std::max(all.top, track.high) : track.high;
    all.found = true;
  }
  return all;
}

bool PlotPanel::curvesChanged(const std::vector<const Curve*>& curves) const {
  if (curves.size() != tracks_.size()) return true;
  for (size_t i = 0; i < curves.size(); ++i) {
    const Curve& curve = *curves[i];
    if (curve.name != names_[static_cast<qsizetype>(i)] ||
        std::min(curve.x.size(), curve.y.size()) < tracks_[i].shown)
      return true;
  }
  return false;
}

void PlotPanel::refresh() {
  if (!data_) {
    if (pointCount() > 0) rebuild();
    return;
  }
  if (isPointFigure(figure_)) {
    if (!(data_->sweep == sweep_) || !(data_->byValue == byValue_) || !(data_->norms == norms_)) rebuild();
    return;
  }
  const std::vector<const Curve*> curves = curvesOf(figure_, *data_);
  if (curvesChanged(curves)) {
    rebuild();
    return;
  }
  bool grew = false;
  QVector<double> keys, values;
  for (size_t i = 0; i < curves.size(); ++i) {
    const Curve& curve = *curves[i];
    Track& track = tracks_[i];
    const size_t available = std::min(curve.x.size(), curve.y.size());
    if (available == track.shown) continue;
    keys.clear();
    values.clear();
    for (size_t p = track.shown; p < available; ++p) {
      keys.push_back(curve.x[p]);
      values.push_back(displayed(curve.y[p], track.smoother));
      track.cover(values.back());
    }
    track.graph->addData(keys, values, /*alreadySorted=*/true);
    // A curve drawn as a dot while it had one point (drawFigure) is a line now.
    if (available > 1 && !track.graph->scatterStyle().isNone()) track.graph->setScatterStyle(QCPScatterStyle());
    track.shown = available;
    grew = true;
  }
  if (grew) {
    followCurveEnds(*plot_);
    updateHint();
    scheduleReplot();
  }
}

void PlotPanel::rebuild() {
  static const FigureData kNoData;
  const QCPRange xView = plot_->xAxis->range(), yView = plot_->yAxis->range();
  fitting_ = true;
  drawFigure(*plot_, figure_, data_ ? *data_ : kNoData, style_);
  fitting_ = false;
  tracks_.clear();
  names_.clear();
  const std::vector<const Curve*> curves = curvesOf(figure_, data_ ? *data_ : kNoData);
  for (size_t i = 0; i < curves.size(); ++i) {
    Track track{plot_->graph(static_cast<int>(i)), DebiasedSmoother(effectiveSmoothing()),
                std::min(curves[i]->x.size(), curves[i]->y.size()),
                std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
    const bool transform = effectiveSmoothing() > 0 || logScale_;
    for (auto point = track.graph->data()->begin(); point != track.graph->data()->end(); ++point) {
      if (transform) point->value = displayed(point->value, track.smoother);
      track.cover(point->value);
    }
    tracks_.push_back(std::move(track));
    names_ << curves[i]->name;
  }
  sweep_ = data_ ? data_->sweep : std::vector<SweepSeries>{};
  byValue_ = data_ ? data_->byValue : std::vector<ValueSeries>{};
  norms_ = data_ ? data_->norms : std::vector<NormSeries>{};
  fitting_ = true;
  if (following_) {
    fitRanges(*plot_, figure_, bounds());
  } else {
    plot_->xAxis->setRange(xView);
    plot_->yAxis->setRange(yView);
  }
  fitting_ = false;
  updateHint();
  scheduleReplot();
}

void PlotPanel::setSmoothing(double weight) {
  const double clamped = std::isfinite(weight) ? std::clamp(weight, 0.0, 0.99) : 0.0;
  if (clamped == smoothing_) return;
  smoothing_ = clamped;
  rebuild();
}

void PlotPanel::setLogScale(bool on) {
  if (on == logScale_) return;
  logScale_ = on;
  fitting_ = true;
  ui::setLogScale(*plot_, on);
  fitting_ = false;
  // The old view rarely makes sense on the other scale: show everything again.
  following_ = true;
  rebuild();
}

void PlotPanel::setStyle(const FigureStyle& style) {
  style_ = style;
  crosshair_->setStyle(style);
  rebuild();
}

void PlotPanel::setHint(const QString& hint) {
  const QString text = hint.isEmpty() ? defaultHint(figure_) : hint;
  if (text == hint_) return;  // the status bar sets the hints several times a second
  hint_ = text;
  updateHint();
  scheduleReplot();
}

QString PlotPanel::hint() const { return hint_; }

void PlotPanel::fitAll() {
  following_ = true;
  fitRangesQuietly();
  crosshair_->update();
}

int PlotPanel::pointCount() const {
  int count = 0;
  for (int i = 0; i < plot_->graphCount(); ++i) count += plot_->graph(i)->dataCount();
  return count;
}

QString PlotPanel::crosshairText() const { return crosshair_->text(); }

bool PlotPanel::eventFilter(QObject* watched, QEvent* event) {
  if (watched == plot_ && event->type() == QEvent::Leave && crosshair_->isVisible()) {
    crosshair_->hide();
    crosshair_->repaint();
  }
  return QWidget::eventFilter(watched, event);
}

void PlotPanel::scheduleReplot() {
  // Single-shot and not restarted while it runs: a burst of refreshes costs one replot.
  if (!replotTimer_.isActive()) replotTimer_.start();
}

void PlotPanel::replotNow() {
  QElapsedTimer clock;
  clock.start();
  if (following_) fitRangesQuietly();
  crosshair_->update();
  // Drawn and painted now (we are the queued call already), so that the clock sees all of it.
  plot_->replot(QCustomPlot::rpImmediateRefresh);
  const double milliseconds = static_cast<double>(clock.nsecsElapsed()) / 1e6;
  replotSeconds_ += milliseconds / 1000.0;
  replotMilliseconds_ = replotMilliseconds_ > 0 ? 0.7 * replotMilliseconds_ + 0.3 * milliseconds
                                                : milliseconds;
  replotTimer_.setInterval(std::clamp(static_cast<int>(replotMilliseconds_ / kReplotShareOfCore),
                                      kReplotIntervalMs, kLongestReplotIntervalMs));
}

void PlotPanel::fitRangesQuietly() {
  fitting_ = true;
  fitRanges(*plot_, figure_, bounds());
  fitting_ = false;
}

void PlotPanel::updateHint() {
  QCPItemText* hint = hintItem_;
  QFont font = plot_->font();
  font.setPointSizeF(style_.fontPointSize * 1.2);
  hint->setFont(font);
  hint->setText(wrapped(hint_, font, plot_->axisRect()->width() - 2 * kHintMargin));
  hint->setVisible(pointCount() == 0 && !hint_.isEmpty());
}

} // namespace genlab::ui
