#pragma once
/// Drawing the lab's figures with QCustomPlot, on screen or offscreen, and exporting them.
/// The command line's figures and the window's plots come from the same code, so a headless
/// figure looks exactly like the window's export.

#include "ui/figure_data.h"

#include <QSize>
#include <QString>

#include <vector>

class QCustomPlot;

namespace genlab::ui {

enum class Figure {
  Loss,           ///< Figure 1a: training loss against steps, one curve per setting
  Accuracy,       ///< training (solid) and test (dashed) accuracy against epochs
  TimeToFit,      ///< Figure 1b: time to fit relative to true labels, against label noise
  TestError,      ///< Figure 1c: test error against label noise
};

/// The figures `data` can fill: loss and accuracy always, 1b and 1c after a sweep.
std::vector<Figure> figuresFor(const FigureData& data);

/// File name stem: "figure1a-loss", "accuracy", "figure1b-time-to-fit", "figure1c-test-error".
QString figureName(Figure figure);

/// Clears `plot` and draws `figure` from `data`: axes labelled in the paper's words, one
/// colour per run (the same in every figure), runs that ended early marked in the legend.
void drawFigure(QCustomPlot& plot, Figure figure, const FigureData& data);

/// Draws `figure` offscreen and writes it to `path` as png, pdf or svg (by `format`),
/// `size` pixels (points for pdf and svg) times `scale`. Throws InputError naming the path
/// when the file cannot be written. Needs a QApplication (the offscreen platform will do).
void exportFigure(const FigureData& data, Figure figure, const QString& path,
                  const QString& format, QSize size, double scale);

} // namespace genlab::ui
