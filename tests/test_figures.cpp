// The figure renderer shared by the command line and the window: figures drawn offscreen
// from a recorded session, written as PNG, JPG, PDF and SVG of the requested size, alone or
// several in a grid, in the normal and the presentation style.

#include "core/errors.h"
#include "ui/figure_renderer.h"
#include "support/checks.h"
#include "ui/qcustomplot_include.h"

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>

#include <array>
#include <cmath>
#include <functional>

using namespace genlab;

namespace {

/// What a two-run sweep session reports, without training anything.
ui::FigureData recordedSweep() {
  ui::FigureRecorder recorder;
  train::SessionInfo info;
  info.runs = {{0, corruption::Setting::partialLabels(0.0), ""},
               {1, corruption::Setting::partialLabels(1.0), ""}};
  recorder.onSessionStarted(info);
  recorder.onStepLosses({0, 1, 1, 0.1, {2.3F, 1.5F, 0.4F}});
  recorder.onStepLosses({1, 1, 1, 0.1, {2.3F, 2.2F, 2.1F}});
  for (int run : {0, 1}) {
    train::EpochMetrics m;
    m.run = run;
    m.epoch = 1;
    m.trainAccuracy = run == 0 ? 1.0 : 0.3;
    m.testAccuracy = run == 0 ? 0.9 : 0.1;
    recorder.onEpoch(m);
  }
  train::RunSummary stopped;
  stopped.run = 1;
  stopped.setting = corruption::Setting::partialLabels(1.0);
  stopped.status = train::RunStatus::Stopped;
  recorder.onRunEnded(stopped);
  train::SessionResult result;
  result.sweep = {{0.0, 1.0, 0.1}, {1.0, std::nullopt, 0.9}};
  recorder.onSessionEnded(result);
  return recorder.data();
}

/// The page size a PDF declares, from its first /MediaBox [0 0 w h] (in points).
QSizeF pdfPageSize(const QByteArray& pdf) {
  static const QRegularExpression mediaBox(
      QStringLiteral(R"(/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\])"));
  const auto match = mediaBox.match(QString::fromLatin1(pdf));
  return match.hasMatch() ? QSizeF(match.captured(1).toDouble(), match.captured(2).toDouble())
                          : QSizeF();
}

/// Whether `image` has something other than white inside `area`.
bool drawnIn(const QImage& image, const QRect& area) {
  for (int y = area.top(); y <= area.bottom(); y += 3)
    for (int x = area.left(); x <= area.right(); x += 3)
      if (image.pixel(x, y) != qRgb(255, 255, 255)) return true;
  return false;
}

QByteArray readAll(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestFigures : public QObject {
  Q_OBJECT

private:
  QTemporaryDir scratch_;

private Q_SLOTS:
  void recorderGathersCurves() {
    const ui::FigureData data = recordedSweep();
    QCOMPARE(data.loss.size(), size_t(2));
    QCOMPARE(data.loss[0].y, (std::vector<double>{2.3F, 1.5F, 0.4F}));
    QCOMPARE(data.loss[0].x, (std::vector<double>{1, 2, 3}));
    QCOMPARE(data.testAccuracy[1].y, (std::vector<double>{0.1}));
    QVERIFY(data.loss[1].endedEarly);  // marked in the legend
    QVERIFY(data.loss[1].name.endsWith("(stopped)"));
    QVERIFY(!data.loss[0].endedEarly);
    QCOMPARE(ui::figuresFor(data).size(), size_t(4));  // 1a, accuracy, 1b, 1c
  }

  // Figures 1b and 1c of a sweep grow as its runs end, each point relative to the lowest level
  // even before that run has ended; a session that is no sweep gets none from its runs.
  void sweepPointsArriveAsRunsEnd() {
    using train::RunStatus;
    const auto ended = [](int run, double level, RunStatus status, std::optional<int64_t> fitStep, double test) {
      train::RunSummary summary;
      summary.run = run;
      summary.setting = corruption::Setting::partialLabels(level);
      summary.status = status;
      summary.fitStep = fitStep;
      summary.testAccuracy = test;
      return summary;
    };
    for (const bool sweep : {true, false}) {
      ui::FigureRecorder recorder;
      train::SessionInfo info;
      info.sweep = sweep;
      info.model = "MLP 1x512";
      for (int run = 0; run < 3; ++run) info.runs.push_back({run, corruption::Setting::partialLabels(0.5 * run), ""});
      recorder.onSessionStarted(info);
      QVERIFY(recorder.data().sweep.empty());
      recorder.onRunEnded(ended(1, 0.5, RunStatus::Fitted, 300, 0.6));
      if (!sweep) {
        QVERIFY(recorder.data().sweep.empty());
        continue;
      }
      QCOMPARE(recorder.data().sweep.size(), size_t(1));
      QCOMPARE(recorder.data().sweep[0].name, QString("MLP 1x512"));
      QCOMPARE(recorder.data().sweep[0].points.size(), size_t(1));
      QCOMPARE(recorder.data().sweep[0].points[0].level, 0.5);
      QVERIFY(!recorder.data().sweep[0].points[0].relativeTimeToFit);  // level 0 still trains
      recorder.onRunEnded(ended(0, 0.0, RunStatus::Fitted, 100, 0.9));
      QCOMPARE(recorder.data().sweep[0].points.size(), size_t(2));
      QCOMPARE(*recorder.data().sweep[0].points[1].relativeTimeToFit, 3.0);
      recorder.onRunEnded(ended(2, 1.0, RunStatus::Stopped, std::nullopt, 0.1));
      QCOMPARE(recorder.data().sweep[0].points.size(), size_t(2));  // a stopped run: no point
    }
  }

  void memorizationFigureDrawsCleanSolidAndCorruptedDashed() {
    ui::FigureData data = recordedSweep();
    QVERIFY(!std::count(ui::figuresFor(data).begin(), ui::figuresFor(data).end(), ui::Figure::Memorization));
    // Run 0 measured memorization for two epochs; run 1 did not.
    ui::FigureRecorder recorder;
    train::SessionInfo info;
    info.runs = {{0, corruption::Setting::partialLabels(0.4), ""}, {1, corruption::Setting::partialLabels(0.0), ""}};
    recorder.onSessionStarted(info);
    for (const int epoch : {1, 2}) {
      train::EpochMetrics m;
      m.epoch = epoch;
      m.fittedClean = epoch == 1 ? 0.8 : 0.95;
      m.fittedCorrupted = epoch == 1 ? 0.05 : 0.1;
      recorder.onEpoch(m);
      m.run = 1;
      m.fittedClean.reset();
      m.fittedCorrupted.reset();
      recorder.onEpoch(m);
    }
    data = recorder.data();
    QCOMPARE(data.fittedClean[0].y, (std::vector<double>{0.8, 0.95}));
    QCOMPARE(data.fittedCorrupted[0].x, (std::vector<double>{1, 2}));
    QVERIFY(data.fittedClean[1].x.empty());
    QCOMPARE(data.trainAccuracy[1].x.size(), size_t(2));  // the metrics every run has
    const std::vector<ui::Figure> figures = ui::figuresFor(data);
    QCOMPARE(figures.back(), ui::Figure::Memorization);
    QCOMPARE(ui::figureName(ui::Figure::Memorization), QString("memorization"));

    QCustomPlot plot;
    plot.resize(640, 360);
    ui::drawFigure(plot, ui::Figure::Memorization, data);
    const std::vector<const ui::Curve*> curves = ui::curvesOf(ui::Figure::Memorization, data);
    QCOMPARE(curves.size(), size_t(4));  // clean of both runs, then corrupted of both
    QCOMPARE(plot.graphCount(), 6);      // and the two keys
    QCOMPARE(plot.graph(0)->pen().style(), Qt::SolidLine);
    QCOMPARE(plot.graph(2)->pen().style(), Qt::DashLine);
    QCOMPARE(plot.graph(2)->data()->at(1)->value, 0.1);
    QCOMPARE(plot.graph(0)->pen().color(), ui::runColour(0));
    QVERIFY(plot.graph(4)->property(ui::kLegendKeyOnly).toBool());
    QCOMPARE(plot.graph(4)->name(), QString("clean labels (solid)"));
    QCOMPARE(plot.graph(5)->name(), QString("corrupted labels (dashed)"));
    QCOMPARE(plot.yAxis->label(), QString("training examples fitted"));
    QCOMPARE(plot.yAxis->range().lower, 0.0);
    QVERIFY(plot.yAxis->range().upper >= 1.0);

    const QString path = scratch_.path() + "/memorization.png";
    ui::exportFigure(data, ui::Figure::Memorization, path, "png", QSize(640, 360), 1.0);
    const QImage image(path);
    QCOMPARE(image.size(), QSize(640, 360));
    bool runColourDrawn = false;
    for (int y = 0; y < image.height() && !runColourDrawn; ++y)
      for (int x = 0; x < image.width() && !runColourDrawn; ++x)
        runColourDrawn = image.pixelColor(x, y) == ui::runColour(0);
    QVERIFY(runColourDrawn);
  }

  void aCurveOfOnePointIsADot() {
    // A closed-form run has one evaluation: its accuracy is a single point, drawn as a dot.
    ui::FigureData data;
    data.trainAccuracy = {{0, "true labels", {1}, {1.0}, false}, {1, "random labels", {1, 2}, {0.2, 0.3}, false}};
    data.testAccuracy = data.trainAccuracy;
    QCustomPlot plot;
    ui::drawFigure(plot, ui::Figure::Accuracy, data);
    QCOMPARE(plot.graph(0)->scatterStyle().shape(), QCPScatterStyle::ssDisc);
    QVERIFY(plot.graph(1)->scatterStyle().isNone());
  }

  void exportsKeepLongAxisLabelsWithinTheAxis() {
    // What an export draws (QCustomPlot::toPainter lays the plot out at the export's size): a
    // small figure gets Figure 1b's label on two lines, a large one whole.
    const ui::FigureData data = recordedSweep();
    for (const QSize size : {QSize(1280, 720), QSize(480, 300)}) {
      QCustomPlot plot;
      ui::drawFigure(plot, ui::Figure::TimeToFit, data);
      QImage image(size, QImage::Format_RGB32);
      QCPPainter painter(&image);
      plot.toPainter(&painter, size.width(), size.height());
      painter.end();
      const QString label = plot.yAxis->label();
      QCOMPARE(label.count(QLatin1Char('\n')), size.height() == 720 ? 0 : 1);
      QCOMPARE(QString(label).replace(QLatin1Char('\n'), QLatin1Char(' ')), QString("time to overfit (relative to true labels)"));
      const QFontMetricsF metrics(plot.yAxis->labelFont());
      for (const QString& line : label.split(QLatin1Char('\n')))
        QVERIFY(metrics.horizontalAdvance(line) <= plot.axisRect()->height());
    }
  }

  void errorByValueMarksTheInterpolationThreshold() {
    ui::FigureData data;
    data.valueName = "width";
    data.byValue = {{0, "labels 0.15", {8, 32, 128, 512, 2048}, {0.3, 0.01, 0.0005, 0.0, 0.0}, {0.35, 0.45, 0.6, 0.4, 0.3}}};
    QCOMPARE(ui::figuresFor(data).back(), ui::Figure::ErrorByValue);
    QCustomPlot plot;
    plot.resize(640, 360);
    ui::drawFigure(plot, ui::Figure::ErrorByValue, data);
    QCOMPARE(plot.graphCount(), 4);  // test and training errors, two keys
    QCOMPARE(plot.graph(0)->pen().style(), Qt::SolidLine);
    QCOMPARE(plot.graph(1)->pen().style(), Qt::DashLine);
    QCOMPARE(plot.graph(0)->data()->at(2)->value, 0.6);
    QCOMPARE(plot.xAxis->scaleType(), QCPAxis::stLogarithmic);  // 8 to 2048
    QCOMPARE(plot.xAxis->label(), QString("width"));
    QVERIFY(plot.xAxis->range().contains(8) && plot.xAxis->range().contains(2048));
    const auto* line = [&]() -> QCPItemStraightLine* {
      for (int i = 0; i < plot.itemCount(); ++i)
        if (auto* found = qobject_cast<QCPItemStraightLine*>(plot.item(i))) return found;
      return nullptr;
    }();
    QVERIFY(line != nullptr);
    QCOMPARE(line->point1->coords().x(), 128.0);  // the first width that misses at most 0.1%
    const QString path = scratch_.path() + "/error-by-value.png";
    ui::exportFigure(data, ui::Figure::ErrorByValue, path, "png", QSize(640, 360), 1.0);
    QCOMPARE(QImage(path).size(), QSize(640, 360));
  }

  void exportsEachFormatAtTheRequestedSize_data() {
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("figure");
    QTest::addColumn<double>("scale");
    QTest::newRow("png 1a") << "png" << int(ui::Figure::Loss) << 1.0;
    QTest::newRow("png accuracy x2") << "png" << int(ui::Figure::Accuracy) << 2.0;
    QTest::newRow("png 1b") << "png" << int(ui::Figure::TimeToFit) << 1.0;
    QTest::newRow("png 1c") << "png" << int(ui::Figure::TestError) << 1.5;
    QTest::newRow("pdf") << "pdf" << int(ui::Figure::Loss) << 1.0;
    QTest::newRow("svg") << "svg" << int(ui::Figure::Loss) << 1.0;
  }

  void exportsEachFormatAtTheRequestedSize() {
    QFETCH(QString, format);
    QFETCH(int, figure);
    QFETCH(double, scale);
    const ui::FigureData data = recordedSweep();
    const QString path = scratch_.path() + "/" + QTest::currentDataTag() + "." + format;
    ui::exportFigure(data, static_cast<ui::Figure>(figure), path, format, QSize(640, 360), scale);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(bytes.size() > 1000);
    if (format == "png") {
      const QImage image(path);
      QCOMPARE(image.width(), qRound(640 * scale));
      QCOMPARE(image.height(), qRound(360 * scale));
      // Not blank: the curves and axes put more than one colour on the canvas.
      QSet<QRgb> colours;
      for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
      QVERIFY2(colours.size() > 3, qPrintable(QString::number(colours.size())));
    } else if (format == "pdf") {
      QVERIFY(bytes.startsWith("%PDF"));
    } else {
      QVERIFY(bytes.contains("<svg") && bytes.contains("width=\"640"));
    }
  }

  void rasterExportsAreSizeTimesScale_data() {
    QTest::addColumn<QString>("format");
    QTest::addColumn<QByteArray>("magic");
    QTest::newRow("png") << "png" << QByteArray("\x89PNG");
    QTest::newRow("jpg") << "jpg" << QByteArray("\xff\xd8\xff");
  }

  void rasterExportsAreSizeTimesScale() {
    QFETCH(QString, format);
    QFETCH(QByteArray, magic);
    const QString path = scratch_.filePath("scaled." + format);
    ui::exportFigure(recordedSweep(), ui::Figure::Loss, path, format, QSize(640, 360), 2.0);
    QVERIFY(readAll(path).startsWith(magic));
    QImageReader reader(path);
    QCOMPARE(reader.size(), QSize(1280, 720));
  }

  // Each format replaces an earlier file of the same name through a temporary file of its own
  // (QSaveFile): the folder holds the new figure and nothing else.
  void exportsReplaceAnEarlierFileWhole_data() {
    QTest::addColumn<QString>("format");
    for (const QString& format : ui::figureFormats()) QTest::newRow(qPrintable(format)) << format;
  }
  void exportsReplaceAnEarlierFileWhole() {
    QFETCH(QString, format);
    const QString folder = scratch_.filePath("replace-" + format);
    QVERIFY(QDir().mkpath(folder));
    const QString path = folder + "/figure." + format;
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("an earlier export");
    old.close();
    ui::exportFigure(recordedSweep(), ui::Figure::Loss, path, format, QSize(320, 200), 1.0);
    QVERIFY(!readAll(path).startsWith("an earlier export"));
    QVERIFY(QFileInfo(path).size() > 100);
    QCOMPARE(QDir(folder).entryList(QDir::Files | QDir::Hidden), QStringList{"figure." + format});
  }

  void pdfPageIsTheSizeInPoints() {
    const QString path = scratch_.filePath("page.pdf");
    ui::exportFigure(recordedSweep(), ui::Figure::Accuracy, path, "pdf", QSize(640, 360), 3.0);
    const QByteArray pdf = readAll(path);
    QVERIFY(pdf.startsWith("%PDF"));
    QCOMPARE(pdfPageSize(pdf), QSizeF(640, 360));  // the scale is for raster formats only
  }

  void svgIsTheSize() {
    const QString path = scratch_.filePath("figure.svg");
    ui::exportFigure(recordedSweep(), ui::Figure::TestError, path, "svg", QSize(640, 360), 1.0);
    QSvgRenderer svg(path);
    QVERIFY(svg.isValid());
    QCOMPARE(svg.viewBox(), QRect(0, 0, 640, 360));
    QCOMPARE(svg.defaultSize(), QSize(640, 360));
  }

  void gridsOfFiguresFillTheRequestedSize_data() {
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("format");
    QTest::newRow("2 png") << 2 << "png";
    QTest::newRow("4 png") << 4 << "png";
    QTest::newRow("2 pdf") << 2 << "pdf";
    QTest::newRow("4 svg") << 4 << "svg";
  }

  void gridsOfFiguresFillTheRequestedSize() {
    QFETCH(int, count);
    QFETCH(QString, format);
    const std::vector<ui::Figure> all = ui::figuresFor(recordedSweep());
    const std::vector<ui::Figure> figures(all.begin(), all.begin() + count);
    const QString path = scratch_.filePath(QStringLiteral("grid%1.%2").arg(count).arg(format));
    ui::exportFigures(recordedSweep(), figures, path, format, QSize(1280, 720), 1.5);
    if (format == "pdf") {
      QCOMPARE(pdfPageSize(readAll(path)), QSizeF(1280, 720));
      return;
    }
    if (format == "svg") {
      QCOMPARE(QSvgRenderer(path).viewBox(), QRect(0, 0, 1280, 720));
      return;
    }
    const QImage image(path);
    QCOMPARE(image.size(), QSize(1920, 1080));
    // Two columns, one row per pair: every cell holds a figure.
    const int rows = (count + 1) / 2;
    for (int i = 0; i < count; ++i) {
      const QRect cell(i % 2 * 960, i / 2 * (1080 / rows), 960, 1080 / rows);
      QVERIFY2(drawnIn(image, cell.adjusted(100, 100, -100, -100)), qPrintable(QString::number(i)));
    }
  }

  void renderFigureIsSizeTimesScale() {
    const QImage image = ui::renderFigure(recordedSweep(), ui::Figure::Loss, QSize(300, 200), 1.5);
    QCOMPARE(image.size(), QSize(450, 300));
    QVERIFY(drawnIn(image, image.rect()));
  }

  void presentationStyleDrawsBolder() {
    // Same figure and size: the presentation style's 4 px lines and 20 pt text put more ink on
    // the canvas than the normal style's 2 px and 10 pt.
    const auto ink = [](const QImage& image) {
      int dark = 0;
      for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) dark += qGray(image.pixel(x, y)) < 160;
      return dark;
    };
    const ui::FigureData data = recordedSweep();
    const QImage normal = ui::renderFigure(data, ui::Figure::Loss, QSize(640, 360), 1.0);
    const QImage slide = ui::renderFigure(data, ui::Figure::Loss, QSize(640, 360), 1.0,
                                          ui::FigureStyle::presentation());
    QVERIFY2(ink(slide) > ink(normal) * 3 / 2,
             qPrintable(QStringLiteral("%1 vs %2").arg(ink(slide)).arg(ink(normal))));
    QCOMPARE(ui::FigureStyle::presentation().fontPointSize, 20.0);
    QVERIFY(ui::FigureStyle::presentation() != ui::FigureStyle{});
  }

  void paletteStaysApartForDeuteranopesAndOnAProjector() {
    // The first five colours (Figure 1a's settings) and all eight, compared as a person with
    // normal colour vision sees them, as a deuteranope does (Machado, Oliveira and Fernandes
    // 2009, severity 1), and each again washed out as a projector shows them (45% white veil):
    // CIE76 colour differences of at least 15 (five) and 10 (eight). Each colour is at least
    // 3:1 against the white background (WCAG's figure for graphics).
    const auto linear = [](double c) { c /= 255; return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
    const auto gamma = [](double c) {
      c = std::clamp(c, 0.0, 1.0);
      return 255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1 / 2.4) - 0.055);
    };
    using Rgb = std::array<double, 3>;
    const auto lab = [&](const Rgb& rgb) {
      const double r = linear(rgb[0]), g = linear(rgb[1]), b = linear(rgb[2]);
      const double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, y = 0.2126 * r + 0.7152 * g + 0.0722 * b,
                   z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
      const auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116; };
      return Rgb{116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
    };
    const auto deuteranope = [&](const Rgb& rgb) {
      static const double m[3][3] = {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413},
                                     {-0.011820, 0.042940, 0.968881}};
      const double l[3] = {linear(rgb[0]), linear(rgb[1]), linear(rgb[2])};
      Rgb out;
      for (int i = 0; i < 3; ++i) out[static_cast<size_t>(i)] = gamma(m[i][0] * l[0] + m[i][1] * l[1] + m[i][2] * l[2]);
      return out;
    };
    const auto washed = [](const Rgb& rgb) { return Rgb{rgb[0] * 0.55 + 114.75, rgb[1] * 0.55 + 114.75, rgb[2] * 0.55 + 114.75}; };
    const auto difference = [&](const Rgb& a, const Rgb& b) {
      const Rgb p = lab(a), q = lab(b);
      return std::hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
    };
    const auto rgb = [](int run) {
      const QColor c = ui::runColour(run);
      return Rgb{double(c.red()), double(c.green()), double(c.blue())};
    };
    for (const auto& [count, least] : {std::pair{5, 15.0}, std::pair{8, 10.0}})
      for (int a = 0; a < count; ++a)
        for (int b = a + 1; b < count; ++b)
          for (const auto& seen : std::vector<std::function<Rgb(const Rgb&)>>{
                   [](const Rgb& c) { return c; }, deuteranope, washed, [&](const Rgb& c) { return washed(deuteranope(c)); }}) {
            const double d = difference(seen(rgb(a)), seen(rgb(b)));
            QVERIFY2(d >= least, qPrintable(QStringLiteral("runs %1 and %2: %3").arg(a).arg(b).arg(d)));
          }
    for (int run = 0; run < 8; ++run) {
      const Rgb c = rgb(run);
      const double luminance = 0.2126 * linear(c[0]) + 0.7152 * linear(c[1]) + 0.0722 * linear(c[2]);
      QVERIFY2(1.05 / (luminance + 0.05) >= 3.0, qPrintable(QStringLiteral("run %1").arg(run)));
    }
    QCOMPARE(ui::runColour(9), ui::runColour(1));  // the palette repeats after 8, with another line
    QVERIFY(ui::lineStyleOf(9) != ui::lineStyleOf(1));
    QVERIFY(ui::markerOf(0) != ui::markerOf(1));  // the second cue
  }

  void legendStaysOutsideTheData() {
    // Every figure's legend sits above its axes: no curve point can be under it.
    const ui::FigureData data = recordedSweep();
    for (const ui::Figure figure : {ui::Figure::Loss, ui::Figure::Accuracy, ui::Figure::TimeToFit, ui::Figure::TestError}) {
      QCustomPlot plot;
      plot.resize(640, 400);
      ui::drawFigure(plot, figure, data);
      plot.replot();
      QVERIFY(plot.legend->visible());
      const QRect legend = plot.legend->outerRect();
      const QRect axes = plot.axisRect()->rect();
      QVERIFY2(!legend.intersects(axes), qPrintable(ui::figureName(figure)));
      QVERIFY(legend.bottom() <= axes.top());
      // Every run named once, with its marker.
      if (figure == ui::Figure::Loss)
        for (int i = 0; i < plot.legend->itemCount(); ++i)
          QVERIFY(static_cast<QCPPlottableLegendItem*>(plot.legend->item(i))->plottable()->name().startsWith(ui::markerOf(i)));
    }
    ui::FigureStyle none;
    none.legend = false;
    QCustomPlot plot;
    plot.resize(640, 400);
    ui::drawFigure(plot, ui::Figure::Loss, data, none);
    QVERIFY(!plot.legend->visible());
  }

  void exportsCarryTheirTitleAndCaption() {
    const ui::FigureData data = recordedSweep();
    ui::FigureStyle style;
    style.legend = false;
    const QString plain = scratch_.path() + "/plain.png", titled = scratch_.path() + "/titled.png";
    ui::exportFigure(data, ui::Figure::Loss, plain, "png", {640, 400}, 1.0, style);
    ui::exportFigure(data, ui::Figure::Loss, titled, "png", {640, 400}, 1.0, style,
                     {"Random labels are memorized", "MLP 1x512, 5 settings, Fashion-MNIST"});
    const QImage a(plain), b(titled);
    QCOMPARE(b.size(), QSize(640, 400));
    // The frame of the axes (rows dark across more than half the width) moves in to make room
    // for a line of text above and below, and text is drawn there.
    const auto darkIn = [](const QImage& image, int y) {
      int count = 0;
      for (int x = 0; x < image.width(); ++x) count += qGray(image.pixel(x, y)) < 128 ? 1 : 0;
      return count;
    };
    const auto frame = [&](const QImage& image) {
      int top = -1, bottom = -1;
      for (int y = 0; y < image.height(); ++y)
        if (darkIn(image, y) > image.width() / 2) {
          if (top < 0) top = y;
          bottom = y;
        }
      return std::pair{top, bottom};
    };
    const auto [plainTop, plainBottom] = frame(a);
    const auto [top, bottom] = frame(b);
    QVERIFY2(top > plainTop + 15 && bottom < plainBottom - 10,
             qPrintable(QString("frame %1..%2, with text %3..%4").arg(plainTop).arg(plainBottom).arg(top).arg(bottom)));
    int title = 0, caption = 0;
    for (int y = 0; y < top - 2; ++y) title += darkIn(b, y);
    for (int y = b.height() - 20; y < b.height(); ++y) caption += darkIn(b, y);
    QVERIFY(title > 50);
    QVERIFY(caption > 50);
  }


  void unwritablePathIsAnInputError_data() {
    QTest::addColumn<QString>("format");
    for (const QString& format : ui::figureFormats()) QTest::newRow(qPrintable(format)) << format;
  }

  void unwritablePathIsAnInputError() {
    QFETCH(QString, format);
    const QString path = "/no/such/folder/figure." + format;
    const std::string message = test::messageOf<InputError>([&] {
      ui::exportFigure(recordedSweep(), ui::Figure::Loss, path, format, QSize(100, 100), 1.0);
    });
    QVERIFY2(message.find("cannot write figure '" + path.toStdString() + "'") != std::string::npos,
             message.c_str());
    QVERIFY(!QFile::exists(path));
  }

  void unknownFormatIsAnInputError() {
    const std::string message = test::messageOf<InputError>([&] {
      ui::exportFigure(recordedSweep(), ui::Figure::Loss, scratch_.filePath("figure.bmp"), "bmp",
                       QSize(100, 100), 1.0);
    });
    QVERIFY2(message.find("unknown figure format 'bmp'") != std::string::npos, message.c_str());
    QVERIFY(!QFile::exists(scratch_.filePath("figure.bmp")));
  }

  void rasterBeyondWhatAnImageHoldsIsAnInputError() {
    const QString path = scratch_.filePath("huge.png");
    const std::string message = test::messageOf<InputError>([&] {
      ui::exportFigure(recordedSweep(), ui::Figure::Loss, path, "png", QSize(10000, 10000), 8.0);
    });
    QVERIFY2(message.find("makes an image of 80000x80000 pixels, more than an image can hold") !=
                 std::string::npos,
             message.c_str());
    QVERIFY(!QFile::exists(path));
  }

  void emptyGridIsAnInputError() {
    const std::string message = test::messageOf<InputError>([&] {
      ui::exportFigures(recordedSweep(), {}, scratch_.filePath("none.png"), "png", QSize(100, 100),
                        1.0);
    });
    QVERIFY2(message.find("no figures") != std::string::npos, message.c_str());
  }
};

QTEST_MAIN(TestFigures)
#include "test_figures.moc"
