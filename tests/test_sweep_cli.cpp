// genlab sweep as a user (or a cluster's job array) meets it: plan, run one task or all of them,
// run again to finish what is missing, resume after a signal, status, the Slurm script, --set,
// and one readable line with an exit status for every bad input.

#include "support/genlab_process.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

namespace {

using Result = genlab::test::GenlabResult;
using genlab::test::runGenlab;
using genlab::test::scaledMs;

QByteArray readBytes(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QJsonObject readJson(const QString& path) { return QJsonDocument::fromJson(readBytes(path)).object(); }

void writeText(const QString& path, const QString& text) {
  QFile file(path);
  QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
  file.write(text.toUtf8());
}

/// A sweep file on a small synthetic set; `axes` is the JSON object of its axes (written as
/// given: the axes combine in the file's order).
QString sweepText(const QString& axes, int epochs = 3, int trainSize = 200, int side = 8, int width = 32) {
  return QStringLiteral(R"({"title": "t", "spec": {"name": "tiny",
      "data": {"dataset": "synthetic", "synthetic": {"train_size": %2, "test_size": 50, "shape": [1, %3, %3]}},
      "model": {"architecture": "mlp", "width": %4},
      "training": {"epochs": %1, "batch_size": 50, "stop_when_fitted": false},
      "compute": {"threads": 1}},
    "axes": %5})")
      .arg(epochs).arg(trainSize).arg(side).arg(width).arg(axes);
}

/// The 6 tasks of the main sweep file (width 16 then 32, three settings each).
const QStringList kFolders = {"00-width-16_true", "01-width-16_random-labels", "02-width-16_labels-0.5",
                              "03-width-32_true", "04-width-32_random-labels", "05-width-32_labels-0.5"};
const QStringList kSettings = {"true", "random-labels", "labels:0.5"};
int widthOf(int task) { return task < 3 ? 16 : 32; }
QString settingOf(int task) { return kSettings[task % 3]; }

/// The task lines of `plan` or `status` output: index, folder, the rest (axis values or state),
/// in the order printed.
QList<QStringList> taskLines(const QString& output) {
  static const QRegularExpression line(R"(^\s*(\d+)\s+(\S+)\s+(.*?)\s*$)");
  QList<QStringList> rows;
  for (const QString& text : output.split('\n')) {
    const QRegularExpressionMatch m = line.match(text);
    if (m.hasMatch() && text.startsWith(' ')) rows.append({m.captured(1), m.captured(2), m.captured(3)});
  }
  return rows;
}

/// The last non-empty line.
QString lastLine(const QString& output) {
  const QStringList lines = output.trimmed().split('\n');
  return lines.isEmpty() ? QString() : lines.last().trimmed();
}

/// The folders (not files) directly in `root`, sorted.
QStringList foldersIn(const QString& root) {
  return QDir(root).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}

/// Every run of a task folder's summary reached an outcome that counts as done.
bool everyRunFinished(const QJsonObject& summary) {
  const QJsonArray runs = summary["runs"].toArray();
  if (runs.isEmpty() || summary["state"].toString() != "ended") return false;
  for (const auto& run : runs) {
    const QString status = run.toObject()["status"].toString();
    if (status != "finished" && status != "fitted") return false;
  }
  return true;
}

/// How often each (metric, epoch or step) row occurs in a task's metrics.csv, for run 0:
/// "test_accuracy" rows keyed by epoch, "loss" rows by step.
QMap<QString, QMap<int, int>> rowCounts(const QString& folder) {
  QMap<QString, QMap<int, int>> counts;
  for (const QByteArray& line : readBytes(folder + "/metrics.csv").split('\n')) {
    const QList<QByteArray> f = line.split(',');  // run,setting,step,epoch,metric,value,wall_time
    if (f.size() != 7 || f[0] != "0") continue;
    if (f[4] == "test_accuracy") ++counts["test_accuracy"][f[3].toInt()];
    if (f[4] == "loss") ++counts["loss"][f[2].toInt()];
  }
  return counts;
}

} // namespace

class TestSweepCli : public QObject {
  Q_OBJECT

private:
  QTemporaryDir scratch_;
  QString sweep_;  ///< the 6-task sweep: model.width [16, 32] x setting [true, random-labels, labels:0.5]

  QString path(const QString& name) const { return scratch_.path() + "/" + name; }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(!qEnvironmentVariable("GENLAB_EXECUTABLE").isEmpty());
    QVERIFY(scratch_.isValid());
    // The terminal, never the window; the presets installed with the lab.
    qunsetenv("DISPLAY");
    qunsetenv("WAYLAND_DISPLAY");
    qunsetenv("GENLAB_PRESET_DIR");
    sweep_ = path("sweep.json");
    writeText(sweep_, sweepText(R"({"model.width": [16, 32], "setting": ["true", "random-labels", "labels:0.5"]})"));

    // Files for the bad-input table.
    writeText(path("unknown-field.json"), sweepText(R"({"model.widht": [16, 32]})"));
    writeText(path("out-of-range.json"), sweepText(R"({"model.width": [16, 0]})"));
    writeText(path("empty-axis.json"), sweepText(R"({"setting": ["true"], "model.width": []})"));
    QStringList seeds, epochs;
    for (int i = 0; i < 1000; ++i) seeds << QString::number(i);
    for (int i = 1; i <= 101; ++i) epochs << QString::number(i);
    writeText(path("too-many.json"), sweepText(QString(R"({"seed": [%1], "training.epochs": [%2]})")
                                                   .arg(seeds.join(", "), epochs.join(", "))));
    writeText(path("malformed.json"), R"({"title": "t", "spec": {"name": )");
    writeText(path("a-file"), "not a folder\n");
  }

  void planListsTasksAndTheirFolders() {
    const Result r = runGenlab({"sweep", "plan", sweep_});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    const QList<QStringList> rows = taskLines(r.out);
    QCOMPARE(rows.size(), 6);
    for (int i = 0; i < 6; ++i) {
      QCOMPARE(rows[i][0].toInt(), i);
      QCOMPARE(rows[i][1], kFolders[i]);
      // The axis values, the last axis varying fastest.
      QCOMPARE(rows[i][2].simplified(),
               QString("model.width=%1 setting=%2").arg(widthOf(i)).arg(settingOf(i)));
    }
    QCOMPARE(lastLine(r.out), QString("6 tasks"));
  }

  void runsExactlyOneTaskAndNothingTwice() {
    const QString out = path("one-task");
    const Result r = runGenlab({"sweep", "run", sweep_, "--task", "4", "--out", out});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("Sweep task 4 of 6"), qPrintable(r.out));
    // Exactly that task's folder; the resolved sweep beside it.
    QCOMPARE(foldersIn(out), (QStringList{"04-width-32_random-labels", "logs"}));
    const QString folder = out + "/04-width-32_random-labels";
    const QJsonObject spec = readJson(folder + "/spec.json");
    QCOMPARE(spec["model"].toObject()["width"].toInt(), 32);
    QCOMPARE(spec["settings"].toArray(), (QJsonArray{"random-labels"}));
    QCOMPARE(spec["training"].toObject()["epochs"].toInt(), 3);
    const QJsonObject summary = readJson(folder + "/summary.json");
    QVERIFY2(everyRunFinished(summary), readBytes(folder + "/summary.json").constData());
    QCOMPARE(summary["runs"].toArray().size(), 1);
    QCOMPARE(summary["runs"].toArray()[0].toObject()["epochs"].toInt(), 3);
    const QJsonObject sweepFile = readJson(out + "/sweep.json");
    QCOMPARE(sweepFile["axes"].toObject()["model.width"].toArray(), (QJsonArray{16, 32}));
    QCOMPARE(sweepFile["axes"].toObject()["setting"].toArray().size(), 3);

    // plan --out shows where each task stands.
    const Result plan = runGenlab({"sweep", "plan", sweep_, "--out", out});
    QCOMPARE(plan.exitCode, 0);
    const QList<QStringList> rows = taskLines(plan.out);
    QCOMPARE(rows.size(), 6);
    for (int i = 0; i < 6; ++i) {
      QCOMPARE(rows[i][1], kFolders[i]);
      QVERIFY2(rows[i][2].startsWith(i == 4 ? "done" : "pending"), qPrintable(rows[i].join(" | ")));
    }
    QCOMPARE(lastLine(plan.out), QString("6 tasks: 1 done, 5 pending"));

    // The same task again: nothing retrained, nothing rewritten.
    const QByteArray metrics = readBytes(folder + "/metrics.csv");
    const QByteArray summaryBytes = readBytes(folder + "/summary.json");
    QVERIFY(metrics.count("\n") > 3);
    const Result again = runGenlab({"sweep", "run", sweep_, "--task", "4", "--out", out});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.out.contains("nothing to resume"), qPrintable(again.out));
    QCOMPARE(readBytes(folder + "/metrics.csv"), metrics);
    QCOMPARE(readBytes(folder + "/summary.json"), summaryBytes);

    // The Slurm script leaves the finished task out of the array, and a dry run writes nothing.
    const Result dry = runGenlab({"sweep", "submit", sweep_, "--out", out, "--dry-run", "--max-parallel", "2"});
    QCOMPARE(dry.exitCode, 0);
    QVERIFY2(dry.out.split('\n').contains("#SBATCH --array=0-3,5%2"), qPrintable(dry.out));
    QVERIFY(!QFile::exists(out + "/slurm-jobs.txt"));
    QVERIFY(!QFile::exists(out + "/sweep.sbatch"));

    // Another sweep never mixes its task folders into this one's.
    const QString other = path("other-sweep.json");
    writeText(other, sweepText(R"({"model.width": [16, 24]})"));
    const QByteArray sweepBytes = readBytes(out + "/sweep.json");
    const Result refused = runGenlab({"sweep", "run", other, "--task", "0", "--out", out});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.startsWith("genlab: ") && refused.err.contains("holds another sweep"), qPrintable(refused.err));
    QCOMPARE(refused.err.count('\n'), 1);
    QCOMPARE(foldersIn(out), (QStringList{"04-width-32_random-labels", "logs"}));
    QCOMPARE(readBytes(out + "/sweep.json"), sweepBytes);
  }

  void runsEveryTaskTwoAtATime() {
    const QString out = path("all-tasks");
    const Result r = runGenlab({"sweep", "run", sweep_, "--out", out, "--jobs", "2"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("6 of 6 tasks done"), qPrintable(r.out));
    QCOMPARE(foldersIn(out), QStringList(kFolders) << "logs");
    for (int i = 0; i < 6; ++i) {
      const QString folder = out + "/" + kFolders[i];
      const QJsonObject spec = readJson(folder + "/spec.json");
      QCOMPARE(spec["model"].toObject()["width"].toInt(), widthOf(i));
      QCOMPARE(spec["settings"].toArray(), (QJsonArray{settingOf(i)}));
      QVERIFY2(everyRunFinished(readJson(folder + "/summary.json")), qPrintable(folder));
      QVERIFY2(r.out.contains(QString("task %1 done").arg(i)), qPrintable(r.out));
      const QByteArray log = readBytes(out + "/logs/task-" + QString::number(i) + ".log");
      QVERIFY2(log.contains(QString("Sweep task %1 of 6").arg(i).toUtf8()), log.constData());
    }

    const Result again = runGenlab({"sweep", "run", sweep_, "--out", out, "--jobs", "2"});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.out.contains("All 6 tasks are done"), qPrintable(again.out));

    const Result status = runGenlab({"sweep", "status", sweep_, "--out", out});
    QCOMPARE(status.exitCode, 0);
    const QList<QStringList> rows = taskLines(status.out);
    QCOMPARE(rows.size(), 6);
    for (int i = 0; i < 6; ++i) {
      QCOMPARE(rows[i][1], kFolders[i]);
      QVERIFY2(rows[i][2].startsWith("done"), qPrintable(rows[i].join(" | ")));
    }
    QCOMPARE(lastLine(status.out), QString("6 tasks: 6 done"));
  }

  void signalStopsTheRunnerAndRunningAgainResumes() {
    // Tasks of a few seconds (40 epochs), so that the signal lands while the first one trains.
    const QString file = path("longer.json");
    writeText(file, sweepText(R"({"setting": ["true", "random-labels"]})", 40, 4000, 24, 256));
    const QString out = path("resumed");
    const QString first = out + "/00-true";
    const QStringList arguments{"sweep", "run", file, "--out", out, "--jobs", "1"};

    QProcess runner;
    runner.start(qEnvironmentVariable("GENLAB_EXECUTABLE"), arguments);
    QVERIFY(runner.waitForStarted());
    // Until the first task has written an epoch's row.
    QVERIFY(QTest::qWaitFor([&] { return readBytes(first + "/metrics.csv").contains(",test_accuracy,"); }, scaledMs(60000)));
    ::kill(static_cast<pid_t>(runner.processId()), SIGTERM);
    QVERIFY(runner.waitForFinished(scaledMs(30000)));
    QCOMPARE(runner.exitStatus(), QProcess::NormalExit);
    const QString stopOutput = QString::fromUtf8(runner.readAllStandardOutput());
    QCOMPARE(runner.exitCode(), 130);
    QVERIFY2(stopOutput.contains("0 of 2 tasks done"), qPrintable(stopOutput));
    QVERIFY(!QDir(out + "/01-random-labels").exists());  // never started
    const QJsonObject stopped = readJson(first + "/summary.json")["runs"].toArray()[0].toObject();
    QCOMPARE(stopped["status"].toString(), QString("interrupted"));
    const int checkpoint = stopped["checkpoint_epoch"].toInt();
    QVERIFY2(checkpoint >= 1 && checkpoint < 40, qPrintable(QString::number(checkpoint)));
    QVERIFY(QFile::exists(first + "/checkpoint-run0.pt"));

    const Result status = runGenlab({"sweep", "status", file, "--out", out});
    QCOMPARE(status.exitCode, 0);
    const QList<QStringList> rows = taskLines(status.out);
    QCOMPARE(rows.size(), 2);
    QVERIFY2(rows[0][2].startsWith("unfinished"), qPrintable(status.out));
    QVERIFY2(rows[1][2].startsWith("pending"), qPrintable(status.out));
    QCOMPARE(lastLine(status.out), QString("2 tasks: 1 unfinished, 1 pending"));

    // The same command again finishes both tasks, the first from its checkpoint.
    const Result again = runGenlab(arguments);
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.out.contains("2 of 2 tasks done"), qPrintable(again.out));
    for (const QString& name : {QString("00-true"), QString("01-random-labels")}) {
      const QJsonObject summary = readJson(out + "/" + name + "/summary.json");
      QVERIFY2(everyRunFinished(summary), qPrintable(name));
      QCOMPARE(summary["runs"].toArray()[0].toObject()["epochs"].toInt(), 40);
    }
    const QJsonObject resumed = readJson(first + "/summary.json")["runs"].toArray()[0].toObject();
    QCOMPARE(resumed["resumed_from_epoch"].toArray(), (QJsonArray{checkpoint}));
    // The second task ran once, straight through.
    QVERIFY(readJson(out + "/01-random-labels/summary.json")["runs"].toArray()[0].toObject()["resumed_from_epoch"]
                .toArray().isEmpty());
    const QByteArray log = readBytes(out + "/logs/task-0.log");
    QVERIFY2(log.contains("resumed after epoch " + QByteArray::number(checkpoint)), log.constData());

    // Every epoch's row once (4000 images, 50 a batch: 80 steps an epoch), none twice.
    const QMap<QString, QMap<int, int>> counts = rowCounts(first);
    const QMap<int, int> epochs = counts.value("test_accuracy");
    const QMap<int, int> steps = counts.value("loss");
    QCOMPARE(epochs.size(), 40);
    for (int epoch = 1; epoch <= 40; ++epoch)
      QVERIFY2(epochs.value(epoch) == 1, qPrintable(QString("epoch %1").arg(epoch)));
    QCOMPARE(steps.size(), 40 * 80);
    for (auto step = steps.begin(); step != steps.end(); ++step)
      QVERIFY2(step.value() == 1, qPrintable(QString("step %1").arg(step.key())));
  }

  void setOverridesAField() {
    const Result plan = runGenlab({"sweep", "plan", sweep_, "--set", "model.depth=3"});
    QCOMPARE(plan.exitCode, 0);
    QCOMPARE(taskLines(plan.out).size(), 6);
    QCOMPARE(lastLine(plan.out), QString("6 tasks"));

    const QString out = path("set-depth");
    const Result run = runGenlab({"sweep", "run", sweep_, "--task", "0", "--set", "model.depth=3", "--out", out});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject model = readJson(out + "/00-width-16_true/spec.json")["model"].toObject();
    QCOMPARE(model["depth"].toInt(), 3);
    QCOMPARE(model["width"].toInt(), 16);  // the axis still sets the width
    // The resolved sweep keeps the override, so that every later task gets it too.
    QCOMPARE(readJson(out + "/sweep.json")["spec"].toObject()["model"].toObject()["depth"].toInt(), 3);

    const QString plain = path("plain-set");
    const Result r = runGenlab({"--headless", "--dataset", "synthetic", "--train-size", "200", "--test-size", "50",
                                "--corruption", "true", "--epochs", "1", "--set", "model.width=24", "--out", plain});
    QCOMPARE(r.exitCode, 0);
    const QStringList sessions = foldersIn(plain);
    QCOMPARE(sessions.size(), 1);
    QCOMPARE(readJson(plain + "/" + sessions[0] + "/spec.json")["model"].toObject()["width"].toInt(), 24);
  }

  void dryRunPrintsTheJobArrayScript() {
    const QString out = path("never-written");  // does not exist: a dry run must not create it
    const Result r = runGenlab({"sweep", "submit", sweep_, "--out", out, "--dry-run", "--max-parallel", "2",
                                "--partition", "p", "--time", "01:00:00"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("#!/bin/bash\n"), qPrintable(r.out));
    const QStringList lines = r.out.split('\n');
    for (const char* line : {"#SBATCH --array=0-5%2", "#SBATCH --requeue", "#SBATCH --signal=B:USR1@120",
                             "#SBATCH --partition=p", "#SBATCH --time=01:00:00"})
      QVERIFY2(lines.contains(line), line);
    // The task line runs this genlab on the resolved sweep in the results folder.
    const QString genlab = QFileInfo(qEnvironmentVariable("GENLAB_EXECUTABLE")).canonicalFilePath();
    const QString command = QString("'%1' sweep run '%2/sweep.json' --task \"$SLURM_ARRAY_TASK_ID\" --out '%2'")
                                .arg(genlab, out);
    QVERIFY2(r.out.contains(command), qPrintable(command + "\nnot in\n" + r.out));
    QVERIFY(!QFileInfo::exists(out));
  }

  void presetsThatAreGridsAreSweeps() {
    const Result plan = runGenlab({"sweep", "plan", "table1-regularizers"});
    QCOMPARE(plan.exitCode, 0);
    QCOMPARE(taskLines(plan.out).size(), 8);
    QCOMPARE(lastLine(plan.out), QString("8 tasks"));
    const Result list = runGenlab({"--list-presets"});
    QCOMPARE(list.exitCode, 0);
    const int at = list.out.indexOf("table1-regularizers");
    QVERIFY2(at >= 0, qPrintable(list.out));
    QVERIFY2(list.out.indexOf("a sweep of 8 tasks", at) > at, qPrintable(list.out));
  }

  void sweepHelpIsAnAnswerNotAnError() {
    const Result r = runGenlab({"sweep", "--help"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("genlab sweep plan FILE"), qPrintable(r.out));
    const Result verb = runGenlab({"sweep", "run", "--help"});
    QCOMPARE(verb.exitCode, 0);
    QVERIFY2(verb.out.contains("--task") && verb.out.contains("--jobs"), qPrintable(verb.out));
    QVERIFY(verb.err.isEmpty());
  }

  void badInputGivesOneLineAndAStatus_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("environment");
    QTest::addColumn<int>("status");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("absent");  // what must not exist afterwards
    const QString out = path("bad-out");
    const QString noSuch = path("no-such-sweep.json");
    const QStringList env;
    QTest::newRow("unknown field") << QStringList{"sweep", "plan", path("unknown-field.json")} << env << 1
        << QStringList{"axis 'model.widht'", "'model.widht' is not a field", "did you mean model.width?"} << QString();
    QTest::newRow("value out of range") << QStringList{"sweep", "plan", path("out-of-range.json")} << env << 1
        << QStringList{"axis 'model.width'", "width 0 is outside [1, 1000000]"} << QString();
    QTest::newRow("empty axis") << QStringList{"sweep", "run", path("empty-axis.json"), "--out", out} << env << 1
        << QStringList{"axis 'model.width' is empty"} << out;
    QTest::newRow("more than 100000 tasks") << QStringList{"sweep", "run", path("too-many.json"), "--out", out} << env
        << 1 << QStringList{"more than 100000 tasks", "1000 x 101"} << out;
    QTest::newRow("task out of range") << QStringList{"sweep", "run", sweep_, "--task", "6", "--out", out} << env << 1
        << QStringList{"task 6 is out of range", "0 to 5"} << out;
    QTest::newRow("--set unknown field") << QStringList{"sweep", "run", sweep_, "--task", "0", "--set", "model.widht=3",
                                                        "--out", out} << env << 2
        << QStringList{"--set", "'model.widht' is not a field", "did you mean model.width?"} << out;
    QTest::newRow("--task with --jobs") << QStringList{"sweep", "run", sweep_, "--task", "1", "--jobs", "2", "--out", out}
        << env << 2 << QStringList{"--task and --jobs exclude each other"} << out;
    QTest::newRow("no verb") << QStringList{"sweep"} << env << 2 << QStringList{"name a command: plan, run, submit or status"}
        << QString();
    QTest::newRow("unknown verb") << QStringList{"sweep", "launch", sweep_, "--out", out} << env << 2
        << QStringList{"'launch' is not one of plan, run, submit, status"} << out;
    QTest::newRow("no FILE") << QStringList{"sweep", "plan"} << env << 2 << QStringList{"name the sweep FILE"} << QString();
    QTest::newRow("missing FILE") << QStringList{"sweep", "run", noSuch, "--out", out} << env << 1
        << QStringList{"cannot read JSON file '" + noSuch + "'"} << out;
    QTest::newRow("malformed JSON") << QStringList{"sweep", "plan", path("malformed.json")} << env << 1
        << QStringList{"malformed.json' is malformed"} << QString();
    QTest::newRow("--out under a file") << QStringList{"sweep", "run", sweep_, "--task", "0", "--out", path("a-file/results")}
        << env << 1 << QStringList{"cannot create output folder", "a-file/results"} << QString();
    QTest::newRow("--time not a Slurm time") << QStringList{"sweep", "submit", sweep_, "--out", out, "--time", "four hours"}
        << env << 2 << QStringList{"--time 'four hours' is not a Slurm time"} << out;
    QTest::newRow("sbatch missing") << QStringList{"sweep", "submit", sweep_, "--out", out}
        << QStringList{"PATH=/nonexistent"} << 1 << QStringList{"sbatch not found"} << out + "/slurm-jobs.txt";
  }

  void badInputGivesOneLineAndAStatus() {
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, environment);
    QFETCH(int, status);
    QFETCH(QStringList, expected);
    QFETCH(QString, absent);
    const Result r = runGenlab(arguments, genlab::test::environmentWith(environment));
    QCOMPARE(r.exitCode, status);
    QVERIFY2(r.err.startsWith("genlab: "), qPrintable(r.err));
    for (const QString& part : expected) QVERIFY2(r.err.contains(part), qPrintable(part + " not in: " + r.err));
    QCOMPARE(r.err.count('\n'), 1);  // exactly one line
    QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
    if (!absent.isEmpty()) QVERIFY2(!QFileInfo::exists(absent), qPrintable(absent + " was written"));
  }
};

QTEST_GUILESS_MAIN(TestSweepCli)
#include "test_sweep_cli.moc"
