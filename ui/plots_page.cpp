#include "ui/plots_page.h"

#include "ui/legend_bar.h"
#include "ui/plot_panel.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSlider>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace genlab::ui {

namespace {

/// The figures every session has, in the first row; those of a kind of session (a measure, a
/// sweep) go below.
constexpr Figure kFirstRow[] = {Figure::Loss, Figure::Accuracy};

/// The smallest a panel gets: room for its axes at 10 pt, and a quarter more per doubling of the
/// text (the presentation style); below that the page scrolls rather than squeeze plots flat.
QSize panelMinimum(const FigureStyle& style) {
  const double grow = std::max(1.0, 0.75 + style.fontPointSize / 40.0);
  return {qRound(320 * grow), qRound(220 * grow)};
}

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
  // The legend and the plots scroll when they cannot fit (a dozen runs' legend above three rows
  // of plots on a laptop's screen) rather than being cut off at the window's edge.
  auto* scroll = new QScrollArea;
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  auto* content = new QWidget;
  auto* contentLayout = new QVBoxLayout(content);
  contentLayout->setContentsMargins(0, 0, 0, 0);
  legend_ = new LegendBar;
  contentLayout->addWidget(legend_);

  const auto makePanel = [this](Figure figure) {
    auto* panel = new PlotPanel(figure);
    panel->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    panel->setMinimumSize(panelMinimum(style_));
    panels_[figure] = panel;
    panel->setStyle(panelStyle(figure));
    if (logarithmicByDefault(figure)) panel->setLogScale(true);
    return panel;
  };
  rows_ = new QVBoxLayout;
  auto* first = new QHBoxLayout;
  for (const Figure figure : kFirstRow) first->addWidget(makePanel(figure));
  rows_->addLayout(first);
  // The others, in the order they are laid out (showFigures): two to a row.
  extras_ = {makePanel(Figure::Memorization), buildCapacity(makePanel), makePanel(Figure::TimeToFit),
             makePanel(Figure::TestError), makePanel(Figure::ErrorByValue), makePanel(Figure::NormByCorruption)};
  for (QWidget* extra : extras_) {
    extra->setParent(content);  // laid out by showFigures, hidden until then
    extra->hide();
  }
  extraGrid_ = new QGridLayout;
  rows_->addLayout(extraGrid_);
  contentLayout->addLayout(rows_, 1);
  scroll->setWidget(content);
  layout->addWidget(scroll, 1);
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

QWidget* PlotsPage::buildCapacity(const std::function<PlotPanel*(Figure)>& makePanel) {
  // One measure at a time, chosen above the plot; the others wait, hidden, in the stack.
  capacity_ = new QWidget;
  auto* box = new QVBoxLayout(capacity_);
  box->setContentsMargins(0, 0, 0, 0);
  auto* head = new QHBoxLayout;
  head->addWidget(new QLabel(tr("Capacity")));
  capacityChooser_ = new QComboBox;
  // Neyshabur et al. 2017; Bartlett, Foster and Telgarsky 2017 (docs/measures.md).
  const std::map<Figure, QString> meaning{
      {Figure::DistanceFromInit, tr("Frobenius norm of the weights minus their initial values, all layers together")},
      {Figure::SpectralProduct, tr("Product of the layers' largest singular values (a Lipschitz bound of the network)")},
      {Figure::FrobeniusSq, tr("Sum of the layers' squared Frobenius norms (what weight decay penalizes)")},
      {Figure::Margin, tr("10th percentile over training examples of the logit of their label minus the largest other logit")},
      {Figure::SpectralComplexity, tr("Bartlett et al.'s spectral complexity divided by the margin: grows with the labels' noise")},
  };
  capacityStack_ = new QStackedWidget;
  for (const Figure figure : capacityFigures()) {
    capacityChooser_->addItem(figureTitle(figure), static_cast<int>(figure));
    capacityChooser_->setItemData(capacityChooser_->count() - 1, meaning.at(figure), Qt::ToolTipRole);
    capacityStack_->addWidget(makePanel(figure));
  }
  capacityChooser_->setCurrentIndex(static_cast<int>(capacityFigures().size()) - 1);  // the complexity
  capacityStack_->setCurrentIndex(capacityChooser_->currentIndex());
  head->addWidget(capacityChooser_);
  head->addStretch(1);
  box->addLayout(head);
  box->addWidget(capacityStack_, 1);
  connect(capacityChooser_, &QComboBox::currentIndexChanged, this, [this](int index) {
    capacityStack_->setCurrentIndex(index);
    if (auto* panel = qobject_cast<PlotPanel*>(capacityStack_->currentWidget())) panel->refresh();
  });
  return capacity_;
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
  const auto asked = [&](Figure figure) { return std::find(figures.begin(), figures.end(), figure) != figures.end(); };
  for (const Figure figure :
       {Figure::Memorization, Figure::TimeToFit, Figure::TestError, Figure::ErrorByValue, Figure::NormByCorruption}) {
    const bool on = asked(figure);
    PlotPanel* panel = panels_.at(figure);
    const bool shown = !panel->isHidden();
    panel->setVisible(on);
    if (on && !shown) panel->refresh();
  }
  const bool capacity = std::any_of(capacityFigures().begin(), capacityFigures().end(), asked);
  const bool capacityShown = !capacity_->isHidden();
  capacity_->setVisible(capacity);
  if (capacity && !capacityShown)
    if (auto* panel = qobject_cast<PlotPanel*>(capacityStack_->currentWidget())) panel->refresh();
  // Two to a row below the loss and accuracy, so that the window stays as narrow as two plots;
  // an odd last one takes the whole row.
  while (QLayoutItem* item = extraGrid_->takeAt(0)) delete item;
  std::vector<QWidget*> shown;
  for (QWidget* extra : extras_)
    if (!extra->isHidden()) shown.push_back(extra);
  for (size_t i = 0; i < shown.size(); ++i) {
    const bool alone = i + 1 == shown.size() && i % 2 == 0;
    extraGrid_->addWidget(shown[i], static_cast<int>(i / 2), static_cast<int>(i % 2), 1, alone ? 2 : 1);
  }
  const int extraRows = static_cast<int>((shown.size() + 1) / 2);
  for (int row = 0; row < extraGrid_->rowCount(); ++row) extraGrid_->setRowStretch(row, row < extraRows ? 1 : 0);
  rows_->setStretch(0, 3);
  rows_->setStretch(1, 2 * extraRows);
}

void PlotsPage::setStyle(const FigureStyle& style) {
  style_ = style;
  for (auto& [figure, panel] : panels_) {
    panel->setStyle(panelStyle(figure));
    panel->setMinimumSize(panelMinimum(style));
  }
  updateLegend();
}

FigureStyle PlotsPage::panelStyle(Figure figure) const {
  // The runs' legend is the bar above the plots; Figures 1b and 1c name their networks and the
  // error by value its settings, which the bar does not, in rows above their own axes.
  FigureStyle style = style_;
  style.legend = isPointFigure(figure);
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
