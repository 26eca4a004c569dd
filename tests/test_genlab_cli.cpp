// The genlab program as a user meets it: exit statuses, one readable line per error.

#include "support/data_files.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Result {
  int exitCode = -1;
  QString out;
  QString err;
};

Result runGenlab(const QStringList& arguments) {
  QProcess process;
  process.start(qEnvironmentVariable("GENLAB_EXECUTABLE"), arguments);
  if (!process.waitForFinished(60000)) return {};
  // A crash (signal) is a failure of its own, never an acceptable way to report bad input.
  if (process.exitStatus() != QProcess::NormalExit) return {-2, {}, {}};
  return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
          QString::fromUtf8(process.readAllStandardError())};
}

} // namespace

class TestGenlabCli : public QObject {
  Q_OBJECT

private:
  QTemporaryDir scratch_;

private Q_SLOTS:
  void initTestCase() { QVERIFY(!qEnvironmentVariable("GENLAB_EXECUTABLE").isEmpty()); }

  void helpAndVersion() {
    Result r = runGenlab({"--help"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("--corruption"));
    QVERIFY(r.out.contains("Exit status"));
    r = runGenlab({"--version"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith("genlab "));
  }

  void summarizesASyntheticDataSet() {
    const Result r = runGenlab({"--dataset", "synthetic", "--corruption", "labels:0.5",
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
    QTest::newRow("level above 1") << QStringList{"--corruption", "labels:1.7"} << 2 << "outside [0, 1]";
    QTest::newRow("unknown setting") << QStringList{"--corruption", "noise"} << 2 << "unknown corruption setting 'noise'";
    QTest::newRow("unknown data set") << QStringList{"--dataset", "imagenet"} << 2 << "--dataset: 'imagenet' is not one of";
    QTest::newRow("not a number") << QStringList{"--train-size", "many"} << 2 << "train-size";
    QTest::newRow("negative size") << QStringList{"--train-size", "-5"} << 2 << "is negative";
    QTest::newRow("missing folder") << QStringList{"--dataset", "mnist", "--data-dir", "/no/such/folder"} << 1
                                    << "'/no/such/folder' does not exist";
    QTest::newRow("cifar without folder") << QStringList{"--dataset", "cifar10"} << 1 << "cifar10 needs a data folder";
    QTest::newRow("too many images") << QStringList{"--dataset", "synthetic", "--train-size", "999999"} << 1
                                     << "asked for 999999 training images";
  }

  void badInputGivesOneLineAndAStatus() {
    QFETCH(QStringList, arguments);
    QFETCH(int, status);
    QFETCH(QString, expected);
    qunsetenv("GENLAB_DATA_DIR");
    const Result r = runGenlab(arguments);
    QCOMPARE(r.exitCode, status);
    QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);  // exactly one line
    QVERIFY(r.err.startsWith("genlab: "));
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
