// Measures besides loss and accuracy (measures.*): memorization dynamics (Arpit et al. 2017),
// checked against counts made here from the network's own predictions; capacity measures
// (Neyshabur et al. 2017; Bartlett et al. 2017) against direct computations and LAPACK's
// singular values. And the checkpoints that carry a run, with these records, across a resume.

// moc needs only the test class: hidden from it, LibTorch's headers cost it nothing.
#ifndef Q_MOC_RUN
#include "core/corruption/corrupt.h"
#include "core/data/synthetic.h"
#include "core/errors.h"
#include "core/random.h"
#include "core/results/memorization_file.h"
#include "core/train/archive_check.h"
#include "core/train/capacity.h"
#include "core/train/trainer.h"
#include "support/checks.h"
#include "support/session_recorder.h"
#endif

#include <QtTest>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

#ifndef Q_MOC_RUN
#include <torch/torch.h>
#endif

using namespace genlab;

namespace {

/// A small experiment on synthetic data whose runs memorize their labels within tens of epochs.
train::ExperimentSpec memorizationSpec(int64_t epochs) {
  train::ExperimentSpec spec;
  spec.model.width = 128;
  spec.training.batchSize = 16;
  spec.training.epochs = epochs;
  spec.training.stopWhenFitted = false;
  spec.optimizer.learningRate = 0.05;
  spec.measures.memorization = true;
  spec.compute.device = train::DeviceChoice::Cpu;
  return spec;
}

data::Dataset syntheticData(int64_t trainSize, double noise) {
  data::SyntheticSpec synthetic;
  synthetic.trainSize = trainSize;
  synthetic.testSize = 50;
  synthetic.shape = {1, 8, 8};
  synthetic.noise = noise;
  synthetic.seed = 3;
  return data::makeSynthetic(synthetic);
}

struct Counted {
  double clean = 0;
  double corrupted = 0;
};

/// The fractions of clean and corrupted examples the network predicts its training label for,
/// counted one example at a time from its logits in evaluation mode; `since` (the epoch from
/// which each example has been fitted without a break, 0: not now) is brought to `epoch`.
Counted countByHand(models::Network& network, const data::Dataset& clean, const data::Dataset& corrupted,
                    std::vector<int64_t>& since, int64_t epoch) {
  torch::NoGradGuard noGrad;
  network.eval();
  const torch::Tensor predicted = network.forward(corrupted.train.images).argmax(1);
  const auto p = predicted.accessor<int64_t, 1>();
  const auto given = corrupted.train.labels.accessor<int64_t, 1>();
  const auto truth = clean.train.labels.accessor<int64_t, 1>();
  int cleanCount = 0, cleanFitted = 0, corruptedCount = 0, corruptedFitted = 0;
  for (int64_t i = 0; i < predicted.size(0); ++i) {
    const bool fitted = p[i] == given[i];
    since[static_cast<size_t>(i)] = fitted ? (since[static_cast<size_t>(i)] > 0 ? since[static_cast<size_t>(i)] : epoch) : 0;
    if (given[i] == truth[i]) {
      ++cleanCount;
      cleanFitted += fitted;
    } else {
      ++corruptedCount;
      corruptedFitted += fitted;
    }
  }
  return {cleanCount ? double(cleanFitted) / cleanCount : -1.0,
          corruptedCount ? double(corruptedFitted) / corruptedCount : -1.0};
}

} // namespace

class TestMeasures : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void memorizationFractionsAreTheCountsOfTheNetworksPredictions() {
    const data::Dataset clean = syntheticData(64, 0.5);
    const auto data = corruption::corrupt(clean, corruption::Setting::partialLabels(0.5), 7);
    QVERIFY(data.report.trainLabelsChanged > 10 && data.report.trainLabelsChanged < 54);
    const train::ExperimentSpec spec = memorizationSpec(40);
    train::Trainer trainer(0, spec, data, torch::kCPU);
    test::SessionRecorder recorder;
    std::vector<int64_t> since(64, 0);  // kept here, epoch by epoch, from the same predictions
    for (int64_t epoch = 1; epoch <= spec.training.epochs; ++epoch) {
      trainer.advance(trainer.stepsPerEpoch(), recorder);
      QCOMPARE(int64_t(recorder.epochs.size()), epoch);
      const train::EpochMetrics& m = recorder.epochs.back();
      const Counted counted = countByHand(trainer.network(), clean, data.dataset, since, epoch);
      QVERIFY(m.fittedClean && m.fittedCorrupted);
      QCOMPARE(*m.fittedClean, counted.clean);
      QCOMPARE(*m.fittedCorrupted, counted.corrupted);
      QCOMPARE(trainer.fittedSince(), since);
      // The record for the run's folder says the same, example by example.
      QCOMPARE(int64_t(recorder.memorization.size()), epoch);
      const train::MemorizationRecord& record = recorder.memorization.back();
      QCOMPARE(record.epoch, epoch);
      QCOMPARE(record.examples.size(), size_t(64));
      for (size_t i = 0; i < record.examples.size(); ++i) {
        const train::MemorizedExample& e = record.examples[i];
        QCOMPARE(e.example, int64_t(i));
        QCOMPARE(e.label, data.dataset.train.labels[e.example].item<int64_t>());
        QCOMPARE(e.corrupted, data.report.labelChanged[e.example].item<bool>());
        QCOMPARE(e.fittedSince, since[i]);
      }
    }
    // By the end every label is memorized, the changed ones too.
    QCOMPARE(*recorder.epochs.back().fittedClean, 1.0);
    QCOMPARE(*recorder.epochs.back().fittedCorrupted, 1.0);
  }

  void runsWithoutChangedLabelsReportCleanExamplesOnly() {
    const data::Dataset clean = syntheticData(64, 0.5);
    for (const auto& setting : {corruption::Setting::trueLabels(), corruption::Setting::shuffledPixels()}) {
      const auto data = corruption::corrupt(clean, setting, 7);
      train::Trainer trainer(0, memorizationSpec(2), data, torch::kCPU);
      test::SessionRecorder recorder;
      trainer.advance(trainer.stepsPerEpoch(), recorder);
      QVERIFY(recorder.epochs.back().fittedClean.has_value());
      QVERIFY(!recorder.epochs.back().fittedCorrupted.has_value());
    }
  }

  void cleanExamplesAreFittedBeforeCorruptedOnes() {
    // The phenomenon the measure shows: the network learns the real pattern first and the noise
    // afterwards. At the first epoch with 90% of the clean examples fitted, fewer than half of
    // the corrupted ones are.
    const data::Dataset clean = syntheticData(1000, 0.35);
    const auto data = corruption::corrupt(clean, corruption::Setting::partialLabels(0.4), 1);
    train::Trainer trainer(0, memorizationSpec(30), data, torch::kCPU);
    test::SessionRecorder recorder;
    std::optional<train::EpochMetrics> first;
    while (!trainer.done() && !first) {
      trainer.advance(trainer.stepsPerEpoch(), recorder);
      if (*recorder.epochs.back().fittedClean >= 0.9) first = recorder.epochs.back();
    }
    QVERIFY2(first, "the clean examples were never 90% fitted");
    QVERIFY2(*first->fittedCorrupted < 0.5,
             qPrintable(QString("epoch %1: clean %2, corrupted %3").arg(first->epoch)
                            .arg(*first->fittedClean).arg(*first->fittedCorrupted)));
  }

  void measuringChangesNoStepOfTraining() {
    // The measure's evaluation pass draws no random numbers and updates nothing: the losses of
    // every step are those of the same run without it, to the bit.
    const auto data = corruption::corrupt(syntheticData(64, 0.5), corruption::Setting::partialLabels(0.5), 7);
    std::vector<std::vector<float>> losses;
    for (const bool measured : {false, true}) {
      train::ExperimentSpec spec = memorizationSpec(5);
      spec.model.dropout = 0.3;  // dropout draws from the run's stream
      spec.measures.memorization = measured;
      spec.measures.capacity = measured;
      train::Trainer trainer(0, spec, data, torch::kCPU);
      test::SessionRecorder recorder;
      for (int epoch = 0; epoch < 5; ++epoch) trainer.advance(trainer.stepsPerEpoch(), recorder);
      losses.push_back(recorder.lossesOf(0));
      QCOMPARE(recorder.epochs.back().fittedClean.has_value(), measured);
    }
    QCOMPARE(losses[0], losses[1]);
  }

  void theRecordSkipsTheValidationHoldOutAndReadsBack() {
    // With early stopping a validation split is held out: the record names the examples the
    // run trains on by their index in the whole training set, each once.
    const auto data = corruption::corrupt(syntheticData(64, 0.5), corruption::Setting::partialLabels(0.5), 7);
    train::ExperimentSpec spec = memorizationSpec(2);
    spec.regularizers.earlyStopping = true;
    spec.regularizers.validationFraction = 0.25;
    train::Trainer trainer(0, spec, data, torch::kCPU);
    test::SessionRecorder recorder;
    trainer.advance(trainer.stepsPerEpoch(), recorder);
    QCOMPARE(recorder.memorization.size(), size_t(1));
    const auto& examples = recorder.memorization.back().examples;
    QCOMPARE(examples.size(), size_t(48));
    std::set<int64_t> seen;
    for (const auto& e : examples) {
      QVERIFY(e.example >= 0 && e.example < 64);
      QCOMPARE(e.label, data.dataset.train.labels[e.example].item<int64_t>());
      QCOMPARE(e.corrupted, data.report.labelChanged[e.example].item<bool>());
      seen.insert(e.example);
    }
    QCOMPARE(seen.size(), size_t(48));

    // Written as the run folder's file and read back, the same record.
    const QString path = QDir::temp().filePath(QStringLiteral("genlab-memorization-%1.csv").arg(QCoreApplication::applicationPid()));
    {
      std::ofstream out(path.toStdString(), std::ios::binary);
      out << results::memorizationCsv(recorder.memorization.back());
    }
    const auto read = results::readMemorization(path.toStdString());
    QCOMPARE(read.size(), examples.size());
    for (size_t i = 0; i < read.size(); ++i) {
      QCOMPARE(read[i].example, examples[i].example);
      QCOMPARE(read[i].label, examples[i].label);
      QCOMPARE(read[i].corrupted, examples[i].corrupted);
      QCOMPARE(read[i].fittedSince, examples[i].fittedSince);
    }
    QFile::remove(path);
  }

  void learnedLastPutsTheResistedExamplesFirst() {
    // Not fitted now first, then the latest epoch; only the kind asked for.
    const std::vector<train::MemorizedExample> examples{
        {0, 1, true, 3}, {1, 2, false, 9}, {2, 3, true, 0}, {3, 4, true, 12}, {4, 5, false, 1}, {5, 6, true, 3}};
    std::vector<int64_t> order;
    for (const auto& e : results::learnedLast(examples, true, 10)) order.push_back(e.example);
    QCOMPARE(order, (std::vector<int64_t>{2, 3, 0, 5}));
    order.clear();
    for (const auto& e : results::learnedLast(examples, false, 1)) order.push_back(e.example);
    QCOMPARE(order, (std::vector<int64_t>{1}));
  }

  void aBrokenRecordFileIsNamedWithItsLine_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("problem");
    QTest::newRow("header") << QByteArray("index,label\n0,1\n") << "is not a memorization record";
    QTest::newRow("fields") << QByteArray("example,label,corrupted,fitted_epoch\n0,1,0,2\n1,2\n") << "line 3: 2 fields, not 4";
    QTest::newRow("corrupted") << QByteArray("example,label,corrupted,fitted_epoch\n0,1,2,\n") << "line 2: corrupted is not 0 or 1";
    QTest::newRow("epoch") << QByteArray("example,label,corrupted,fitted_epoch\n0,1,0,-4\n") << "line 2: fitted_epoch is not an epoch";
    QTest::newRow("label") << QByteArray("example,label,corrupted,fitted_epoch\n0,x,0,\n") << "line 2: label is not a class number";
  }

  void aBrokenRecordFileIsNamedWithItsLine() {
    QFETCH(QByteArray, content);
    QFETCH(QString, problem);
    const QString path = QDir::temp().filePath(QStringLiteral("genlab-broken-%1.csv").arg(QCoreApplication::applicationPid()));
    {
      QFile file(path);
      QVERIFY(file.open(QIODevice::WriteOnly));
      file.write(content);
    }
    try {
      results::readMemorization(path.toStdString());
      QFAIL("no error");
    } catch (const InputError& error) {
      QVERIFY2(QString(error.what()).contains(problem), error.what());
      QVERIFY2(QString(error.what()).contains(path), error.what());
    }
    QFile::remove(path);
    QVERIFY_THROWS_EXCEPTION(InputError, results::readMemorization("/nonexistent/memorization-run0.csv"));
  }

  void powerIterationFindsTheSpectralNorm() {
    // Against LAPACK's singular values: a random matrix, and one whose top two singular values
    // are close (slow convergence) after enough steps.
    at::Generator generator = makeGenerator(11);
    const torch::Tensor a = torch::randn({300, 200}, generator, torch::kFloat64);
    torch::Tensor v = std::get<0>(torch::linalg_qr(torch::randn({200, 8}, generator, torch::kFloat64)));
    const double sigma = train::CapacityMeter::spectralNorm(a, v, 200);
    const double exact = torch::linalg_svdvals(a)[0].item<double>();
    QVERIFY2(std::abs(sigma - exact) < 1e-9 * exact, qPrintable(QString("%1 vs %2").arg(sigma).arg(exact)));
    // Warm started from that vector, a slightly changed matrix needs only a few steps.
    const torch::Tensor b = a + 0.01 * torch::randn({300, 200}, generator, torch::kFloat64);
    const double warm = train::CapacityMeter::spectralNorm(b, v, train::CapacityMeter::kPowerSteps);
    const double exactB = torch::linalg_svdvals(b)[0].item<double>();
    QVERIFY2(std::abs(warm - exactB) < 1e-3 * exactB, qPrintable(QString("%1 vs %2").arg(warm).arg(exactB)));
  }

  void marginIsTheTenthPercentileOfLabelLogitOverTheRest() {
    // Twenty examples of three classes; example i's margin is (i - 5) / 2 by construction.
    torch::Tensor logits = torch::zeros({20, 3});
    torch::Tensor labels = torch::zeros({20}, torch::kInt64);
    for (int64_t i = 0; i < 20; ++i) {
      labels[i] = i % 3;
      logits[i][(i + 1) % 3] = 1.0F;
      logits[i][i % 3] = 1.0F + static_cast<float>(i - 5) / 2.0F;
    }
    // The 2nd smallest of 20 (ceil(20 / 10)): example 1, margin -2.
    QCOMPARE(train::CapacityMeter::marginPercentile(logits, labels), -2.0);
  }

  void capacityMeasuresAreTheDirectComputations() {
    // A run of 64 examples (fewer than the margin's sample: all of them count), measured each
    // epoch and checked against computations made here from its weights and logits.
    const auto data = corruption::corrupt(syntheticData(64, 0.5), corruption::Setting::partialLabels(0.5), 7);
    train::ExperimentSpec spec = memorizationSpec(25);
    spec.measures.memorization = false;
    spec.measures.capacity = true;
    spec.model.depth = 2;
    train::Trainer trainer(0, spec, data, torch::kCPU);
    std::vector<torch::Tensor> initial;
    for (const torch::Tensor& w : train::weightMatrices(trainer.network())) initial.push_back(w.to(torch::kFloat64).clone());
    // The measures are taken in float32, the weights' precision: sums agree to about 1e-6.
    QCOMPARE(initial.size(), size_t(3));  // two hidden layers and the output
    test::SessionRecorder recorder;
    bool complexitySeen = false;
    for (int64_t epoch = 1; epoch <= spec.training.epochs; ++epoch) {
      trainer.advance(trainer.stepsPerEpoch(), recorder);
      QVERIFY(recorder.epochs.back().capacity.has_value());
      const train::CapacityMeasures& c = *recorder.epochs.back().capacity;
      const auto weights = train::weightMatrices(trainer.network());
      double distanceSq = 0, frobeniusSq = 0, product = 1, ratios = 0;
      for (size_t i = 0; i < weights.size(); ++i) {
        const torch::Tensor w = weights[i].to(torch::kFloat64);
        const double distance = (w - initial[i]).norm().item<double>();
        QVERIFY(std::abs(c.layerDistances.at(i) - distance) <= 1e-5 * std::max(1.0, distance));
        distanceSq += distance * distance;
        frobeniusSq += w.pow(2).sum().item<double>();
        const double sigma = torch::linalg_svdvals(w)[0].item<double>();
        product *= sigma;
        ratios += std::pow(w.norm(2, {1}).sum().item<double>() / sigma, 2.0 / 3.0);
      }
      QVERIFY(std::abs(c.distanceFromInit - std::sqrt(distanceSq)) <= 1e-5 * std::max(1.0, c.distanceFromInit));
      QVERIFY(std::abs(c.frobeniusSq - frobeniusSq) <= 1e-5 * frobeniusSq);
      // Subspace iteration, warm started epoch after epoch, stays within 0.5% of the exact
      // product (this small network at learning rate 0.05 moves fast), and never above it.
      QVERIFY2(c.spectralProduct <= product * (1 + 1e-5) && c.spectralProduct >= 0.995 * product,
               qPrintable(QString("epoch %1: %2 vs %3").arg(epoch).arg(c.spectralProduct).arg(product)));
      torch::NoGradGuard noGrad;
      trainer.network().eval();
      const double margin = train::CapacityMeter::marginPercentile(trainer.network().forward(data.dataset.train.images),
                                                                   data.dataset.train.labels);
      QVERIFY(std::abs(c.margin - margin) <= 1e-5 * std::max(1.0, std::abs(margin)));
      QCOMPARE(c.spectralComplexity.has_value(), c.margin > 0);
      if (c.spectralComplexity) {
        complexitySeen = true;
        const double expected = product * std::pow(ratios, 1.5) / margin;
        QVERIFY2(std::abs(*c.spectralComplexity - expected) <= 0.01 * expected,
                 qPrintable(QString("%1 vs %2").arg(*c.spectralComplexity).arg(expected)));
      }
    }
    QVERIFY2(complexitySeen, "the margin never became positive");
  }

  void capacityGrowsWithRandomLabels() {
    // The measures' point (Neyshabur et al. 2017; Bartlett et al. 2017): fitted to zero error,
    // a network of the same size ends farther from its initialization and with a larger
    // margin-normalized spectral complexity on random labels than on true ones.
    const data::Dataset clean = syntheticData(256, 0.3);
    std::map<std::string, train::CapacityMeasures> fitted;
    for (const auto& setting : {corruption::Setting::trueLabels(), corruption::Setting::randomLabels()}) {
      train::ExperimentSpec spec = memorizationSpec(300);
      spec.measures.memorization = false;
      spec.measures.capacity = true;
      spec.training.stopWhenFitted = true;
      train::Trainer trainer(0, spec, corruption::corrupt(clean, setting, 5), torch::kCPU);
      test::SessionRecorder recorder;
      while (!trainer.done()) trainer.advance(trainer.stepsPerEpoch(), recorder);
      QCOMPARE(trainer.summary().status, train::RunStatus::Fitted);
      fitted[setting.key()] = *recorder.epochs.back().capacity;
    }
    const auto& truth = fitted.at(corruption::Setting::trueLabels().key());
    const auto& random = fitted.at(corruption::Setting::randomLabels().key());
    QVERIFY2(random.distanceFromInit > truth.distanceFromInit,
             qPrintable(QString("%1 vs %2").arg(random.distanceFromInit).arg(truth.distanceFromInit)));
    QVERIFY(truth.spectralComplexity && random.spectralComplexity);
    QVERIFY2(*random.spectralComplexity > *truth.spectralComplexity,
             qPrintable(QString("%1 vs %2").arg(*random.spectralComplexity).arg(*truth.spectralComplexity)));
  }

  // LibTorch reads its archives without checking their CRCs: a checkpoint damaged on disk
  // resumed with garbage weights (a loss of thousands). Damage, a cut, or a checkpoint of another
  // session are refused by name; the check costs nothing while training (LibTorch computes the
  // CRCs as it writes).
  void damagedOrForeignCheckpointsAreRefused() {
    QCOMPARE(train::crc32("123456789"), uint32_t{0xCBF43926});  // CRC-32's check value
    const auto data = corruption::corrupt(syntheticData(64, 0.5), corruption::Setting::partialLabels(0.5), 7);
    const train::ExperimentSpec spec = memorizationSpec(2);
    struct Keep : test::SessionRecorder {
      std::string state;
      void onCheckpoint(const train::Checkpoint& c) override { state = c.state; }
    } saved;
    train::Trainer first(0, spec, data, torch::kCPU);
    first.advance(first.stepsPerEpoch(), saved);
    QVERIFY(saved.state.size() > 100'000);
    const auto refusal = [&](const std::string& state, const train::ExperimentSpec& into) {
      train::Trainer resumed(0, into, data, torch::kCPU);
      return test::messageOf<InputError>([&] { resumed.restoreState(state); });
    };
    QCOMPARE(refusal(saved.state, spec), std::string("no exception"));
    std::string flipped = saved.state;  // nearly all of it is the weights and their momentum
    for (size_t i = flipped.size() / 2; i < flipped.size() / 2 + 100; ++i) flipped[i] = static_cast<char>(~flipped[i]);
    std::string message = refusal(flipped, spec);
    QVERIFY2(message.find("the checkpoint of run 0") != std::string::npos &&
                 message.find("is damaged: its record 'archive/data/") != std::string::npos &&
                 message.find("does not match its checksum") != std::string::npos,
             message.c_str());
    message = refusal(saved.state.substr(0, saved.state.size() - 1000), spec);
    QVERIFY2(message.find("is damaged: it is not a whole zip archive") != std::string::npos, message.c_str());
    train::ExperimentSpec other = spec;
    other.seed = spec.seed + 1;
    message = refusal(saved.state, other);
    QVERIFY2(message.find("belongs to a session of seed " + std::to_string(spec.seed)) != std::string::npos, message.c_str());
  }

  void aResumedRunKeepsItsMemorizationRecord() {
    // Stopped after epoch 3 and restored from its state, a run reports the same fractions as
    // one that never stopped.
    const auto data = corruption::corrupt(syntheticData(64, 0.5), corruption::Setting::partialLabels(0.5), 7);
    train::ExperimentSpec spec = memorizationSpec(6);
    spec.measures.capacity = true;
    train::Trainer straight(0, spec, data, torch::kCPU);
    test::SessionRecorder whole;
    for (int epoch = 0; epoch < 6; ++epoch) straight.advance(straight.stepsPerEpoch(), whole);

    struct Keep : test::SessionRecorder {
      std::string state;
      void onCheckpoint(const train::Checkpoint& c) override { state = c.state; }
    } first;
    train::Trainer stopped(0, spec, data, torch::kCPU);
    for (int epoch = 0; epoch < 3; ++epoch) stopped.advance(stopped.stepsPerEpoch(), first);
    QVERIFY(!first.state.empty());
    train::Trainer resumed(0, spec, data, torch::kCPU);
    resumed.restoreState(first.state);
    test::SessionRecorder second;
    for (int epoch = 3; epoch < 6; ++epoch) resumed.advance(resumed.stepsPerEpoch(), second);
    QCOMPARE(second.epochs.size(), size_t(3));
    for (size_t i = 0; i < 3; ++i) {
      QCOMPARE(second.epochs[i].fittedClean, whole.epochs[i + 3].fittedClean);
      QCOMPARE(second.epochs[i].fittedCorrupted, whole.epochs[i + 3].fittedCorrupted);
      // The capacity measures too: the power iteration goes on from the saved vectors.
      const auto& resumedCapacity = *second.epochs[i].capacity;
      const auto& straightCapacity = *whole.epochs[i + 3].capacity;
      QCOMPARE(resumedCapacity.spectralProduct, straightCapacity.spectralProduct);
      QCOMPARE(resumedCapacity.distanceFromInit, straightCapacity.distanceFromInit);
      QCOMPARE(resumedCapacity.margin, straightCapacity.margin);
    }
    // The epochs since which examples are fitted reach back before the stop.
    const std::vector<int64_t> since = resumed.fittedSince();
    QCOMPARE(since, straight.fittedSince());
    QVERIFY(std::any_of(since.begin(), since.end(), [](int64_t epoch) { return epoch > 0 && epoch <= 3; }));
  }
};

QTEST_GUILESS_MAIN(TestMeasures)
#include "test_measures.moc"
