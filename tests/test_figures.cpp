// The figure renderer shared by the command line and the window: figures drawn offscreen
// from a recorded session, written as PNG, PDF and SVG of the requested size.

#include "core/errors.h"
#include "ui/figure_renderer.h"
#include "support/qt_torch.h"

#include <QApplication>
#include <QFile>
#include <QImage>
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

  void unwritablePathIsAnInputError() {
    const std::string message = test::messageOf<InputError>([] {
      ui::exportFigure(recordedSweep(), ui::Figure::Loss, "/proc/no/such/figure.png", "png",
                       QSize(100, 100), 1.0);
    });
    QVERIFY2(message.find("cannot write figure '/proc/no/such/figure.png'") != std::string::npos,
             message.c_str());
  }
};

QTEST_MAIN(TestFigures)
#include "test_figures.moc"
