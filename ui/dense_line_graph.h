#pragma once
/// A QCustomPlot graph that draws a dense curve (many points per pixel column) as a filled
/// band instead of stroking a wide zigzag. Include only from .cpp files without LibTorch
/// (it includes QCustomPlot).

#include "ui/qcustomplot_include.h"

namespace genlab::ui {

/// A line graph for per-step training loss: 100,000 noisy points in 900 pixels.
///
/// QCustomPlot's adaptive sampling reduces such a curve to each pixel column's minimum and
/// maximum, a vertical zigzag of a few thousand segments. QPainter strokes a zigzag with a pen
/// wider than one pixel very slowly (it builds and fills the outline of every overlapping
/// segment: about 2 s for six curves at 2 px). Where the sampled line has more points than
/// pixel columns, this graph fills what such a stroke would cover instead: per pixel column,
/// the range of the line there, widened by half the pen width in every direction (a disk),
/// as one polygon per NaN-free stretch (on screen filled without antialiasing and traced with
/// an antialiased hairline, which is far cheaper than an antialiased fill and looks the same).
/// A sparse line (zoomed in, or a short run), a dashed
/// or a hairline pen is drawn by QCustomPlot as usual.
class DenseLineGraph : public QCPGraph {
public:
  DenseLineGraph(QCPAxis* keyAxis, QCPAxis* valueAxis) : QCPGraph(keyAxis, valueAxis) {}

protected:
  void drawLinePlot(QCPPainter* painter, const QVector<QPointF>& lines) const override;
  void draw(QCPPainter* painter) override;
  void getOptimizedLineData(QVector<QCPGraphData>* lineData, const QCPGraphDataContainer::const_iterator& begin, const QCPGraphDataContainer::const_iterator& end) const override {
    QCPGraph::getOptimizedLineData(lineData, begin, end);
    if (qEnvironmentVariableIsSet("BANDDEBUG")) qDebug("optimized %d of %d", int(lineData->size()), int(end - begin));
  }
};

} // namespace genlab::ui
