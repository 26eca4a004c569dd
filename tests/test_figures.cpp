// The figure renderer shared by the command line and the window: figures drawn offscreen
// from a recorded session, written as PNG, JPG, PDF and SVG of the requested size, alone or
// several in a grid, in the normal and the presentation style.

#include "core/errors.h"
#include "ui/figure_renderer.h"
#include "support/checks.h"

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>

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

  void runColoursAreFixedPerRun() {
    // The same run has the same colour in every figure and style family; runs differ.
    QCOMPARE(ui::runColour(1), ui::runColour(1));
    QVERIFY(ui::runColour(0) != ui::runColour(1));
    QCOMPARE(ui::runColour(9), ui::runColour(1));  // the palette repeats after 8
    // The first six runs (a full sweep) stay apart in both styles (Okabe-Ito: at least 67).
    for (bool projector : {false, true})
      for (int a = 0; a < 6; ++a)
        for (int b = a + 1; b < 6; ++b) {
          const QColor p = ui::runColour(a, projector), q = ui::runColour(b, projector);
          const double distance =
              std::hypot(p.red() - q.red(), p.green() - q.green(), p.blue() - q.blue());
          QVERIFY2(distance > 60, qPrintable(QStringLiteral("runs %1 and %2").arg(a).arg(b)));
        }
    QCOMPARE(ui::runColour(1, true).hsvSaturation(), 255);  // saturated for a projector
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
