#pragma once
/// Drawing the lab's figures with QCustomPlot, on screen or offscreen, and exporting them.
/// The command line's figures and the window's plots come from the same code, so a headless
/// figure looks exactly like the window's export.

#include "ui/figure_data.h"
#include "ui/figure_style.h"

#include <QColor>
#include <QImage>
#include <QSize>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

class QCustomPlot;

namespace genlab::ui {

enum class Figure {
  Loss,           ///< Figure 1a: training loss against steps, one curve per setting
  Accuracy,       ///< training (solid) and test (dashed) accuracy against epochs
  TimeToFit,      ///< Figure 1b: time to fit relative to true labels, against label noise
  TestError,      ///< Figure 1c: test error against label noise
  Memorization,   ///< fraction of clean (solid) and corrupted (dashed) examples fitted, against epochs
  // Capacity measures against epochs (measures.capacity), one curve per run:
  DistanceFromInit,    ///< Frobenius distance of the weights from their initialization
  SpectralProduct,     ///< product of the layers' spectral norms
  FrobeniusSq,         ///< sum of the layers' squared Frobenius norms
  Margin,              ///< output margin (10th percentile over training examples)
  SpectralComplexity,  ///< Bartlett et al.'s spectral complexity over the margin
  /// Final test (solid) and training (dashed) error against the value sessions differ in
  /// (FigureData::byValue), the interpolation threshold marked: double descent.
  ErrorByValue,
  /// Kernel interpolation's RKHS norm against label corruption (FigureData::norms).
  NormByCorruption,
};

/// Figures drawn from points of whole runs (1b, 1c, the error by value), not from curves.
bool isPointFigure(Figure figure);
/// Training error that counts as interpolating the training set: 0.1%, so that a network that
/// misses one or two of thousands of images has reached the threshold (the epsilon of Nakkiran
/// et al.'s effective model complexity).
inline constexpr double kInterpolationError = 0.001;
/// The smallest value at which `series` interpolates (training error at most
/// kInterpolationError): the interpolation threshold, if it reaches one.
std::optional<double> interpolationThreshold(const ValueSeries& series);

/// The capacity figures, in the order the window offers them.
const std::vector<Figure>& capacityFigures();
bool isCapacityFigure(Figure figure);
/// What the figure shows, for a chooser: "distance from initialization", ...
QString figureTitle(Figure figure);
/// Whether the figure's y axis is logarithmic unless the user says otherwise: the capacity
/// measures span orders of magnitude (the margin, which can be negative, excepted).
bool logarithmicByDefault(Figure figure);

/// The figures `data` can fill: loss and accuracy always, 1b (when a run was timed to its fit)
/// and 1c after a sweep, memorization and the capacity measures when a run measured them, the
/// error by value for sessions that differ in one value, the norm by corruption for kernels.
std::vector<Figure> figuresFor(const FigureData& data);

/// File name stem: "figure1a-loss", "accuracy", "figure1b-time-to-fit", "figure1c-test-error",
/// "memorization", "capacity-distance-from-init", "capacity-spectral-product", ...,
/// "error-by-value", "norm-by-corruption".
QString figureName(Figure figure);

/// The colour of palette slot `run` in every figure: eight colours that stay apart for
/// deuteranopes and on a washed-out projector, each dark enough for a white background.
QColor runColour(int run);
/// The marker of palette slot `run` (a filled circle, square, triangle, ...): before the run's
/// name in legends and after its curve's last point, the second cue beside its colour.
QString markerOf(int run);
/// The line of palette slot `run`: solid for the palette's first round, dash-dot for the second,
/// dotted after that, so that more runs than colours stay apart.
Qt::PenStyle lineStyleOf(int run);

/// Dynamic properties drawFigure sets on some graphs (QObject::property). kCurveLabel: what a
/// crosshair or tooltip calls the curve when the legend's name is shorter ("true labels" in
/// the legend, "true labels, training" under the mouse). kLegendKeyOnly: a legend entry that
/// explains a line style and holds no data.
inline constexpr char kCurveLabel[] = "genlabCurveLabel";
inline constexpr char kLegendKeyOnly[] = "genlabLegendKeyOnly";

/// The curves that drawFigure draws for `figure`, in the order of the plot's graphs: graph i
/// shows curves[i] (Loss: the loss curves; Accuracy: the training curves, then the test
/// curves; Memorization: the clean curves, then the corrupted ones). Empty for Figures 1b and
/// 1c, which show sweep points, not curves. A capacity figure: its measure's curves.
std::vector<const Curve*> curvesOf(Figure figure, const FigureData& data);

/// Clears `plot`'s graphs and draws `figure` from `data` in `style`: axes labelled in the
/// paper's words, one colour and marker per run (the same in every figure), runs that ended
/// early marked in the legend by their status and on the plot by a circle where they ended, the
/// legend (style.legend) in rows above the axes, never over a curve. Graph i shows
/// curvesOf(figure, data)[i]; the Accuracy and Memorization figures add two legend keys after
/// their curves (which line is which) and list each run once in their legends. Leaves the y
/// axis' scale type (linear or logarithmic) as the caller set it, and items other than its
/// own end markers alone.
void drawFigure(QCustomPlot& plot, Figure figure, const FigureData& data,
                const FigureStyle& style = {});

/// Moves the markers drawFigure put at the curves' last points to their graphs' last points
/// now (after points were appended).
void followCurveEnds(QCustomPlot& plot);

/// Makes `plot`'s y axis logarithmic (with powers-of-ten ticks) or linear again.
void setLogScale(QCustomPlot& plot, bool on);

/// The extent of a figure's data: keys (x) and values (y; on a logarithmic y axis the
/// positive ones only).
struct DataBounds {
  double left = 0, right = 0, bottom = 0, top = 0;
  bool found = false;  ///< false: no point to show
};

/// The extent of every point in `plot`'s graphs, as QCustomPlot measures it (reads them all).
DataBounds dataBounds(const QCustomPlot& plot);

/// Sets the axes' ranges to show `bounds` within the figure's fixed ranges (accuracy and test
/// error 0..1, loss from 0, corruption levels 0..1), with a margin above the loss; a default
/// frame when nothing was found. On a logarithmic y axis nothing is fixed at 0. The first
/// form measures the bounds itself; a caller that tracks them as data arrives (the live
/// plot) saves reading every point.
void fitRanges(QCustomPlot& plot, Figure figure);
void fitRanges(QCustomPlot& plot, Figure figure, const DataBounds& bounds);

/// Words around an exported figure: a title above it and a one-line caption below it (the
/// experiment, say); empty ones take no room.
struct FigureText {
  QString title;
  QString caption;
};

/// The formats exportFigure and exportFigures write: "png", "jpg", "pdf", "svg".
QStringList figureFormats();

/// Draws `figure` offscreen and writes it to `path` as png, jpg, pdf or svg (by `format`,
/// case-insensitive; "jpeg" too): `size` pixels times `scale` for png and jpg (text and lines
/// grow with the scale); a page of `size` points for pdf; an SVG document of `size` pixels
/// (user units, its viewBox) for svg. Text has the same proportions in every format. Throws
/// InputError naming the path when the file cannot be written (e.g. its folder does not
/// exist), and for an unknown format or an empty size. Needs a QApplication (the offscreen
/// platform will do).
void exportFigure(const FigureData& data, Figure figure, const QString& path,
                  const QString& format, QSize size, double scale, const FigureStyle& style = {},
                  const FigureText& text = {});

/// Several figures in one file, for a slide with Figure 1a and the accuracy plot side by side,
/// etc.: a grid of 2 columns (1 column for a single figure), filled row by row, the whole file
/// `size` (times `scale` for raster formats). PDF and SVG stay vector graphics. Errors as for
/// exportFigure; no figures at all is an InputError too.
void exportFigures(const FigureData& data, const std::vector<Figure>& figures,
                   const QString& path, const QString& format, QSize size, double scale,
                   const FigureStyle& style = {}, const FigureText& text = {});

/// The figure as an image of size*scale pixels, e.g. for the clipboard.
QImage renderFigure(const FigureData& data, Figure figure, QSize size, double scale,
                    const FigureStyle& style = {}, const FigureText& text = {});

} // namespace genlab::ui
