#include "ui/legend_placement.h"

#include "ui/qcustomplot_include.h"

#include <QLineF>

#include <algorithm>
#include <array>
#include <cmath>

namespace genlab::ui {

namespace {

/// Graph points read per corner and graph, at most: enough to see where a dense curve lies.
constexpr int kSamplesPerGraph = 1000;

/// Whether the segment from `a` to `b` passes through `rect`.
bool crosses(QPointF a, QPointF b, const QRectF& rect) {
  if (rect.contains(a) || rect.contains(b)) return true;
  if ((a.x() < rect.left() && b.x() < rect.left()) || (a.x() > rect.right() && b.x() > rect.right()) ||
      (a.y() < rect.top() && b.y() < rect.top()) || (a.y() > rect.bottom() && b.y() > rect.bottom()))
    return false;
  const QLineF segment(a, b);
  const std::array<QLineF, 2> diagonals{QLineF(rect.topLeft(), rect.bottomRight()),
                                        QLineF(rect.topRight(), rect.bottomLeft())};
  // A segment that enters a rectangle and leaves it again crosses one of its diagonals.
  return std::any_of(diagonals.begin(), diagonals.end(), [&](const QLineF& diagonal) {
    return segment.intersects(diagonal, nullptr) == QLineF::BoundedIntersection;
  });
}

/// How many stretches of the plot's lines `rect` (pixels) covers.
int covered(const QCustomPlot& plot, const QRectF& rect) {
  int count = 0;
  for (int i = 0; i < plot.graphCount(); ++i) {
    const QCPGraph* graph = plot.graph(i);
    if (!graph->visible() || graph->data()->isEmpty()) continue;
    const QCPAxis* keys = graph->keyAxis();
    const QCPAxis* values = graph->valueAxis();
    double from = keys->pixelToCoord(rect.left()), to = keys->pixelToCoord(rect.right());
    if (from > to) std::swap(from, to);
    const auto begin = graph->data()->findBegin(from, true);
    const auto end = graph->data()->findEnd(to, true);
    const auto points = end - begin;
    const auto stride = std::max<decltype(points)>(1, points / kSamplesPerGraph);
    bool havePrevious = false;
    QPointF previous;
    for (auto it = begin; it < end; it += stride) {
      const QPointF pixel(keys->coordToPixel(it->key), values->coordToPixel(it->value));
      const bool valid = std::isfinite(pixel.x()) && std::isfinite(pixel.y());
      if (valid && havePrevious && crosses(previous, pixel, rect)) ++count;
      else if (valid && !havePrevious && rect.contains(pixel)) ++count;  // a lone point
      havePrevious = valid;
      previous = pixel;
    }
  }
  return count;
}

} // namespace

void layOut(QCustomPlot& plot, QSize size) {
  plot.setViewport(QRect(QPoint(0, 0), size));  // the layout's outer rect follows the viewport
  for (auto phase : {QCPLayoutElement::upPreparation, QCPLayoutElement::upMargins,
                     QCPLayoutElement::upLayout})
    plot.plotLayout()->update(phase);
}

bool placeLegend(QCustomPlot& plot) {
  QCPLegend* legend = plot.legend;
  QCPAxisRect* axisRect = plot.axisRect();
  if (legend == nullptr || axisRect == nullptr || !legend->visible()) return false;
  QCPLayoutInset* insets = axisRect->insetLayout();
  int index = -1;
  for (int i = 0; i < insets->elementCount(); ++i)
    if (insets->elementAt(i) == legend) index = i;
  if (index < 0 || insets->insetPlacement(index) != QCPLayoutInset::ipBorderAligned) return false;

  const QRectF area = axisRect->rect();
  const QSizeF size = legend->outerRect().size();
  if (area.isEmpty() || size.isEmpty()) return false;
  const std::array<Qt::Alignment, 4> corners{Qt::AlignTop | Qt::AlignRight, Qt::AlignTop | Qt::AlignLeft,
                                             Qt::AlignBottom | Qt::AlignRight, Qt::AlignBottom | Qt::AlignLeft};
  const auto rectAt = [&](Qt::Alignment corner) {
    QRectF rect(QPointF(), size);
    if (corner & Qt::AlignRight) rect.moveRight(area.right()); else rect.moveLeft(area.left());
    if (corner & Qt::AlignBottom) rect.moveBottom(area.bottom()); else rect.moveTop(area.top());
    return rect;
  };
  const Qt::Alignment current = insets->insetAlignment(index);
  const int here = covered(plot, rectAt(current));
  Qt::Alignment best = current;
  int least = here;
  for (Qt::Alignment corner : corners) {
    const int count = corner == current ? here : covered(plot, rectAt(corner));
    if (count < least) {
      least = count;
      best = corner;
    }
  }
  if (best == current || least > here / 2) return false;
  insets->setInsetAlignment(index, best);
  return true;
}

} // namespace genlab::ui
