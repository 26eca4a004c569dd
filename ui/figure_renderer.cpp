#include "ui/figure_renderer.h"

#include "core/errors.h"
#include "ui/qcustomplot_include.h"

#include <QSvgGenerator>

namespace genlab::ui {

namespace {

/// Colours that stay apart for colour-blind readers and on a projector (Okabe-Ito).
QColor runColour(int run) {
  static const QColor palette[] = {QColor(0, 114, 178),  QColor(213, 94, 0),  QColor(0, 158, 115),
                                   QColor(204, 121, 167), QColor(230, 159, 0), QColor(86, 180, 233),
                                   QColor(0, 0, 0),      QColor(240, 228, 66)};
  return palette[static_cast<size_t>(run) % std::size(palette)];
}

void addCurve(QCustomPlot& plot, const Curve& curve, Qt::PenStyle style, const QString& suffix) {
  QCPGraph* graph = plot.addGraph();
  graph->setName(curve.name + suffix);
  QPen pen(runColour(curve.run), 2.0, style);
  graph->setPen(pen);
  graph->setData(QVector<double>(curve.x.begin(), curve.x.end()),
                 QVector<double>(curve.y.begin(), curve.y.end()), /*alreadySorted=*/true);
}

void addPoints(QCustomPlot& plot, const std::vector<train::SweepPoint>& sweep, bool timeToFit) {
  QVector<double> x, y;
  for (const auto& point : sweep) {
    if (timeToFit && !point.relativeTimeToFit) continue;
    x.push_back(point.level);
    y.push_back(timeToFit ? *point.relativeTimeToFit : point.testError);
  }
  QCPGraph* graph = plot.addGraph();
  graph->setName(timeToFit ? QStringLiteral("time to fit / time with true labels")
                           : QStringLiteral("test error"));
  graph->setPen(QPen(runColour(0), 2.0));
  graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 8));
  graph->setData(x, y, true);
}

} // namespace

std::vector<Figure> figuresFor(const FigureData& data) {
  std::vector<Figure> figures{Figure::Loss, Figure::Accuracy};
  if (!data.sweep.empty()) {
    figures.push_back(Figure::TimeToFit);
    figures.push_back(Figure::TestError);
  }
  return figures;
}

QString figureName(Figure figure) {
  switch (figure) {
  case Figure::Loss:
    return QStringLiteral("figure1a-loss");
  case Figure::Accuracy:
    return QStringLiteral("accuracy");
  case Figure::TimeToFit:
    return QStringLiteral("figure1b-time-to-fit");
  case Figure::TestError:
    return QStringLiteral("figure1c-test-error");
  }
  return QStringLiteral("figure");
}

void drawFigure(QCustomPlot& plot, Figure figure, const FigureData& data) {
  plot.clearGraphs();
  plot.legend->setVisible(true);
  plot.legend->setBrush(QColor(255, 255, 255, 220));
  switch (figure) {
  case Figure::Loss:
    for (const auto& curve : data.loss) addCurve(plot, curve, Qt::SolidLine, {});
    plot.xAxis->setLabel(QStringLiteral("training steps"));
    plot.yAxis->setLabel(QStringLiteral("training loss"));
    break;
  case Figure::Accuracy:
    for (const auto& curve : data.trainAccuracy) addCurve(plot, curve, Qt::SolidLine, QStringLiteral(", train"));
    for (const auto& curve : data.testAccuracy) addCurve(plot, curve, Qt::DashLine, QStringLiteral(", test"));
    plot.xAxis->setLabel(QStringLiteral("epochs"));
    plot.yAxis->setLabel(QStringLiteral("accuracy"));
    break;
  case Figure::TimeToFit:
    addPoints(plot, data.sweep, true);
    plot.xAxis->setLabel(QStringLiteral("label corruption"));
    plot.yAxis->setLabel(QStringLiteral("time to overfit (relative to true labels)"));
    break;
  case Figure::TestError:
    addPoints(plot, data.sweep, false);
    plot.xAxis->setLabel(QStringLiteral("label corruption"));
    plot.yAxis->setLabel(QStringLiteral("test error"));
    break;
  }
  plot.rescaleAxes();
  if (figure == Figure::Accuracy || figure == Figure::TestError) plot.yAxis->setRange(0.0, 1.0);
  if (figure == Figure::Loss) plot.yAxis->setRangeLower(0.0);
  if (figure == Figure::TimeToFit || figure == Figure::TestError) {
    // Corruption levels span [0, 1]; a margin keeps the end points' markers whole.
    plot.xAxis->setRange(-0.05, 1.05);
    if (figure == Figure::TimeToFit)
      plot.yAxis->setRange(0.0, std::max(1.0, plot.yAxis->range().upper) * 1.1);
  }
}

void exportFigure(const FigureData& data, Figure figure, const QString& path,
                  const QString& format, QSize size, double scale) {
  QCustomPlot plot;
  plot.resize(size);
  drawFigure(plot, figure, data);
  plot.replot();
  bool written = false;
  if (format == QLatin1String("png")) {
    written = plot.savePng(path, size.width(), size.height(), scale);
  } else if (format == QLatin1String("pdf")) {
    written = plot.savePdf(path, size.width(), size.height());
  } else if (format == QLatin1String("svg")) {
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(figureName(figure));
    QCPPainter painter;
    written = painter.begin(&svg);
    if (written) {
      plot.toPainter(&painter, size.width(), size.height());
      written = painter.end();
    }
  } else {
    throw InputError("unknown figure format '" + format.toStdString() + "' (png, pdf, svg)");
  }
  if (!written) throw InputError("cannot write figure '" + path.toStdString() + "'");
}

} // namespace genlab::ui
