#pragma once
/// Where a figure's legend goes: the corner of the plot where it hides the least of the curves.

#include <QSize>

class QCustomPlot;

namespace genlab::ui {

/// Moves `plot`'s legend (an inset of its axis rect) to the corner where it covers the fewest
/// stretches of its graphs' lines, as the plot is laid out now: call it after a replot, or
/// after layOut() for an offscreen plot. Loss falls and accuracy rises, but which corner stays
/// free depends on the run: a random-labels loss stays high for most of a session and lies
/// under a top-right legend. The current corner stays unless another covers at most half as
/// much, so a live legend does not wander. Reads at most about a thousand points per graph.
/// Returns whether the legend moved.
bool placeLegend(QCustomPlot& plot);

/// Lays `plot` out at `size` pixels (axis rect, legend), without drawing, as a replot would: for
/// an offscreen plot that is painted with toPainter.
void layOut(QCustomPlot& plot, QSize size);

} // namespace genlab::ui
