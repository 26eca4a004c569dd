#include "ui/plots_page.h"

#include "ui/legend_bar.h"
#include "ui/plot_panel.h"

#include <QApplication>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>

namespace genlab::ui {

namespace {

/// The panels in their rows: the figures every session has above, those of a kind of session
/// (a sweep, a measure) below.
constexpr Figure kFirstRow[] = {Figure::Loss, Figure::Accuracy};
constexpr Figure kSecondRow[] = {Figure::Memorization, Figure::TimeToFit, Figure::TestError};

} // namespace

PlotsPage::PlotsPage(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  banner_ = new QLabel;
  banner_->setWordWrap(true);
  banner_->setStyleSheet(QStringLiteral("background: #FFF4D6; color: #222; border: 1px solid #E69F00; padding: 6px;"));
  banner_->setVisible(false);
  layout->addWidget(banner_);

  auto* tools = new QHBoxLayout;
  tools->addWidget(new QLabel(tr("Smoothing")));
  smoothing_ = new QSlider(Qt::Horizontal);
  smoothing_->setRange(0, 99);
  smoothing_->setMaximumWidth(220);
  smoothing_->setToolTip(tr("Debiased exponential moving average of the training loss, step by step "
                            "(TensorBoard's smoothing). The accuracies, a point an epoch, are drawn as measured."));
  smoothingValue_ = new QLabel(QStringLiteral("0.00"));
  tools->addWidget(smoothing_);
  tools->addWidget(smoothingValue_);
  logScale_ = new QCheckBox(tr("log-scale loss"));
  tools->addSpacing(16);
  tools->addWidget(logScale_);
  tools->addStretch(1);
  tools->addWidget(new QLabel(tr("drag to pan, wheel to zoom, double-click to fit")));
  layout->addLayout(tools);
  legend_ = new LegendBar;
  layout->addWidget(legend_);

  rows_ = new QVBoxLayout;
  for (const auto& figures : {std::vector<Figure>(std::begin(kFirstRow), std::end(kFirstRow)),
                              std::vector<Figure>(std::begin(kSecondRow), std::end(kSecondRow))}) {
    auto* row = new QHBoxLayout;
    for (const Figure figure : figures) {
      auto* panel = new PlotPanel(figure);
      panel->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
      panel->setMinimumSize(320, 220);
      panels_[figure] = panel;
      panel->setStyle(panelStyle(figure));
      row->addWidget(panel);
    }
    rows_->addLayout(row);
  }
  layout->addLayout(rows_, 1);
  showFigures({});

  connect(smoothing_, &QSlider::valueChanged, this, [this](int value) {
    const double weight = value / 100.0;
    smoothingValue_->setText(QString::number(weight, 'f', 2));
    // Per-step series only: an epoch's accuracy is one measurement, and a factor meant for
    // thousands of steps would drag fifty epochs' curve far from its last value.
    panels_.at(Figure::Loss)->setSmoothing(weight);
  });
  connect(logScale_, &QCheckBox::toggled, this, [this](bool on) { panels_.at(Figure::Loss)->setLogScale(on); });
}

void PlotsPage::setData(const FigureData* data) {
  data_ = data;
  for (auto& [figure, panel] : panels_) panel->setData(data);
  updateLegend();
}

void PlotsPage::refresh() {
  for (auto& [figure, panel] : panels_)
    if (panel->isVisible()) panel->refresh();
  updateLegend();
}

void PlotsPage::rebuild() {
  for (auto& [figure, panel] : panels_) panel->rebuild();
  updateLegend();
}

void PlotsPage::updateLegend() {
  static const FigureData kNoData;
  legend_->show(data_ ? *data_ : kNoData, style_);
}

void PlotsPage::showFigures(const std::vector<Figure>& figures) {
  bool secondRow = false;
  for (const Figure figure : kSecondRow) {
    const bool on = std::find(figures.begin(), figures.end(), figure) != figures.end();
    PlotPanel* panel = panels_.at(figure);
    const bool shown = !panel->isHidden();
    panel->setVisible(on);
    if (on && !shown) panel->refresh();
    secondRow = secondRow || on;
  }
  rows_->setStretch(0, 3);
  rows_->setStretch(1, secondRow ? 2 : 0);
}

void PlotsPage::setStyle(const FigureStyle& style) {
  style_ = style;
  for (auto& [figure, panel] : panels_) panel->setStyle(panelStyle(figure));
  updateLegend();
}

FigureStyle PlotsPage::panelStyle(Figure figure) const {
  // The runs' legend is the bar above the plots; Figures 1b and 1c name their networks, which
  // the bar does not, in rows above their own axes.
  FigureStyle style = style_;
  style.legend = figure == Figure::TimeToFit || figure == Figure::TestError;
  return style;
}

void PlotsPage::setBanner(const QString& text) {
  banner_->setText(text);
  banner_->setVisible(!text.isEmpty());
}

QString PlotsPage::banner() const { return banner_->isHidden() ? QString() : banner_->text(); }

Figure PlotsPage::currentFigure() const {
  for (auto& [figure, panel] : panels_)
    if (panel->isVisible() && panel->isAncestorOf(QApplication::focusWidget())) return figure;
  return Figure::Loss;
}

bool PlotsPage::logScale() const { return logScale_->isChecked(); }

} // namespace genlab::ui
