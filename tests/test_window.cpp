// The lab window (issue 5): the form yields the session spec, the controller drives the plots
// from a background thread, the transport (pause, step, stop) does what it says, experiments
// and metrics round-trip through files, errors reach the user, and closing during training is
// clean. Runs offscreen on a tiny synthetic data set.

#include "core/results/memorization_file.h"
#include "core/results/presets.h"
#include "support/results_files.h"
#include "support/session_recorder.h"
#include "ui/data_preview.h"
#include "ui/experiment_form.h"
#include "ui/main_window.h"
#include "ui/sweep_dialog.h"
#include "ui/window_memory.h"
#include "support/time_scale.h"
#include "ui/plot_panel.h"
#include "ui/qcustomplot_include.h"
#include "ui/plots_page.h"
#include "ui/legend_bar.h"
#include "ui/figure_renderer.h"
#include "ui/run_library.h"
#include "ui/run_table_page.h"
#include "ui/runs_model.h"
#include "ui/runs_panel.h"
#include "ui/session_progress.h"
#include "ui/training_controller.h"

#include <QAction>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProcess>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QWheelEvent>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QPushButton>
#include <QScrollArea>
#include <QtTest>
#include <QTableWidget>

#include <optional>
#include <set>

using namespace genlab;
using genlab::ui::Figure;
using genlab::ui::SessionState;

namespace {

/// `runs` x `epochs` of 256 images in batches of 32: 8 steps an epoch.
train::ExperimentSpec finiteSpec(int64_t epochs) {
  train::ExperimentSpec spec = test::tinySpec(256);
  spec.name = "window-test";
  spec.training.epochs = epochs;
  spec.training.stopWhenFitted = false;
  return spec;
}

int64_t lossCount(const ui::FigureData& data) {
  int64_t count = 0;
  for (const auto& curve : data.loss) count += static_cast<int64_t>(curve.x.size());
  return count;
}

QJsonObject readJson(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace

class TestWindow : public QObject {
  Q_OBJECT

  QTemporaryDir scratch_;

  ui::WindowOptions options() const {
    ui::WindowOptions options;
    options.resultsRoot = scratch_.path() + "/runs";
    options.restoreSettings = false;
    return options;
  }

  /// Options whose results root holds no earlier test's sessions, so that the runs panel lists
  /// only what a test opens.
  ui::WindowOptions isolated(const QString& name) const {
    ui::WindowOptions options = this->options();
    options.resultsRoot = scratch_.path() + "/own-" + name;
    return options;
  }

  /// Starts a session that would run for days and returns once `deliveries` batches of
  /// metrics have reached the window: training is under way.
  static bool startEndlessSession(ui::MainWindow& window, int deliveries) {
    window.setSpec(finiteSpec(100000));
    QSignalSpy batches(window.controller(), &ui::TrainingController::metricsArrived);
    window.start();
    return QTest::qWaitFor([&] { return batches.count() >= deliveries; }, test::scaledMs(30000));
  }

  /// Two finished sessions in `root`, "...-keep" and "...-gone", for tests that remove one.
  static QString writeKeepAndGone(const QString& root) {
    test::writeFinishedSession((root + "/20260101-100000-keep").toStdString(), finiteSpec(1), 1, 2);
    test::writeFinishedSession((root + "/20260101-110000-gone").toStdString(), finiteSpec(1), 1, 2);
    return root;
  }

  /// Starts `spec` in `window` and returns how its session failed: nullopt when it did not fail
  /// exactly once within 10 seconds.
  static std::optional<ui::Failure> failedStart(ui::MainWindow& window, const train::ExperimentSpec& spec) {
    window.setSpec(spec);
    QSignalSpy failed(window.controller(), &ui::TrainingController::sessionFailed);
    window.start();
    if (!QTest::qWaitFor([&] { return failed.count() >= 1; }, 10000) || failed.count() != 1) return std::nullopt;
    return failed.at(0).at(0).value<ui::Failure>();
  }

  static bool waitForState(const ui::TrainingController& controller, SessionState state, int ms) {
    ms = test::scaledMs(ms);
    QElapsedTimer timer;
    timer.start();
    while (controller.state() != state && timer.elapsed() < ms) QTest::qWait(10);
    return controller.state() == state;
  }

private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(scratch_.isValid());
  }

  void windowBuildsWithEveryControl() {
    ui::MainWindow window(options());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const ui::WindowActions& a = window.actions();
    for (QAction* action : {a.start, a.pause, a.step, a.stop, a.reset, a.exportFigure, a.copy, a.csv,
                            a.json, a.open, a.save, a.openRuns, a.presentation, a.fit, a.runsPanel})
      QVERIFY(action != nullptr);
    QCOMPARE(a.start->shortcut(), QKeySequence(Qt::Key_F5));
    QCOMPARE(window.controller()->state(), SessionState::Idle);
    QVERIFY(!a.stop->isEnabled());
    // Figures 1b and 1c appear only for a sweep.
    QVERIFY(window.panel(Figure::Loss)->isVisible());
    QVERIFY(!window.panel(Figure::TimeToFit)->isVisible());
    window.form()->sweepBox()->setChecked(true);
    QVERIFY(window.panel(Figure::TimeToFit)->isVisible());
  }

  void formYieldsTheMatchingSpec() {
    ui::ExperimentForm form;
    using corruption::Kind;
    for (const Kind kind : {Kind::TrueLabels, Kind::PartialLabels, Kind::RandomLabels,
                            Kind::ShuffledPixels, Kind::RandomPixels, Kind::GaussianInputs})
      form.settingBox(kind)->setChecked(false);
    form.settingBox(Kind::TrueLabels)->setChecked(true);
    form.settingBox(Kind::PartialLabels)->setChecked(true);
    form.partialLevel()->setValue(0.3);
    form.settingBox(Kind::GaussianInputs)->setChecked(true);
    form.architecture()->setCurrentIndex(form.architecture()->findData(int(models::Architecture::AlexNet)));
    form.weightDecay()->setValue(0.0005);
    form.dropout()->setValue(0.25);
    form.augment()->setChecked(true);
    form.epochs()->setValue(17);
    train::ExperimentSpec spec = form.spec();
    const std::vector<corruption::Setting> expected{corruption::Setting::trueLabels(),
                                                    corruption::Setting::partialLabels(0.3),
                                                    corruption::Setting::gaussianInputs()};
    QVERIFY(spec.settings == expected);
    QVERIFY(spec.model.architecture == models::Architecture::AlexNet);
    QCOMPARE(spec.optimizer.weightDecay, 0.0005);
    QCOMPARE(spec.model.dropout, 0.25);
    QVERIFY(spec.regularizers.augment);
    QCOMPARE(spec.training.epochs, int64_t{17});

    form.sweepBox()->setChecked(true);
    form.sweepLevels()->setText("0, 0.5, 1");
    spec = form.spec();
    QVERIFY((train::runSettings(spec) == std::vector<corruption::Setting>{
        corruption::Setting::partialLabels(0), corruption::Setting::partialLabels(0.5),
        corruption::Setting::partialLabels(1)}));
    form.sweepLevels()->setText("0, 1.5");
    QVERIFY(form.problem().has_value());
    QVERIFY(form.problem()->contains("between 0 and 1"));
  }

  void everyPresetSurvivesTheForm() {
    // A preset shown in the form and read back is the same experiment: nothing is lost.
    ui::ExperimentForm form;
    const auto presets = results::loadPresets(results::presetFolder());
    QVERIFY(presets.size() >= 3);
    for (const auto& preset : presets) {
      form.setSpec(preset.spec);
      QVERIFY2(form.spec() == preset.spec, preset.id.c_str());
    }
    // And the compute fields that no preset sets.
    train::ExperimentSpec custom;
    custom.compute.threads = 3;
    custom.compute.concurrentRuns = 2;
    form.setSpec(custom);
    QVERIFY(form.spec() == custom);
  }

  void parameterCountFollowsTheArchitecture() {
    ui::MainWindow window(options());
    const train::ExperimentSpec defaults;  // MLP 1x512 on Fashion-MNIST's 1x28x28
    window.setSpec(defaults);
    QTRY_COMPARE(window.form()->parameterLabel()->text(), QString("407,050"));
    window.form()->depth()->setValue(3);  // + two 512x512 layers with biases
    QTRY_COMPARE(window.form()->parameterLabel()->text(), QString("932,362"));
  }

  void sessionDrivesThePlotsToTheExpectedPoints() {
    ui::MainWindow window(options());
    window.show();
    window.setSpec(finiteSpec(3));
    QSignalSpy batches(window.controller(), &ui::TrainingController::metricsArrived);
    QSignalSpy ended(window.controller(), &ui::TrainingController::sessionEnded);
    window.start();
    QVERIFY(waitForState(*window.controller(), SessionState::Ended, 60000));
    QCOMPARE(ended.count(), 1);
    QVERIFY(batches.count() >= 1);
    int64_t losses = 0, epochs = 0;
    for (const auto& arguments : batches) {
      const auto batch = arguments.at(0).value<ui::MetricsBatch>();
      for (const auto& l : batch.losses) losses += static_cast<int64_t>(l.losses.size());
      epochs += static_cast<int64_t>(batch.epochs.size());
    }
    QCOMPARE(losses, int64_t{2 * 3 * 8});  // two runs, three epochs of eight steps
    QCOMPARE(epochs, int64_t{2 * 3});
    QCOMPARE(lossCount(window.figureData()), losses);
    QTRY_COMPARE(window.panel(Figure::Loss)->pointCount(), 48);
    QTRY_COMPARE(window.panel(Figure::Accuracy)->pointCount(), 2 * 2 * 3);  // train and test
    // The results folder was written as the session went.
    const QJsonObject summary = readJson(window.controller()->resultsFolder() + "/summary.json");
    QCOMPARE(summary["runs"].toArray().size(), 2);
    QVERIFY(window.statusText().contains("epoch 3/3"));
  }

  void stopReturnsWithinASecond() {
    ui::MainWindow window(options());
    QVERIFY(startEndlessSession(window, 3));
    QElapsedTimer timer;
    timer.start();
    window.stop();
    QVERIFY(waitForState(*window.controller(), SessionState::Ended, 5000));
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed()) + " ms"));
    for (const auto& curve : window.figureData().loss) QVERIFY(curve.name.contains("stopped"));
  }

  void stopKeepsACheckpointAndResumeSessionContinues() {
    ui::MainWindow window(isolated("resume"));
    window.show();
    window.setSpec(finiteSpec(120));  // a few seconds: stopped early, resumed to its end
    QVERIFY(!window.actions().resumeSession->isEnabled());
    QSignalSpy batches(window.controller(), &ui::TrainingController::metricsArrived);
    window.start();
    QVERIFY(QTest::qWaitFor([&] {
      for (const auto& arguments : batches)
        if (!arguments.at(0).value<ui::MetricsBatch>().epochs.empty()) return true;
      return false;
    }, 30000));
    window.stop();
    QVERIFY(waitForState(*window.controller(), SessionState::Ended, 5000));
    const QString folder = window.sessionFolder();
    QVERIFY(QFile::exists(folder + "/checkpoint-run0.pt") || QFile::exists(folder + "/checkpoint-run1.pt"));
    QVERIFY(window.actions().resumeSession->isEnabled());

    QSignalSpy failed(window.controller(), &ui::TrainingController::sessionFailed);
    window.actions().resumeSession->trigger();
    QVERIFY2(waitForState(*window.controller(), SessionState::Ended, 60000),
             qPrintable(failed.isEmpty() ? ui::describe(window.controller()->state()) : failed.front().at(1).toString()));
    QCOMPARE(window.sessionFolder(), folder);
    const QJsonObject summary = readJson(folder + "/summary.json");
    for (const auto& value : summary["runs"].toArray()) {
      const QJsonObject run = value.toObject();
      QCOMPARE(run["status"].toString(), QString("finished"));
      QCOMPARE(run["epochs"].toInt(), 120);
      QCOMPARE(run["resumed_from_epoch"].toArray().size(), 1);
    }
    // The plots hold whole runs: the curves before the stop came back from the folder.
    QCOMPARE(lossCount(window.figureData()), int64_t{2 * 120 * 8});
    QTRY_COMPARE(window.panel(Figure::Accuracy)->pointCount(), 2 * 2 * 120);
    QVERIFY(!window.actions().resumeSession->isEnabled());  // nothing left to continue
  }

  void pauseHoldsTheStepCountAndStepAdvancesIt() {
    ui::MainWindow window(options());
    QVERIFY(startEndlessSession(window, 2));
    window.togglePause();
    QCOMPARE(window.controller()->state(), SessionState::Paused);
    QTRY_VERIFY(window.controller()->holding() && window.controller()->allDelivered());
    const int64_t held = lossCount(window.figureData());
    QTest::qWait(500);
    QCOMPARE(lossCount(window.figureData()), held);
    window.step();  // one step of each of the two runs
    QTRY_COMPARE(lossCount(window.figureData()), held + 2);
    window.togglePause();
    QCOMPARE(window.controller()->state(), SessionState::Running);
    QTRY_VERIFY(lossCount(window.figureData()) > held + 2);
    window.stop();
    QVERIFY(waitForState(*window.controller(), SessionState::Ended, 5000));
  }

  void resetWhileTrainingClearsEverything() {
    ui::MainWindow window(options());
    QVERIFY(startEndlessSession(window, 2));
    window.reset();  // stops, and resets once the session has ended
    QTRY_COMPARE(window.controller()->state(), SessionState::Idle);
    QCOMPARE(lossCount(window.figureData()), int64_t{0});
    QCOMPARE(window.panel(Figure::Loss)->pointCount(), 0);
    window.setSpec(finiteSpec(1));  // and the next session runs
    window.start();
    QVERIFY(waitForState(*window.controller(), SessionState::Ended, 60000));
    QCOMPARE(lossCount(window.figureData()), int64_t{2 * 8});
  }

  void experimentRoundTripsThroughSaveAndLoad() {
    const QString path = scratch_.path() + "/experiment.json";
    train::ExperimentSpec spec = finiteSpec(7);
    spec.settings = {corruption::Setting::shuffledPixels(), corruption::Setting::partialLabels(0.4)};
    spec.model.depth = 2;
    spec.optimizer.learningRate = 0.05;
    spec.seed = 12345678901ULL;
    {
      ui::MainWindow window(options());
      window.setSpec(spec);
      QVERIFY(window.saveSpec(path));
      QCOMPARE(window.recentFiles().value(0), QFileInfo(path).absoluteFilePath());
    }
    ui::MainWindow other(options());
    QVERIFY(other.openSpec(path));
    QVERIFY(other.form()->spec() == spec);
    QVERIFY(other.windowTitle().contains("experiment"));
  }

  void badFilesGiveAMessageNotACrash() {
    ui::MainWindow window(options());
    const QString path = scratch_.path() + "/broken.json";
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"model\": {\"width\": \"wide\"}}");
    file.close();
    QVERIFY(!window.openSpec(path));
    QVERIFY2(window.lastMessage().contains("model.width"), qPrintable(window.lastMessage()));
    // Values out of range never reach the form: it keeps what it showed.
    const train::ExperimentSpec before = window.form()->spec();
    for (const char* text : {R"({"model": {"width": 5000000}})", R"({"training": {"epochs": -3}})",
                             R"({"data": {"synthetic": {"shape": [3, 99999, 2]}}})"}) {
      QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
      file.write(text);
      file.close();
      QVERIFY2(!window.openSpec(path), text);
      QVERIFY2(window.lastMessage().contains("outside") || window.lastMessage().contains("at least"),
               qPrintable(window.lastMessage()));
      QVERIFY(window.form()->spec() == before);
    }
    QVERIFY(!window.saveSpec(scratch_.path() + "/no/such/folder/x.json"));
    QVERIFY(window.lastMessage().contains("cannot write"));
    QVERIFY(!window.exportFigures({Figure::Loss}, scratch_.path() + "/no/such/folder/x.png", "png", {320, 200}, 1));
    QVERIFY(window.lastMessage().contains("no/such/folder"));
    QVERIFY(!window.exportMetrics(scratch_.path() + "/m.csv", "csv"));  // nothing trained yet
    QVERIFY(window.lastMessage().contains("Start"));
  }

  void missingDataSetSaysHowToGetIt() {
    ui::MainWindow window(options());
    train::ExperimentSpec spec = finiteSpec(1);
    spec.data.kind = data::DatasetKind::Mnist;
    spec.data.directory = (scratch_.path() + "/no-mnist-here").toStdString();
    QVERIFY(failedStart(window, spec) == ui::Failure::Data);
    QVERIFY2(window.lastMessage().contains("no-mnist-here"), qPrintable(window.lastMessage()));
    QCOMPARE(window.controller()->state(), SessionState::Idle);
    // The window keeps working: a good experiment runs next.
    window.setSpec(finiteSpec(1));
    window.start();
    QVERIFY(waitForState(*window.controller(), SessionState::Ended, 60000));
  }

  void missingFetchableDataSetOffersADownload() {
    // MNIST in no folder GenLab looks in: the message offers to download it, or a folder.
    const QByteArray xdg = qgetenv("XDG_DATA_HOME");
    qputenv("XDG_DATA_HOME", scratch_.path().toUtf8() + "/no-data-sets");
    ui::MainWindow window(options());
    train::ExperimentSpec spec = finiteSpec(1);
    spec.data.kind = data::DatasetKind::Mnist;
    const auto failure = failedStart(window, spec);
    if (xdg.isNull()) qunsetenv("XDG_DATA_HOME");
    else qputenv("XDG_DATA_HOME", xdg);
    QVERIFY(failure == ui::Failure::Data);
    QVERIFY2(window.lastMessage().contains("'genlab data fetch mnist' downloads it"), qPrintable(window.lastMessage()));
    QStringList buttons;
    for (const auto* button : window.findChildren<QPushButton*>())
      if (button->isVisible()) buttons << button->text();
    QVERIFY2(buttons.contains("Download (11.1 MiB)") && buttons.contains("Choose Folder…"), qPrintable(buttons.join(", ")));
  }

  void cudaWithoutAGpuIsAClearError() {
    if (window_cudaAvailable()) QSKIP("this machine has CUDA; the error path needs a machine without it");
    ui::MainWindow window(options());
    train::ExperimentSpec spec = finiteSpec(1);
    spec.compute.device = train::DeviceChoice::Cuda;
    QVERIFY(failedStart(window, spec) == ui::Failure::Device);
    QVERIFY(window.lastMessage().contains("CUDA"));
  }

  void exportsFiguresAndMetricsAfterASession() {
    ui::MainWindow window(options());
    window.setSpec(finiteSpec(2));
    window.start();
    QVERIFY(waitForState(*window.controller(), SessionState::Ended, 60000));
    const QString png = scratch_.path() + "/loss.png";
    QVERIFY(window.exportFigures({Figure::Loss}, png, "png", {640, 360}, 2.0));
    QCOMPARE(QImageReader(png).size(), QSize(1280, 720));
    const QString both = scratch_.path() + "/both.jpg";
    QVERIFY(window.exportFigures({Figure::Loss, Figure::Accuracy}, both, "jpg", {800, 300}, 1.0));
    QCOMPARE(QImageReader(both).size(), QSize(800, 300));
    // With "log-scale loss" checked the export shows the loss as the window does.
    auto* logScale = window.findChild<QCheckBox*>();
    QVERIFY(logScale != nullptr && logScale->text().contains("log"));
    logScale->setChecked(true);
    const QString logPng = scratch_.path() + "/loss-log.png";
    QVERIFY(window.exportFigures({Figure::Loss}, logPng, "png", {640, 360}, 2.0));
    QVERIFY(QImage(logPng) != QImage(png));

    const QString csv = scratch_.path() + "/metrics.csv";
    QVERIFY(window.exportMetrics(csv, "csv"));
    QFile table(csv);
    QVERIFY(table.open(QIODevice::ReadOnly));
    QCOMPARE(table.readLine().trimmed(), QByteArray("run,setting,step,epoch,metric,value,wall_time"));
    const QString json = scratch_.path() + "/metrics.json";
    QVERIFY(window.exportMetrics(json, "json"));
    const QJsonArray runs = readJson(json)["runs"].toArray();
    QCOMPARE(runs.size(), 2);
    const QJsonObject loss = runs[1].toObject()["metrics"].toObject()["loss"].toObject();
    QCOMPARE(loss["value"].toArray().size(), 2 * 8);
    QCOMPARE(runs[1].toObject()["metrics"].toObject()["test_accuracy"].toObject()["value"].toArray().size(), 2);
  }

  void presentationModeAndClipboard() {
    ui::MainWindow window(options());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QFont before = window.centralWidget()->font();
    window.actions().presentation->trigger();
    QVERIFY(window.plots()->style() == ui::FigureStyle::presentation());
    QVERIFY(window.panel(Figure::Loss)->style() == window.plots()->panelStyle(Figure::Loss));
    QVERIFY(!window.panel(Figure::Loss)->style().legend);  // the legend bar names the runs
    QVERIFY(window.centralWidget()->font().pointSizeF() > before.pointSizeF() * 1.5);
    QVERIFY(window.actions().presentation->isChecked());
    QVERIFY(!window.form()->isVisible());  // the plots take the form's room
    window.actions().presentation->trigger();
    QVERIFY(window.plots()->style() == ui::FigureStyle{});
    QCOMPARE(window.centralWidget()->font().pointSizeF(), before.pointSizeF());
    QVERIFY(window.form()->isVisible());

    window.copyPlot();
    const QImage copied = QGuiApplication::clipboard()->image();
    QVERIFY(!copied.isNull());
    QCOMPARE(copied.size(), window.panel(Figure::Loss)->size() * window.devicePixelRatio());
  }

  void previewShowsCorruptedLabels() {
    ui::DataPreview preview;
    train::ExperimentSpec spec = finiteSpec(1);
    spec.settings = {corruption::Setting::randomLabels()};
    preview.setSpec(spec);
    QSignalSpy loaded(&preview, &ui::DataPreview::loaded);
    preview.reload();
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, 10000);
    QCOMPARE(int(preview.samples().size()), 32);
    int relabelled = 0;
    for (const auto& sample : preview.samples()) {
      relabelled += sample.label != sample.trueLabel ? 1 : 0;
      QCOMPARE(sample.image.size(), QSize(12, 12));
    }
    // Random labels keep a label with probability 1/10: of 32, far more than 10 change.
    QVERIFY2(relabelled > 16, qPrintable(QString::number(relabelled)));
  }

  void memorizationIsPlottedAndOrdersThePreview() {
    // A session that measures memorization: its panel appears with a clean and a corrupted curve
    // per run, and the data preview shows the corrupted labels it fitted last, from the run's record.
    ui::MainWindow window(options());
    window.show();
    QVERIFY(!window.panel(Figure::Memorization)->isVisible());
    train::ExperimentSpec spec = finiteSpec(3);
    spec.settings = {corruption::Setting::partialLabels(0.5)};
    spec.measures.memorization = true;
    window.setSpec(spec);
    QVERIFY(window.panel(Figure::Memorization)->isVisible());  // the form asks for it
    window.start();
    QVERIFY(waitForState(*window.controller(), SessionState::Ended, 60000));
    QCOMPARE(window.figureData().fittedClean.at(0).x.size(), size_t(3));
    QCOMPARE(window.figureData().fittedCorrupted.at(0).x.size(), size_t(3));
    QTRY_COMPARE(window.panel(Figure::Memorization)->pointCount(), 2 * 3);

    const QString record = window.controller()->resultsFolder() + "/memorization-run0.csv";
    const auto expected = results::learnedLast(results::readMemorization(record.toStdString()), true, 32);
    QCOMPARE(expected.size(), size_t(32));
    ui::DataPreview* preview = window.preview();
    preview->orderChooser()->setCurrentIndex(preview->orderChooser()->findData(int(ui::PreviewOrder::CorruptedLearnedLast)));
    QTRY_VERIFY_WITH_TIMEOUT(!preview->loading() && !preview->samples().empty() &&
                                 !preview->samples().front().learned.isEmpty(), 10000);
    const ui::PreviewResult first = ui::makePreview(spec.data, spec.settings[0], spec.seed, 256);
    QCOMPARE(preview->samples().size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      const ui::PreviewSample& shown = preview->samples()[i];
      QVERIFY(shown.label != shown.trueLabel);  // corrupted, every one
      QCOMPARE(shown.image, first.samples.at(static_cast<size_t>(expected[i].example)).image);
      QCOMPARE(shown.learned, expected[i].fittedSince == 0 ? QString("not fitted")
                                                           : QString("epoch %1").arg(expected[i].fittedSince));
    }
  }

  void capacityMeasuresShareOnePanelWithAChooser() {
    ui::MainWindow window(options());
    window.show();
    train::ExperimentSpec spec = finiteSpec(3);
    spec.measures.capacity = true;
    window.setSpec(spec);
    window.start();
    QVERIFY(waitForState(*window.controller(), SessionState::Ended, 60000));
    QCOMPARE(window.figureData().distanceFromInit.size(), size_t(2));
    QCOMPARE(window.figureData().distanceFromInit[1].y.size(), size_t(3));
    QComboBox* chooser = window.plots()->capacityChooser();
    QCOMPARE(chooser->count(), int(ui::capacityFigures().size()));
    chooser->setCurrentIndex(chooser->findData(int(Figure::DistanceFromInit)));
    // One measure shown at a time, on a logarithmic axis; the margin on a linear one.
    QVERIFY(window.panel(Figure::DistanceFromInit)->isVisible());
    QVERIFY(!window.panel(Figure::SpectralProduct)->isVisible());
    QTRY_COMPARE(window.panel(Figure::DistanceFromInit)->pointCount(), 2 * 3);
    QVERIFY(window.panel(Figure::DistanceFromInit)->logScale());
    QVERIFY(!window.panel(Figure::Margin)->logScale());
    // The distance grows from zero as the weights leave their initialization.
    const auto& distance = window.figureData().distanceFromInit[0].y;
    QVERIFY(distance.front() > 0 && distance.back() > distance.front());
  }

  void kernelRunsShowTheirNormAgainstLabelCorruption() {
    // The paper's Section 5 in the window: a kernel fitted at three label-corruption levels; a
    // point per run in the accuracy panel, and the RKHS norm growing with the noise.
    ui::MainWindow window(options());
    window.show();
    train::ExperimentSpec spec = finiteSpec(1);
    spec.model.architecture = models::Architecture::Kernel;
    spec.settings.clear();
    spec.sweepLevels = {0.0, 0.5, 1.0};
    window.setSpec(spec);
    QCOMPARE(window.form()->spec().model.architecture, models::Architecture::Kernel);
    QVERIFY(window.form()->problem() == std::nullopt);
    window.start();
    QVERIFY(waitForState(*window.controller(), SessionState::Ended, 60000));
    const auto& norms = window.figureData().norms;
    QCOMPARE(norms.size(), size_t(1));
    QCOMPARE(norms[0].level, (std::vector<double>{0.0, 0.5, 1.0}));
    QVERIFY2(norms[0].norm[0] < norms[0].norm[1] && norms[0].norm[1] < norms[0].norm[2],
             qPrintable(QString("%1 %2 %3").arg(norms[0].norm[0]).arg(norms[0].norm[1]).arg(norms[0].norm[2])));
    QVERIFY(window.panel(Figure::NormByCorruption)->isVisible());
    QVERIFY(window.panel(Figure::TestError)->isVisible());
    QVERIFY(!window.panel(Figure::TimeToFit)->isVisible());  // no time to fit without steps
    QVERIFY(window.panel(Figure::Loss)->hint().contains("no training steps"));
    // The status counts runs, not epochs or steps, which a solve has none of.
    QVERIFY2(window.statusText().contains("runs ended 3/3"), qPrintable(window.statusText()));
    QVERIFY2(!window.statusText().contains("epoch") && !window.statusText().contains("step"),
             qPrintable(window.statusText()));
    QTRY_COMPARE(window.panel(Figure::NormByCorruption)->plot()->graph(0)->dataCount(), 3);
    // Every run fits its labels: training accuracy 1, one point each.
    for (const auto& curve : window.figureData().trainAccuracy) QCOMPARE(curve.y, (std::vector<double>{1.0}));
  }

  void aStoppedSweepDrawsNoPointForItsStoppedRuns() {
    // Figures 1b and 1c say what they wait for while a sweep trains; stopped, its unfinished
    // levels give no point (their test error is not that of a trained network).
    ui::MainWindow window(options());
    window.show();
    train::ExperimentSpec spec = finiteSpec(100000);
    spec.settings.clear();
    spec.sweepLevels = {0.0, 0.5, 1.0};
    window.setSpec(spec);
    QSignalSpy batches(window.controller(), &ui::TrainingController::metricsArrived);
    window.start();
    QVERIFY(QTest::qWaitFor([&] { return batches.count() >= 3; }, test::scaledMs(30000)));
    QTRY_COMPARE(window.panel(Figure::TestError)->hint(), QString("A point for each level as its run ends"));
    window.stop();
    QVERIFY(waitForState(*window.controller(), SessionState::Ended, 60000));
    QVERIFY(window.figureData().sweep.empty());
    QTRY_COMPARE(window.panel(Figure::TestError)->hint(),
                 QString("No run trained to its end: stopped and diverged runs give no point"));
    window.reset();
    QTRY_COMPARE(window.panel(Figure::TestError)->hint(), QString("Run a label-corruption sweep to see Figure 1b/1c"));
  }

  void previewLoadsOnlyTheLatestOfManyEdits() {
    ui::DataPreview preview;
    train::ExperimentSpec spec = finiteSpec(1);
    spec.settings = {corruption::Setting::randomLabels()};
    preview.setSpec(spec);
    QSignalSpy loaded(&preview, &ui::DataPreview::loaded);
    preview.reload();
    for (uint64_t seed = 1; seed <= 10; ++seed) {  // edits while the first load runs
      spec.seed = seed;
      preview.setSpec(spec);
      preview.reload();
    }
    QTRY_VERIFY_WITH_TIMEOUT(!preview.loading() && loaded.count() >= 1, 20000);
    QVERIFY2(loaded.count() <= 2, qPrintable(QString::number(loaded.count())));
    // It shows the last edit's images.
    const ui::PreviewResult latest = ui::makePreview(spec.data, spec.settings[0], spec.seed, 32);
    QCOMPARE(preview.samples().size(), latest.samples.size());
    for (size_t i = 0; i < latest.samples.size(); ++i)
      QCOMPARE(preview.samples()[i].label, latest.samples[i].label);
  }

  void openedFolderOfFinishedRunsIsDrawn() {
    const QString root = scratch_.path() + "/opened";
    train::ExperimentSpec narrow = finiteSpec(3), wide = finiteSpec(3);
    wide.model.width = 2048;
    test::writeFinishedSession((root + "/20260101-100000-narrow").toStdString(), narrow, 3, 4);
    test::writeFinishedSession((root + "/deeper/20260102-100000-wide").toStdString(), wide, 3, 4);
    ui::MainWindow window(isolated("openedFolderOfFinishedRunsIsDrawn"));
    window.show();
    window.openRuns(root);
    // Two sessions of two runs: four curves of twelve steps, named by the width they differ in.
    QTRY_COMPARE_WITH_TIMEOUT(window.figureData().loss.size(), size_t(4), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(lossCount(window.figureData()), int64_t(4 * 12), 10000);
    QStringList names;
    for (const auto& curve : window.figureData().loss) names << curve.name;
    QVERIFY2(names.contains("true labels, width 256") && names.contains("random labels, width 2048"),
             qPrintable(names.join(" / ")));
    QTRY_COMPARE(window.panel(Figure::Loss)->pointCount(), 48);
    QTRY_COMPARE(window.panel(Figure::Accuracy)->pointCount(), 4 * 2 * 3);
    // One colour per run.
    std::set<int> colours;
    for (const auto& curve : window.figureData().loss) colours.insert(curve.run);
    QCOMPARE(colours.size(), size_t(4));

    // The run table lists the checked runs with their accuracies.
    QCOMPARE(window.runTable()->rows().size(), size_t(4));
    QVERIFY(window.runTable()->text(results::TableFormat::Markdown).contains("| 100.00 | 50.00 |"));

    // The filter keeps matching runs; unchecking a session takes its curves away.
    window.runsPanel()->filter()->setText("width=2048");
    QCOMPARE(window.runsPanel()->proxy()->rowCount(), 1);
    window.runsPanel()->filter()->setText("random");
    QTRY_COMPARE(window.runsPanel()->proxy()->rowCount(), 2);
    QCOMPARE(window.runsPanel()->proxy()->rowCount(window.runsPanel()->proxy()->index(0, 0)), 1);
    window.runsModel()->setChecked(root + "/deeper/20260102-100000-wide", false);
    QTRY_COMPARE(window.figureData().loss.size(), size_t(2));
    QCOMPARE(window.runTable()->rows().size(), size_t(2));
    // Nothing on disk changed.
    QVERIFY(QFileInfo::exists(root + "/deeper/20260102-100000-wide/metrics.csv"));

    // Exports draw what is shown, disk runs included.
    const QString png = scratch_.path() + "/opened-loss.png";
    QVERIFY(window.exportFigures({Figure::Loss}, png, "png", {640, 360}, 1.0));
    QCOMPARE(QImageReader(png).size(), QSize(640, 360));
    window.runsModel()->setChecked(root + "/deeper/20260102-100000-wide", true);
    const QString csv = scratch_.path() + "/opened.csv";
    QVERIFY(window.exportMetrics(csv, "csv"));
    QFile table(csv);
    QVERIFY(table.open(QIODevice::ReadOnly));
    const QByteArray all = table.readAll();
    QVERIFY(all.startsWith("session,run,setting,step,epoch,metric,value,wall_time\n"));
    QCOMPARE(all.count("20260102-100000-wide,1,random-labels"), 12 + 3 * 6);  // steps, 6 metrics an epoch
  }

  void aRunWrittenByAnotherProcessGrowsAndThenEnds() {
    const QString root = scratch_.path() + "/followed";
    QProcess writer;
    writer.start(qEnvironmentVariable("GENLAB_EXECUTABLE"),
                 {"--headless", "--dataset", "synthetic", "--corruption", "random-labels", "--width", "32",
                  "--train-size", "256", "--epochs", "100000", "--stop-when-fitted", "off", "--batch-size", "32",
                  "--threads", "1",
                  "--device", "cpu", "--out", root});
    QVERIFY(writer.waitForStarted());
    ui::MainWindow window(isolated("aRunWrittenByAnotherProcessGrowsAndThenEnds"));
    window.openRuns(root);
    // The last step drawn, not the number of points: a curve past kMaxDrawnLossPoints is
    // thinned, and its point count may then stand still or drop while the run grows.
    const auto followed = [&] {
      const auto& loss = window.figureData().loss;
      return loss.empty() || loss.front().x.empty() ? 0.0 : loss.front().x.back();
    };
    QTRY_VERIFY_WITH_TIMEOUT(followed() > 0, 20000);
    const double first = followed();
    QTRY_VERIFY_WITH_TIMEOUT(followed() > first, 20000);  // new rows arrive as they are written
    QCOMPARE(window.runsModel()->rowCount(), 1);
    const QModelIndex session = window.runsModel()->index(0, ui::RunsModel::Status);
    QCOMPARE(session.data().toString(), QString("running"));
    writer.kill();  // dies without writing its end
    QVERIFY(writer.waitForFinished(5000));
    QTRY_COMPARE_WITH_TIMEOUT(window.runsModel()->index(0, ui::RunsModel::Status).data().toString(),
                              QString("incomplete"), 10000);
    const QModelIndex run = window.runsModel()->index(0, ui::RunsModel::Status, window.runsModel()->index(0, 0));
    QCOMPARE(run.data().toString(), QString("incomplete"));
  }

  void damagedFoldersAreListedWithReasons() {
    const QString root = scratch_.path() + "/damaged";
    QDir().mkpath(root + "/no-summary");
    QFile metrics(root + "/no-summary/metrics.csv");
    QVERIFY(metrics.open(QIODevice::WriteOnly));
    metrics.write("run,setting,step,epoch,metric,value,wall_time\n0,true,1,1,loss,2.3,0.1\n0,true,2,1,lo");
    metrics.close();
    QDir().mkpath(root + "/garbage");
    QFile spec(root + "/garbage/spec.json");
    QVERIFY(spec.open(QIODevice::WriteOnly));
    spec.write("{ not json");
    spec.close();
    ui::MainWindow window(isolated("damagedFoldersAreListedWithReasons"));
    window.openRuns(root);
    QTRY_COMPARE_WITH_TIMEOUT(window.runsModel()->rowCount(), 2, 10000);
    QStringList notes;
    for (int row = 0; row < 2; ++row) notes << window.runsModel()->index(row, ui::RunsModel::Note).data().toString();
    QVERIFY2(notes.join(" / ").contains("spec.json") && notes.join(" / ").contains("no summary.json"),
             qPrintable(notes.join(" / ")));
    // The readable run is drawn up to its last complete row.
    QTRY_COMPARE(lossCount(window.figureData()), int64_t(1));
  }

  void droppedFolderOpensItsRuns() {
    const QString root = scratch_.path() + "/dropped";
    test::writeFinishedSession((root + "/20260101-100000-dropped").toStdString(), finiteSpec(1), 1, 2);
    ui::MainWindow window(isolated("droppedFolderOpensItsRuns"));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(root), QUrl::fromLocalFile(root + "/20260101-100000-dropped/spec.json")});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QVERIFY(window.library()->roots().contains(QDir::cleanPath(root)));
    QCOMPARE(window.library()->roots().size(), 2);  // the results folder and the dropped one
    QTRY_COMPARE_WITH_TIMEOUT(lossCount(window.figureData()), int64_t(2 * 2), 10000);
  }

  void movingToTheTrashAsksAndKeepsTheRest() {
    const QString root = writeKeepAndGone(scratch_.path() + "/trash");
    ui::MainWindow window(isolated("movingToTheTrashAsksAndKeepsTheRest"));
    window.openRuns(root);
    QTRY_COMPARE_WITH_TIMEOUT(window.runsModel()->rowCount(), 2, 10000);
    QSignalSpy removed(window.library(), &ui::RunLibrary::sessionRemoved);
    Q_EMIT window.runsPanel()->trashRequested({root + "/20260101-110000-gone"});
    QTRY_COMPARE(removed.count(), 1);
    QVERIFY(!QFileInfo::exists(root + "/20260101-110000-gone"));
    QVERIFY(QFileInfo::exists(root + "/20260101-100000-keep/metrics.csv"));
    QCOMPARE(window.runsModel()->rowCount(), 1);
  }

  void sessionsDeletedElsewhereLeaveThePanel() {
    const QString root = writeKeepAndGone(scratch_.path() + "/deleted-elsewhere");
    ui::MainWindow window(isolated("sessionsDeletedElsewhereLeaveThePanel"));
    window.openRuns(root);
    QTRY_COMPARE_WITH_TIMEOUT(window.runsModel()->rowCount(), 2, 10000);
    QSignalSpy removed(window.library(), &ui::RunLibrary::sessionRemoved);
    QVERIFY(QDir(root + "/20260101-110000-gone").removeRecursively());  // by another program
    window.library()->rescan();
    QTRY_COMPARE(removed.count(), 1);
    QCOMPARE(removed.front().at(0).toString(), root + "/20260101-110000-gone");
    QTRY_COMPARE(window.runsModel()->rowCount(), 1);
  }

  void legendBarNamesTheRunsAndCoversNoPlot() {
    ui::MainWindow window(options());
    window.resize(1280, 720);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.setSpec(finiteSpec(2));
    window.start();
    QVERIFY(waitForState(*window.controller(), SessionState::Ended, 60000));
    ui::LegendBar* legend = window.plots()->legend();
    QTRY_VERIFY(legend->isVisible());
    QCOMPARE(legend->entries().size(), 2);
    QVERIFY(legend->entries()[0].startsWith(ui::markerOf(0)) && legend->entries()[0].contains("true labels"));
    // The panels draw no legend of their own; the bar lies outside every plot.
    const QRect bar(legend->mapTo(&window, QPoint(0, 0)), legend->size());
    for (const Figure figure : {Figure::Loss, Figure::Accuracy}) {
      ui::PlotPanel* panel = window.panel(figure);
      QVERIFY(!panel->plot()->legend->visible());
      QVERIFY(!QRect(panel->mapTo(&window, QPoint(0, 0)), panel->size()).intersects(bar));
    }
  }

  // Two sessions of six levels each (a dozen legend rows) above three rows of plots, on a
  // laptop-sized page: the panels were cut off at the window's edge; now the page scrolls.
  void everyPlotCanBeSeenWholeWhenThePageIsShort() {
    ui::FigureData data;
    for (int run = 0; run < 12; ++run) {
      ui::Curve curve{run, QStringLiteral("partially corrupted labels (p = %1), capacity %2").arg(run % 6 * 0.2).arg(run < 6), {1, 2}, {2.0, 1.0}, false};
      data.loss.push_back(curve);
      data.trainAccuracy.push_back(curve);
      data.testAccuracy.push_back(curve);
      data.spectralComplexity.push_back(curve);
    }
    data.sweep = {{0, QStringLiteral("MLP 1x512"), {{0.0, 1.0, 0.1}, {0.5, 2.0, 0.5}, {1.0, 3.0, 0.9}}}};
    ui::PlotsPage page;
    page.setData(&data);
    page.showFigures(ui::figuresFor(data));
    page.resize(900, 600);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QCOMPARE(page.height(), 600);  // not held taller by what it holds
    auto* scroll = page.findChild<QScrollArea*>();
    QVERIFY(scroll != nullptr);
    for (const Figure figure : {Figure::Loss, Figure::Accuracy, Figure::SpectralComplexity, Figure::TimeToFit, Figure::TestError}) {
      ui::PlotPanel* panel = page.panel(figure);
      QVERIFY(panel->isVisible());
      QVERIFY(panel->height() >= panel->minimumHeight());
      scroll->ensureWidgetVisible(panel, 0, 0);
      QApplication::processEvents();
      const QRect shown(panel->mapTo(&page, QPoint(0, 0)), panel->size());
      QVERIFY2(page.rect().contains(shown), qPrintable(QStringLiteral("%1 at %2,%3 %4x%5 on a page of %6")
                                                         .arg(ui::figureName(figure)).arg(shown.x()).arg(shown.y())
                                                         .arg(shown.width()).arg(shown.height()).arg(page.height())));
    }
  }

  void wheelChangesOnlyTheFocusedField() {
    ui::MainWindow window(options());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QDoubleSpinBox* momentum = window.form()->momentum();
    const double before = momentum->value();
    const QPoint centre = momentum->rect().center();
    QWheelEvent wheel(centre, momentum->mapToGlobal(centre), QPoint(), QPoint(0, -120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(momentum, &wheel);
    QCOMPARE(momentum->value(), before);  // scrolling the form over it changes nothing
    momentum->setFocus();
    QTRY_VERIFY(momentum->hasFocus());
    QWheelEvent focused(centre, momentum->mapToGlobal(centre), QPoint(), QPoint(0, -120), Qt::NoButton,
                        Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(momentum, &focused);
    QVERIFY(momentum->value() < before);  // focused, it takes the wheel
  }

  void divergenceBannerCountsTheRunsOnceAndClears() {
    ui::MainWindow window(options());
    window.setSpec(finiteSpec(1));
    window.start();
    QVERIFY(waitForState(*window.controller(), SessionState::Ended, 60000));
    // What the controller delivers when runs diverge (the form caps the learning rate below
    // what makes this tiny network diverge for sure).
    const auto diverged = [](int run, corruption::Setting setting, int64_t epochs) {
      train::RunSummary summary;
      summary.run = run;
      summary.setting = setting;
      summary.status = train::RunStatus::Diverged;
      summary.epochs = epochs;
      summary.message = "the training loss became NaN";
      return summary;
    };
    ui::MetricsBatch one;
    one.endedRuns = {diverged(1, corruption::Setting::randomLabels(), 2)};
    Q_EMIT window.controller()->metricsArrived(one);
    QString banner = window.plots()->banner();
    QVERIFY2(banner.startsWith("One run of 2 diverged") && banner.contains("random labels (epoch 3)"), qPrintable("[" + banner + "]"));
    ui::MetricsBatch other;
    other.endedRuns = {diverged(0, corruption::Setting::trueLabels(), 0)};
    Q_EMIT window.controller()->metricsArrived(other);
    banner = window.plots()->banner();
    QVERIFY2(banner.startsWith("All 2 runs diverged") && banner.contains("true labels (epoch 1)"), qPrintable(banner));
    QCOMPARE(banner.count("learning rate"), 1);  // the advice once
    QVERIFY(!banner.contains("go on"));
    QVERIFY2(window.panel(Figure::Loss)->hint().contains("All runs diverged"), qPrintable(window.panel(Figure::Loss)->hint()));
    train::ExperimentSpec next = finiteSpec(1);
    next.model.width = 64;
    window.setSpec(next);  // another experiment: the banner was about the last one
    QVERIFY(window.plots()->banner().isEmpty());
  }

  void pausedClockStandsStillAndStepShows() {
    ui::MainWindow window(options());
    window.resize(1280, 720);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(startEndlessSession(window, 2));
    window.togglePause();
    QTRY_VERIFY(window.controller()->holding() && window.controller()->allDelivered());
    const double held = window.controller()->elapsedSeconds();
    QTest::qWait(600);
    QVERIFY2(std::abs(window.controller()->elapsedSeconds() - held) < 0.02,
             qPrintable(QString::number(window.controller()->elapsedSeconds() - held)));
    const QString before = window.statusText();
    QVERIFY2(!before.contains("images/s"), qPrintable(before));  // no rate while nothing trains
    QVERIFY(before.contains("step "));
    window.step();
    QTRY_VERIFY_WITH_TIMEOUT(window.statusText() != before, 5000);  // the step count moved
    window.stop();
    QVERIFY(waitForState(*window.controller(), SessionState::Ended, 5000));
  }

  void smoothingLeavesTheAccuraciesAsMeasured() {
    ui::MainWindow window(options());
    window.plots()->smoothingSlider()->setValue(98);
    QCOMPARE(window.panel(Figure::Loss)->smoothing(), 0.98);
    QCOMPARE(window.panel(Figure::Accuracy)->smoothing(), 0.0);
  }

  void failedStartKeepsThePreviousCurves() {
    if (window_cudaAvailable()) QSKIP("this machine has CUDA; a failed start needs a machine without it");
    ui::MainWindow window(options());
    window.setSpec(finiteSpec(1));
    window.start();
    QVERIFY(waitForState(*window.controller(), SessionState::Ended, 60000));
    const int64_t points = lossCount(window.figureData());
    QVERIFY(points > 0);
    train::ExperimentSpec spec = finiteSpec(1);
    spec.compute.device = train::DeviceChoice::Cuda;
    QVERIFY(failedStart(window, spec).has_value());
    QCOMPARE(lossCount(window.figureData()), points);
  }

  void namesSayWhatTheExperimentIs() {
    ui::MainWindow window(isolated("namesSayWhatTheExperimentIs"));
    window.setSpec(finiteSpec(1), "Tiny preset");
    QCOMPARE(window.windowTitle(), QString("Tiny preset — GenLab"));
    window.form()->width()->setValue(64);
    QVERIFY2(window.windowTitle().startsWith("MLP 1x64, 2 settings, synthetic data, edited"), qPrintable(window.windowTitle()));
    window.start();
    QVERIFY(waitForState(*window.controller(), SessionState::Ended, 60000));
    const QString folder = QFileInfo(window.sessionFolder()).fileName();
    QVERIFY2(folder.endsWith("-MLP-1x64-2-settings-synthetic-data-edited"), qPrintable(folder));
    // A session's spec.json is called by its session's folder, in the title and Open Recent.
    QVERIFY(window.openSpec(window.sessionFolder() + "/spec.json"));
    QVERIFY2(window.windowTitle().startsWith(folder), qPrintable(window.windowTitle()));
  }

  void formEstimatesTheTimeBeforeStart() {
    ui::MainWindow window(options());
    window.setSpec(finiteSpec(7));
    QTRY_VERIFY_WITH_TIMEOUT(window.form()->estimateLabel()->text().startsWith("at most about"), 20000);
    const QString text = window.form()->estimateLabel()->text();
    QVERIFY2(text.contains("2 run(s) × 7 epochs"), qPrintable(text));
    QVERIFY(text.contains("images/s"));
  }

  void statusBarFitsAProjectorsWidth() {
    ui::MainWindow window(options());
    window.resize(1280, 720);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(startEndlessSession(window, 3));
    QTRY_VERIFY(window.statusText().contains("epoch"));  // the status tells of the training
    auto* bar = window.statusBar();
    int used = 0;
    for (QLabel* label : bar->findChildren<QLabel*>())
      if (label->isVisible()) used += label->fontMetrics().horizontalAdvance(label->text());
    QVERIFY2(used < bar->width(), qPrintable(QString("%1 of %2").arg(used).arg(bar->width())));
    QVERIFY(window.statusText().contains("epoch"));
    window.stop();
    QVERIFY(waitForState(*window.controller(), SessionState::Ended, 5000));
  }

  void presentationEnlargesChangedLabelsToo() {
    ui::MainWindow window(options());
    train::ExperimentSpec spec = finiteSpec(1);
    spec.settings = {corruption::Setting::randomLabels()};
    window.setSpec(spec);
    QSignalSpy loaded(window.preview(), &ui::DataPreview::loaded);
    window.preview()->reload();
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, 10000);
    const auto captionSizes = [&] {
      double changed = 0, kept = 0;
      for (QLabel* label : window.preview()->findChildren<QLabel*>()) {
        if (label->text().contains("(was ")) changed = std::max(changed, label->font().pointSizeF());
        else if (!label->text().isEmpty() && label->pixmap().isNull()) kept = std::max(kept, label->font().pointSizeF());
      }
      return std::pair{changed, kept};
    };
    const auto normal = captionSizes();
    window.setPresentationMode(true);
    const auto large = captionSizes();
    QVERIFY2(large.first > normal.first * 1.4, qPrintable(QString("%1 -> %2").arg(normal.first).arg(large.first)));
    window.setPresentationMode(false);
  }

  void progressCountsStepsTheFirstEpochAndTheTrainingRate() {
    ui::SessionProgress progress;
    train::SessionInfo info;
    info.stepsPerEpoch = 10;
    info.runs = {{0, corruption::Setting::trueLabels(), {}}, {1, corruption::Setting::randomLabels(), {}}};
    progress.start(info, 5, 32);
    const auto steps = [](int run, int64_t first, int count) {
      ui::MetricsBatch batch;
      batch.losses.push_back({run, first, 1, 0, std::vector<float>(static_cast<size_t>(count), 1.0F)});
      return batch;
    };
    progress.add(steps(0, 1, 5), 1.0);
    progress.add(steps(1, 1, 3), 1.0);
    ui::ProgressReading reading = progress.reading();
    QCOMPARE(reading.step, int64_t(5));
    QCOMPARE(reading.firstEpochDone, (0.5 + 0.3) / 2);
    // From 5 steps in all at 1 s to 18 at 2 s: 13 steps a second of training, 416 images/s.
    progress.add(steps(0, 6, 10), 2.0);
    QCOMPARE(progress.reading().imagesPerSecond, 416.0);
    progress.add(steps(0, 16, 1), 2.0, /*timed=*/false);  // a single step while paused
    reading = progress.reading();
    QCOMPARE(reading.step, int64_t(16));
    QCOMPARE(reading.imagesPerSecond, 416.0);  // the rate stays the training's
  }

  void runAsSweepRunsTheGridHereAndShowsItsRuns() {
    ui::WindowOptions o = isolated("runAsSweep");
    o.genlabProgram = qEnvironmentVariable("GENLAB_EXECUTABLE");
    ui::MainWindow window(o);
    window.show();
    train::ExperimentSpec spec = finiteSpec(2);
    spec.settings = {corruption::Setting::trueLabels(), corruption::Setting::randomLabels()};
    spec.compute.threads = 1;
    window.setSpec(spec);
    window.actions().runAsSweep->trigger();
    auto* dialog = window.findChild<ui::SweepDialog*>();
    QVERIFY(dialog != nullptr);
    QTRY_VERIFY(dialog->isVisible());
    // The form's settings are the first axis; a second axis multiplies the tasks.
    QCOMPARE(dialog->summaryText(), QString("2 tasks"));
    dialog->addAxis("model.width", "16, 32");
    QCOMPARE(dialog->summaryText(), QString("4 tasks"));
    dialog->addAxis("model.dropout", "0, 1.5");
    QVERIFY2(dialog->summaryText().contains("dropout 1.5 is outside [0, 1)"), qPrintable(dialog->summaryText()));
    auto* table = dialog->findChild<QTableWidget*>();
    QVERIFY(table != nullptr);
    table->removeRow(2);
    QCOMPARE(dialog->summaryText(), QString("4 tasks"));
    const QString folder = scratch_.path() + "/window-sweep";
    dialog->setResultsFolder(folder);
    dialog->setWhere(false, 2);
    dialog->launch();
    // Runs in the background as `genlab sweep run`; the runs panel follows its folder.
    QVERIFY(QFileInfo::exists(folder + "/sweep.json"));
    QTRY_COMPARE_WITH_TIMEOUT(window.runsModel()->rowCount(), 4, 60000);
    const auto done = [&] {
      int finished = 0;
      for (int row = 0; row < window.runsModel()->rowCount(); ++row)
        finished += window.runsModel()->index(row, ui::RunsModel::Status).data().toString() == "ended";
      return finished;
    };
    QTRY_COMPARE_WITH_TIMEOUT(done(), 4, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(window.figureData().loss.size(), size_t(4), 10000);
  }

  void closingDuringTrainingStopsCleanly() {
    auto* window = new ui::MainWindow(options());
    window->show();
    QVERIFY(startEndlessSession(*window, 2));
    const QString folder = window->controller()->resultsFolder();
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!window->close());  // it stops first and closes once the session has ended
    QTRY_VERIFY_WITH_TIMEOUT(!window->isVisible(), 5000);
    delete window;
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    const QJsonObject summary = readJson(folder + "/summary.json");
    QCOMPARE(summary["runs"].toArray().size(), 2);
    QCOMPARE(summary["runs"].toArray()[0].toObject()["status"].toString(), QString("stopped"));
  }

  void windowComesBackAsItWasLeft() {
    ui::WindowOptions remembering = isolated("settings");
    remembering.restoreSettings = true;
    train::ExperimentSpec spec = finiteSpec(7);
    spec.model.width = 77;
    QSize left;
    {
      ui::MainWindow window(remembering);
      window.resize(1300, 760);
      window.show();
      QVERIFY(QTest::qWaitForWindowExposed(&window));
      window.setSpec(spec);
      window.plots()->smoothingSlider()->setValue(40);
      window.plots()->logScaleBox()->setChecked(true);
      left = window.size();
      QVERIFY(window.close());
    }
    {
      ui::MainWindow window(remembering);
      QVERIFY(window.restoredExperiment());
      QCOMPARE(window.form()->spec().model.width, int64_t{77});
      QCOMPARE(window.form()->spec().training.epochs, int64_t{7});
      QCOMPARE(window.plots()->smoothingSlider()->value(), 40);
      QVERIFY(window.plots()->logScale());
      QCOMPARE(window.size(), left);
    }
    // A remembered experiment that is no longer valid (another version, an edited file): the
    // window starts from the defaults.
    ui::WindowMemory memory = ui::WindowMemory::load();
    memory.lastExperiment = R"({"model": {"width": -5}})";
    memory.smoothing = 500;
    memory.save();
    ui::MainWindow window(remembering);
    QVERIFY(!window.restoredExperiment());
    const train::ExperimentSpec defaults;
    QCOMPARE(window.form()->spec().model.width, defaults.model.width);
    QVERIFY(window.plots()->smoothingSlider()->value() <= 99);
    memory = {};
    memory.save();  // later tests start from nothing remembered
  }

  void closingWhileTheDataLoadsLeavesNothingBehind() {
    // Close at once after Start, while the session prepares: no freeze, no session started,
    // no empty session folder left.
    auto* window = new ui::MainWindow(isolated("close-preparing"));
    window->show();
    window->setSpec(finiteSpec(1000));
    QSignalSpy started(window->controller(), &ui::TrainingController::sessionStarted);
    window->start();
    QCOMPARE(window->controller()->state(), SessionState::Preparing);
    const QString folder = window->controller()->resultsFolder();
    QVERIFY(QFileInfo(folder).isDir());
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!window->close());
    QVERIFY2(timer.elapsed() < 200, qPrintable(QString::number(timer.elapsed())));
    QTRY_VERIFY_WITH_TIMEOUT(!window->isVisible(), 10000);
    QCOMPARE(window->controller()->state(), SessionState::Idle);
    QCOMPARE(started.count(), 0);
    QVERIFY(!QFileInfo::exists(folder));
    delete window;
  }

private:
  static bool window_cudaAvailable();
};

#include "core/train/device.h"
bool TestWindow::window_cudaAvailable() { return train::cudaAvailable(); }

QTEST_MAIN(TestWindow)
#include "test_window.moc"
