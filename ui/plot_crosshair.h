#pragma once
/// The crosshair of a live plot: a vertical line at the mouse and a label that lists, for every
/// visible curve, its name and its value there.

#include "ui/figure_style.h"

#include <QPointF>
#include <QString>

class QCustomPlot;
class QCPItemLine;
class QCPItemText;
class QCPLayer;

namespace genlab::ui {

/// Lives on its own buffered layer of `plot`, so that following the mouse repaints only that
/// layer, not the curves (hundreds of thousands of points).
class PlotCrosshair {
public:
  explicit PlotCrosshair(QCustomPlot& plot);

  /// Shows the line at `pixel`'s x (widget coordinates) and the values there: each curve's
  /// nearest point at or before x. Hides the crosshair outside the axis rect.
  void showAt(QPointF pixel);
  /// Recomputes the label at the same place (the data grew or the axes moved).
  void update();
  void hide();
  bool isVisible() const;
  /// The label's text: the x axis' label and x, then "name: value" per visible curve; empty
  /// while hidden.
  QString text() const;
  void setStyle(const FigureStyle& style);
  /// Repaints the crosshair's layer alone.
  void repaint();

private:
  QCustomPlot& plot_;
  QCPLayer* layer_;
  QCPItemLine* line_;
  QCPItemText* label_;
  QPointF pixel_;
};

} // namespace genlab::ui
