#include "ui/figure_renderer.h"

#include "ui/axis_labels.h"
#include "ui/band_graph.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace genlab::ui {

namespace {

/// Marks the items drawFigure owns (end markers), so that it removes only those.
const QString kFigureItem = QStringLiteral("genlab-figure-item");

QFont styledFont(const QCustomPlot& plot, const FigureStyle& style) {
  QFont font = plot.font();
  font.setPointSizeF(style.fontPointSize);
  return font;
}

void applyStyle(QCustomPlot& plot, const FigureStyle& style) {
  keepAxisLabelsWhole(plot);
  const QFont font = styledFont(plot, style);
  const bool strong = style.highContrast;
  // Sizes that are tuned for 10 pt text grow with the text.
  const double grow = style.fontPointSize / 10.0;
  plot.setBackground(Qt::white);
  plot.axisRect()->setBackground(Qt::white);
  const QPen axisPen(Qt::black, strong ? std::max(2.0, style.lineWidth / 2) : 0, Qt::SolidLine,
                     Qt::SquareCap);
  const QPen gridPen = strong ? QPen(QColor(150, 150, 150), 1.5, Qt::SolidLine)
                              : QPen(QColor(200, 200, 200), 0, Qt::DotLine);
  for (QCPAxis* axis : plot.axisRect()->axes()) {
    axis->setLabelFont(font);
    axis->setTickLabelFont(font);
    axis->setLabelColor(Qt::black);
    axis->setTickLabelColor(Qt::black);
    axis->setBasePen(axisPen);
    axis->setTickPen(axisPen);
    axis->setSubTickPen(axisPen);
    axis->setTickLength(qRound(5 * grow), 0);
    axis->setSubTickLength(qRound(2 * grow), 0);
    axis->setTickLabelPadding(qRound(3 * grow));
    axis->setLabelPadding(qRound(5 * grow));
    axis->grid()->setPen(gridPen);
    axis->grid()->setZeroLinePen(gridPen);
  }
  // A frame, as in the paper's figures: top and right axes as plain lines.
  for (QCPAxis* axis : {plot.xAxis2, plot.yAxis2}) {
    axis->setVisible(true);
    axis->setTicks(false);
    axis->setTickLabels(false);
    axis->grid()->setVisible(false);
  }
  plot.legend->setFont(font);
  plot.legend->setTextColor(Qt::black);
  // Not a hairline: PDF viewers draw those a device pixel wide, or drop them at the page edge.
  plot.legend->setBorderPen(QPen(Qt::black, strong ? 2 : 1));
  plot.legend->setBrush(QColor(255, 255, 255, strong ? 255 : 220));
  plot.legend->setIconSize(qRound(32 * grow), qRound(18 * grow));
}

/// A legend entry that explains a line style (an empty graph in a neutral colour).
void addKey(QCustomPlot& plot, const QString& text, Qt::PenStyle line, const FigureStyle& style) {
  QCPGraph* key = plot.addGraph();
  key->setName(text);
  key->setPen(QPen(QColor(90, 90, 90), style.lineWidth, line));
  key->setProperty(kLegendKeyOnly, true);
}

QCPGraph* addCurve(QCustomPlot& plot, const Curve& curve, const QString& suffix,
                   Qt::PenStyle line, const FigureStyle& style) {
  QCPGraph* graph = new BandGraph(plot.xAxis, plot.yAxis);
  // The run's marker before its name and after its curve's last point: a second cue beside
  // the colour, for colour-blind readers and washed-out projectors.
  graph->setName(markerOf(curve.run) + QLatin1Char(' ') + curve.name + suffix);
  // Past the palette's first round: the run's own line pattern (test curves stay dashed).
  if (line == Qt::SolidLine) line = lineStyleOf(curve.run);
  else if (lineStyleOf(curve.run) != Qt::SolidLine) line = Qt::DashDotDotLine;
  graph->setPen(QPen(runColour(curve.run), style.lineWidth, line,
                     Qt::RoundCap, Qt::RoundJoin));
  // BandGraph draws solid lines itself; the dashed ones (test accuracy) QCPGraph draws, with
  // its adaptive sampling (each pixel column's min and max) for long curves.
  graph->setAdaptiveSampling(true);
  const size_t n = std::min(curve.x.size(), curve.y.size());
  QVector<QCPGraphData> points(static_cast<qsizetype>(n));
  for (size_t i = 0; i < n; ++i) points[static_cast<qsizetype>(i)] = {curve.x[i], curve.y[i]};
  graph->data()->set(points, /*alreadySorted=*/true);
  // A curve of one point (a closed-form run's one evaluation) is a dot, not an invisible line.
  if (n == 1) graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 3 * style.lineWidth + 3));
  if (curve.endedEarly && n > 0) {
    // Where the run ended: an open circle on the curve's last point. A tracer follows the
    // graph's value there, smoothed or not.
    auto* end = new QCPItemTracer(&plot);
    end->setObjectName(kFigureItem);
    end->setGraph(graph);
    end->setGraphKey(curve.x[n - 1]);
    end->setInterpolating(false);
    end->setStyle(QCPItemTracer::tsCircle);
    end->setSize(4 * style.lineWidth + 4);
    end->setPen(QPen(runColour(curve.run), style.lineWidth));
    end->setBrush(Qt::white);
    end->setSelectable(false);
  }
  if (n > 0) {
    auto* anchor = new QCPItemTracer(&plot);
    anchor->setObjectName(kFigureItem);
    anchor->setGraph(graph);
    anchor->setGraphKey(curve.x[n - 1]);
    anchor->setInterpolating(false);
    anchor->setStyle(QCPItemTracer::tsNone);
    anchor->setSelectable(false);
    auto* marker = new QCPItemText(&plot);
    marker->setObjectName(kFigureItem);
    marker->position->setParentAnchor(anchor->position);
    marker->setPositionAlignment(Qt::AlignCenter);
    marker->setText(markerOf(curve.run));
    marker->setColor(runColour(curve.run));
    QFont font = plot.font();
    font.setPointSizeF(style.fontPointSize * 1.1);
    marker->setFont(font);
    marker->setClipToAxisRect(false);
    marker->setSelectable(false);
  }
  return graph;
}

void addPoints(QCustomPlot& plot, const SweepSeries& series, bool timeToFit, const FigureStyle& style) {
  QVector<double> x, y;
  for (const auto& point : series.points) {
    if (timeToFit && !point.relativeTimeToFit) continue;
    x.push_back(point.level);
    y.push_back(timeToFit ? *point.relativeTimeToFit : point.testError);
  }
  QCPGraph* graph = plot.addGraph();
  graph->setName(series.name.isEmpty() ? (timeToFit ? QStringLiteral("time to fit / time with true labels")
                                                    : QStringLiteral("test error"))
                                       : series.name);
  graph->setPen(QPen(runColour(series.colour), style.lineWidth, lineStyleOf(series.colour)));
  graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4 * style.lineWidth));
  graph->setData(x, y, true);
}

/// One setting's final errors against the value: test solid, training dashed, circles on the
/// points.
void addValueSeries(QCustomPlot& plot, const ValueSeries& series, const FigureStyle& style) {
  const QVector<double> x(series.value.begin(), series.value.end());
  for (const bool test : {true, false}) {
    const auto& errors = test ? series.testError : series.trainError;
    QCPGraph* graph = plot.addGraph();
    graph->setName(markerOf(series.colour) + QLatin1Char(' ') + series.name);
    graph->setProperty(kCurveLabel, series.name + (test ? QStringLiteral(", test") : QStringLiteral(", training")));
    graph->setPen(QPen(runColour(series.colour), style.lineWidth, test ? Qt::SolidLine : Qt::DashLine));
    graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 3 * style.lineWidth + 2));
    graph->setData(x, QVector<double>(errors.begin(), errors.end()), true);
    if (!test) graph->removeFromLegend();
  }
}

/// Two curves per run, solid and dashed (training and test accuracy; clean and corrupted
/// examples fitted): the legend names each run once (by its colour) and says once which line is
/// which, so that it stays small enough for a slide.
void addCurvePairs(QCustomPlot& plot, const std::vector<Curve>& solid, const std::vector<Curve>& dashed,
                   const QString& solidName, const QString& dashedName, const FigureStyle& style) {
  for (const auto& curve : solid)
    addCurve(plot, curve, {}, Qt::SolidLine, style)->setProperty(kCurveLabel, curve.name + QStringLiteral(", ") + solidName);
  for (const auto& curve : dashed)
    addCurve(plot, curve, QStringLiteral(", ") + dashedName, Qt::DashLine, style)->removeFromLegend();
  if (!solid.empty()) {
    addKey(plot, QStringLiteral("%1 (solid)").arg(solidName), Qt::SolidLine, style);
    addKey(plot, QStringLiteral("%1 (dashed)").arg(dashedName), Qt::DashLine, style);
  }
}

bool hasPoints(const std::vector<Curve>& curves) {
  return std::any_of(curves.begin(), curves.end(), [](const Curve& c) { return !c.x.empty(); });
}

/// Every figure once: its file name stem, its title (a capacity figure's y axis label too) and,
/// for a capacity figure, its curves (one per run) and whether its y axis is logarithmic.
struct FigureEntry {
  Figure figure;
  const char* stem;
  const char* title;
  std::vector<Curve> FigureData::*curves = nullptr;
  bool logarithmic = false;
};

const std::vector<FigureEntry>& figureTable() {
  static const std::vector<FigureEntry> table{
      {Figure::Loss, "figure1a-loss", "training loss"},
      {Figure::Accuracy, "accuracy", "accuracy"},
      {Figure::TimeToFit, "figure1b-time-to-fit", "time to fit"},
      {Figure::TestError, "figure1c-test-error", "test error"},
      {Figure::Memorization, "memorization", "memorization"},
      {Figure::DistanceFromInit, "capacity-distance-from-init", "distance from initialization",
       &FigureData::distanceFromInit, true},
      {Figure::SpectralProduct, "capacity-spectral-product", "product of spectral norms",
       &FigureData::spectralProduct, true},
      {Figure::FrobeniusSq, "capacity-frobenius-sq", "sum of squared Frobenius norms", &FigureData::frobeniusSq,
       true},
      {Figure::Margin, "capacity-margin", "output margin (10th percentile)", &FigureData::margin, false},
      {Figure::SpectralComplexity, "capacity-spectral-complexity", "spectral complexity / margin",
       &FigureData::spectralComplexity, true},
      {Figure::ErrorByValue, "error-by-value", "error by value"},
      {Figure::NormByCorruption, "norm-by-corruption", "norm by label corruption"},
  };
  return table;
}

const FigureEntry& entryOf(Figure figure) {
  for (const FigureEntry& entry : figureTable())
    if (entry.figure == figure) return entry;
  throw std::logic_error("a figure missing from figureTable");
}

/// The capacity figure's entry (its curves), or nullptr for another figure.
const FigureEntry* capacityEntry(Figure figure) {
  const FigureEntry& entry = entryOf(figure);
  return entry.curves != nullptr ? &entry : nullptr;
}

/// The legend as rows above the axis rect, outside the data: as many entries a row as the
/// plot's width holds.
void placeLegendAbove(QCustomPlot& plot, const FigureStyle& style) {
  QCPLayoutGrid* layout = plot.plotLayout();
  if (!style.legend || plot.legend->itemCount() == 0) {
    // No legend: no row for it either (it waits, hidden, where QCustomPlot keeps it). An empty
    // legend must not stay in the layout: its maximum width, that of an empty grid, would
    // narrow the axes to it.
    if (plot.legend->layout() == layout && layout->take(plot.legend)) {
      layout->simplify();
      plot.axisRect()->insetLayout()->addElement(plot.legend, Qt::AlignTop | Qt::AlignRight);
    }
    plot.legend->setVisible(false);
    return;
  }
  if (plot.legend->layout() != layout) {
    if (QCPLayoutInset* inset = plot.axisRect()->insetLayout(); inset->take(plot.legend)) inset->simplify();
    layout->insertRow(0);
    layout->addElement(0, 0, plot.legend);
  }
  layout->setRowStretchFactor(0, 0.001);
  plot.legend->setBorderPen(Qt::NoPen);
  plot.legend->setBrush(Qt::NoBrush);
  const QFontMetrics metrics(plot.legend->font());
  int widest = 0;
  for (int i = 0; i < plot.legend->itemCount(); ++i)
    if (auto* item = qobject_cast<QCPPlottableLegendItem*>(plot.legend->item(i)))
      widest = std::max(widest, metrics.horizontalAdvance(item->plottable()->name()));
  const int entry = widest + plot.legend->iconSize().width() + plot.legend->iconTextPadding() + 24;
  const int columns = std::max(1, std::min(plot.legend->itemCount(), (plot.width() - 40) / std::max(1, entry)));
  plot.legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, false);
  plot.legend->setWrap(columns);
  plot.legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
  plot.legend->setVisible(style.legend && plot.legend->itemCount() > 0);
}

void removeFigureItems(QCustomPlot& plot) {
  for (int i = plot.itemCount() - 1; i >= 0; --i)
    if (plot.item(i)->objectName() == kFigureItem) plot.removeItem(i);
}

} // namespace

QColor runColour(int run) {
  // Chosen to stay apart for deuteranopes and on a washed-out projector (tests/test_figures.cpp
  // checks both), each at least 3:1 against the white background: Okabe-Ito's blue, vermillion
  // and reddish purple, Tol's green, olive, wine and indigo, and black.
  static const QColor palette[] = {QColor(0, 114, 178),  QColor(213, 94, 0),   QColor(17, 119, 51),
                                   QColor(204, 121, 167), QColor(0, 0, 0),     QColor(153, 153, 51),
                                   QColor(136, 34, 85),  QColor(51, 34, 136)};
  return palette[static_cast<size_t>(std::max(run, 0)) % std::size(palette)];
}

QString markerOf(int run) {
  static const char16_t* glyphs[] = {u"\u25CF", u"\u25A0", u"\u25B2", u"\u25C6", u"\u271A", u"\u25BC", u"\u2605", u"\u2716"};
  return QString::fromUtf16(glyphs[static_cast<size_t>(std::max(run, 0)) % std::size(glyphs)]);
}

Qt::PenStyle lineStyleOf(int run) {
  constexpr int kColours = 8;
  const int round = std::max(run, 0) / kColours;
  return round == 0 ? Qt::SolidLine : round == 1 ? Qt::DashDotLine : Qt::DotLine;
}

bool isPointFigure(Figure figure) {
  return figure == Figure::TimeToFit || figure == Figure::TestError || figure == Figure::ErrorByValue ||
         figure == Figure::NormByCorruption;
}

std::optional<double> interpolationThreshold(const ValueSeries& series) {
  for (size_t i = 0; i < series.value.size(); ++i)
    if (series.trainError[i] <= kInterpolationError) return series.value[i];
  return std::nullopt;
}

const std::vector<Figure>& capacityFigures() {
  static const std::vector<Figure> figures = [] {
    std::vector<Figure> all;
    for (const FigureEntry& entry : figureTable())
      if (entry.curves != nullptr) all.push_back(entry.figure);
    return all;
  }();
  return figures;
}

bool isCapacityFigure(Figure figure) { return capacityEntry(figure) != nullptr; }

QString figureTitle(Figure figure) { return QString::fromLatin1(entryOf(figure).title); }

bool logarithmicByDefault(Figure figure) { return entryOf(figure).logarithmic; }

std::vector<Figure> figuresFor(const FigureData& data) {
  std::vector<Figure> figures{Figure::Loss, Figure::Accuracy};
  if (!data.sweep.empty()) {
    // Closed-form models have no time to fit: their sweeps give Figure 1c only.
    const bool timed = std::any_of(data.sweep.begin(), data.sweep.end(), [](const SweepSeries& series) {
      return std::any_of(series.points.begin(), series.points.end(),
                         [](const train::SweepPoint& p) { return p.relativeTimeToFit.has_value(); });
    });
    if (timed) figures.push_back(Figure::TimeToFit);
    figures.push_back(Figure::TestError);
  }
  if (hasPoints(data.fittedClean) || hasPoints(data.fittedCorrupted)) figures.push_back(Figure::Memorization);
  for (const Figure figure : capacityFigures())
    if (hasPoints(data.*capacityEntry(figure)->curves)) figures.push_back(figure);
  if (!data.byValue.empty()) figures.push_back(Figure::ErrorByValue);
  if (!data.norms.empty()) figures.push_back(Figure::NormByCorruption);
  return figures;
}

QString figureName(Figure figure) { return QString::fromLatin1(entryOf(figure).stem); }

std::vector<const Curve*> curvesOf(Figure figure, const FigureData& data) {
  std::vector<const Curve*> curves;
  const auto take = [&](const std::vector<Curve>& from) {
    for (const Curve& curve : from) curves.push_back(&curve);
  };
  if (figure == Figure::Loss) take(data.loss);
  if (figure == Figure::Accuracy) {
    take(data.trainAccuracy);
    take(data.testAccuracy);
  }
  if (figure == Figure::Memorization) {
    take(data.fittedClean);
    take(data.fittedCorrupted);
  }
  if (const FigureEntry* entry = capacityEntry(figure)) take(data.*entry->curves);
  return curves;
}

void drawFigure(QCustomPlot& plot, Figure figure, const FigureData& data,
                const FigureStyle& style) {
  plot.clearGraphs();
  removeFigureItems(plot);
  applyStyle(plot, style);
  switch (figure) {
  case Figure::Loss:
    for (const auto& curve : data.loss) addCurve(plot, curve, {}, Qt::SolidLine, style);
    plot.xAxis->setLabel(QStringLiteral("training steps"));
    plot.yAxis->setLabel(QStringLiteral("training loss"));
    break;
  case Figure::Accuracy:
    addCurvePairs(plot, data.trainAccuracy, data.testAccuracy, QStringLiteral("training"), QStringLiteral("test"), style);
    plot.xAxis->setLabel(QStringLiteral("epochs"));
    plot.yAxis->setLabel(QStringLiteral("accuracy"));
    break;
  case Figure::Memorization:
    // Arpit et al. 2017: clean examples are fitted long before the corrupted ones.
    addCurvePairs(plot, data.fittedClean, data.fittedCorrupted, QStringLiteral("clean labels"),
                  QStringLiteral("corrupted labels"), style);
    plot.xAxis->setLabel(QStringLiteral("epochs"));
    plot.yAxis->setLabel(QStringLiteral("training examples fitted"));
    break;
  case Figure::ErrorByValue: {
    for (const ValueSeries& series : data.byValue) addValueSeries(plot, series, style);
    if (!data.byValue.empty()) {
      addKey(plot, QStringLiteral("test (solid)"), Qt::SolidLine, style);
      addKey(plot, QStringLiteral("training (dashed)"), Qt::DashLine, style);
    }
    // Values that span a decade or more (widths, feature counts) on a logarithmic axis.
    double low = 0, high = 0;
    for (const ValueSeries& series : data.byValue)
      for (const double v : series.value) {
        low = low == 0 ? v : std::min(low, v);
        high = std::max(high, v);
      }
    const bool log = low > 0 && high >= 8 * low;
    plot.xAxis->setScaleType(log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    plot.xAxis->setTicker(log ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog)
                              : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot.xAxis2->setScaleType(plot.xAxis->scaleType());
    // The first series' interpolation threshold: where its training error first reaches ~0.
    if (const auto threshold = data.byValue.empty() ? std::nullopt : interpolationThreshold(data.byValue.front())) {
      auto* line = new QCPItemStraightLine(&plot);
      line->setObjectName(kFigureItem);
      line->point1->setCoords(*threshold, 0);
      line->point2->setCoords(*threshold, 1);
      line->setPen(QPen(QColor(90, 90, 90), std::max(1.0, style.lineWidth / 2), Qt::DotLine));
      line->setSelectable(false);
      auto* label = new QCPItemText(&plot);
      label->setObjectName(kFigureItem);
      label->position->setTypeX(QCPItemPosition::ptPlotCoords);
      label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
      label->position->setCoords(*threshold, 0.02);
      label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
      label->setText(QStringLiteral(" training error 0 from here"));
      label->setColor(QColor(90, 90, 90));
      label->setFont(styledFont(plot, style));
      label->setSelectable(false);
    }
    plot.xAxis->setLabel(data.valueName.isEmpty() ? QStringLiteral("value") : data.valueName);
    plot.yAxis->setLabel(QStringLiteral("final error"));
    break;
  }
  case Figure::NormByCorruption:
    // Zhang et al., Section 5: the interpolant fits every labelling; its norm grows with the noise.
    for (const NormSeries& series : data.norms) {
      QCPGraph* graph = plot.addGraph();
      graph->setName(markerOf(series.colour) + QLatin1Char(' ') + series.name);
      graph->setProperty(kCurveLabel, series.name);
      graph->setPen(QPen(runColour(series.colour), style.lineWidth, lineStyleOf(series.colour)));
      graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4 * style.lineWidth));
      graph->setData(QVector<double>(series.level.begin(), series.level.end()),
                     QVector<double>(series.norm.begin(), series.norm.end()), true);
    }
    plot.xAxis->setLabel(QStringLiteral("label corruption"));
    plot.yAxis->setLabel(QStringLiteral("RKHS norm"));
    break;
  default:
    if (const FigureEntry* entry = capacityEntry(figure)) {
      for (const auto& curve : data.*entry->curves) addCurve(plot, curve, {}, Qt::SolidLine, style);
      plot.xAxis->setLabel(QStringLiteral("epochs"));
      plot.yAxis->setLabel(QString::fromLatin1(entry->title));
    }
    break;
  case Figure::TimeToFit:
    for (const SweepSeries& series : data.sweep) addPoints(plot, series, true, style);
    plot.xAxis->setLabel(QStringLiteral("label corruption"));
    plot.yAxis->setLabel(QStringLiteral("time to overfit (relative to true labels)"));
    break;
  case Figure::TestError:
    for (const SweepSeries& series : data.sweep) addPoints(plot, series, false, style);
    plot.xAxis->setLabel(QStringLiteral("label corruption"));
    plot.yAxis->setLabel(QStringLiteral("test error"));
    break;
  }
  placeLegendAbove(plot, style);
  // Nothing to show in the legend: no row for it.
  if (plot.graphCount() == 0 || (!isPointFigure(figure) && curvesOf(figure, data).empty()))
    plot.legend->setVisible(false);
  fitRanges(plot, figure);
}

void followCurveEnds(QCustomPlot& plot) {
  for (int i = 0; i < plot.itemCount(); ++i) {
    auto* tracer = qobject_cast<QCPItemTracer*>(plot.item(i));
    if (tracer == nullptr || tracer->objectName() != kFigureItem || tracer->graph() == nullptr) continue;
    const auto data = tracer->graph()->data();
    if (!data->isEmpty()) tracer->setGraphKey((data->constEnd() - 1)->key);
  }
}

void setLogScale(QCustomPlot& plot, bool on) {
  plot.yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  plot.yAxis->setTicker(on ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog)
                           : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
}

DataBounds dataBounds(const QCustomPlot& plot) {
  const bool log = plot.yAxis->scaleType() == QCPAxis::stLogarithmic;
  DataBounds bounds;
  for (int i = 0; i < plot.graphCount(); ++i) {
    const QCPGraph* graph = plot.graph(i);
    if (graph->data()->isEmpty()) continue;
    bool valuesFound = false;
    const QCPRange values = graph->getValueRange(valuesFound, log ? QCP::sdPositive : QCP::sdBoth);
    if (!valuesFound) continue;
    // Keys are sorted: the first and the last point (QCustomPlot reports no key range for a
    // single point).
    const QCPRange keys(graph->data()->constBegin()->key, (graph->data()->constEnd() - 1)->key);
    bounds.left = bounds.found ? std::min(bounds.left, keys.lower) : keys.lower;
    bounds.right = bounds.found ? std::max(bounds.right, keys.upper) : keys.upper;
    bounds.bottom = bounds.found ? std::min(bounds.bottom, values.lower) : values.lower;
    bounds.top = bounds.found ? std::max(bounds.top, values.upper) : values.upper;
    bounds.found = true;
  }
  return bounds;
}

void fitRanges(QCustomPlot& plot, Figure figure) { fitRanges(plot, figure, dataBounds(plot)); }

void fitRanges(QCustomPlot& plot, Figure figure, const DataBounds& bounds) {
  const bool log = plot.yAxis->scaleType() == QCPAxis::stLogarithmic;
  if (bounds.found) {
    // A single key or value still gets a frame around it.
    const double keyPad = bounds.right > bounds.left ? 0.0 : 0.5;
    if (plot.xAxis->scaleType() == QCPAxis::stLogarithmic && bounds.left > 0)
      plot.xAxis->setRange(bounds.left / 1.3, bounds.right * 1.3);
    else
      plot.xAxis->setRange(bounds.left - keyPad, bounds.right + keyPad);
    if (bounds.top > bounds.bottom)
      plot.yAxis->setRange(bounds.bottom, bounds.top);
    else if (log)
      plot.yAxis->setRange(bounds.bottom / 2, bounds.top * 2);
    else
      plot.yAxis->setRange(bounds.bottom - 0.5, bounds.top + 0.5);
  } else {
    // Before any data: a frame for the first steps of a 10-class problem (initial loss ln 10).
    plot.xAxis->setRange(0.0, 1.0);
    plot.yAxis->setRange(log ? 0.08 : 0.0, 2.5);
  }
  const QCPRange y = plot.yAxis->range();
  switch (figure) {
  case Figure::Loss:
    // Room above the highest loss, so that the first steps do not run along the frame.
    if (log)
      plot.yAxis->setRange(y.lower / 1.25, y.upper * 1.25);
    else
      plot.yAxis->setRange(0.0, y.upper * 1.05);
    break;
  case Figure::Accuracy:
  case Figure::Memorization:
    // Slightly above 1, so that a fitted run's 100% line stays visible above the frame.
    plot.yAxis->setRange(log ? y.lower / 1.25 : 0.0, 1.03);
    break;
  case Figure::ErrorByValue:
    plot.yAxis->setRange(log ? y.lower / 1.25 : 0.0, 1.0);
    if (plot.xAxis->scaleType() != QCPAxis::stLogarithmic) {
      const QCPRange x = plot.xAxis->range();
      plot.xAxis->setRange(x.lower - 0.05 * x.size(), x.upper + 0.05 * x.size());
    }
    break;
  case Figure::NormByCorruption:
    plot.xAxis->setRange(-0.05, 1.05);
    plot.yAxis->setRange(log ? y.lower / 1.25 : 0.0, y.upper * 1.1);
    break;
  case Figure::TestError:
  case Figure::TimeToFit:
    // Corruption levels span [0, 1]; a margin keeps the end points' markers whole.
    plot.xAxis->setRange(-0.05, 1.05);
    if (figure == Figure::TestError)
      plot.yAxis->setRange(log ? y.lower / 1.25 : 0.0, 1.0);
    else
      plot.yAxis->setRange(log ? y.lower / 1.25 : 0.0, std::max(1.0, y.upper) * 1.1);
    break;
  default:  // the capacity measures: room above and below, nothing fixed
    if (log)
      plot.yAxis->setRange(y.lower / 1.25, y.upper * 1.25);
    else
      plot.yAxis->setRange(y.lower - 0.05 * y.size(), y.upper + 0.05 * y.size());
    break;
  }
  // The frame's top and right axes follow the main ones.
  plot.xAxis2->setRange(plot.xAxis->range());
  plot.yAxis2->setScaleType(plot.yAxis->scaleType());
  plot.yAxis2->setRange(plot.yAxis->range());
}

} // namespace genlab::ui
