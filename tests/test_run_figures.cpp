// Figures from session folders read back (issue 12): one colour per run, names that tell
// sessions apart, long loss curves thinned without losing their spikes, sweeps found among
// the runs shown, and the live session kept current by appending.

#include "core/results/spec_json.h"
#include "ui/figure_renderer.h"
#include "ui/run_figures.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <tuple>

using namespace genlab;
using namespace genlab::ui;

namespace {

results::SessionRecord session(const std::string& name, int64_t width, std::vector<std::string> settings) {
  train::ExperimentSpec spec;
  spec.model.width = width;
  results::SessionRecord record;
  record.name = name;
  record.folder = "/results/" + name;
  record.model = "MLP 1x" + std::to_string(width);
  record.spec = results::toJson(spec);
  int number = 0;
  for (const std::string& key : settings) {
    results::RunRecord run;
    run.run = number++;
    run.setting = key;
    run.name = corruption::parseSetting(key).name();
    run.status = train::RunStatus::Fitted;
    for (int64_t step = 1; step <= 10; ++step) run.loss.append(step, 2.0F / static_cast<float>(step));
    run.epochMetrics["train_accuracy"] = {{1, 2}, {0.5, 1.0}};
    run.epochMetrics["test_accuracy"] = {{1, 2}, {0.4, 0.6}};
    run.testAccuracy = 0.6;
    record.runs.push_back(std::move(run));
  }
  return record;
}

std::vector<int> runsOf(const results::SessionRecord& record) {
  std::vector<int> runs;
  for (const auto& run : record.runs) runs.push_back(run.run);
  return runs;
}

} // namespace

class TestRunFigures : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void sessionsAreToldApartByTheValueTheyDifferIn() {
    const auto narrow = session("20260101-100000-a", 512, {"true", "random-labels"});
    const auto wide = session("20260102-100000-b", 2048, {"true", "random-labels"});
    const FigureData data = composeFigures({}, {{&narrow, runsOf(narrow)}, {&wide, runsOf(wide)}});
    QCOMPARE(data.loss.size(), size_t(4));
    QCOMPARE(data.loss[0].name, QString("true labels, width 512"));
    QCOMPARE(data.loss[3].name, QString("random labels, width 2048"));
    QCOMPARE(data.trainAccuracy[1].y, (std::vector<double>{0.5, 1.0}));
    for (int i = 0; i < 4; ++i) QCOMPARE(data.loss[static_cast<size_t>(i)].run, i);  // a colour each

    // Differing in two values: the session's folder names it.
    auto other = session("20260103-100000-c", 64, {"gaussian"});
    other.spec["seed"] = 7;
    const FigureData two = composeFigures({}, {{&narrow, {1}}, {&other, runsOf(other)}});
    QCOMPARE(two.loss.size(), size_t(2));
    QCOMPARE(two.loss[0].name, QString("random labels, 20260101-100000-a"));
    QCOMPARE(two.loss[1].name, QString("Gaussian, 20260103-100000-c"));

    // One session alone needs no suffix.
    QCOMPARE(composeFigures({}, {{&narrow, runsOf(narrow)}}).loss[0].name, QString("true labels"));
  }

  void liveRunsKeepTheirColoursAndDiskRunsComeAfter() {
    FigureData live;
    live.loss = {{0, "true labels", {1, 2}, {2.0, 1.0}, false}, {1, "random labels", {1, 2}, {2.3, 2.2}, false}};
    live.trainAccuracy = {{0, "true labels", {}, {}, false}, {1, "random labels", {}, {}, false}};
    live.testAccuracy = live.trainAccuracy;
    const auto disk = session("20260101-100000-a", 512, {"gaussian"});
    train::ExperimentSpec liveSpec;
    liveSpec.model.width = 1024;
    const FigureData data = composeFigures({&live, "now", results::toJson(liveSpec)}, {{&disk, {0}}});
    QCOMPARE(data.loss.size(), size_t(3));
    QCOMPARE(data.loss[0].run, 0);
    QCOMPARE(data.loss[1].run, 1);
    QCOMPARE(data.loss[2].run, 2);
    QCOMPARE(data.loss[0].name, QString("true labels, width 1024"));
    QCOMPARE(data.loss[2].name, QString("Gaussian, width 512"));

    FigureComposer composer;
    composer.compose({&live, "now", results::toJson(liveSpec)}, {1}, {{&disk, {0}}});
    QCOMPARE(composer.data().loss.size(), size_t(2));
    QCOMPARE(composer.data().loss[0].name, QString("random labels, width 1024"));
    live.loss[1].x.push_back(3);
    live.loss[1].y.push_back(2.1);
    live.loss[1].name = "random labels (stopped)";
    QVERIFY(composer.liveGrew(live));
    QCOMPARE(composer.data().loss[0].x.size(), size_t(3));
    QCOMPARE(composer.data().loss[0].name, QString("random labels (stopped), width 1024"));
    QCOMPARE(composer.data().loss[1].x.size(), size_t(10));  // the disk run as it was
    live.loss[1].x.clear();  // a new session: compose again
    live.loss[1].y.clear();
    QVERIFY(!composer.liveGrew(live));

    // A run of a live sweep ended: its point of Figures 1b and 1c is composed in, not missed.
    live.loss[1].x = {1, 2, 3};
    live.loss[1].y = {2.3, 2.2, 2.1};
    composer.compose({&live, "now", results::toJson(liveSpec)}, {1}, {{&disk, {0}}});
    QVERIFY(composer.data().sweep.empty());
    live.sweep = {{0, QStringLiteral("MLP 1x1024"), {{0.0, 1.0, 0.2}}}};
    QVERIFY(!composer.liveGrew(live));
    composer.compose({&live, "now", results::toJson(liveSpec)}, {1}, {{&disk, {0}}});
    QCOMPARE(composer.data().sweep.size(), size_t(1));
    QVERIFY(composer.liveGrew(live));
  }

  void memorizationCurvesComeFromTheRunsThatMeasuredIt() {
    auto measured = session("20260101-100000-memorization", 512, {"labels:0.4"});
    measured.runs[0].epochMetrics["fitted_clean"] = {{1, 2, 3}, {0.7, 0.9, 1.0}};
    measured.runs[0].epochMetrics["fitted_corrupted"] = {{1, 2, 3}, {0.02, 0.1, 0.6}};
    const auto plain = session("20260102-100000-plain", 512, {"labels:0.4"});
    const FigureData data = composeFigures({}, {{&measured, {0}}, {&plain, {0}}});
    QCOMPARE(data.fittedClean.size(), size_t(2));  // a curve per run, as every figure
    QCOMPARE(data.fittedClean[0].y, (std::vector<double>{0.7, 0.9, 1.0}));
    QCOMPARE(data.fittedCorrupted[0].x, (std::vector<double>{1, 2, 3}));
    QCOMPARE(data.fittedCorrupted[0].run, data.loss[0].run);
    QCOMPARE(data.fittedCorrupted[0].name, data.loss[0].name);
    QVERIFY(data.fittedClean[1].x.empty());
    const auto figures = figuresFor(data);
    QCOMPARE(figures.back(), Figure::Memorization);
    QVERIFY(std::find(figures.begin(), figures.end(), Figure::Memorization) != figures.end());
    const auto none = figuresFor(composeFigures({}, {{&plain, {0}}}));
    QVERIFY(std::find(none.begin(), none.end(), Figure::Memorization) == none.end());
  }

  void sessionsOfOneWidthEachGiveTheErrorByWidth() {
    // A width sweep with label noise (Nakkiran et al. 2019): one session per width, given out of
    // order; the final errors per setting come sorted by width, and the interpolation threshold
    // is the first width whose training error is 0.
    std::vector<results::SessionRecord> sessions;
    const std::vector<std::tuple<int64_t, double, double>> runs{{1024, 1.0, 0.75}, {64, 0.9, 0.7}, {256, 1.0, 0.6}};
    for (const auto& [width, train, test] : runs) {
      auto record = session("2026010" + std::to_string(sessions.size() + 1) + "-100000-w", width, {"labels:0.15"});
      record.runs[0].trainAccuracy = train;
      record.runs[0].testAccuracy = test;
      sessions.push_back(std::move(record));
    }
    std::vector<ShownSession> shown;
    for (const auto& record : sessions) shown.push_back({&record, runsOf(record)});
    const FigureData data = composeFigures({}, shown);
    QCOMPARE(data.byValue.size(), size_t(1));
    QCOMPARE(data.valueName, QString("width"));
    const ValueSeries& series = data.byValue[0];
    QCOMPARE(series.name, QString("partially corrupted labels (p = 0.15)"));
    QCOMPARE(series.value, (std::vector<double>{64, 256, 1024}));
    QVERIFY(std::abs(series.trainError[0] - 0.1) < 1e-12 && series.trainError[1] == 0.0);
    QVERIFY(std::abs(series.testError[1] - 0.4) < 1e-12);
    QCOMPARE(*interpolationThreshold(series), 256.0);
    QCOMPARE(figuresFor(data).back(), Figure::ErrorByValue);

    // Two sessions only, or sessions that differ in two values, are no such sweep.
    QVERIFY(composeFigures({}, {shown[0], shown[1]}).byValue.empty());
    sessions[2].spec["seed"] = 9;
    QVERIFY(composeFigures({}, shown).byValue.empty());
  }

  void kernelRunsReadBackGiveTheNormByCorruption() {
    auto record = session("20260101-100000-kernel", 512, {"random-labels", "true", "labels:0.5", "shuffled-pixels"});
    record.model = "RBF kernel interpolation (bandwidth from the data)";
    const double norms[] = {120.0, 55.0, 100.0, 55.0};
    for (size_t i = 0; i < record.runs.size(); ++i) record.runs[i].rkhsNorm = norms[i];
    const FigureData data = composeFigures({}, {{&record, runsOf(record)}});
    QCOMPARE(data.norms.size(), size_t(1));
    QCOMPARE(data.norms[0].name, QString("RBF kernel interpolation (bandwidth from the data)"));
    QCOMPARE(data.norms[0].level, (std::vector<double>{0.0, 0.5, 1.0}));  // pixels are no label level
    QCOMPARE(data.norms[0].norm, (std::vector<double>{55.0, 100.0, 120.0}));
    QCOMPARE(figuresFor(data).back(), Figure::NormByCorruption);
    // Networks' runs have no norm: no such figure.
    QVERIFY(composeFigures({}, {{&record, {}}}).norms.empty());
  }

  void longCurvesAreThinnedButKeepTheirSpikes() {
    auto record = session("20260101-100000-a", 512, {"random-labels"});
    results::RunRecord& run = record.runs[0];
    run.loss.clear();
    for (int64_t step = 1; step <= 100'000; ++step)
      run.loss.append(step, step == 54'321 ? 50.0F : 2.0F - 1e-5F * static_cast<float>(step));
    const FigureData data = composeFigures({}, {{&record, {0}}});
    const Curve& curve = data.loss[0];
    QVERIFY2(curve.x.size() <= kMaxDrawnLossPoints, qPrintable(QString::number(curve.x.size())));
    QVERIFY(curve.x.size() >= kMaxDrawnLossPoints / 2);
    QCOMPARE(*std::max_element(curve.y.begin(), curve.y.end()), 50.0);
    QCOMPARE(curve.x.front(), 1.0);
    QCOMPARE(curve.x.back(), 100'000.0);  // the run ended: its last bucket is drawn too
    QVERIFY(std::is_sorted(curve.x.begin(), curve.x.end()));

    // While a run grows, what was drawn stays: its buckets never change.
    run.status = train::RunStatus::Running;
    const std::vector<double> before = composeFigures({}, {{&record, {0}}}).loss[0].x;
    for (int64_t step = 100'001; step <= 100'500; ++step) run.loss.append(step, 1.0F);
    const std::vector<double> after = composeFigures({}, {{&record, {0}}}).loss[0].x;
    QVERIFY(after.size() >= before.size());
    QVERIFY(std::equal(before.begin(), before.end(), after.begin()));
  }

  void runsOfTrueAndCorruptedLabelsFormASweep() {
    auto record = session("20260101-100000-sweep", 512, {"true", "labels:0.5", "random-labels"});
    record.runs[0].fitStep = 10;
    record.runs[1].fitStep = 20;
    record.runs[2].fitStep = 40;
    record.runs[2].testAccuracy = 0.1;
    const FigureData data = composeFigures({}, {{&record, runsOf(record)}});
    QCOMPARE(data.sweep.size(), size_t(1));
    QCOMPARE(data.sweep[0].name, QString("MLP 1x512"));
    QCOMPARE(data.sweep[0].points.size(), size_t(3));
    QCOMPARE(*data.sweep[0].points[2].relativeTimeToFit, 4.0);
    QCOMPARE(data.sweep[0].points[2].testError, 0.9);
    // Pixel corruptions are no sweep of label noise, nor are Figure 1a's two label levels.
    const auto pixels = session("20260101-100000-pixels", 512, {"true", "random-labels", "shuffled-pixels"});
    QVERIFY(composeFigures({}, {{&pixels, runsOf(pixels)}}).sweep.empty());
  }

  // A folder whose sweep was stopped halfway: the stopped level is no point of Figures 1b and
  // 1c, and it still counts as a level of the sweep (and the running one as its reference).
  void stoppedRunsOfASweepDrawNoPoint() {
    auto record = session("20260101-100000-sweep", 512, {"true", "labels:0.5", "random-labels"});
    record.runs[0].fitStep = 10;
    record.runs[1].status = train::RunStatus::Stopped;
    record.runs[1].testAccuracy = 0.45;
    record.runs[2].fitStep = 40;
    FigureData data = composeFigures({}, {{&record, runsOf(record)}});
    QCOMPARE(data.sweep.size(), size_t(1));
    QCOMPARE(data.sweep[0].points.size(), size_t(2));
    QCOMPARE(data.sweep[0].points[1].level, 1.0);
    QCOMPARE(*data.sweep[0].points[1].relativeTimeToFit, 4.0);

    record.runs[0].status = train::RunStatus::Running;  // the reference still trains
    data = composeFigures({}, {{&record, runsOf(record)}});
    QCOMPARE(data.sweep.size(), size_t(1));
    QCOMPARE(data.sweep[0].points.size(), size_t(1));
    QVERIFY(!data.sweep[0].points[0].relativeTimeToFit.has_value());
  }
};

QTEST_MAIN(TestRunFigures)
#include "test_run_figures.moc"
