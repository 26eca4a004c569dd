// The genlab program as a user meets it: exit statuses, one readable line per error.

#include "support/data_files.h"
#include "support/genlab_process.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

namespace {

using Result = genlab::test::GenlabResult;
using genlab::test::runGenlab;
using genlab::test::scaledMs;

/// A folder with one small preset on synthetic data, for GENLAB_PRESET_DIR.
QProcessEnvironment withTinyPreset(const QString& folder, int epochs, int trainSize = 512) {
  QDir().mkpath(folder);
  QFile file(folder + "/tiny.json");
  file.open(QIODevice::WriteOnly);
  file.write(QStringLiteral(R"({"title": "Tiny", "description": "synthetic", "spec": {
      "data": {"dataset": "synthetic", "synthetic": {"train_size": %2, "test_size": 64, "shape": [1, 12, 12]}},
      "settings": ["true", "random-labels"], "model": {"width": 128, "dropout": 0.5},
      "training": {"batch_size": 32, "epochs": %1, "stop_when_fitted": false},
      "compute": {"device": "cpu"}}})").arg(epochs).arg(trainSize).toUtf8());
  file.close();
  QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
  environment.insert("GENLAB_PRESET_DIR", folder);
  return environment;
}

QJsonObject readJson(const QString& path) {
  QFile file(path);
  file.open(QIODevice::ReadOnly);
  return QJsonDocument::fromJson(file.readAll()).object();
}

/// Starts genlab on the tiny preset, for ever, into the results root `out`, and returns once its
/// output holds `line` `times` times (twice: both runs got there).
bool startUntil(QProcess& process, const QString& presets, const QString& out, const QString& line, int times) {
  process.setProcessEnvironment(withTinyPreset(presets, 100000));
  process.start(qEnvironmentVariable("GENLAB_EXECUTABLE"), {"--preset", "tiny", "--out", out});
  if (!process.waitForStarted()) return false;
  return QTest::qWaitFor([&] { process.waitForReadyRead(50);
                               return process.peek(1 << 20).count(line.toUtf8()) >= times; }, scaledMs(30000));
}

/// metrics.csv's rows as "run,step,epoch,metric" -> value (a row met twice: "twice"), without
/// the throughput, which differs between any two runs.
QMap<QString, QString> metricRows(const QString& session) {
  QFile csv(session + "/metrics.csv");
  QMap<QString, QString> rows;
  if (!csv.open(QIODevice::ReadOnly)) return rows;
  for (const QByteArray& line : csv.readAll().split('\n')) {
    const QList<QByteArray> f = line.split(',');
    if (f.size() != 7 || f[0] == "run" || f[4] == "images_per_second") continue;
    const QString key = QString::fromUtf8(f[0] + "," + f[2] + "," + f[3] + "," + f[4]);
    rows[key] = rows.contains(key) ? QStringLiteral("twice") : QString::fromUtf8(f[5]);
  }
  return rows;
}

/// The session folders a results root holds (genlab --out ROOT writes one per session).
QStringList sessionsIn(const QString& root) {
  QStringList folders;
  for (const QString& name : QDir(root).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
    folders << root + "/" + name;
  return folders;
}

/// The one session folder of `root`, or an empty string (a test failure follows).
QString sessionIn(const QString& root) {
  const QStringList folders = sessionsIn(root);
  return folders.size() == 1 ? folders.front() : QString();
}

} // namespace

class TestGenlabCli : public QObject {
  Q_OBJECT

private:
  QTemporaryDir scratch_;
  /// metrics.csv of the tiny preset trained without interruption (signalsCheckpointAndResumeFinishes).
  QMap<QString, QString> straightRows_;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(!qEnvironmentVariable("GENLAB_EXECUTABLE").isEmpty());
    // These tests are about the terminal: genlab trains there when no display is available,
    // as on a server or in CI (with a display it would open the window).
    qunsetenv("DISPLAY");
    qunsetenv("WAYLAND_DISPLAY");
    // Data sets this user fetched stay out of these tests' searches.
    qputenv("XDG_DATA_HOME", scratch_.path().toUtf8() + "/xdg");
  }

  void unreachableDisplayFallsBackToTheTerminal() {
    // A stale DISPLAY (say, over ssh) must not make Qt abort: genlab notices and trains here.
    QTemporaryDir scratch;
    QProcessEnvironment environment = withTinyPreset(scratch.path() + "/presets", 1);
    environment.insert("DISPLAY", ":97");
    const Result r = runGenlab({"--preset", "tiny"}, environment);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("No display available: running headless"), qPrintable(r.out));
    QVERIFY(r.out.contains("random labels"));
  }

  void helpAndVersion() {
    Result r = runGenlab({"--help"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("--corruption"));
    QVERIFY(r.out.contains("Exit status"));
    r = runGenlab({"--version"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith("genlab "));
  }

  void trainingIsHandedToGenlabTrainInTheSameProcess() {
    // genlab itself maps no LibTorch (app/training.h): --help, runs, report, data and sweep
    // status start at once. Commands that train are genlab-train's.
    const QString genlab = qEnvironmentVariable("GENLAB_EXECUTABLE");
    const QString train = QFileInfo(genlab).dir().filePath("genlab-train");
    const auto libraries = [](const QString& program) {
      QProcess ldd;
      ldd.start("ldd", {program});
      return ldd.waitForFinished(scaledMs(30000)) ? QString::fromUtf8(ldd.readAllStandardOutput()) : QString();
    };
    QVERIFY2(libraries(train).contains("libtorch_cpu"), qPrintable(libraries(train)));
    QVERIFY2(!libraries(genlab).contains("libtorch"), qPrintable(libraries(genlab)));

    // The process genlab starts as becomes genlab-train: the same id, for shells, signals, Slurm.
    QProcess process;
    QVERIFY(startUntil(process, scratch_.path() + "/presets-hand-over", scratch_.path() + "/hand-over", "epoch    1", 2));
    const QString executable = QFileInfo("/proc/" + QString::number(process.processId()) + "/exe").symLinkTarget();
    process.kill();
    process.waitForFinished(scaledMs(10000));
    QCOMPARE(executable, QFileInfo(train).canonicalFilePath());

    // Without genlab-train, what needs no training still works and training says what is missing.
    const QString alone = scratch_.path() + "/alone/genlab";
    QVERIFY(QDir().mkpath(QFileInfo(alone).path()) && QFile::copy(genlab, alone));
    QProcess lone;
    lone.setProcessEnvironment(withTinyPreset(scratch_.path() + "/presets-alone", 1));
    lone.start(alone, {"--list-presets"});
    QVERIFY(lone.waitForFinished(scaledMs(30000)));
    QCOMPARE(lone.exitCode(), 0);
    QVERIFY(lone.readAllStandardOutput().contains("tiny"));
    lone.start(alone, {"--preset", "tiny"});
    QVERIFY(lone.waitForFinished(scaledMs(30000)));
    QCOMPARE(lone.exitCode(), 1);
    const QString error = QString::fromUtf8(lone.readAllStandardError());
    QVERIFY2(error.startsWith("genlab: the training program genlab-train is missing") && error.count('\n') == 1,
             qPrintable(error));
  }

  void memorizationIsMeasuredWhenAskedAndWritten() {
    // --memorization on: metrics.csv gets fitted_clean and fitted_corrupted for every epoch of a
    // partially corrupted run (docs/measures.md); off by default, they are absent.
    const QStringList common{"--dataset", "synthetic", "--train-size", "256", "--test-size", "64",
                             "--corruption", "labels:0.5", "--epochs", "3", "--stop-when-fitted", "off"};
    for (const bool on : {true, false}) {
      const QString out = scratch_.path() + (on ? "/memorization-on" : "/memorization-off");
      const Result r = runGenlab(common + QStringList{"--out", out} +
                                 (on ? QStringList{"--memorization", "on"} : QStringList{}));
      QCOMPARE(r.exitCode, 0);
      QFile csv(sessionIn(out) + "/metrics.csv");
      QVERIFY(csv.open(QIODevice::ReadOnly));
      QMap<QString, int> rows;
      for (const QByteArray& line : csv.readAll().split('\n')) {
        const QList<QByteArray> f = line.split(',');
        if (f.size() != 7 || (f[4] != "fitted_clean" && f[4] != "fitted_corrupted")) continue;
        const double value = f[5].toDouble();
        QVERIFY2(value >= 0.0 && value <= 1.0, line.constData());
        ++rows[QString::fromUtf8(f[4])];
      }
      QCOMPARE(rows.value("fitted_clean"), on ? 3 : 0);
      QCOMPARE(rows.value("fitted_corrupted"), on ? 3 : 0);
      // And each example's record: a row per training image, about half of them corrupted.
      QFile record(sessionIn(out) + "/memorization-run0.csv");
      QCOMPARE(record.exists(), on);
      if (!on) continue;
      QVERIFY(record.open(QIODevice::ReadOnly));
      const QList<QByteArray> lines = record.readAll().trimmed().split('\n');
      QCOMPARE(lines.front(), QByteArray("example,label,corrupted,fitted_epoch"));
      QCOMPARE(lines.size(), 1 + 256);
      int corrupted = 0;
      for (const QByteArray& line : lines.mid(1)) corrupted += line.split(',').value(2) == "1";
      QVERIFY2(corrupted > 90 && corrupted < 140, qPrintable(QString::number(corrupted)));
    }
  }

  void closedFormModelsRunFromTheCommandLine() {
    // Section 5: kernel interpolation and random features are runs like a network's, one solve
    // each, written to the same folders; summary.json has each fit's norm.
    const QStringList data{"--dataset", "synthetic", "--train-size", "300", "--test-size", "100",
                           "--corruption", "true", "--corruption", "random-labels"};
    const QString kernelOut = scratch_.path() + "/kernel";
    const Result kernel = runGenlab(data + QStringList{"--arch", "kernel", "--kernel", "rbf", "--out", kernelOut});
    QCOMPARE(kernel.exitCode, 0);
    QVERIFY2(kernel.out.contains("RBF kernel interpolation (bandwidth ") && kernel.out.contains("RKHS norm"),
             qPrintable(kernel.out));
    const QJsonObject summary = readJson(sessionIn(kernelOut) + "/summary.json");
    QCOMPARE(summary["state"].toString(), QString("ended"));
    QCOMPARE(summary["parameters"].toInt(), 300 * 10);
    const QJsonArray runs = summary["runs"].toArray();
    QCOMPARE(runs.size(), 2);
    for (const auto& value : runs) {
      const QJsonObject run = value.toObject();
      QCOMPARE(run["status"].toString(), QString("fitted"));
      QCOMPARE(run["train_accuracy"].toDouble(), 1.0);
      QVERIFY(run["bandwidth"].toDouble() > 0);
      QVERIFY(run["fit_step"].isNull());
    }
    QVERIFY(runs[1].toObject()["rkhs_norm"].toDouble() > runs[0].toObject()["rkhs_norm"].toDouble());
    QVERIFY(runs[0].toObject()["test_accuracy"].toDouble() > runs[1].toObject()["test_accuracy"].toDouble());

    const QString featuresOut = scratch_.path() + "/random-features";
    const Result features = runGenlab(data + QStringList{"--arch", "random-features", "--kernel", "arccos",
                                                         "--features", "40", "--out", featuresOut});
    QCOMPARE(features.exitCode, 0);
    const QJsonObject featureSummary = readJson(sessionIn(featuresOut) + "/summary.json");
    QCOMPARE(featureSummary["model"].toString(), QString("random ReLU features, N = 40"));
    const QJsonObject first = featureSummary["runs"].toArray()[0].toObject();
    QCOMPARE(first["status"].toString(), QString("finished"));  // 40 features cannot fit 300 labels
    QVERIFY(first["coefficient_norm"].toDouble() > 0);
    QVERIFY(!first.contains("rkhs_norm") && !first.contains("bandwidth"));

    // Read back: the run table and the report (its loss figure has no steps to draw).
    const Result runsTable = runGenlab({"runs", kernelOut, featuresOut, "--format", "tsv"});
    QCOMPARE(runsTable.exitCode, 0);
    QVERIFY2(runsTable.out.contains("random ReLU features, N = 40"), qPrintable(runsTable.out));
    const Result runsJson = runGenlab({"runs", kernelOut, "--format", "json"});
    QCOMPARE(runsJson.exitCode, 0);
    const QJsonArray tableRuns = QJsonDocument::fromJson(runsJson.out.toUtf8()).array();
    QCOMPARE(tableRuns.size(), 2);
    QCOMPARE(tableRuns[1].toObject()["rkhs_norm"].toDouble(), runs[1].toObject()["rkhs_norm"].toDouble());
    QVERIFY(tableRuns[1].toObject()["coefficient_norm"].isNull());
    const QString report = scratch_.path() + "/kernel-report";
    const Result reported = runGenlab({"report", kernelOut, "--export", "png,md", "--out", report});
    QCOMPARE(reported.exitCode, 0);
    QVERIFY(QFile::exists(report + "/runs.md"));
  }

  void manPageComesFromTheOptions() {
    const Result r = runGenlab({"--man"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith(".TH GENLAB 1"));
    // Every option of --help is in the man page (troff writes '-' as '\-').
    for (const char* option : {"corruption", "sweep\\-levels", "export", "early\\-stop"})
      QVERIFY2(r.out.contains(QString("\\-\\-") + option), option);
  }

  void summarizesASyntheticDataSet() {
    const Result r = runGenlab({"--describe-data", "--dataset", "synthetic", "--corruption", "labels:0.5",
                                "--corruption", "shuffled-pixels", "--seed", "3"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("synthetic"), qPrintable(r.out));
    QVERIFY2(r.out.contains("partially corrupted labels (p = 0.5)"), qPrintable(r.out));
    QVERIFY2(r.out.contains("one permutation of the 784 pixel positions"), qPrintable(r.out));
  }

  void badInputGivesOneLineAndAStatus_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown option") << QStringList{"--frobnicate"} << 2 << "unrecognised option '--frobnicate'";
    QTest::newRow("value without its option") << QStringList{"--headless", "--dataset", "synthetic", "--epochs", "1", "0.01"} << 2
                                              << "unexpected argument '0.01'";
    QTest::newRow("command out of place") << QStringList{"--headless", "runs", "/tmp"} << 2 << "unexpected argument 'runs'";
    QTest::newRow("a word too many for a command") << QStringList{"sweep", "plan", "label-corruption-sweep", "extra"} << 2
                                                   << "sweep plan: unexpected argument 'extra'";
    QTest::newRow("level above 1") << QStringList{"--corruption", "labels:1.7"} << 2 << "outside [0, 1]";
    QTest::newRow("unknown setting") << QStringList{"--corruption", "noise"} << 2 << "unknown corruption setting 'noise'";
    QTest::newRow("unknown data set") << QStringList{"--dataset", "imagenet"} << 2 << "--dataset: 'imagenet' is not one of";
    QTest::newRow("not a number") << QStringList{"--train-size", "many"} << 2 << "train-size";
    QTest::newRow("negative size") << QStringList{"--train-size", "-5"} << 2 << "must not be negative";
    QTest::newRow("bad learning rate") << QStringList{"--lr", "-1"} << 2 << "learning rate -1 must be a positive number";
    QTest::newRow("bad switch") << QStringList{"--augment", "maybe"} << 2 << "--augment: 'maybe' is not on or off";
    QTest::newRow("bad sweep") << QStringList{"--sweep-levels", "0,x"} << 2 << "--sweep-levels: 'x' is not a number";
    QTest::newRow("sweep level above 1") << QStringList{"--sweep-levels", "0,1.5"} << 2 << "outside [0, 1]";
    QTest::newRow("unknown architecture") << QStringList{"--arch", "resnet"} << 2 << "--arch: 'resnet' is not one of";
    QTest::newRow("no random features") << QStringList{"--arch", "random-features", "--features", "0"} << 2
                                        << "random features 0 is outside [1, 1000000] (model.features)";
    QTest::newRow("dropout in kernel interpolation") << QStringList{"--arch", "kernel", "--dataset", "synthetic", "--dropout", "0.5"}
                                                     << 2 << "dropout applies to networks; kernel interpolation has none";
    QTest::newRow("kernel beyond memory") << QStringList{"--arch", "kernel", "--dataset", "fashion-mnist"} << 2
                                          << "builds a 60000 x 60000 kernel matrix of float64 numbers, 26.8 GiB";
    QTest::newRow("unknown kernel") << QStringList{"--arch", "kernel", "--kernel", "laplace"} << 2 << "--kernel: 'laplace' is not one of rbf, arccos";
    QTest::newRow("size 0x5") << QStringList{"--size", "0x5"} << 2 << "--size: '0x5' is not WxH";
    QTest::newRow("scale 0") << QStringList{"--scale", "0"} << 2 << "--scale: 0 is outside [0.25, 8]";
    QTest::newRow("export without out") << QStringList{"--export", "png"} << 2 << "--export needs --out";
    QTest::newRow("unknown export") << QStringList{"--export", "gif", "--out", "/tmp/x"} << 2 << "'gif' is not one of";
    QTest::newRow("missing config") << QStringList{"--config", "/no/such.json"} << 1 << "cannot read JSON file '/no/such.json'";
    QTest::newRow("missing folder") << QStringList{"--dataset", "mnist", "--data-dir", "/no/such/folder"} << 1
                                    << "'/no/such/folder' does not exist";
    QTest::newRow("cifar without folder") << QStringList{"--dataset", "cifar10"} << 1 << "CIFAR-10 is not on this machine: 'genlab data fetch cifar10' downloads it (162.2 MiB)";
    QTest::newRow("too many images") << QStringList{"--dataset", "synthetic", "--train-size", "999999"} << 1
                                     << "asked for 999999 training images";
    QTest::newRow("network beyond memory") << QStringList{"--width", "1000000", "--depth", "3"} << 2
                                           << "parameters; the most is 5e+08";
    QTest::newRow("JSON nested a million levels")
        << QStringList{"--config", "@scratch/deep.json"} << 1 << "'training.epochs' must be an integer";
    QTest::newRow("output folder is a file")
        << QStringList{"--headless", "--out", "@scratch/a-file"} << 1 << "a-file': Not a directory";
  }

  void badInputGivesOneLineAndAStatus() {
    QFETCH(QStringList, arguments);
    QFETCH(int, status);
    QFETCH(QString, expected);
    qunsetenv("GENLAB_DATA_DIR");
    for (QString& argument : arguments) argument.replace("@scratch", scratch_.path());
    if (QFile deep(scratch_.filePath("deep.json")); !deep.exists() && deep.open(QIODevice::WriteOnly)) {
      constexpr int kDepth = 1'000'000;
      deep.write(R"({"training": {"epochs": )" + QByteArray(kDepth, '[') + QByteArray(kDepth, ']') + "}}");
    }
    if (QFile file(scratch_.filePath("a-file")); !file.exists() && file.open(QIODevice::WriteOnly)) file.write("x");
    const Result r = runGenlab(arguments);
    QCOMPARE(r.exitCode, status);
    QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);  // exactly one line
    QVERIFY(r.err.startsWith("genlab: "));
  }

  void listsThePresets() {
    const Result r = runGenlab({"--list-presets"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("figure1a-fashion-mnist") && r.out.contains("Figure 1a on Fashion-MNIST (CPU)"),
             qPrintable(r.out));
  }

  void trainsAPresetAndWritesResults() {
    const QString presets = scratch_.path() + "/presets-run";
    const QString out = scratch_.path() + "/run";
    const Result r = runGenlab({"--preset", "tiny", "--out", out}, withTinyPreset(presets, 3));
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("random labels") && r.out.contains("epoch    3"), qPrintable(r.out));
    const QString session = sessionIn(out);
    QVERIFY2(!session.isEmpty(), qPrintable(sessionsIn(out).join(", ")));
    QVERIFY2(r.out.contains("results: " + session), qPrintable(r.out));
    const QJsonObject summary = readJson(session + "/summary.json");
    QCOMPARE(summary["state"].toString(), QString("ended"));
    QCOMPARE(summary["format"].toInt(), 1);
    const QJsonArray runs = summary["runs"].toArray();
    QCOMPARE(runs.size(), 2);
    QCOMPARE(runs[1].toObject()["setting"].toString(), QString("random-labels"));
    QCOMPARE(runs[1].toObject()["status"].toString(), QString("finished"));
    QCOMPARE(runs[1].toObject()["epochs"].toInt(), 3);
    QVERIFY(QFile::exists(session + "/metrics.csv"));
    QCOMPARE(readJson(session + "/spec.json")["training"].toObject()["epochs"].toInt(), 3);

    // A second session into the same root gets a folder of its own: nothing is overwritten.
    QCOMPARE(runGenlab({"--preset", "tiny", "--out", out}, withTinyPreset(presets, 1)).exitCode, 0);
    QCOMPARE(sessionsIn(out).size(), 2);
    QCOMPARE(readJson(session + "/spec.json")["training"].toObject()["epochs"].toInt(), 3);
  }

  void runsListsResultsFolders() {
    const QString presets = scratch_.path() + "/presets-runs";
    const QString out = scratch_.path() + "/listed";
    QCOMPARE(runGenlab({"--preset", "tiny", "--out", out + "/a"}, withTinyPreset(presets, 2)).exitCode, 0);
    QCOMPARE(runGenlab({"--preset", "tiny", "--out", out + "/b/deeper"}, withTinyPreset(presets, 1)).exitCode, 0);
    QDir().mkpath(out + "/nothing-here");

    const Result json = runGenlab({"runs", out, "--format", "json"});
    QCOMPARE(json.exitCode, 0);
    const QJsonArray runs = QJsonDocument::fromJson(json.out.toUtf8()).array();
    QCOMPARE(runs.size(), 4);  // two sessions of two runs, at any depth
    for (const auto& value : runs) {
      const QJsonObject run = value.toObject();
      for (const char* key : {"folder", "session", "setting", "architecture", "status", "epochs",
                              "train_accuracy", "test_accuracy", "epoch_fitted"})
        QVERIFY2(run.contains(key), key);
      QCOMPARE(run["status"].toString(), QString("finished"));
      QCOMPARE(run["architecture"].toString(), QString("mlp"));
      QVERIFY(run["test_accuracy"].toDouble() >= 0.0 && run["test_accuracy"].toDouble() <= 1.0);
    }
    QCOMPARE(runs[0].toObject()["epochs"].toInt() + runs[2].toObject()["epochs"].toInt(), 3);

    const Result text = runGenlab({"runs", out, "--filter", "random"});
    QCOMPARE(text.exitCode, 0);
    QCOMPARE(text.out.count("random labels"), 2);
    QVERIFY2(!text.out.contains("true labels"), qPrintable(text.out));
    QVERIFY(text.out.startsWith("session"));  // aligned columns with a header

    const Result bad = runGenlab({"runs", out, "--format", "xml"});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains("'xml' is not one of"), qPrintable(bad.err));
    const Result missing = runGenlab({"runs", scratch_.path() + "/no-such-folder"});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("no-such-folder' is no such folder"), qPrintable(missing.err));
    QCOMPARE(missing.err.count('\n'), 1);
  }

  void reportDrawsFiguresAndTheTableFromFolders() {
    const QString presets = scratch_.path() + "/presets-report";
    const QString out = scratch_.path() + "/reported";
    QCOMPARE(runGenlab({"--preset", "tiny", "--out", out}, withTinyPreset(presets, 3)).exitCode, 0);
    const QString report = scratch_.path() + "/report";
    // Without XDG_RUNTIME_DIR (a root shell, a cluster job) Qt warns of it as it starts; genlab
    // leaves that line out, and a report prints nothing else on stderr.
    QProcessEnvironment noRuntimeDir = QProcessEnvironment::systemEnvironment();
    noRuntimeDir.remove("XDG_RUNTIME_DIR");
    const Result r = runGenlab({"report", out, "--export", "png,md,tex", "--out", report, "--size", "600x400"}, noRuntimeDir);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    for (const char* name : {"figure1a-loss", "accuracy"}) {
      const QImage image(report + "/" + name + ".png");
      QCOMPARE(image.size(), QSize(600, 400));
      // Not blank: the curves put colours other than white, black and grey on it.
      int coloured = 0;
      for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) {
          const QColor c = image.pixelColor(x, y);
          coloured += std::abs(c.red() - c.green()) + std::abs(c.green() - c.blue()) > 60 ? 1 : 0;
        }
      QVERIFY2(coloured > 100, name);
    }
    QFile markdown(report + "/runs.md");
    QVERIFY(markdown.open(QIODevice::ReadOnly));
    const QString table = QString::fromUtf8(markdown.readAll());
    QVERIFY2(table.startsWith("| session | model |"), qPrintable(table));
    QVERIFY(table.contains("random labels") && table.contains("true labels"));
    const QJsonArray summaryRuns = readJson(sessionIn(out) + "/summary.json")["runs"].toArray();
    const double test = summaryRuns[0].toObject()["test_accuracy"].toDouble();
    QVERIFY2(table.contains(QString::number(100.0 * test, 'f', 2)), qPrintable(table));
    QVERIFY(QFile::exists(report + "/runs.tex"));

    const Result none = runGenlab({"report", out, "--filter", "gaussian", "--export", "png", "--out", report});
    QCOMPARE(none.exitCode, 1);
    QVERIFY2(none.err.contains("no run to report"), qPrintable(none.err));
    const Result noOut = runGenlab({"report", out, "--export", "png"});
    QCOMPARE(noOut.exitCode, 2);
  }

  void killedRunLeavesAReadableFolder() {
    const QString presets = scratch_.path() + "/presets-killed";
    const QString out = scratch_.path() + "/killed";
    QProcess process;
    // Both runs past their third epoch (the runs take turns, a chunk of many epochs each).
    QVERIFY(startUntil(process, presets, out, "epoch    3", 2));
    ::kill(static_cast<pid_t>(process.processId()), SIGKILL);
    QVERIFY(process.waitForFinished(scaledMs(10000)));
    const QString session = sessionIn(out);
    QVERIFY(!session.isEmpty());

    const Result r = runGenlab({"runs", out, "--format", "json"});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray runs = QJsonDocument::fromJson(r.out.toUtf8()).array();
    QCOMPARE(runs.size(), 2);
    // The table holds every step of each complete epoch (16 a run), at most the steps of the
    // epoch in progress besides (written when another run's epoch ended); the summary is at
    // most an epoch behind the table.
    QFile csv(session + "/metrics.csv");
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QMap<int, int> lastEpoch, losses;
    for (const QByteArray& line : csv.readAll().split('\n')) {
      const QList<QByteArray> fields = line.split(',');
      if (fields.size() != 7 || fields[0] == "run") continue;
      const int run = fields[0].toInt();
      if (fields[4] == "loss") ++losses[run];
      if (fields[4] == "test_accuracy") lastEpoch[run] = std::max(lastEpoch[run], fields[3].toInt());
    }
    for (const auto& value : runs) {
      const QJsonObject run = value.toObject();
      const int number = run["run"].toInt();
      QCOMPARE(run["status"].toString(), QString("incomplete"));
      QVERIFY(lastEpoch[number] >= 3);
      QVERIFY2(losses[number] >= 16 * lastEpoch[number] && losses[number] <= 16 * (lastEpoch[number] + 1),
               qPrintable(QString("%1 losses, epoch %2").arg(losses[number]).arg(lastEpoch[number])));
      QVERIFY(run["epochs"].toInt() == lastEpoch[number] || run["epochs"].toInt() == lastEpoch[number] - 1);
    }
  }

  void ctrlCStopsCleanly() {
    const QString presets = scratch_.path() + "/presets-interrupt";
    const QString out = scratch_.path() + "/interrupted";
    QProcess process;
    // Wait until training is under way (the first epoch line), then interrupt.
    QVERIFY(startUntil(process, presets, out, "epoch    1", 1));
    ::kill(static_cast<pid_t>(process.processId()), SIGINT);
    QVERIFY(process.waitForFinished(scaledMs(10000)));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 130);
    const QJsonObject summary = readJson(sessionIn(out) + "/summary.json");
    QCOMPARE(summary["state"].toString(), QString("ended"));
    for (const auto& run : summary["runs"].toArray())
      QCOMPARE(run.toObject()["status"].toString(), QString("interrupted"));
  }

  void signalsCheckpointAndResumeFinishes_data() {
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM (Slurm's requeue)") << int(SIGTERM);
    QTest::newRow("SIGUSR1 (Slurm's warning before the time limit)") << int(SIGUSR1);
  }

  void signalsCheckpointAndResumeFinishes() {
    QFETCH(int, signal);
    const QString tag = QString::number(signal);
    const QString presets = scratch_.path() + "/presets-resume" + tag;
    const QString out = scratch_.path() + "/resumed" + tag;
    // Epochs long enough (a few tenths of a second) for the signal to land mid-session.
    const QProcessEnvironment environment = withTinyPreset(presets, 10, 6144);
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(qEnvironmentVariable("GENLAB_EXECUTABLE"), {"--preset", "tiny", "--out", out});
    QVERIFY(process.waitForStarted());
    QVERIFY(QTest::qWaitFor([&] { process.waitForReadyRead(50);
                                  return process.peek(1 << 20).count("epoch    1") >= 2; }, scaledMs(30000)));
    ::kill(static_cast<pid_t>(process.processId()), signal);
    QVERIFY(process.waitForFinished(scaledMs(10000)));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 130);
    const QString session = sessionIn(out);
    QVERIFY(!session.isEmpty());
    const QJsonObject stopped = readJson(session + "/summary.json");
    for (const auto& run : stopped["runs"].toArray()) {
      QCOMPARE(run.toObject()["status"].toString(), QString("interrupted"));
      QVERIFY(run.toObject()["checkpoint_epoch"].toInt() >= 1);
    }
    QVERIFY(QFile::exists(session + "/checkpoint-run0.pt") && QFile::exists(session + "/checkpoint-run1.pt"));

    const Result resumed = runGenlab({"--resume", session});
    QCOMPARE(resumed.exitCode, 0);
    QVERIFY2(resumed.out.contains("resumed after epoch"), qPrintable(resumed.out));
    const QJsonObject summary = readJson(session + "/summary.json");
    QCOMPARE(summary["state"].toString(), QString("ended"));
    for (const auto& value : summary["runs"].toArray()) {
      const QJsonObject run = value.toObject();
      QCOMPARE(run["status"].toString(), QString("finished"));
      QCOMPARE(run["epochs"].toInt(), 10);
      QCOMPARE(run["resumed_from_epoch"].toArray().size(), 1);
      QCOMPARE(run["resumed_from_epoch"].toArray()[0].toInt(), stopped["runs"].toArray()[run["run"].toInt()].toObject()["checkpoint_epoch"].toInt());
    }

    // The same session uninterrupted (trained once for both signals): the same rows, each once,
    // with the same values.
    if (straightRows_.isEmpty()) {
      const QString straightOut = scratch_.path() + "/straight";
      QCOMPARE(runGenlab({"--preset", "tiny", "--out", straightOut}, environment).exitCode, 0);
      straightRows_ = metricRows(sessionIn(straightOut));
    }
    const QMap<QString, QString> expected = straightRows_;
    const QMap<QString, QString> rows = metricRows(session);
    QVERIFY(!expected.isEmpty());
    QCOMPARE(rows.size(), expected.size());
    for (auto row = expected.begin(); row != expected.end(); ++row) {
      QVERIFY2(rows.value(row.key()) != "twice", qPrintable(row.key()));
      QVERIFY2(rows.value(row.key()) == row.value(),
               qPrintable(row.key() + ": " + rows.value(row.key()) + " resumed, " + row.value() + " straight"));
    }

    // Nothing left: a second resume says so and changes nothing.
    const Result again = runGenlab({"--resume", session});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.out.contains("nothing to resume"), qPrintable(again.out));
  }

  void resumeRefusesWhatItCannotContinue() {
    const QString missing = scratch_.path() + "/no-such-session";
    Result r = runGenlab({"--resume", missing});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(missing + "' does not exist"), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);

    const QString bare = scratch_.path() + "/no-spec";
    QDir().mkpath(bare);
    QFile metrics(bare + "/metrics.csv");
    QVERIFY(metrics.open(QIODevice::WriteOnly));
    metrics.close();
    r = runGenlab({"--resume", bare});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("has no spec.json"), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);

    r = runGenlab({"--resume", bare, "--preset", "tiny"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("--resume"), qPrintable(r.err));

    // A folder that a live process writes.
    const QString presets = scratch_.path() + "/presets-live";
    const QString out = scratch_.path() + "/live";
    QProcess process;
    QVERIFY(startUntil(process, presets, out, "epoch    1", 1));
    r = runGenlab({"--resume", sessionIn(out)});
    ::kill(static_cast<pid_t>(process.processId()), SIGKILL);
    QVERIFY(process.waitForFinished(scaledMs(10000)));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("is being written by another process"), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);
  }

  void presetThenConfigThenFlags() {
    const QString presets = scratch_.path() + "/presets-precedence";
    const QString config = scratch_.path() + "/config.json";
    const QString out = scratch_.path() + "/precedence";
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"optimizer": {"learning_rate": 0.05}, "training": {"epochs": 7}})");
    file.close();
    const Result r = runGenlab({"--preset", "tiny", "--config", config, "--epochs", "2", "--out", out},
                               withTinyPreset(presets, 3));
    QCOMPARE(r.exitCode, 0);
    const QJsonObject spec = readJson(sessionIn(out) + "/spec.json");
    QCOMPARE(spec["training"].toObject()["epochs"].toInt(), 2);                   // flag
    QCOMPARE(spec["optimizer"].toObject()["learning_rate"].toDouble(), 0.05);    // config
    QCOMPARE(spec["model"].toObject()["width"].toInt(), 128);                    // preset
    QCOMPARE(spec["data"].toObject()["dataset"].toString(), QString("synthetic"));  // preset
  }

  void exportsFiguresOfTheRequestedSize() {
    const QString presets = scratch_.path() + "/presets-figures";
    const QString out = scratch_.path() + "/figures";
    const Result r = runGenlab({"--preset", "tiny", "--out", out, "--export", "png,svg,csv,json",
                                "--size", "400x300", "--scale", "2"},
                               withTinyPreset(presets, 2));
    QCOMPARE(r.exitCode, 0);
    const QString session = sessionIn(out);
    for (const char* name : {"figure1a-loss", "accuracy"}) {
      const QImage image(session + "/" + name + ".png");
      QCOMPARE(image.size(), QSize(800, 600));
      QVERIFY(QFile::exists(session + "/" + name + ".svg"));
    }
    QVERIFY(!QFile::exists(session + "/figure1b-time-to-fit.png"));  // no sweep, no Figure 1b
  }

  void flagsAloneDescribeAnExperiment() {
    const QString out = scratch_.path() + "/flags";
    const Result r = runGenlab({"--dataset", "synthetic", "--corruption", "gaussian", "--width", "64",
                                "--epochs", "2", "--batch-size", "64", "--device", "cpu", "--out", out});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject summary = readJson(sessionIn(out) + "/summary.json");
    const QJsonArray runs = summary["runs"].toArray();
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs[0].toObject()["setting"].toString(), QString("gaussian"));
    QCOMPARE(runs[0].toObject()["epochs"].toInt(), 2);
  }

  void unknownPresetIsARuntimeFailure() {
    const Result r = runGenlab({"--preset", "figure9"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("unknown preset 'figure9'"), qPrintable(r.err));
  }

  void truncatedDataFileIsARuntimeFailure() {
    const std::filesystem::path folder = scratch_.path().toStdString() + "/broken";
    genlab::test::writeIdxFolder(folder, {});
    std::filesystem::resize_file(folder / "train-images-idx3-ubyte", 100);
    const Result r = runGenlab({"--dataset", "mnist", "--data-dir", QString::fromStdString(folder.string())});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("is truncated"), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);
  }
};

QTEST_GUILESS_MAIN(TestGenlabCli)
#include "test_genlab_cli.moc"
