#include "ui/dense_line_graph.h"

#include <QElapsedTimer>
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace genlab::ui {

namespace {

/// Lines with more points than this many per pixel column are drawn as a band.
constexpr double kDensePointsPerColumn = 1.5;

bool finite(const QPointF& p) { return std::isfinite(p.x()) && std::isfinite(p.y()); }

/// The band a pen of `width` pixels would cover stroking `points` (pixel coordinates, x
/// increasing, all finite), as a polygon: top edge left to right, bottom edge back.
QPolygonF band(const QPointF* points, int count, double width) {
  const double first = std::floor(points[0].x());
  const auto columns = static_cast<int>(std::floor(points[count - 1].x()) - first) + 1;
  constexpr double inf = std::numeric_limits<double>::infinity();
  std::vector<double> top(static_cast<size_t>(columns), inf), bottom(static_cast<size_t>(columns), -inf);
  const auto cover = [&](double x, double y) {
    const auto c = static_cast<size_t>(std::clamp(static_cast<int>(std::floor(x) - first), 0, columns - 1));
    top[c] = std::min(top[c], y);
    bottom[c] = std::max(bottom[c], y);
  };
  cover(points[0].x(), points[0].y());
  for (int i = 1; i < count; ++i) {
    const QPointF a = points[i - 1], b = points[i];
    // A segment over several columns passes through each at the column boundaries.
    for (double edge = std::floor(a.x()) + 1; edge <= b.x(); edge += 1) {
      const double y = a.y() + (b.y() - a.y()) * (edge - a.x()) / (b.x() - a.x());
      cover(edge - 0.5, y);  // the column left of the boundary
      cover(edge, y);        // and the one right of it
    }
    cover(b.x(), b.y());
  }
  // Widen by the pen: a disk of radius r, column by column.
  const double r = width / 2;
  const int reach = static_cast<int>(std::floor(r));
  const int total = columns + 2 * reach;
  QPolygonF polygon;
  polygon.reserve(2 * total);
  std::vector<double> bottomEdge(static_cast<size_t>(total));
  for (int c = 0; c < total; ++c) {
    double upper = inf, lower = -inf;
    for (int d = -reach; d <= reach; ++d) {
      const int source = c - reach + d;
      if (source < 0 || source >= columns) continue;
      const double half = std::sqrt(r * r - double(d) * d);
      upper = std::min(upper, top[static_cast<size_t>(source)] - half);
      lower = std::max(lower, bottom[static_cast<size_t>(source)] + half);
    }
    const double x = first + c - reach + 0.5;
    polygon << QPointF(x, upper);
    bottomEdge[static_cast<size_t>(c)] = lower;
  }
  for (int c = total - 1; c >= 0; --c)
    polygon << QPointF(first + c - reach + 0.5, bottomEdge[static_cast<size_t>(c)]);
  return polygon;
}

} // namespace

static double tDraw = 0, tLines = 0, tBand = 0, tFill = 0; static int calls = 0;
void DenseLineGraph::draw(QCPPainter* painter) {
  QElapsedTimer t; t.start();
  QVector<QPointF> l;
  getLines(&l, QCPDataRange(0, dataCount()));
  tLines += t.nsecsElapsed() / 1e6;
  t.restart();
  QCPGraph::draw(painter);
  tDraw += t.nsecsElapsed() / 1e6;
  if (++calls % 60 == 0) { qDebug("per draw: lines %.3f draw %.3f band %.3f fill %.3f ms", tLines / 60, tDraw / 60, tBand / 60, tFill / 60); tDraw = tLines = tBand = tFill = 0; }
}

void DenseLineGraph::drawLinePlot(QCPPainter* painter, const QVector<QPointF>& lines) const {
  const QPen pen = painter->pen();
  // The band is built column by column, left to right.
  const bool horizontalKeys = keyAxis() && keyAxis()->orientation() == Qt::Horizontal &&
                              !keyAxis()->rangeReversed();
  if (lines.size() < 2 || pen.style() != Qt::SolidLine || pen.widthF() < 1.5 || !horizontalKeys ||
      pen.color().alpha() == 0) {
    QCPGraph::drawLinePlot(painter, lines);
    return;
  }
  double left = std::numeric_limits<double>::infinity(), right = -left;
  for (const QPointF& p : lines)
    if (finite(p)) {
      left = std::min(left, p.x());
      right = std::max(right, p.x());
    }
  if (!(right > left) || lines.size() < kDensePointsPerColumn * (right - left + 1)) {
    QCPGraph::drawLinePlot(painter, lines);
    return;
  }
  applyDefaultAntialiasingHint(painter);
  const bool antialiased = painter->antialiasing();
  // Exports (vector, or raster scaled up) take their time and get the exact antialiased fill.
  const bool exporting = painter->modes().testFlag(QCPPainter::pmVectorized) ||
                         painter->modes().testFlag(QCPPainter::pmNonCosmetic);
  painter->setBrush(pen.color());
  // NaN values (gaps, e.g. zeros on a log axis) split the line into separate bands.
  const QPointF* data = lines.constData();
  const int n = static_cast<int>(lines.size());
  int start = 0;
  for (int i = 0; i <= n; ++i) {
    if (i < n && finite(data[i])) continue;
    if (i > start) {
      QElapsedTimer tb; tb.start();
      const QPolygonF polygon = band(data + start, i - start, pen.widthF());
      tBand += tb.nsecsElapsed() / 1e6; tb.restart();
      // QPainter antialiases a filled polygon of this size slowly (about 2 ms per band of
      // 900 columns, 12 ms for six curves); on screen the band is filled without
      // antialiasing and its outline traced with an antialiased hairline, which looks the
      // same at a fraction of the cost (about 0.3 ms per band).
      const bool traced = !exporting && antialiased;
      painter->setAntialiasing(antialiased && !traced);
      painter->setPen(Qt::NoPen);
      painter->drawPolygon(polygon);
      if (traced) {
        painter->setAntialiasing(true);
        painter->setPen(QPen(pen.color(), 0));
        painter->setBrush(Qt::NoBrush);
        painter->drawPolygon(polygon);
        painter->setBrush(pen.color());
      }
    tFill += tb.nsecsElapsed() / 1e6;
    }
    start = i + 1;
  }
  painter->setAntialiasing(antialiased);
  painter->setPen(pen);
  painter->setBrush(Qt::NoBrush);
}

} // namespace genlab::ui
