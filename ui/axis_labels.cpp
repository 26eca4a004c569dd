#include "ui/axis_labels.h"

#include "ui/qcustomplot_include.h"

#include <QFontMetricsF>

#include <algorithm>

namespace genlab::ui {

namespace {

/// Dynamic properties on the axis: the label as set, and what was last shown of it. A label
/// that differs from the one shown was set anew (drawFigure labels every figure it draws).
constexpr char kFullLabel[] = "genlabFullLabel";
constexpr char kShownLabel[] = "genlabShownLabel";
constexpr char kKeepsLabels[] = "genlabKeepsLabelsWhole";

/// Whether the labels of `plot` changed to fit the axes it has just been laid out with.
bool fitLabels(QCustomPlot& plot) {
  bool changed = false;
  for (QCPAxis* axis : plot.axisRect()->axes()) {
    if (axis->label() != axis->property(kShownLabel).toString())
      axis->setProperty(kFullLabel, axis->label());
    const bool vertical = axis->orientation() == Qt::Vertical;
    const double length = vertical ? plot.axisRect()->height() : plot.axisRect()->width();
    const QString shown = fittedLabel(fullLabel(*axis), axis->labelFont(), length);
    axis->setProperty(kShownLabel, shown);
    if (shown == axis->label()) continue;
    axis->setLabel(shown);
    changed = true;
  }
  return changed;
}

} // namespace

QString fittedLabel(const QString& label, const QFont& font, double length) {
  const QFontMetricsF metrics(font);
  if (label.isEmpty() || length <= 0 || metrics.horizontalAdvance(label) <= length) return label;
  int best = -1;
  double bestWidth = 0;
  for (int i = label.indexOf(QLatin1Char(' ')); i >= 0; i = label.indexOf(QLatin1Char(' '), i + 1)) {
    const double width = std::max(metrics.horizontalAdvance(label.left(i)), metrics.horizontalAdvance(label.mid(i + 1)));
    if (best < 0 || width < bestWidth) {
      best = i;
      bestWidth = width;
    }
  }
  if (best >= 0 && bestWidth <= length) return label.left(best) + QLatin1Char('\n') + label.mid(best + 1);
  return metrics.elidedText(label, Qt::ElideRight, length);
}

QString fullLabel(const QCPAxis& axis) {
  const QVariant full = axis.property(kFullLabel);
  return full.isValid() && axis.label() == axis.property(kShownLabel).toString() ? full.toString() : axis.label();
}

void keepAxisLabelsWhole(QCustomPlot& plot) {
  if (plot.property(kKeepsLabels).toBool()) return;
  plot.setProperty(kKeepsLabels, true);
  QObject::connect(&plot, &QCustomPlot::afterLayout, &plot, [&plot] {
    // A label of two lines widens its margin and so shortens the other axis: lay out again, as
    // QCustomPlot has just done, until the labels hold (a pass or two).
    for (int pass = 0; pass < 3 && fitLabels(plot); ++pass)
      for (const auto phase : {QCPLayoutElement::upPreparation, QCPLayoutElement::upMargins, QCPLayoutElement::upLayout})
        plot.plotLayout()->update(phase);
  });
}

} // namespace genlab::ui
