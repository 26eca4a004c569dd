// Checkpoints and resume: a run stopped after some epochs and resumed from its checkpoint goes
// on exactly as an uninterrupted run (to the last bit on the CPU), and a session folder is
// continued in place (metrics cut back, runs that ended kept, the resume recorded).

#include "core/errors.h"
#include "core/results/layout.h"
#include "core/results/metrics_replay.h"
#include "core/results/metrics_table.h"
#include "core/results/results_writer.h"
#include "core/results/session_resume.h"
#include "core/results/writer_lock.h"
#include "core/train/session.h"
#include "support/checks.h"
#include "support/results_files.h"
#include "support/session_recorder.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <map>
#include <set>

using namespace genlab;
using namespace genlab::train;
using corruption::Setting;

namespace {

/// Keeps every checkpoint a session reports, the last one per run apart.
class CheckpointRecorder : public SessionListener {
public:
  void onCheckpoint(const Checkpoint& checkpoint) override {
    epochs[checkpoint.run].push_back(checkpoint.epoch);
    last[checkpoint.run] = checkpoint;
  }
  std::map<int, std::vector<int64_t>> epochs;
  std::map<int, Checkpoint> last;
};

/// Empty when the two epochs' measurements are identical to the last bit (wall time and
/// throughput aside), else the first difference.
std::string difference(const EpochMetrics& a, const EpochMetrics& b) {
  const auto same = [](const std::optional<double>& x, const std::optional<double>& y) {
    return x.has_value() == y.has_value() && (!x || *x == *y);
  };
  const std::string where = "run " + std::to_string(a.run) + " epoch " + std::to_string(a.epoch) + ": ";
  if (a.run != b.run || a.epoch != b.epoch || a.step != b.step) return where + "other epoch or step";
  if (a.trainLoss != b.trainLoss) return where + "train loss";
  if (a.trainAccuracy != b.trainAccuracy) return where + "train accuracy";
  if (!same(a.fitCheckAccuracy, b.fitCheckAccuracy)) return where + "fit check";
  if (a.testLoss != b.testLoss) return where + "test loss";
  if (a.testAccuracy != b.testAccuracy) return where + "test accuracy";
  if (!same(a.validationLoss, b.validationLoss)) return where + "validation loss";
  if (!same(a.validationAccuracy, b.validationAccuracy)) return where + "validation accuracy";
  if (a.learningRate != b.learningRate) return where + "learning rate";
  return {};
}

std::vector<EpochMetrics> epochsOf(const test::SessionRecorder& recorder, int run) {
  std::vector<EpochMetrics> out;
  for (const auto& m : recorder.epochs)
    if (m.run == run) out.push_back(m);
  return out;
}

/// Trains `spec` until every run has ended epoch `stopAfter` and stops it (chunks of one
/// step, so that the runs are at most a step into the next epoch), recording what it reports.
SessionResult trainAndStop(const ExperimentSpec& spec, int64_t stopAfter, std::vector<SessionListener*> listeners,
                           test::SessionRecorder& recorder) {
  Session session(spec);
  session.setChunkSeconds(1e-6);
  std::set<int> reached;
  const size_t runs = runSettings(spec).size();
  recorder.afterEpoch = [&](const EpochMetrics& m) {
    if (m.epoch == stopAfter) reached.insert(m.run);
    if (reached.size() == runs) session.stop();
  };
  listeners.push_back(&recorder);
  return session.run(listeners);
}

ExperimentSpec smallSpec() {
  ExperimentSpec spec = test::tinySpec(128);  // 4 steps per epoch
  spec.settings = {Setting::randomLabels(), Setting::partialLabels(0.5)};
  spec.training.epochs = 6;
  spec.training.stopWhenFitted = false;
  spec.model.width = 64;
  spec.model.dropout = 0.5;  // dropout draws: the generator's state must come back
  // One run at a time, so that every run stops in the epoch after the one trainAndStop waits
  // for: runs trained at once take turns but are not held in step, and on a loaded machine one
  // finished the next epoch before the other reached it. (Runs at once give each run the
  // numbers it gives alone to float tolerance, test_concurrent_runs; these tests ask for bits.)
  spec.compute.concurrentRuns = 1;
  return spec;
}

std::map<std::string, std::string> readCsvRows(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::map<std::string, std::string> rows;  // "run,step,epoch,metric" -> value; duplicates marked
  while (std::getline(in, line)) {
    results::MetricsRow row;
    if (!results::parseMetricsRow(line, row).empty()) continue;
    const std::string key = std::to_string(row.run) + "," + std::to_string(row.step) + "," +
                            std::to_string(row.epoch) + "," + std::string(row.metric);
    const size_t valueStart = line.find(std::string(row.metric) + ",") + row.metric.size() + 1;
    const std::string value = line.substr(valueStart, line.find(',', valueStart) - valueStart);
    rows[key] = rows.count(key) ? "duplicate" : value;
  }
  return rows;
}

nlohmann::json readJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

} // namespace

class TestResume : public QObject {
  Q_OBJECT

private:
  QTemporaryDir scratch_;

private Q_SLOTS:
  void resumedRunsMatchUninterruptedRuns_data() {
    QTest::addColumn<QString>("variant");
    QTest::addColumn<qint64>("checkpointEpochs");
    QTest::newRow("SGD momentum, dropout, every epoch") << "sgd" << qint64(1);
    QTest::newRow("SGD momentum, dropout, only when stopped") << "sgd" << qint64(0);
    QTest::newRow("Adam, exponential schedule, early stopping") << "adam" << qint64(1);
    QTest::newRow("AlexNet, batch norm, augmentation") << "conv" << qint64(3);
  }

  void resumedRunsMatchUninterruptedRuns() {
    QFETCH(QString, variant);
    QFETCH(qint64, checkpointEpochs);
    ExperimentSpec spec = smallSpec();
    spec.compute.checkpointEpochs = checkpointEpochs;
    if (variant == "adam") {
      spec.optimizer.kind = Optimizer::Adam;
      spec.optimizer.learningRate = 0.002;
      spec.optimizer.schedule = Schedule::Exponential;
      spec.optimizer.decayFactor = 0.9;
      spec.regularizers.earlyStopping = true;
      spec.regularizers.patience = 4;
      spec.regularizers.validationFraction = 0.25;
    } else if (variant == "conv") {
      spec.model.architecture = models::Architecture::AlexNet;
      spec.model.batchNorm = true;  // running statistics are buffers: they must come back too
      spec.regularizers.augment = true;
    }
    const size_t runs = runSettings(spec).size();

    test::SessionRecorder straight;
    const SessionResult whole = Session(spec).run({&straight});

    test::SessionRecorder first;
    CheckpointRecorder checkpoints;
    const SessionResult stopped = trainAndStop(spec, 3, {&checkpoints}, first);
    for (const auto& run : stopped.runs) QCOMPARE(nameOf(runStatusNames(), run.status), std::string_view("stopped"));
    std::vector<RunStart> starts;
    for (size_t run = 0; run < runs; ++run) {
      const int r = static_cast<int>(run);
      QVERIFY2(checkpoints.last.count(r), "no checkpoint");
      QCOMPARE(checkpoints.last[r].epoch, int64_t(3));  // the last complete epoch, also mid-epoch
      if (checkpointEpochs == 1) QCOMPARE(checkpoints.epochs[r], (std::vector<int64_t>{1, 2, 3}));
      if (checkpointEpochs != 1) QCOMPARE(checkpoints.epochs[r], (std::vector<int64_t>{3}));
      starts.push_back({std::nullopt, checkpoints.last[r].state});
    }

    Session second(spec);
    second.resumeFrom(starts);
    test::SessionRecorder rest;
    const SessionResult resumed = second.run({&rest});
    const int64_t stepsBefore = 3 * rest.info.stepsPerEpoch;
    QCOMPARE(rest.info.stepsPerEpoch, straight.info.stepsPerEpoch);
    for (size_t run = 0; run < runs; ++run) {
      const int r = static_cast<int>(run);
      QCOMPARE(rest.info.runs[run].resumedFromEpoch.value_or(-1), int64_t(3));
      QCOMPARE(rest.info.runs[run].start.steps, stepsBefore);
      // Every step loss: the first part up to its checkpoint, then the resumed part.
      std::vector<float> joined = first.lossesOf(r);
      QVERIFY(int64_t(joined.size()) >= stepsBefore);
      joined.resize(static_cast<size_t>(stepsBefore));
      const std::vector<float> after = rest.lossesOf(r);
      joined.insert(joined.end(), after.begin(), after.end());
      QCOMPARE(joined, straight.lossesOf(r));
      // Every epoch's measurements.
      std::vector<EpochMetrics> epochs;
      for (const auto& m : epochsOf(first, r))
        if (m.epoch <= 3) epochs.push_back(m);
      for (const auto& m : epochsOf(rest, r)) epochs.push_back(m);
      const std::vector<EpochMetrics> expected = epochsOf(straight, r);
      QCOMPARE(epochs.size(), expected.size());
      for (size_t i = 0; i < epochs.size(); ++i) {
        const std::string problem = difference(epochs[i], expected[i]);
        QVERIFY2(problem.empty(), problem.c_str());
      }
      const RunSummary& a = resumed.runs[run];
      const RunSummary& b = whole.runs[run];
      QCOMPARE(a.status, b.status);
      QCOMPARE(a.epochs, b.epochs);
      QCOMPARE(a.steps, b.steps);
      QCOMPARE(a.trainAccuracy, b.trainAccuracy);
      QCOMPARE(a.testAccuracy, b.testAccuracy);
      QCOMPARE(a.fitEpoch, b.fitEpoch);
      QCOMPARE(a.earlyStopEpoch, b.earlyStopEpoch);
    }
  }

  void checkpointOfAnotherRunIsRefused() {
    ExperimentSpec spec = smallSpec();
    test::SessionRecorder first;
    CheckpointRecorder checkpoints;
    trainAndStop(spec, 1, {&checkpoints}, first);
    Session second(spec);
    second.resumeFrom({{std::nullopt, checkpoints.last[1].state}, {std::nullopt, "not a checkpoint"}});
    const std::string message = test::messageOf<InputError>([&] { second.run({}); });
    QVERIFY2(message.find("checkpoint of run 0") != std::string::npos &&
                 message.find("labels:0.5") != std::string::npos,
             message.c_str());
    Session third(spec);
    third.resumeFrom({{std::nullopt, checkpoints.last[0].state}, {std::nullopt, "not a checkpoint"}});
    const std::string garbled = test::messageOf<InputError>([&] { third.run({}); });
    QVERIFY2(garbled.find("checkpoint of run 1") != std::string::npos && garbled.find("is damaged") != std::string::npos,
             garbled.c_str());
  }

  void sessionFolderIsContinuedInPlace() {
    // Sequential runs: the first trains to its end, the second is stopped after its second
    // epoch; the resume keeps the first as it ended and continues the second in the folder.
    const std::filesystem::path folder = scratch_.path().toStdString() + "/continued";
    ExperimentSpec spec = smallSpec();
    spec.compute.interleaved = false;
    test::SessionRecorder straight;
    Session(spec).run({&straight});

    {
      results::ResultsWriter writer(folder, spec);
      test::SessionRecorder first;
      Session session(spec);
      session.setChunkSeconds(1e-6);
      first.afterEpoch = [&](const EpochMetrics& m) {
        if (m.run == 1 && m.epoch == 2) session.stop();
      };
      session.run({&writer, &first});
    }
    QVERIFY(std::filesystem::exists(folder / results::checkpointFileName(1)));
    QVERIFY(!results::sessionFinished(folder));
    QVERIFY(results::hasCheckpoint(folder));
    const nlohmann::json before = readJson(folder / results::kSummaryFile);
    QCOMPARE(before["runs"][0]["status"].get<std::string>(), std::string("finished"));
    QCOMPARE(before["runs"][1]["status"].get<std::string>(), std::string("stopped"));
    QCOMPARE(before["runs"][1]["checkpoint_epoch"].get<int>(), 2);

    // Another experiment, or a folder that a live writer holds: refused, naming the folder.
    ExperimentSpec wider = spec;
    wider.model.width = 128;
    const std::string other = test::messageOf<InputError>([&] { results::planResume(folder, wider); });
    QVERIFY2(other.find(folder.string()) != std::string::npos && other.find("model.width is 64 there, 128 here") != std::string::npos,
             other.c_str());
    ExperimentSpec elsewhere = spec;
    elsewhere.compute.threads = 1;  // compute.* may change
    elsewhere.compute.checkpointEpochs = 2;
    QCOMPARE(results::planResume(folder, elsewhere).size(), size_t(2));
    {
      const results::WriterLock live(folder);
      const std::string locked = test::messageOf<InputError>(
          [&] { results::WriterLock(folder, results::WriterLock::Mode::Refuse); });
      QVERIFY2(locked.find("is being written by another process") != std::string::npos, locked.c_str());
    }

    // The resume.
    results::WriterLock lock(folder, results::WriterLock::Mode::Refuse);
    std::vector<RunStart> starts = results::planResume(folder, spec);
    QVERIFY(starts[0].ended.has_value());
    QCOMPARE(starts[0].ended->status, RunStatus::Finished);
    QVERIFY(!starts[1].ended && !starts[1].checkpoint.empty());
    results::ResultsWriter writer(std::move(lock), folder, spec, results::ResultsWriter::Mode::Resume);
    Session session(spec);
    session.resumeFrom(std::move(starts));
    test::SessionRecorder rest;
    const SessionResult result = session.run({&writer, &rest});
    QCOMPARE(result.runs[0].status, RunStatus::Finished);
    QCOMPARE(result.runs[1].status, RunStatus::Finished);
    QVERIFY(rest.lossesOf(0).empty());  // the run that had ended is not trained again
    QVERIFY(results::sessionFinished(folder));

    const nlohmann::json after = readJson(folder / results::kSummaryFile);
    QCOMPARE(after["state"].get<std::string>(), std::string("ended"));
    QVERIFY(after["runs"][0] == before["runs"][0]);
    QCOMPARE(after["runs"][1]["status"].get<std::string>(), std::string("finished"));
    QCOMPARE(after["runs"][1]["epochs"].get<int>(), 6);
    QCOMPARE(after["runs"][1]["resumed_from_epoch"].dump(), std::string("[2]"));
    QVERIFY(!after["runs"][1]["corruption"].get<std::string>().empty());

    // metrics.csv: every step and every epoch metric once, with the uninterrupted values.
    const auto rows = readCsvRows(folder / results::kMetricsFile);
    const int64_t perEpoch = straight.info.stepsPerEpoch;
    for (int run : {0, 1}) {
      const std::vector<float> losses = straight.lossesOf(run);
      QCOMPARE(int64_t(losses.size()), 6 * perEpoch);
      for (size_t i = 0; i < losses.size(); ++i) {
        const int64_t step = int64_t(i) + 1;
        const std::string key = std::to_string(run) + "," + std::to_string(step) + "," +
                                std::to_string((step - 1) / perEpoch + 1) + ",loss";
        QVERIFY2(rows.count(key) && rows.at(key) != "duplicate", key.c_str());
        QCOMPARE(std::stof(rows.at(key)), losses[i]);
      }
      for (const auto& m : epochsOf(straight, run)) {
        const std::string key = std::to_string(run) + "," + std::to_string(m.step) + "," + std::to_string(m.epoch) + ",test_accuracy";
        QVERIFY2(rows.count(key) && rows.at(key) != "duplicate", key.c_str());
        QCOMPARE(std::stod(rows.at(key)), m.testAccuracy);
      }
    }
    size_t expectedRows = 2 * 6 * static_cast<size_t>(perEpoch);  // the steps
    for (const auto& m : straight.epochs) expectedRows += m.fitCheckAccuracy ? 7 : 6;
    QCOMPARE(rows.size(), expectedRows);

    // Told again (the window's plots of a resumed session): the same curves.
    test::SessionRecorder replayed;
    QCOMPARE(results::replayMetrics(folder, replayed), int64_t(expectedRows));
    for (int run : {0, 1}) {
      QCOMPARE(replayed.lossesOf(run), straight.lossesOf(run));
      const auto epochs = epochsOf(replayed, run), expected = epochsOf(straight, run);
      QCOMPARE(epochs.size(), expected.size());
      for (size_t i = 0; i < epochs.size(); ++i) {
        QCOMPARE(epochs[i].step, expected[i].step);
        QCOMPARE(epochs[i].fitCheckAccuracy.has_value(), expected[i].fitCheckAccuracy.has_value());
        GENLAB_COMPARE_NEAR(epochs[i].testAccuracy, expected[i].testAccuracy, 1e-8);
      }
    }
  }

  void cutMetricsKeepsWholeEpochs() {
    const std::filesystem::path path = scratch_.path().toStdString() + "/cut.csv";
    {
      std::ofstream out(path);
      out << results::kMetricsHeader << "\n"
          << "0,true,1,1,loss,1.5,0.1\n1,random-labels,1,1,loss,2.5,0.1\n0,true,1,1,test_accuracy,0.5,0.2\n"
          << "1,random-labels,1,1,test_accuracy,0.1,0.2\n0,true,2,2,loss,1.2,0.3\n1,random-labels,2,2,loss,2.2,0.3\n"
          << "0,true,3,2,loss,1.1";  // a partial last line
    }
    results::cutMetricsAfter(path, {{1, 1}});
    std::ifstream in(path);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    QCOMPARE(text, std::string(results::kMetricsHeader) +
                       "\n0,true,1,1,loss,1.5,0.1\n1,random-labels,1,1,loss,2.5,0.1\n0,true,1,1,test_accuracy,0.5,0.2\n"
                       "1,random-labels,1,1,test_accuracy,0.1,0.2\n0,true,2,2,loss,1.2,0.3\n");
  }

  // A resume rewrites metrics.csv: a table saved with Windows line endings keeps every row (they
  // were all dropped as malformed), and a line it cannot read, or a table of another format,
  // stops the resume with the file and line named before anything is written.
  void cutMetricsDropsNoRowUnseen() {
    const std::filesystem::path path = scratch_.path().toStdString() + "/cut-crlf.csv";
    const auto write = [&](const std::string& text) {
      std::ofstream out(path, std::ios::binary);
      out << text;
    };
    const auto read = [&] {
      std::ifstream in(path, std::ios::binary);
      return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    };
    write(std::string(results::kMetricsHeader) + "\r\n0,true,1,1,loss,1.5,0.1\r\n0,true,2,2,loss,1.2,0.3\r\n");
    results::cutMetricsAfter(path, {{0, 1}});
    QCOMPARE(read(), std::string(results::kMetricsHeader) + "\n0,true,1,1,loss,1.5,0.1\n");

    const std::string bad = std::string(results::kMetricsHeader) + "\n0,true,1,1,loss,1.5,0.1\n0,true,x,1,loss,1.4,0.2\n";
    write(bad);
    std::string message = test::messageOf<InputError>([&] { results::cutMetricsAfter(path, {}); });
    QVERIFY2(message.find("cut-crlf.csv' line 3: step 'x' is not a number") != std::string::npos, message.c_str());
    QCOMPARE(read(), bad);

    const std::string newer = std::string(results::kMetricsHeader) + ",gpu_memory\n0,true,1,1,loss,1.5,0.1,3\n";
    write(newer);
    message = test::messageOf<InputError>([&] { results::requireRewritableMetrics(path); });
    QVERIFY2(message.find("does not start with the metrics header") != std::string::npos, message.c_str());
    message = test::messageOf<InputError>([&] { results::cutMetricsAfter(path, {}); });
    QVERIFY2(message.find("does not start with the metrics header") != std::string::npos, message.c_str());
    QCOMPARE(read(), newer);
  }

  // A summary.json that this GenLab would not have written is refused by name, not read in part
  // and overwritten: a newer format, a run number that is text, a setting that is a number.
  void resumeRefusesASummaryItDidNotWrite() {
    const std::filesystem::path folder = scratch_.path().toStdString() + "/foreign-summary";
    const ExperimentSpec spec = test::tinySpec(64);
    test::writeFinishedSession(folder, spec, 1, 2);
    const nlohmann::json original = readJson(folder / results::kSummaryFile);
    const auto refusal = [&](const std::function<void(nlohmann::json&)>& edit) {
      nlohmann::json summary = original;
      for (auto& run : summary["runs"]) run["status"] = "stopped";
      edit(summary);
      std::ofstream(folder / results::kSummaryFile) << summary.dump(2);
      return test::messageOf<InputError>([&] { results::planResume(folder, spec); });
    };
    QCOMPARE(refusal([](nlohmann::json&) {}), std::string("no exception"));  // as written: resumed
    std::string message = refusal([](nlohmann::json& s) { s["format"] = results::kResultsFormat + 1; });
    QVERIFY2(message.find("summary.json': format 2 is newer than this GenLab's (1)") != std::string::npos, message.c_str());
    message = refusal([](nlohmann::json& s) { s["runs"][0]["run"] = "0"; });
    QVERIFY2(message.find("summary.json': a run's record has no whole \"run\" number") != std::string::npos, message.c_str());
    message = refusal([](nlohmann::json& s) { s["runs"][1]["setting"] = 3; });
    QVERIFY2(message.find("run 1 has no \"setting\" text") != std::string::npos, message.c_str());
    message = refusal([](nlohmann::json& s) {
      s["runs"][0]["status"] = "finished";
      s["runs"][0]["epochs"] = "x";
    });
    QVERIFY2(message.find("summary.json', run 0: a run's record in summary.json cannot be read") != std::string::npos, message.c_str());
  }
};

QTEST_APPLESS_MAIN(TestResume)
#include "test_resume.moc"
