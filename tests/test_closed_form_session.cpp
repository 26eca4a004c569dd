// The closed-form models of the paper's Section 5 as runs of the lab: a Session solves each run
// once and reports it as a network's run of one epoch, the results folder keeps each fit's
// norm, and validation refuses what a closed-form model has no use for.

#include "core/errors.h"
#include "core/models/model_spec.h"
#include "core/results/results_writer.h"
#include "core/results/session_reader.h"
#include "core/results/session_resume.h"
#include "core/train/session.h"
#include "support/checks.h"
#include "support/session_recorder.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace genlab;
using namespace genlab::train;

namespace {

/// Kernel interpolation on 200 synthetic images, true and random labels.
ExperimentSpec kernelSpec() {
  ExperimentSpec spec = test::tinySpec(200);
  spec.model.architecture = models::Architecture::Kernel;
  return spec;
}

/// The run of `recorder` numbered `run`.
const RunSummary& endOf(const test::SessionRecorder& recorder, int run) {
  for (const auto& summary : recorder.ended)
    if (summary.run == run) return summary;
  throw std::runtime_error("run " + std::to_string(run) + " did not end");
}

std::string errorOf(const ExperimentSpec& spec) {
  return test::messageOf<InputError>([&] { validate(spec); });
}

} // namespace

class TestClosedFormSession : public QObject {
  Q_OBJECT

private:
  QTemporaryDir scratch_;

private Q_SLOTS:
  void kernelRunsFitAndTheNormGrowsWithTheNoise() {
    test::SessionRecorder recorder;
    Session session(kernelSpec());
    const SessionResult result = session.run({&recorder});

    QCOMPARE(recorder.info.parameters, int64_t{200 * 10});  // n x classes coefficients
    QCOMPARE(recorder.info.trainImages, int64_t{200});
    QCOMPARE(recorder.info.stepsPerEpoch, int64_t{0});
    QVERIFY2(recorder.info.model.starts_with("RBF kernel interpolation (bandwidth "), recorder.info.model.c_str());
    QVERIFY(recorder.steps.empty());  // no optimization steps
    QCOMPARE(recorder.epochs.size(), size_t{2});
    for (const auto& epoch : recorder.epochs) {
      QCOMPARE(epoch.epoch, int64_t{1});
      QCOMPARE(epoch.trainAccuracy, 1.0);
      QVERIFY(epoch.trainLoss < 1e-12);  // interpolation: the squared loss is rounding alone
      QVERIFY(std::isfinite(epoch.testLoss) && epoch.testLoss > 0);
    }
    QCOMPARE(result.runs.size(), size_t{2});
    const RunSummary& clean = endOf(recorder, 0);
    const RunSummary& random = endOf(recorder, 1);
    for (const RunSummary* run : {&clean, &random}) {
      QCOMPARE(run->status, RunStatus::Fitted);
      QCOMPARE(run->trainAccuracy, 1.0);
      QCOMPARE(run->epochs, int64_t{1});
      QVERIFY(!run->fitStep && !run->fitEpoch);  // no time to fit: there are no steps
      QVERIFY(run->rkhsNorm && std::isfinite(*run->rkhsNorm) && *run->rkhsNorm > 0);
      QVERIFY(!run->coefficientNorm);
      QVERIFY(run->bandwidth && *run->bandwidth > 0);
    }
    // Labels change, images do not: the same default bandwidth from the same images.
    QCOMPARE(*clean.bandwidth, *random.bandwidth);
    // Synthetic classes are easy: true labels generalize, random ones are at chance.
    QVERIFY2(clean.testAccuracy > 0.9, qPrintable(QString::number(clean.testAccuracy)));
    QVERIFY2(random.testAccuracy < 0.3, qPrintable(QString::number(random.testAccuracy)));
    // Section 5: fitting noise takes a function of larger norm.
    QVERIFY2(*random.rkhsNorm > 2 * *clean.rkhsNorm,
             qPrintable(QString("%1 vs %2").arg(*random.rkhsNorm).arg(*clean.rkhsNorm)));
  }

  void theArcCosineKernelHasNoBandwidth() {
    ExperimentSpec spec = kernelSpec();
    spec.model.kernel = closed_form::KernelKind::ArcCos;
    spec.settings = {corruption::Setting::trueLabels()};
    test::SessionRecorder recorder;
    Session(spec).run({&recorder});
    QCOMPARE(recorder.info.model, std::string("arc-cosine kernel interpolation"));
    QCOMPARE(recorder.ended.at(0).status, RunStatus::Fitted);
    QVERIFY(recorder.ended.at(0).rkhsNorm.has_value());
    QVERIFY(!recorder.ended.at(0).bandwidth.has_value());
  }

  void aGivenBandwidthIsTheOneUsed() {
    ExperimentSpec spec = kernelSpec();
    spec.model.bandwidth = 7.5;
    spec.settings = {corruption::Setting::trueLabels()};
    test::SessionRecorder recorder;
    Session(spec).run({&recorder});
    QCOMPARE(recorder.info.model, std::string("RBF kernel interpolation (bandwidth 7.5)"));
    QCOMPARE(recorder.ended.at(0).bandwidth.value_or(0), 7.5);
  }

  void randomFeaturesInterpolateFromTheThresholdOn() {
    ExperimentSpec spec = kernelSpec();
    spec.model.architecture = models::Architecture::RandomFeatures;
    spec.model.kernel = closed_form::KernelKind::ArcCos;  // ReLU features
    spec.settings = {corruption::Setting::randomLabels()};
    double normBelow = 0;
    for (const int64_t features : {20, 400}) {
      spec.model.features = features;
      test::SessionRecorder recorder;
      Session(spec).run({&recorder});
      QCOMPARE(recorder.info.model, "random ReLU features, N = " + std::to_string(features));
      QCOMPARE(recorder.info.parameters, features * 10);
      const RunSummary& run = recorder.ended.at(0);
      QVERIFY(run.coefficientNorm && *run.coefficientNorm > 0);
      QVERIFY(!run.rkhsNorm && !run.bandwidth);  // ReLU features have no bandwidth
      if (features < 200) {
        // 20 features cannot fit 200 random labels: the run ends without a fit.
        QCOMPARE(run.status, RunStatus::Finished);
        QVERIFY2(run.trainAccuracy < 0.5, qPrintable(QString::number(run.trainAccuracy)));
        QVERIFY(run.trainLoss > 0.1);
        normBelow = *run.coefficientNorm;
      } else {
        QCOMPARE(run.status, RunStatus::Fitted);
        QCOMPARE(run.trainAccuracy, 1.0);
        QVERIFY(*run.coefficientNorm > normBelow);
      }
    }
    // Fourier features stand for the RBF kernel and have its bandwidth.
    spec.model.kernel = closed_form::KernelKind::Rbf;
    test::SessionRecorder recorder;
    Session(spec).run({&recorder});
    QVERIFY2(recorder.info.model.starts_with("random Fourier features, N = 400 (bandwidth "), recorder.info.model.c_str());
    QVERIFY(recorder.ended.at(0).bandwidth.has_value());
  }

  void aSweepGivesFigure1csPoints() {
    ExperimentSpec spec = kernelSpec();
    spec.sweepLevels = {0.0, 0.5, 1.0};
    test::SessionRecorder recorder;
    const SessionResult result = Session(spec).run({&recorder});
    QCOMPARE(result.sweep.size(), size_t{3});
    for (size_t i = 0; i < 3; ++i) {
      QCOMPARE(result.sweep[i].level, spec.sweepLevels[i]);
      QVERIFY(!result.sweep[i].relativeTimeToFit);  // no time to fit without steps
      GENLAB_COMPARE_NEAR(result.sweep[i].testError, 1.0 - endOf(recorder, int(i)).testAccuracy, 1e-12);
    }
    QVERIFY(result.sweep[0].testError < result.sweep[1].testError);
    QVERIFY(result.sweep[1].testError < result.sweep[2].testError);
    QVERIFY(*endOf(recorder, 0).rkhsNorm < *endOf(recorder, 2).rkhsNorm);
  }

  void theResultsFolderKeepsTheNorms() {
    const std::filesystem::path folder = scratch_.filePath("written").toStdString();
    test::SessionRecorder recorder;
    {
      results::ResultsWriter writer(folder, kernelSpec());
      Session(kernelSpec()).run({&writer, &recorder});
    }
    results::SessionReader reader(folder, true);
    reader.refresh();
    const results::SessionRecord& record = reader.record();
    QVERIFY2(record.problems.empty(), record.problems.empty() ? "" : record.problems.front().c_str());
    QCOMPARE(record.state, std::string("ended"));
    QCOMPARE(record.model, recorder.info.model);
    QCOMPARE(record.runs.size(), size_t{2});
    for (const auto& run : record.runs) {
      const RunSummary& told = endOf(recorder, run.run);
      QCOMPARE(run.status, RunStatus::Fitted);
      QCOMPARE(run.rkhsNorm, told.rkhsNorm);
      QCOMPARE(run.bandwidth, told.bandwidth);
      QVERIFY(!run.coefficientNorm);
      QCOMPARE(run.trainAccuracy, std::optional<double>(1.0));
      QCOMPARE(run.testAccuracy, std::optional<double>(told.testAccuracy));
      // metrics.csv: one epoch's rows and no step losses.
      QVERIFY(run.loss.empty());
      QCOMPARE(run.epochMetrics.at("test_accuracy").epochs, std::vector<int64_t>{1});
    }
    // A record read back for a resume keeps the norm too.
    const nlohmann::json record0 = results::toJson(endOf(recorder, 0));
    QCOMPARE(results::runSummaryFromJson(record0).rkhsNorm, endOf(recorder, 0).rkhsNorm);
    QVERIFY(!record0.contains("coefficient_norm"));
    QVERIFY(!results::toJson(RunSummary{}).contains("rkhs_norm"));  // a network's record is as before
  }

  void stopBetweenRunsAndResumeSolvesTheRest() {
    const std::filesystem::path folder = scratch_.filePath("stopped").toStdString();
    ExperimentSpec spec = kernelSpec();
    spec.settings = {corruption::Setting::trueLabels(), corruption::Setting::randomLabels(),
                     corruption::Setting::randomPixels()};
    {
      Session session(spec);
      test::SessionRecorder recorder;
      recorder.afterEpoch = [&](const EpochMetrics&) { session.stop(RunStatus::Interrupted); };
      results::ResultsWriter writer(folder, spec);
      const SessionResult result = session.run({&writer, &recorder});
      QCOMPARE(result.runs.size(), size_t{3});
      QCOMPARE(result.runs[0].status, RunStatus::Fitted);  // the solve under way finishes
      QCOMPARE(result.runs[1].status, RunStatus::Interrupted);
      QCOMPARE(result.runs[2].status, RunStatus::Interrupted);
      QCOMPARE(recorder.epochs.size(), size_t{1});
    }
    // Resume: the fitted run is kept, the others are solved from the start (no checkpoints).
    results::OpenedFolder opened = results::openSessionFolder(folder, spec);
    QVERIFY(opened.writer != nullptr);
    QCOMPARE(opened.runs.size(), size_t{3});
    QVERIFY(opened.runs[0].ended.has_value());
    QVERIFY(!opened.runs[1].ended && opened.runs[1].checkpoint.empty());
    Session resumed(spec);
    resumed.resumeFrom(std::move(opened.runs));
    test::SessionRecorder recorder;
    const SessionResult result = resumed.run({opened.writer.get(), &recorder});
    QCOMPARE(recorder.epochs.size(), size_t{2});  // runs 1 and 2 only
    for (const auto& run : result.runs) QCOMPARE(run.status, RunStatus::Fitted);
    opened.writer.reset();

    results::SessionReader reader(folder, true);
    reader.refresh();
    QCOMPARE(reader.record().runs.size(), size_t{3});
    for (const auto& run : reader.record().runs) {
      QCOMPARE(run.status, RunStatus::Fitted);
      QVERIFY(run.rkhsNorm.has_value());
      QCOMPARE(run.epochMetrics.at("train_accuracy").epochs, std::vector<int64_t>{1});  // once each
    }
  }

  void aFailedSolveEndsItsRunWithTheReason() {
    // Noise-free synthetic images repeat their class prototype: the kernel matrix is singular.
    ExperimentSpec spec = kernelSpec();
    spec.data.synthetic.noise = 0;
    spec.settings = {corruption::Setting::trueLabels()};
    test::SessionRecorder recorder;
    const SessionResult result = Session(spec).run({&recorder});
    QCOMPARE(result.runs.size(), size_t{1});
    QCOMPARE(result.runs[0].status, RunStatus::Failed);
    QVERIFY2(result.runs[0].message.find("not positive definite") != std::string::npos,
             result.runs[0].message.c_str());
    QVERIFY(recorder.sessionEnded);
  }

  void closedFormModelsAreNotNetworks() {
    models::ModelSpec model;
    model.architecture = models::Architecture::Kernel;
    const std::string message = test::messageOf<InputError>([&] { (void)models::parameterCount(model, {1, 12, 12}, 10); });
    QVERIFY2(message.find("closed form, not a network") != std::string::npos, message.c_str());
    QCOMPARE(models::closedFormParameterCount(model, 500, 10), int64_t{5000});
    model.architecture = models::Architecture::RandomFeatures;
    model.features = 300;
    QCOMPARE(models::closedFormParameterCount(model, 500, 10), int64_t{3000});
    model.architecture = models::Architecture::Mlp;
    QCOMPARE(models::closedFormParameterCount(model, 500, 10), int64_t{0});
  }

  void validationRefusesWhatOnlyNetworksHave_data() {
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("expected");
    QTest::newRow("dropout") << "dropout" << "dropout applies to networks; kernel interpolation has none (model.dropout)";
    QTest::newRow("batch norm") << "batch norm" << "batch norm applies to networks; kernel interpolation has none (model.batch_norm)";
    QTest::newRow("weight decay") << "weight decay" << "kernel interpolation is the minimum-norm solution, with no penalty (optimizer.weight_decay)";
    QTest::newRow("augmentation") << "augmentation" << "augmentation applies to networks trained by steps; kernel interpolation has none (regularizers.augment)";
    QTest::newRow("early stopping") << "early stopping" << "kernel interpolation is one solve (regularizers.early_stopping)";
    QTest::newRow("memorization") << "memorization" << "(measures.memorization)";
    QTest::newRow("capacity") << "capacity" << "(measures.capacity)";
    QTest::newRow("random features") << "features dropout" << "random-feature regression has none (model.dropout)";
    QTest::newRow("no features") << "features 0" << "random features 0 is outside [1, 1000000] (model.features)";
    QTest::newRow("negative bandwidth") << "bandwidth" << "bandwidth -1 must not be negative (model.bandwidth)";
    QTest::newRow("kernel beyond memory") << "60000 images"
                                          << "builds a 60000 x 60000 kernel matrix of float64 numbers, 26.8 GiB; the most is 4 GiB, 23170 images (data.train_size)";
    QTest::newRow("features beyond memory") << "features 1e6"
                                            << "on 1000000 features needs about 22.4 GiB for the features and their SVD; the most is 4 GiB";
  }

  void validationRefusesWhatOnlyNetworksHave() {
    QFETCH(QString, change);
    QFETCH(QString, expected);
    ExperimentSpec spec = kernelSpec();
    QCOMPARE(errorOf(spec), std::string("no exception"));
    if (change == "dropout") spec.model.dropout = 0.5;
    if (change == "batch norm") spec.model.batchNorm = true;
    if (change == "weight decay") spec.optimizer.weightDecay = 5e-4;
    if (change == "augmentation") spec.regularizers.augment = true;
    if (change == "early stopping") spec.regularizers.earlyStopping = true;
    if (change == "memorization") spec.measures.memorization = true;
    if (change == "capacity") spec.measures.capacity = true;
    if (change.startsWith("features")) spec.model.architecture = models::Architecture::RandomFeatures;
    if (change == "features dropout") spec.model.dropout = 0.5;
    if (change == "features 0") spec.model.features = 0;
    if (change == "bandwidth") spec.model.bandwidth = -1;
    if (change == "60000 images") spec.data.synthetic.trainSize = 60000;
    if (change == "features 1e6") {
      spec.model.features = 1'000'000;
      spec.data.synthetic.trainSize = 1000;
    }
    const std::string message = errorOf(spec);
    QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
  }
};

QTEST_GUILESS_MAIN(TestClosedFormSession)
#include "test_closed_form_session.moc"
