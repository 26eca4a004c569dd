#include "ui/plot_crosshair.h"

#include "ui/axis_labels.h"
#include "ui/figure_renderer.h"
#include "ui/qcustomplot_include.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>

namespace genlab::ui {

namespace {

/// Enough decimals to tell points apart at the axis' current zoom, no more.
QString formatKey(double x, const QCPRange& range) {
  const double magnitude = std::floor(std::log10(std::max(range.size(), 1e-12)));
  const int decimals = std::clamp(2 - static_cast<int>(magnitude), 0, 8);
  return QString::number(x, 'f', decimals);
}

QString formatValue(double y) {
  return std::isfinite(y) ? QString::number(y, 'g', 4) : QStringLiteral("-");
}

} // namespace

PlotCrosshair::PlotCrosshair(QCustomPlot& plot) : plot_(plot) {
  plot_.addLayer(QStringLiteral("crosshair"), plot_.layer(QStringLiteral("overlay")),
                 QCustomPlot::limAbove);
  layer_ = plot_.layer(QStringLiteral("crosshair"));
  layer_->setMode(QCPLayer::lmBuffered);
  line_ = new QCPItemLine(&plot_);
  label_ = new QCPItemText(&plot_);
  for (QCPAbstractItem* item : std::initializer_list<QCPAbstractItem*>{line_, label_}) {
    item->setLayer(layer_);
    item->setSelectable(false);
    item->setVisible(false);
  }
  line_->setPen(QPen(QColor(60, 60, 60), 1, Qt::DashLine));
  for (QCPItemPosition* end : {line_->start, line_->end}) {
    end->setTypeX(QCPItemPosition::ptPlotCoords);
    end->setTypeY(QCPItemPosition::ptAxisRectRatio);
  }
  label_->position->setType(QCPItemPosition::ptAbsolute);
  label_->setTextAlignment(Qt::AlignLeft);
  label_->setPadding(QMargins(6, 4, 6, 4));
  label_->setBrush(QColor(255, 255, 255, 230));
  label_->setPen(QPen(QColor(120, 120, 120)));
  label_->setColor(Qt::black);
}

void PlotCrosshair::showAt(QPointF pixel) {
  pixel_ = pixel;
  if (!plot_.axisRect()->rect().contains(pixel.toPoint())) {
    hide();
    return;
  }
  line_->setVisible(true);
  label_->setVisible(true);
  update();
}

void PlotCrosshair::update() {
  if (!isVisible()) return;
  const QCPAxis* xAxis = plot_.xAxis;
  const double x = xAxis->pixelToCoord(pixel_.x());
  line_->start->setCoords(x, 0);
  line_->end->setCoords(x, 1);
  QStringList lines{fullLabel(*xAxis) + QStringLiteral(" ") + formatKey(x, xAxis->range())};
  for (int i = 0; i < plot_.graphCount(); ++i) {
    const QCPGraph* graph = plot_.graph(i);
    if (!graph->visible() || graph->property(kLegendKeyOnly).toBool()) continue;
    const QVariant label = graph->property(kCurveLabel);
    const auto& data = *graph->data();
    auto at = data.findEnd(x, /*expandedRange=*/false);  // first point after x
    const bool before = at != data.constBegin();
    lines << (label.isValid() ? label.toString() : graph->name()) + QStringLiteral(": ") +
                 (before ? formatValue((--at)->value) : QStringLiteral("-"));
  }
  label_->setText(lines.join(QLatin1Char('\n')));
  // The label sits beside the line, on the side with more room.
  const QRect rect = plot_.axisRect()->rect();
  const bool left = pixel_.x() > rect.center().x();
  label_->setPositionAlignment(Qt::AlignTop | (left ? Qt::AlignRight : Qt::AlignLeft));
  label_->position->setCoords(pixel_.x() + (left ? -10 : 10), rect.top() + 8);
}

void PlotCrosshair::hide() {
  line_->setVisible(false);
  label_->setVisible(false);
}

bool PlotCrosshair::isVisible() const { return label_->visible(); }

QString PlotCrosshair::text() const { return isVisible() ? label_->text() : QString(); }

void PlotCrosshair::setStyle(const FigureStyle& style) {
  QFont font = plot_.font();
  font.setPointSizeF(style.fontPointSize);
  label_->setFont(font);
  line_->setPen(QPen(QColor(60, 60, 60), style.highContrast ? 2 : 1, Qt::DashLine));
}

void PlotCrosshair::repaint() { layer_->replot(); }

} // namespace genlab::ui
