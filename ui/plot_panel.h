#pragma once
/// One live figure of the window: a QCustomPlot that follows a growing FigureData.

#include "ui/figure_renderer.h"
#include "ui/figure_style.h"
#include "ui/smoothing.h"

#include <QElapsedTimer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <memory>
#include <vector>

class QCustomPlot;
class QCPGraph;
class QCPItemText;

namespace genlab::ui {

class PlotCrosshair;

/// Shows one figure of a session as it trains. refresh() appends only the points that arrived
/// since the last call and replots at most about 30 times a second (fewer when replots are
/// slow), however often it is called. The user zooms and pans with the mouse (drag, wheel); a
/// double-click fits all data again; until the user moves the view, the axes follow the data.
/// A crosshair lists every curve's value under the mouse; the legend, when the style has one,
/// sits above the axes. Drawing is drawFigure's, so the panel looks
/// like an export.
class PlotPanel : public QWidget {
  Q_OBJECT

public:
  explicit PlotPanel(Figure figure, QWidget* parent = nullptr);
  ~PlotPanel() override;

  Figure figure() const { return figure_; }

  /// The data to show; the panel keeps the pointer (the window owns the FigureData, which only
  /// grows during a session). nullptr: empty. Rebuilds.
  void setData(const FigureData* data);

  /// The data grew (more points, or runs ended and names changed): appends only the new points
  /// to the graphs, smoothing them incrementally; rebuilds when the curves or their names
  /// changed, or a curve shrank (a new session). Then schedules a throttled replot, never one
  /// per call: at most one per 33 ms, and rarer when replots are slow, so that they take at
  /// most about 2.5% of one core (at least two a second, however slow).
  void refresh();

  /// Redraws everything from the data (drawFigure, then smoothing), keeping the user's view if
  /// they moved it.
  void rebuild();

  /// Debiased exponential moving average of the curves' values, 0 (off) to 0.99; applies to the
  /// Loss and Accuracy figures (not 1b/1c). Rebuilds.
  void setSmoothing(double weight);
  double smoothing() const { return smoothing_; }

  /// A logarithmic y axis (meaningful for Loss). Values <= 0 leave a gap in the curve. Fits all
  /// data and follows it again.
  void setLogScale(bool on);
  bool logScale() const { return logScale_; }

  /// Rebuilds with `style` (e.g. FigureStyle::presentation() for a projector).
  void setStyle(const FigureStyle& style);
  const FigureStyle& style() const { return style_; }

  /// The text centred on empty axes; by default (and when `hint` is empty) "Press Start to
  /// train" (Loss, Accuracy) or "Run a label-corruption sweep to see Figure 1b/1c" (1b, 1c).
  void setHint(const QString& hint);
  QString hint() const;

  /// Fits all data into view and follows the data again (what a double-click does).
  void fitAll();
  /// Whether the axes follow the growing data: true until the user zooms or pans.
  bool followsData() const { return following_; }

  QCustomPlot* plot() { return plot_; }
  /// Points currently in the graphs.
  int pointCount() const;
  /// Seconds spent in throttled replots since the panel was made (for benchmarks).
  double replotSeconds() const { return replotSeconds_; }
  /// The crosshair's text (x, then "name: value" per curve); empty while it is hidden.
  QString crosshairText() const;

Q_SIGNALS:
  /// After each replot (throttled ones and those of mouse interaction).
  void replotted();

protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

private:
  /// A graph that shows one curve, how much of it it shows, and the range of the values it
  /// shows (finite ones), kept as points arrive so that following the data reads no old point.
  struct Track {
    QCPGraph* graph;
    DebiasedSmoother smoother;
    size_t shown;
    double low, high;
    void cover(double value);
  };

  bool curvesChanged(const std::vector<const Curve*>& curves) const;
  double displayed(double value, DebiasedSmoother& smoother) const;
  double effectiveSmoothing() const;
  void scheduleReplot();
  void replotNow();
  void fitRangesQuietly();
  /// The data's extent: from the tracks for curves, measured for Figures 1b and 1c.
  DataBounds bounds() const;
  void updateHint();

  Figure figure_;
  const FigureData* data_ = nullptr;
  QCustomPlot* plot_;
  std::unique_ptr<PlotCrosshair> crosshair_;
  FigureStyle style_;
  double smoothing_ = 0;
  bool logScale_ = false;
  bool following_ = true;
  bool fitting_ = false;  ///< ranges are being set by the panel, not by the user
  QString hint_;
  QCPItemText* hintItem_ = nullptr;  ///< centred on empty axes; drawFigure leaves it alone
  QTimer replotTimer_;
  double replotMilliseconds_ = 0;  ///< what a throttled replot costs (moving average)
  double replotSeconds_ = 0;       ///< all throttled replots together
  std::vector<Track> tracks_;
  QStringList names_;           ///< the curves' names as drawn (a run's status ends up there)
  std::vector<SweepSeries> sweep_;  ///< Figures 1b and 1c: the sweeps drawn
  std::vector<ValueSeries> byValue_;  ///< the error by value: the series drawn
  std::vector<NormSeries> norms_;     ///< the norm by corruption: the series drawn
};

} // namespace genlab::ui
