#pragma once
/// A QCustomPlot graph that draws its wide solid line as a filled band instead of stroking it.
/// Include only from .cpp files without LibTorch (it includes QCustomPlot).

#include "ui/qcustomplot_include.h"

namespace genlab::ui {

/// A line graph fast enough for per-step training loss: 100,000 noisy points in 900 pixels.
///
/// QPainter strokes a noisy line with a pen wider than one pixel very slowly: it fills the
/// outline of all the overlapping segments together. QCustomPlot's adaptive sampling reduces
/// a dense curve to each pixel column's minimum and maximum, but stroking that zigzag at 2 px
/// still took 2 s for six curves, and 70 ms for six curves of 500 points (zoomed in). This
/// graph draws what such a stroke covers instead: column by column, the range of the line
/// there (its points, and the segments that cross into the column), widened by half the pen
/// width in every direction (a disk), as one polygon per stretch without gaps (NaN; values
/// <= 0 on a log axis). Dense curves use pixel columns and read each point once (no separate
/// sampling pass); sparse ones half-pixel columns, so that a thick line keeps its width at
/// any slope. On screen the polygon is filled without antialiasing and its edge smoothed by an
/// antialiased hairline half a pixel inside (an antialiased fill costs QPainter several times
/// more and looks the same); a rough edge (raw noise) stays plain. Exports (vector, or raster
/// scaled up) get the antialiased fill.
///
/// Dashed or hairline pens, a logarithmic or reversed key axis, scatter styles, fills and
/// selections are left to QCPGraph.
class BandGraph : public QCPGraph {
public:
  BandGraph(QCPAxis* keyAxis, QCPAxis* valueAxis) : QCPGraph(keyAxis, valueAxis) {}

protected:
  void draw(QCPPainter* painter) override;

private:
  /// Draws the graph as bands; false (nothing drawn) when QCPGraph should draw it.
  bool drawBands(QCPPainter* painter) const;
};

} // namespace genlab::ui
