#pragma once
/// Axis labels that stay whole however small a plot is drawn: QCustomPlot centres a label on its
/// axis and cuts off what is longer ("ne to overfit (relative to true label"), as happens to
/// Figure 1b's and the capacity measures' labels in the window's smaller panels.

#include <QFont>
#include <QString>

class QCPAxis;
class QCustomPlot;

namespace genlab::ui {

/// After every layout of `plot` (each replot and export), a label longer than its axis is
/// broken into two lines at the space that best balances them, or, when even that does not
/// fit, shortened with an ellipsis; the label as set comes back when there is room again.
/// Connects once per plot; later calls do nothing.
void keepAxisLabelsWhole(QCustomPlot& plot);

/// The label as set on `axis`, whatever keepAxisLabelsWhole shows of it.
QString fullLabel(const QCPAxis& axis);

/// What keepAxisLabelsWhole shows of `label` on an axis `length` pixels long in `font`.
QString fittedLabel(const QString& label, const QFont& font, double length);

} // namespace genlab::ui
