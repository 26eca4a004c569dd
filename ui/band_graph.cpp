#include "ui/band_graph.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace genlab::ui {

namespace {

/// Curves with more points than this many per pixel are dense: their band is built from pixel
/// columns (finer ones cost 40% more; in a noisy band nobody sees the difference). Sparser
/// ones get half-pixel columns, so that a thick line keeps its width at any slope (quarter
/// pixels looked the same and cost half as much again).
constexpr double kDensePointsPerPixel = 1.5;
constexpr int kDenseColumnsPerPixel = 1;
constexpr int kSparseColumnsPerPixel = 2;
/// Edges that jump less than this (pixels per pixel of width, top and bottom together) are
/// smooth: on screen they get the antialiased hairline, rougher ones stay plain.
constexpr double kSmoothEdge = 10;
constexpr double kInf = std::numeric_limits<double>::infinity();

/// ln(x) for finite x > 0 to about 1e-9 relative error, inline. libm's log, called between
/// Qt's painting calls, measured about 200 ns a call here (9 ns in a tight loop alone): it
/// made a log axis cost 6 ms more per replot.
double fastLog(double x) {
  auto bits = std::bit_cast<std::uint64_t>(x);
  int exponent = static_cast<int>((bits >> 52) & 0x7ff) - 1023;
  bits = (bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;  // mantissa in [1, 2)
  double m = std::bit_cast<double>(bits);
  if (m > 1.4142135623730951) {  // into [sqrt(1/2), sqrt(2)): the series converges fast
    m *= 0.5;
    ++exponent;
  }
  const double s = (m - 1) / (m + 1), s2 = s * s;  // ln m = 2 atanh s, |s| < 0.172
  const double series =
      1 + s2 * (1.0 / 3 + s2 * (1.0 / 5 + s2 * (1.0 / 7 + s2 * (1.0 / 9 + s2 * (1.0 / 11)))));
  return 2 * s * series + exponent * 0.6931471805599453;
}

/// Pixel height of a value, as QCPAxis::coordToPixel computes it, without its per-call cost
/// (a call with two logarithms on a log axis): pixel = a * f(value) + b, f the identity or ln.
class ValuePixels {
public:
  explicit ValuePixels(const QCPAxis& axis)
      : log_(axis.scaleType() == QCPAxis::stLogarithmic) {
    const QCPRange range = axis.range();
    const double lower = axis.coordToPixel(range.lower), upper = axis.coordToPixel(range.upper);
    const double from = f(range.lower), to = f(range.upper);
    a_ = (upper - lower) / (to - from);
    b_ = lower - a_ * from;
  }
  double operator()(double value) const { return a_ * f(value) + b_; }

private:
  double f(double value) const { return log_ ? fastLog(value) : value; }
  bool log_;
  double a_ = 0, b_ = 0;
};

/// A line's top and bottom pixel height in consecutive columns, from column `first` on.
struct Extent {
  int first;
  std::vector<double> top, bottom;
};

/// `extent` (columns 1/perPixel pixels wide) as a polygon in pixels, widened by a pen of
/// `width` pixels (a disk): the top edge left to right, then the bottom edge back.
QPolygonF widened(const Extent& extent, int perPixel, double width) {
  const auto columns = static_cast<int>(extent.top.size());
  const double r = std::max(width, 0.0) / 2;
  const int reach = static_cast<int>(std::floor(r * perPixel));
  const int total = columns + 2 * reach;
  QPolygonF polygon(2 * total);
  for (int c = 0; c < total; ++c) {
    double upper = kInf, lower = -kInf;
    for (int d = -reach; d <= reach; ++d) {
      const auto source = size_t(c - reach + d);
      if (source >= size_t(columns) || !(extent.top[source] <= extent.bottom[source])) continue;
      const double dx = double(d) / perPixel;
      const double half = std::sqrt(std::max(0.0, r * r - dx * dx));
      upper = std::min(upper, extent.top[source] - half);
      lower = std::max(lower, extent.bottom[source] + half);
    }
    const double x = (extent.first + c - reach + 0.5) / perPixel;
    polygon[c] = QPointF(x, upper);
    polygon[2 * total - 1 - c] = QPointF(x, lower);
  }
  return polygon;
}

/// How far the edges of `extent` jump from column to column, in pixels per pixel of width.
double roughness(const Extent& extent, int perPixel) {
  double jumps = 0;
  for (size_t c = 1; c < extent.top.size(); ++c)
    jumps += std::abs(extent.top[c] - extent.top[c - 1]) +
             std::abs(extent.bottom[c] - extent.bottom[c - 1]);
  return jumps * perPixel / double(std::max<size_t>(extent.top.size(), 1));
}

/// The vertical extent of a line, column by column (a column is 1/perPixel pixels wide; x
/// is given in columns, y in pixels), for one stretch without gaps. Values are kept in plot
/// coordinates while the line stays in a column (the common case for a dense curve: about a
/// hundred points per column) and turned into pixels once per column.
class ColumnRanges {
public:
  ColumnRanges(int firstColumn, int columns, const ValuePixels& valuePixels)
      : first_(firstColumn), valuePixels_(valuePixels), low_(size_t(columns), kInf),
        high_(size_t(columns), -kInf), pixelTop_(size_t(columns), kInf),
        pixelBottom_(size_t(columns), -kInf) {}

  int columns() const { return static_cast<int>(low_.size()); }

  /// Column index (0-based) of x (in columns), clamped into the columns held.
  int column(double x) const {
    return std::clamp(static_cast<int>(std::floor(x)) - first_, 0, columns() - 1);
  }

  int firstColumn() const { return first_; }

  /// Points of the line from value `low` to `high` in column `c` (plot coordinates).
  void addValues(int c, double low, double high) {
    low_[size_t(c)] = std::min(low_[size_t(c)], low);
    high_[size_t(c)] = std::max(high_[size_t(c)], high);
  }

  /// The line passes pixel height `y` in the column of `x`.
  void addPixel(double x, double y) {
    const auto c = size_t(column(x));
    pixelTop_[c] = std::min(pixelTop_[c], y);
    pixelBottom_[c] = std::max(pixelBottom_[c], y);
  }

  /// A segment from `a` to `b` (a.x <= b.x): covers it at every column boundary it crosses,
  /// in both columns beside the boundary.
  void addSegment(QPointF a, QPointF b) {
    const double from = std::max(std::floor(a.x()) + 1, double(first_));
    const double to = std::min(b.x(), double(first_ + columns()));
    for (double edge = from; edge <= to; edge += 1) {
      const double y = a.y() + (b.y() - a.y()) * (edge - a.x()) / (b.x() - a.x());
      addPixel(edge - 0.5, y);
      addPixel(edge, y);
    }
  }

  /// The columns from `from` to `to`: the line's top and bottom pixel in each. Resets those
  /// columns for reuse.
  Extent take(int from, int to) {
    Extent extent{(first_ + from), std::vector<double>(size_t(to - from + 1)), {}};
    extent.bottom.resize(extent.top.size());
    for (int c = from; c <= to; ++c) {
      double t = pixelTop_[size_t(c)], b = pixelBottom_[size_t(c)];
      if (low_[size_t(c)] <= high_[size_t(c)]) {
        const double y1 = valuePixels_(low_[size_t(c)]);
        const double y2 = valuePixels_(high_[size_t(c)]);
        t = std::min({t, y1, y2});
        b = std::max({b, y1, y2});
      }
      extent.top[size_t(c - from)] = t;
      extent.bottom[size_t(c - from)] = b;
      low_[size_t(c)] = pixelTop_[size_t(c)] = kInf;
      high_[size_t(c)] = pixelBottom_[size_t(c)] = -kInf;
    }
    return extent;
  }

private:
  int first_;
  const ValuePixels& valuePixels_;
  std::vector<double> low_, high_;             ///< values seen inside each column
  std::vector<double> pixelTop_, pixelBottom_; ///< pixel heights where segments cross in
};

} // namespace

void BandGraph::draw(QCPPainter* painter) {
  if (!drawBands(painter)) QCPGraph::draw(painter);
}

bool BandGraph::drawBands(QCPPainter* painter) const {
  const QCPAxis* keys = keyAxis();
  const QCPAxis* values = valueAxis();
  if (!keys || !values || keys->orientation() != Qt::Horizontal || keys->rangeReversed() ||
      keys->scaleType() != QCPAxis::stLinear || keys->range().size() <= 0 ||
      lineStyle() != lsLine || !scatterStyle().isNone() || brush().style() != Qt::NoBrush ||
      !selection().isEmpty() || pen().style() != Qt::SolidLine || pen().widthF() < 1.5 ||
      pen().color().alpha() == 0 || mDataContainer->isEmpty())
    return false;
  QCPGraphDataContainer::const_iterator begin, end;
  getVisibleDataBounds(begin, end, QCPDataRange(0, dataCount()));
  const auto count = end - begin;
  if (count < 2) return false;
  // Pixel x of a key on a linear axis: x = key * scale + offset.
  const QRect rect = keys->axisRect()->rect();
  double scale = rect.width() / keys->range().size();
  double offset = rect.left() - keys->range().lower * scale;
  const double width = pen().widthF();
  const int margin = static_cast<int>(std::ceil(width)) + 1;  // beyond it, clipped anyway
  const double left = std::max(begin->key * scale + offset, double(rect.left() - margin));
  const double right = std::min((end - 1)->key * scale + offset, double(rect.right() + margin));
  if (!(right >= left)) return false;
  const bool dense = double(count) >= kDensePointsPerPixel * (right - left + 1);
  const int perPixel = dense ? kDenseColumnsPerPixel : kSparseColumnsPerPixel;
  // From here on x is in columns.
  scale *= perPixel;
  offset *= perPixel;
  const bool logValues = values->scaleType() == QCPAxis::stLogarithmic;
  const ValuePixels valuePixels(*values);
  const auto firstColumn = static_cast<int>(std::floor(left * perPixel));
  ColumnRanges ranges(firstColumn, static_cast<int>(std::floor(right * perPixel)) - firstColumn + 1,
                      valuePixels);
  applyDefaultAntialiasingHint(painter);
  const bool antialiased = painter->antialiasing();
  // Exports (vector, or raster scaled up) take their time and get the exact antialiased fill.
  const bool exporting = painter->modes().testFlag(QCPPainter::pmVectorized) ||
                         painter->modes().testFlag(QCPPainter::pmNonCosmetic);
  const QColor colour = pen().color();
  const auto fill = [&](int from, int to) {
    const Extent extent = ranges.take(from, to);
    // QPainter antialiases a filled polygon slowly (12 ms for six noisy loss bands, 20 ms for
    // six curves of 500 points). On screen the fill is plain, and a smooth edge is drawn by an
    // antialiased hairline half a pixel inside the band's edge: its coverage of the pixels
    // there is about what an antialiased fill would give (the fill itself stops a quarter
    // pixel inside, so that it never leaves a gap between the two hairlines of a thin line).
    // A rough edge (raw noisy losses, jumping tens of pixels from column to column) is left
    // plain: its jaggedness is the data's, and tracing it would cost more than the rest.
    const bool traced = antialiased && !exporting && roughness(extent, perPixel) < kSmoothEdge;
    // QPainter's render hint, not QCPPainter::setAntialiasing: the latter also moves the
    // drawing half a pixel (where QCustomPlot puts antialiased lines), and the plain fill
    // must stay where the hairline is.
    painter->setPen(Qt::NoPen);
    painter->setBrush(colour);
    painter->setRenderHint(QPainter::Antialiasing, antialiased && exporting);
    painter->drawPolygon(widened(extent, perPixel, traced ? width - 0.5 : width));
    if (traced) {
      painter->setRenderHint(QPainter::Antialiasing, true);
      painter->setPen(QPen(colour, 0));
      painter->setBrush(Qt::NoBrush);
      painter->drawPolygon(widened(extent, perPixel, width - 1));
    }
    painter->setRenderHint(QPainter::Antialiasing, antialiased);
  };

  // One pass over the points. While they stay in one column (about a hundred of them for a
  // long dense curve), only the column's lowest and highest value are kept; at a column
  // change, the segment between the two columns is added in pixels.
  const double lowest = logValues ? 0.0 : -kInf;  // values at or below it leave a gap
  bool inStretch = false;
  int stretchStart = 0, column = 0;
  double boundary = 0;  // the key where the current column ends
  double low = kInf, high = -kInf, lastKey = 0, lastValue = 0;
  for (auto it = begin; it != end; ++it) {
    const double key = it->key, v = it->value;
    if (!(v > lowest && v < kInf)) {  // NaN, infinite, or not positive on a log axis
      if (inStretch) {
        ranges.addValues(column, low, high);
        fill(stretchStart, column);
      }
      inStretch = false;
      continue;
    }
    if (inStretch && key < boundary) {
      low = std::min(low, v);
      high = std::max(high, v);
    } else {
      const double x = key * scale + offset;
      const int next = ranges.column(x);
      if (inStretch) {
        ranges.addValues(column, low, high);
        ranges.addSegment({lastKey * scale + offset, valuePixels(lastValue)}, {x, valuePixels(v)});
      } else {
        inStretch = true;
        stretchStart = next;
      }
      column = next;
      boundary = (ranges.firstColumn() + column + 1 - offset) / scale;
      low = high = v;
    }
    lastKey = key;
    lastValue = v;
  }
  if (inStretch) {
    ranges.addValues(column, low, high);
    fill(stretchStart, column);
  }
  return true;
}

} // namespace genlab::ui
