#pragma once
/// The window's plots: Figure 1a's loss and the accuracies always, Figures 1b and 1c for a
/// sweep, memorization when measured, with a banner for what went wrong in a run, smoothing
/// and a log-scale switch.

#include "ui/figure_data.h"
#include "ui/figure_renderer.h"
#include "ui/figure_style.h"

#include <QWidget>

#include <functional>
#include <map>
#include <vector>

class QCheckBox;
class QGridLayout;
class QComboBox;
class QStackedWidget;
class QVBoxLayout;
class QLabel;
class QSlider;

namespace genlab::ui {

class LegendBar;
class PlotPanel;

class PlotsPage : public QWidget {
  Q_OBJECT

public:
  explicit PlotsPage(QWidget* parent = nullptr);

  /// The data every panel shows; kept by pointer (the owner keeps it alive).
  void setData(const FigureData* data);
  /// The data grew: panels append what is new (throttled).
  void refresh();
  /// The data changed beyond growing (curves added, removed, renamed): panels redraw.
  void rebuild();
  /// Shows the panels of `figures` besides the loss and accuracy, always shown: Figures 1b and
  /// 1c only mean something for a sweep, memorization and capacity (any capacity figure: one
  /// panel with a chooser) for a session that measures them; the others give their room to the
  /// loss and accuracy.
  void showFigures(const std::vector<Figure>& figures);
  /// The style of every panel (the loss and accuracy panels without a legend of their own:
  /// the legend bar above the plots names the runs).
  void setStyle(const FigureStyle& style);
  const FigureStyle& style() const { return style_; }
  /// The style panel `figure` draws with.
  FigureStyle panelStyle(Figure figure) const;
  LegendBar* legend() const { return legend_; }

  /// A message above the plots (a run diverged); empty hides it.
  void setBanner(const QString& text);
  QString banner() const;

  PlotPanel* panel(Figure figure) const { return panels_.at(figure); }
  const std::map<Figure, PlotPanel*>& panels() const { return panels_; }
  /// The figure whose panel holds the focus, else the loss.
  Figure currentFigure() const;
  bool logScale() const;
  QCheckBox* logScaleBox() const { return logScale_; }
  QSlider* smoothingSlider() const { return smoothing_; }

  /// The capacity measure the capacity panel shows now.
  QComboBox* capacityChooser() const { return capacityChooser_; }

private:
  void updateLegend();
  QWidget* buildCapacity(const std::function<PlotPanel*(Figure)>& makePanel);

  const FigureData* data_ = nullptr;
  FigureStyle style_;
  LegendBar* legend_ = nullptr;
  std::map<Figure, PlotPanel*> panels_;
  QVBoxLayout* rows_ = nullptr;
  QGridLayout* extraGrid_ = nullptr;  ///< the figures below the loss and accuracy, two to a row
  std::vector<QWidget*> extras_;      ///< those figures' widgets, in their order
  QWidget* capacity_ = nullptr;  ///< the capacity measures' chooser and panels
  QComboBox* capacityChooser_ = nullptr;
  QStackedWidget* capacityStack_ = nullptr;
  QLabel* banner_ = nullptr;
  QSlider* smoothing_ = nullptr;
  QLabel* smoothingValue_ = nullptr;
  QCheckBox* logScale_ = nullptr;
};

} // namespace genlab::ui
