// Sweeps: the tasks of a base experiment and its axes, their folders, the checks on a sweep
// file, the sbatch script of a job array and the reading of Slurm's queue.

#include "core/errors.h"
#include "core/results/presets.h"
#include "core/sweep/slurm_script.h"
#include "core/sweep/sweep.h"
#include "core/sweep/task_status.h"
#include "support/checks.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <regex>
#include <set>

using namespace genlab;
using nlohmann::ordered_json;

namespace {

ordered_json document(const char* axes) {
  ordered_json d = ordered_json::parse(R"({"title": "t", "spec": {"name": "grid",
      "data": {"dataset": "synthetic"}, "training": {"epochs": 3}}})");
  d["axes"] = ordered_json::parse(axes);
  return d;
}

/// The message of the InputError `f` throws ("no exception" when it throws none).
std::string errorOf(const std::function<void()>& f) { return test::messageOf<InputError>(f); }

} // namespace

class TestSweep : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void tasksAreTheProductLastAxisFastest() {
    const auto s = sweep::parseSweep(
        document(R"({"model.width": [512, 2048], "setting": ["true", "labels:0.2", "random-labels"]})"), "t");
    QCOMPARE(sweep::taskCount(s), int64_t{6});
    const auto all = sweep::tasks(s);
    QCOMPARE(all[0].folder, std::string("00-width-512_true"));
    QCOMPARE(all[1].folder, std::string("01-width-512_labels-0.2"));
    QCOMPARE(all[5].folder, std::string("05-width-2048_random-labels"));
    QCOMPARE(all[4].spec.model.width, int64_t{2048});
    QCOMPARE(all[4].spec.settings, std::vector<corruption::Setting>{corruption::Setting::partialLabels(0.2)});
    QVERIFY(all[4].spec.sweepLevels.empty());
    QCOMPARE(all[4].values[0], (std::pair<std::string, std::string>{"model.width", "2048"}));
    QCOMPARE(all[4].spec.training.epochs, int64_t{3});  // the base's other fields stay
    std::set<std::string> folders;
    for (const auto& t : all) folders.insert(t.folder);
    QCOMPARE(folders.size(), all.size());
    QVERIFY(all[4].spec.name.find("model.width=2048") != std::string::npos);
  }

  void axesThatVaryTogetherAndValuesAsText() {
    const auto s = sweep::parseSweep(
        document(R"({"model.architecture,model.depth": [["mlp", 1], ["mlp", 3], ["alexnet", 1]],
                     "optimizer.weight_decay": ["0", "5e-4"], "model.batch_norm": [false, true]})"), "t");
    QCOMPARE(sweep::taskCount(s), int64_t{12});
    const auto t = sweep::task(s, 3 * 2 * 2 - 1);
    QCOMPARE(t.spec.model.architecture, models::Architecture::AlexNet);
    QCOMPARE(t.spec.optimizer.weightDecay, 5e-4);
    QVERIFY(t.spec.model.batchNorm);
    QCOMPARE(t.folder, std::string("11-alexnet_depth-1_weight_decay-0.0005_batch_norm-on"));
    const auto second = sweep::task(s, 4);
    QCOMPARE(second.spec.model.depth, int64_t{3});
  }

  void aSweepReadsBackToTheSameTasks() {
    const auto s = sweep::parseSweep(
        document(R"({"seed": [1, 2], "setting": ["true", "gaussian"]})"), "t", {"model.width=64"});
    QCOMPARE(s.base.model.width, int64_t{64});
    const auto back = sweep::parseSweep(sweep::toJson(s), "back");
    QVERIFY(sweep::sameTasks(s, back));
    QCOMPARE(sweep::task(back, 3).folder, sweep::task(s, 3).folder);
    auto other = sweep::parseSweep(document(R"({"seed": [1, 3], "setting": ["true", "gaussian"]})"), "t");
    QVERIFY(!sweep::sameTasks(s, other));
    // Compute settings (threads, device) do not make another sweep.
    auto threads = sweep::parseSweep(sweep::toJson(s), "back", {"compute.threads=3"});
    QVERIFY(sweep::sameTasks(s, threads));
  }

  void noAxesIsOneTask() {
    ordered_json d = document("{}");
    d.erase("axes");
    const auto s = sweep::parseSweep(d, "t");
    QCOMPARE(sweep::taskCount(s), int64_t{1});
    QCOMPARE(sweep::task(s, 0).folder, std::string("00-grid"));
  }

  void badSweepsAreRefusedWithOneClearMessage_data() {
    QTest::addColumn<QString>("axes");
    QTest::addColumn<QString>("override");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown field") << R"({"model.widht": [1]})" << "" << "axis 'model.widht': 'model.widht' is not a field of the experiment (did you mean model.width?)";
    QTest::newRow("out of range") << R"({"model.dropout": [0, 1.5]})" << "" << "axis 'model.dropout': dropout 1.5 is outside [0, 1)";
    QTest::newRow("wrong type") << R"({"model.width": ["wide"]})" << "" << "'wide' is not an integer";
    QTest::newRow("empty axis") << R"({"model.width": []})" << "" << "axis 'model.width' is empty";
    QTest::newRow("not a list") << R"({"model.width": 512})" << "" << "must be a list of values";
    QTest::newRow("twice") << R"({"seed": [1, 2, 1]})" << "" << "lists 1 twice";
    QTest::newRow("bad setting") << R"({"setting": ["true", "noise"]})" << "" << "unknown corruption setting 'noise'";
    QTest::newRow("bad tuple") << R"({"model.depth,model.width": [[1, 512], [3]]})" << "" << "tuples of 2 values";
    QTest::newRow("too many tasks") << R"({"seed": [RANGE], "data.synthetic.seed": [RANGE], "model.width": [1, 2]})" << "" << "more than 100000 tasks (400 x 400 x 2)";
    QTest::newRow("override of an axis") << R"({"model.width": [1, 2]})" << "model.width=3" << "--set model.width conflicts with the sweep's axis 'model.width'";
    QTest::newRow("bad override") << R"({"seed": [1]})" << "model.width=-1" << "MLP width -1 is outside [1, 1000000]";
  }
  void badSweepsAreRefusedWithOneClearMessage() {
    QFETCH(QString, axes);
    QFETCH(QString, override);
    QFETCH(QString, expected);
    std::string range;
    for (int i = 0; i < 400; ++i) {
      if (i > 0) range += ',';
      range += std::to_string(i);
    }
    const std::string text = std::regex_replace(axes.toStdString(), std::regex("RANGE"), range);
    std::vector<std::string> overrides;
    if (!override.isEmpty()) overrides.push_back(override.toStdString());
    const std::string message = errorOf([&] { sweep::parseSweep(document(text.c_str()), "'s.json'", overrides); });
    QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
    QVERIFY2(message.find('\n') == std::string::npos, message.c_str());
  }

  void aTaskOutOfRangeIsNamed() {
    const auto s = sweep::parseSweep(document(R"({"seed": [1, 2, 3]})"), "t");
    QCOMPARE(errorOf([&] { sweep::task(s, 3); }),
             std::string("task 3 is out of range: the sweep has 3 tasks (0 to 2)"));
    QVERIFY(errorOf([&] { sweep::task(s, -1); }).find("is out of range") != std::string::npos);
  }

  void aMissingOrMalformedFileIsNamed() {
    QTemporaryDir dir;
    QVERIFY(errorOf([] { sweep::loadSweep("/no/such/sweep.json"); }).find("/no/such/sweep.json") != std::string::npos);
    const std::string path = dir.filePath("bad.json").toStdString();
    std::ofstream(path) << "{\"spec\": {}, \"axes\": {\"seed\": [1,}";
    QVERIFY(errorOf([&] { sweep::loadSweep(path); }).find("malformed") != std::string::npos);
    std::ofstream(path, std::ios::trunc) << R"({"spec": {}, "axes": {}, "grid": 1})";
    QVERIFY(errorOf([&] { sweep::loadSweep(path); }).find("'grid' is not a known key") != std::string::npos);
  }

  void presetsThatAreGridsLoadAsSweeps() {
    int grids = 0;
    for (const auto& preset : results::loadPresets(results::presetFolder())) {
      const auto s = sweep::loadSweep(preset.file);
      if (s.axes.empty()) continue;
      ++grids;
      QVERIFY2(sweep::taskCount(s) >= 2, preset.id.c_str());
      for (const auto& t : sweep::tasks(s)) QVERIFY(!t.folder.empty());
    }
    QVERIFY2(grids >= 3, "Figure 1b/1c, Table 1 and the CIFAR-10 paper sweep");
  }

  void arrayListsCompressRanges() {
    QCOMPARE(sweep::arrayList({0, 1, 2, 3, 7, 9, 10}), std::string("0-3,7,9-10"));
    QCOMPARE(sweep::arrayList({5}), std::string("5"));
    QCOMPARE(sweep::arrayList({4, 2, 3, 3}), std::string("2-4"));
  }

  void theSbatchScriptAsksForWhatTheUserChose() {
    sweep::SlurmJob job;
    job.name = "genlab-grid";
    job.genlab = "/usr/bin/genlab";
    job.sweepFile = "/shared/run's/sweep.json";
    job.out = "/shared/run's";
    job.tasks = {0, 1, 2, 3, 5};
    sweep::SlurmOptions options;
    options.partition = "gpu";
    options.gpusPerTask = 1;
    options.time = "04:00:00";
    options.cpusPerTask = 4;
    options.mem = "16G";
    options.maxParallel = 2;
    options.extraArgs = {"--constraint=a100"};
    const std::string script = sweep::sbatchScript(job, options);
    const auto has = [&](const std::string& line) {
      QVERIFY2(script.find(line + "\n") != std::string::npos, (line + " missing in:\n" + script).c_str());
    };
    QVERIFY(script.rfind("#!/bin/bash\n", 0) == 0);
    has("#SBATCH --array=0-3,5%2");
    has("#SBATCH --requeue");
    has("#SBATCH --signal=B:USR1@120");
    has("#SBATCH --partition=gpu");
    has("#SBATCH --gpus-per-task=1");
    has("#SBATCH --time=04:00:00");
    has("#SBATCH --cpus-per-task=4");
    has("#SBATCH --mem=16G");
    has("#SBATCH --constraint=a100");
    has("#SBATCH --output=/shared/run's/logs/slurm-%A_%a.out");
    has("'/usr/bin/genlab' sweep run '/shared/run'\\''s/sweep.json' --task \"$SLURM_ARRAY_TASK_ID\" --out "
        "'/shared/run'\\''s' --set \"compute.threads=${SLURM_CPUS_PER_TASK:-1}\" &");
    has("  scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"");
    QVERIFY(script.find("--account") == std::string::npos);  // not asked for, not written
    // No throttle without --max-parallel.
    QVERIFY(sweep::sbatchScript(job, {}).find("#SBATCH --array=0-3,5\n") != std::string::npos);
  }

  void slurmOptionsAreChecked() {
    sweep::SlurmOptions o;
    o.time = "four hours";
    QVERIFY(errorOf([&] { sweep::checkSlurmOptions(o); }).find("--time 'four hours'") != std::string::npos);
    o = {};
    o.mem = "lots";
    QVERIFY(errorOf([&] { sweep::checkSlurmOptions(o); }).find("--mem 'lots'") != std::string::npos);
    o = {};
    o.extraArgs = {"rm -rf /"};
    QVERIFY(errorOf([&] { sweep::checkSlurmOptions(o); }).find("must be one sbatch option") != std::string::npos);
    o = {};
    o.time = "1-12:00:00";
    o.mem = "8000M";
    QCOMPARE(errorOf([&] { sweep::checkSlurmOptions(o); }), std::string("no exception"));
  }

  void squeueLinesGiveEachArrayTasksState() {
    const auto states = sweep::parseSqueue("3 RUNNING\n4 PENDING\nN/A PENDING\n\n5 COMPLETING\n");
    QCOMPARE(states.size(), size_t{3});
    QCOMPARE(states.at(3), std::string("RUNNING"));
    QCOMPARE(states.at(4), std::string("PENDING"));
  }

  void aTaskWithoutAFolderIsPending() {
    QTemporaryDir dir;
    const auto status = sweep::readTaskStatus(dir.filePath("nothing").toStdString(), 3);
    QCOMPARE(status.state, sweep::TaskState::Pending);
  }
};

QTEST_APPLESS_MAIN(TestSweep)
#include "test_sweep.moc"
