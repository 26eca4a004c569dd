// Results folders written and read back (issue 12): the writer never overwrites a run, syncs
// what it writes and says when the disk refuses; the reader follows a folder while it grows,
// reads each row once, and shows damaged folders with a reason instead of failing.

#include "core/errors.h"
#include "core/results/atomic_file.h"
#include "core/results/layout.h"
#include "core/results/metrics_json.h"
#include "core/results/metrics_table.h"
#include "core/results/results_writer.h"
#include "core/results/run_table.h"
#include "core/results/session_folder.h"
#include "core/results/session_reader.h"
#include "core/results/session_resume.h"
#include "core/results/writer_lock.h"
#include "support/checks.h"
#include "support/results_files.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <algorithm>

#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <thread>

using namespace genlab;
using namespace genlab::results;
namespace fs = std::filesystem;

namespace {

train::ExperimentSpec smallSpec() {
  train::ExperimentSpec spec;
  spec.name = "reader test";
  spec.data.kind = data::DatasetKind::Synthetic;
  spec.model.width = 64;
  spec.settings = {corruption::Setting::trueLabels(), corruption::Setting::randomLabels()};
  return spec;
}

train::SessionInfo twoRuns() {
  train::SessionInfo info;
  info.model = "MLP 1x64";
  info.runs = {{0, corruption::Setting::trueLabels(), "nothing changed"},
               {1, corruption::Setting::randomLabels(), "every label redrawn"}};
  return info;
}

void epoch(ResultsWriter& writer, int run, int64_t number, int steps, double accuracy) {
  test::reportEpoch(writer, run, number, steps, accuracy);
}

void writeText(const fs::path& path, const std::string& text, bool append = false) {
  std::ofstream out(path, append ? std::ios::app : std::ios::trunc);
  out << text;
}

const RunRecord& runOf(const SessionRecord& record, int run) {
  for (const RunRecord& r : record.runs)
    if (r.run == run) return r;
  throw std::runtime_error("no run " + std::to_string(run));
}

} // namespace

class TestRunReader : public QObject {
  Q_OBJECT

  QTemporaryDir scratch_;
  fs::path folder(const char* name) const { return fs::path(scratch_.path().toStdString()) / name; }

private Q_SLOTS:
  void completeFolderReadsBack() {
    const fs::path dir = folder("complete");
    {
      ResultsWriter writer(dir, smallSpec());
      writer.onSessionStarted(twoRuns());
      for (int e = 1; e <= 3; ++e)
        for (int run = 0; run < 2; ++run) epoch(writer, run, e, 4, 0.3 * e);
      train::RunSummary ended;
      ended.run = 0;
      ended.setting = corruption::Setting::trueLabels();
      ended.status = train::RunStatus::Fitted;
      ended.epochs = 3;
      ended.steps = 12;
      ended.trainAccuracy = 1.0;
      ended.testAccuracy = 0.8;
      ended.fitEpoch = 3;
      ended.fitStep = 12;
      writer.onRunEnded(ended);
      ended.run = 1;
      ended.setting = corruption::Setting::randomLabels();
      ended.status = train::RunStatus::Finished;
      ended.fitEpoch.reset();
      ended.fitStep.reset();
      writer.onRunEnded(ended);
      writer.onSessionEnded({});
    }
    SessionReader reader(dir, true);
    QVERIFY(reader.refresh());
    const SessionRecord& r = reader.record();
    QVERIFY2(r.problems.empty(), r.problems.empty() ? "" : r.problems.front().c_str());
    QCOMPARE(r.state, std::string("ended"));
    QCOMPARE(r.format, kResultsFormat);
    QVERIFY(!r.live);
    QCOMPARE(r.title, std::string("reader test"));
    QCOMPARE(r.model, std::string("MLP 1x64"));
    QCOMPARE(r.architecture, std::string("mlp"));
    QCOMPARE(r.runs.size(), size_t(2));
    QCOMPARE(runOf(r, 0).status, train::RunStatus::Fitted);
    QCOMPARE(runOf(r, 0).fitEpoch, std::optional<int64_t>(3));
    QCOMPARE(runOf(r, 1).status, train::RunStatus::Finished);
    QCOMPARE(runOf(r, 1).name, std::string("random labels"));
    QCOMPARE(runOf(r, 1).loss.size(), size_t(12));
    QCOMPARE(runOf(r, 1).loss.step(11), int64_t(12));
    GENLAB_COMPARE_NEAR(runOf(r, 1).loss.value(0), 2.3, 1e-6);
    QCOMPARE(runOf(r, 0).epochMetrics.at("test_accuracy").values.size(), size_t(3));
    GENLAB_COMPARE_NEAR(runOf(r, 0).epochMetrics.at("train_accuracy").values.back(), 0.9, 1e-9);
    // Nothing changed: a second look reads nothing.
    const int64_t rows = r.metricRows;
    QVERIFY(!reader.refresh());
    QCOMPARE(reader.record().metricRows, rows);
  }

  void growingFolderIsReadIncrementally() {
    const fs::path dir = folder("growing");
    ResultsWriter writer(dir, smallSpec());
    writer.onSessionStarted(twoRuns());
    epoch(writer, 0, 1, 5, 0.2);
    SessionReader reader(dir, true);
    QVERIFY(reader.refresh());
    QVERIFY(reader.record().live);  // this process holds the writer lock
    QCOMPARE(runOf(reader.record(), 0).status, train::RunStatus::Running);
    const int64_t first = reader.record().metricRows;
    QCOMPARE(runOf(reader.record(), 0).loss.size(), size_t(5));
    for (int e = 2; e <= 4; ++e) {
      epoch(writer, 0, e, 5, 0.2 * e);
      QVERIFY(reader.refresh());
      QCOMPARE(runOf(reader.record(), 0).loss.size(), size_t(5 * e));
      QCOMPARE(runOf(reader.record(), 0).epochs, int64_t(e));
    }
    // Each row once: 3 more epochs of 5 losses and 6 epoch metrics.
    QCOMPARE(reader.record().metricRows, first + 3 * (5 + 6));
  }

  void partialLastLineWaitsForTheRest() {
    const fs::path dir = folder("partial");
    fs::create_directories(dir);
    writeText(dir / kMetricsFile, std::string(kMetricsHeader) + "\n0,true,1,1,loss,2.5,0.1\n0,true,2,1,lo");
    MetricsTail tail(dir / kMetricsFile);
    std::vector<int64_t> steps;
    const auto collect = [&](const MetricsRow& row) { steps.push_back(row.step); };
    QCOMPARE(tail.read(collect).rows, int64_t(1));
    QCOMPARE(tail.read(collect).rows, int64_t(0));
    writeText(dir / kMetricsFile, "ss,2.4,0.2\n0,true,3,1,loss,2.3,0.3\n", true);
    const MetricsTail::Result more = tail.read(collect);
    QCOMPARE(more.rows, int64_t(2));
    QVERIFY(more.problem.empty());
    QCOMPARE(steps, (std::vector<int64_t>{1, 2, 3}));
    // A file replaced by a shorter one is read again from its start.
    writeText(dir / kMetricsFile, std::string(kMetricsHeader) + "\n0,true,9,1,loss,1.0,0.1\n");
    const MetricsTail::Result again = tail.read(collect);
    QVERIFY(again.restarted);
    QCOMPARE(steps.back(), int64_t(9));
  }

  void garbledRowsAreSkippedAndNamed() {
    const fs::path dir = folder("garbled");
    fs::create_directories(dir);
    writeText(dir / kWriterLockFile, "");  // a GenLab writer's folder, the writer gone
    writeText(dir / kMetricsFile, std::string(kMetricsHeader) +
                                      "\n0,true,1,1,loss,2.5,0.1\n0,true,2,1,loss\n0,true,x,1,loss,2.4,0.2\n"
                                      "0,true,3,1,loss,2.3,0.3\n");
    SessionReader reader(dir, true);
    reader.refresh();
    const SessionRecord& r = reader.record();
    QCOMPARE(runOf(r, 0).loss.size(), size_t(2));
    const std::string all = [&] {
      std::string text;
      for (const auto& p : r.problems) text += p + "\n";
      return text;
    }();
    QVERIFY2(all.find("line 3: 5 fields, not 7") != std::string::npos, all.c_str());
    QVERIFY2(all.find("2 bad lines skipped") != std::string::npos, all.c_str());
    QVERIFY2(all.find("no summary.json") != std::string::npos, all.c_str());
    QVERIFY2(all.find("no spec.json") != std::string::npos, all.c_str());
    // No summary and no writer: the runs the table names are incomplete.
    QCOMPARE(runOf(r, 0).status, train::RunStatus::Incomplete);
  }

  void newerVersionIsReadAsFarAsUnderstood() {
    const fs::path dir = folder("newer");
    fs::create_directories(dir);
    writeText(dir / kSpecFile, R"({"name": "future", "model": {"architecture": "mlp", "width": 8}, "quantum": true})");
    writeText(dir / kSummaryFile, R"({"format": 99, "state": "ended", "runs": [
        {"run": 0, "setting": "true", "status": "fitted", "epochs": 4, "train_accuracy": 1.0, "test_accuracy": 0.7},
        {"run": 1, "setting": "labels:0.7", "status": "teleported", "epochs": 2}]})");
    writeText(dir / kMetricsFile, std::string(kMetricsHeader) + "\n");
    SessionReader reader(dir);
    reader.refresh();
    const SessionRecord& r = reader.record();
    std::string all;
    for (const auto& p : r.problems) all += p + "\n";
    QVERIFY2(all.find("newer GenLab (results format 99") != std::string::npos, all.c_str());
    QVERIFY2(all.find("'quantum' is not a known key") != std::string::npos, all.c_str());
    QVERIFY2(all.find("unknown status 'teleported'") != std::string::npos, all.c_str());
    QCOMPARE(r.runs.size(), size_t(2));
    QCOMPARE(runOf(r, 0).testAccuracy, std::optional<double>(0.7));
    QCOMPARE(runOf(r, 1).name, std::string("partially corrupted labels (p = 0.7)"));
    QCOMPARE(r.title, std::string("future"));
  }

  // Numbers a damaged summary.json holds that the record's fields cannot: no value (converting
  // them was undefined behaviour and printed epochs -9223372036854775808), not a made-up one.
  void numbersBeyondTheirFieldsAreNoValues() {
    const fs::path dir = folder("huge-numbers");
    fs::create_directories(dir);
    writeText(dir / kSpecFile, R"({"name": "huge", "model": {"architecture": "mlp", "width": 8}})");
    writeText(dir / kSummaryFile, R"({"format": 1, "state": "ended", "runs": [
        {"run": 0, "setting": "true", "status": "fitted", "epochs": 1e300, "fit_epoch": 18446744073709551615,
         "test_accuracy": 0.7, "wall_seconds": 1e300},
        {"run": 1, "setting": "random-labels", "status": "finished", "epochs": 12, "fit_epoch": 2.5, "wall_seconds": -100}]})");
    writeText(dir / kMetricsFile, std::string(kMetricsHeader) + "\n");
    SessionReader reader(dir);
    reader.refresh();
    const SessionRecord& r = reader.record();
    QCOMPARE(r.runs.size(), size_t(2));
    QCOMPARE(runOf(r, 0).epochs, int64_t(0));  // and so no accuracy of its epochs either
    QVERIFY(!runOf(r, 0).fitEpoch.has_value());
    std::string all;
    for (const auto& p : r.problems) all += p + "\n";
    QVERIFY2(all.find("run 0's epochs 1e+300 is no value it can hold") != std::string::npos, all.c_str());
    QVERIFY2(all.find("run 1's fit_epoch 2.5 is no value it can hold") != std::string::npos, all.c_str());
    QCOMPARE(runOf(r, 1).epochs, int64_t(12));
    QVERIFY(!runOf(r, 1).fitEpoch.has_value());
    const std::string table = formatRunTable(runTable({&r}), TableFormat::Tsv);
    QVERIFY2(table.find("-9223372036854775808") == std::string::npos && table.find("-1:") == std::string::npos,
             table.c_str());
  }

  void emptyAndUnreadableFolders() {
    const fs::path empty = folder("empty-root");
    fs::create_directories(empty / "a" / "b");
    const auto sessions = readSessions({empty, folder("no-such-root")}, false);
    QCOMPARE(sessions.size(), size_t(2));
    QVERIFY(sessions[0].runs.empty());
    QVERIFY(sessions[0].problems.front().find("no GenLab results here") != std::string::npos);
    QCOMPARE(sessions[1].problems.front(), std::string("no such folder"));

    // A summary that cannot be read (here a folder in its place) is named; the rest loads.
    const fs::path broken = folder("broken-summary");
    fs::create_directories(broken / kSummaryFile);
    writeText(broken / kMetricsFile, std::string(kMetricsHeader) + "\n1,gaussian,1,1,loss,2.0,0.1\n");
    SessionReader reader(broken, true);
    reader.refresh();
    std::string all;
    for (const auto& p : reader.record().problems) all += p + "\n";
    QVERIFY2(all.find("summary.json") != std::string::npos, all.c_str());
    QCOMPARE(reader.record().runs.size(), size_t(1));
    QCOMPARE(reader.record().runs[0].name, std::string("Gaussian"));
  }

  void aWriterKilledWhilePreparingLeavesAFolderThatResumes() {
    // What a kill leaves between spec.json and the first records, with a half-written file of
    // an atomic write beside it.
    const fs::path dir = folder("killed-preparing");
    const train::ExperimentSpec spec = smallSpec();
    {
      ResultsWriter writer(dir, spec);
    }
    writeText(dir / "checkpoint-run1.pt.tmp-4242-7", "half a checkpoint");
    SessionReader reader(dir, true);
    reader.refresh();
    const auto rows = runTable({&reader.record()});
    QCOMPARE(rows.size(), size_t(1));
    QCOMPARE(rows[0].status, std::string("incomplete"));
    QCOMPARE(rows[0].reason, std::string("stopped while preparing, before any run started"));

    const OpenedFolder opened = openSessionFolder(dir, spec);
    QVERIFY(opened.writer != nullptr);
    QCOMPARE(opened.runs.size(), spec.settings.size());
    for (const auto& run : opened.runs) QVERIFY(!run.ended && run.checkpoint.empty());
    QVERIFY(!fs::exists(dir / "checkpoint-run1.pt.tmp-4242-7"));
    QVERIFY(fs::exists(dir / kSpecFile));
  }

  void foldersAtAnyDepth() {
    const fs::path root = folder("deep");
    for (const char* path : {"x/one", "x/y/z/two", "three"}) {
      fs::create_directories(root / path);
      writeText(root / path / kSpecFile, "{}");
    }
    fs::create_directories(root / "three" / "inner");  // inside a session: not searched
    writeText(root / "three" / "inner" / kSpecFile, "{}");
    const FoundFolders found = findSessionFolders(root);
    QCOMPARE(found.folders.size(), size_t(3));
    QCOMPARE(found.folders[0], root / "three");
    QCOMPARE(found.folders[2], root / "x/y/z/two");
  }

  void writerLockTellsALiveWriterFromADeadOne() {
    const fs::path dir = folder("locked");
    fs::create_directories(dir);
    QVERIFY(!WriterLock::held(dir));
    int ready[2];
    QCOMPARE(::pipe(ready), 0);
    const pid_t child = ::fork();
    if (child == 0) {
      WriterLock lock(dir);
      (void)::write(ready[1], "x", 1);
      ::pause();
      ::_exit(0);
    }
    char byte = 0;
    QCOMPARE(::read(ready[0], &byte, 1), ssize_t(1));
    QVERIFY(WriterLock::held(dir));
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    QVERIFY(!WriterLock::held(dir));  // the kernel dropped the dead writer's lock
    ::close(ready[0]);
    ::close(ready[1]);
  }

  void sessionFoldersAreNeverShared() {
    const fs::path root = folder("roots");
    const auto when = std::chrono::system_clock::now();
    const fs::path a = createSessionFolder(root, "Figure 1a / CPU", when);
    const fs::path b = createSessionFolder(root, "Figure 1a / CPU", when);
    QVERIFY(a != b);
    QVERIFY(b.filename().string().ends_with("-Figure-1a-CPU-2"));
    QCOMPARE(folderSafeName("../.."), std::string("experiment"));
    ResultsWriter writer(a, smallSpec());
    const std::string message = test::messageOf<InputError>([&] { ResultsWriter again(a, smallSpec()); });
    QVERIFY2(message.find("already holds results") != std::string::npos, message.c_str());
  }

  void atomicWritesNeverMix() {
    const fs::path path = folder("atomic.json");
    const std::string first(100000, 'a'), second(50000, 'b');
    std::thread one([&] {
      for (int i = 0; i < 50; ++i) writeFileAtomically(path, first);
    });
    for (int i = 0; i < 50; ++i) writeFileAtomically(path, second);
    one.join();
    std::ifstream in(path);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    QVERIFY(text == first || text == second);
    int leftovers = 0;
    for (const auto& entry : fs::directory_iterator(path.parent_path()))
      leftovers += entry.path().filename().string().find(".tmp-") != std::string::npos ? 1 : 0;
    QCOMPARE(leftovers, 0);
  }

  void fullDiskEndsTheRunsWithAMessage() {
    const fs::path dir = folder("tiny-disk");
    fs::create_directories(dir);
    if (::geteuid() != 0 || ::mount("genlab-test", dir.c_str(), "tmpfs", 0, "size=64k") != 0)
      QSKIP("needs to mount a 64 KiB tmpfs (root) to fill a disk");
    std::string message;
    {
      ResultsWriter writer(dir / "session", smallSpec());
      writer.onSessionStarted(twoRuns());
      message = test::messageOf<InputError>([&] {
        for (int e = 1; e <= 100000; ++e) epoch(writer, 0, e, 50, 0.5);
      });
      // Later training calls fail the same way; the closing calls write nothing and return.
      QVERIFY(test::messageOf<InputError>([&] { epoch(writer, 1, 1, 1, 0.1); }).find("could not be written") != std::string::npos);
      writer.onRunEnded({});
      writer.onSessionEnded({});
      QVERIFY(writer.failure().has_value());
    }
    ::umount(dir.c_str());
    QVERIFY2(message.find("results could not be written") != std::string::npos, message.c_str());
    QVERIFY2(message.find("No space left on device") != std::string::npos, message.c_str());
  }

  void exportsKeepCompleteRowsOnly() {
    const fs::path a = folder("export-a"), b = folder("export-b");
    for (const fs::path& dir : {a, b}) {
      fs::create_directories(dir);
      writeText(dir / kMetricsFile, std::string(kMetricsHeader) + "\n0,true,1,1,loss,2.5,0.1\n1,gaussian,1,1,loss,2.4,0.1\n0,true,2,1,lo");
      writeText(dir / kSummaryFile, R"({"format": 1, "state": "running", "runs": [{"run": 0}, {"run": 1}]})");
    }
    const fs::path one = folder("one.csv"), both = folder("both.csv");
    exportMetricsCsv({{a, {}}}, one);
    std::ifstream in(one);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    QCOMPARE(text, std::string(kMetricsHeader) + "\n0,true,1,1,loss,2.5,0.1\n1,gaussian,1,1,loss,2.4,0.1\n");
    exportMetricsCsv({{a, {1}}, {b, {0}}}, both);
    std::ifstream in2(both);
    const std::string text2((std::istreambuf_iterator<char>(in2)), std::istreambuf_iterator<char>());
    QCOMPARE(text2, "session," + std::string(kMetricsHeader) + "\nexport-a,1,gaussian,1,1,loss,2.4,0.1\nexport-b,0,true,1,1,loss,2.5,0.1\n");
    const nlohmann::json json = metricsJson(std::vector<FolderRuns>{{a, {0}}});
    QCOMPARE(json["runs"].size(), size_t(1));
    QCOMPARE(json["runs"][0]["metrics"]["loss"]["value"].size(), size_t(1));
  }

  // metrics.csv's cells (and folder names) may be any bytes; the JSON outputs stay JSON, with
  // U+FFFD for what is not UTF-8 (found by fuzzing: tests/fuzz/regressions/metrics_csv).
  void bytesThatAreNotUtf8StayValidJson() {
    const fs::path table = folder("not-utf8-table"), exported = folder("not-utf8-export");
    for (const fs::path& dir : {table, exported}) fs::create_directories(dir);
    writeText(table / kMetricsFile, std::string(kMetricsHeader) + "\n0,caf\xe9,1,1,loss,2.5,0.1\n");
    SessionReader reader(table, true);
    reader.refresh();
    const SessionRecord& record = reader.record();
    const nlohmann::json rows = nlohmann::json::parse(formatRunTable(runTable({&record}), TableFormat::Json));
    QCOMPARE(rows.size(), size_t(1));
    QCOMPARE(rows[0]["setting"].get<std::string>(), std::string("caf\xef\xbf\xbd"));

    writeText(exported / kMetricsFile, std::string(kMetricsHeader) + "\n0,true,1,1,lo\xf5s,2.5,0.1\n");
    writeText(exported / kSummaryFile, R"({"format": 1, "state": "ended", "runs": [{"run": 0}]})");
    const fs::path out = folder("not-utf8.json");
    writeMetricsJson({{exported, {}}}, out);
    std::ifstream in(out);
    const nlohmann::json json = nlohmann::json::parse(in);
    QCOMPARE(json["runs"][0]["metrics"]["lo\xef\xbf\xbds"]["value"].size(), size_t(1));
  }

  void runTableFormatsAndFilter() {
    const fs::path dir = folder("table");
    {
      train::ExperimentSpec spec = smallSpec();
      spec.optimizer.weightDecay = 5e-4;
      ResultsWriter writer(dir, spec);
      writer.onSessionStarted(twoRuns());
      epoch(writer, 0, 1, 2, 0.5);
      epoch(writer, 1, 1, 2, 0.25);
      writer.onSessionEnded({});
    }
    SessionReader reader(dir);
    reader.refresh();
    const SessionRecord& record = reader.record();
    QCOMPARE(record.regularizers, std::string("weight decay 0.0005"));
    const auto rows = runTable({&record});
    QCOMPARE(rows.size(), size_t(2));
    const std::string markdown = formatRunTable(rows, TableFormat::Markdown);
    QVERIFY2(markdown.find("| table | MLP 1x64 | weight decay 0.0005 | true labels | incomplete | 1 | 50.00 | 25.00 | - |") != std::string::npos,
             markdown.c_str());
    const std::string latex = formatRunTable(rows, TableFormat::Latex);
    QVERIFY2(latex.find("train \\% & test \\%") != std::string::npos, latex.c_str());
    // Folder names are the user's: LaTeX's special characters and line breaks come out as text.
    auto odd = rows;
    odd[0].session = "a\\g{h}~^_\nnext";
    const std::string oddLatex = formatRunTable(odd, TableFormat::Latex);
    QVERIFY2(oddLatex.find("a\\textbackslash{}g\\{h\\}\\textasciitilde{}\\textasciicircum{}\\_ next") != std::string::npos,
             oddLatex.c_str());
    for (const TableFormat format : {TableFormat::Text, TableFormat::Markdown, TableFormat::Tsv, TableFormat::Latex}) {
      const std::string plain = formatRunTable(rows, format), named = formatRunTable(odd, format);
      QCOMPARE(std::count(named.begin(), named.end(), '\n'), std::count(plain.begin(), plain.end(), '\n'));  // a row a line
    }
    QVERIFY(latex.find("\\bottomrule") != std::string::npos);
    const nlohmann::json json = nlohmann::json::parse(formatRunTable(rows, TableFormat::Json));
    QCOMPARE(json.size(), size_t(2));
    QCOMPARE(json[1]["setting"].get<std::string>(), std::string("random-labels"));
    QVERIFY(runMatches(record, record.runs[1], "RANDOM"));
    QVERIFY(!runMatches(record, record.runs[0], "random"));
    QVERIFY(runMatches(record, record.runs[0], "width=64"));
    QVERIFY(runMatches(record, record.runs[0], "weight_decay=0.0005"));
    QVERIFY(!runMatches(record, record.runs[0], "width=640"));
  }
};

QTEST_GUILESS_MAIN(TestRunReader)
#include "test_run_reader.moc"
