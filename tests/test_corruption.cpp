// The six randomization tests of the paper: their statistics, their invariants, and that every
// draw is fixed by (seed, setting).

// moc needs only the test class: hidden from it, LibTorch's headers cost it nothing.
#ifndef Q_MOC_RUN
#include "core/corruption/corrupt.h"
#include "core/data/synthetic.h"
#include "core/errors.h"
#include "core/random.h"
#include "support/checks.h"
#endif

#include <QtTest>

#ifndef Q_MOC_RUN
#include <torch/torch.h>
#endif

#include <cmath>
#include <limits>
#include <numeric>

using namespace genlab;
using corruption::Setting;

namespace {

/// Images whose pixel positions can be read back from their values: image i (of the whole
/// data set, test images after training images) holds value i * P + j at position j of every
/// channel (plus c / 2 in channel c), so every value is distinct within a channel.
data::Dataset traceableDataset(int64_t trainSize, int64_t testSize, data::ImageShape shape) {
  const auto part = [&](int64_t size, int64_t offset) {
    const int64_t p = shape.pixels();
    torch::Tensor values = (torch::arange(size, torch::kFloat64).unsqueeze(1) + offset) * p +
                           torch::arange(p, torch::kFloat64).unsqueeze(0);
    torch::Tensor images = values.unsqueeze(1).repeat({1, shape.channels, 1}) +
                           torch::arange(shape.channels, torch::kFloat64).view({1, -1, 1}) * 0.5;
    return data::LabelledImages{
        images.reshape({size, shape.channels, shape.height, shape.width}).to(torch::kFloat32),
        torch::arange(size, torch::kInt64).remainder(10)};
  };
  data::Dataset d;
  d.name = "traceable";
  for (int c = 0; c < 10; ++c) d.classNames.push_back(std::to_string(c));
  d.train = part(trainSize, 0);
  d.test = part(testSize, trainSize);
  return d;
}

/// Recovers, for each image, the permutation that was applied to its pixel positions.
torch::Tensor recoveredPermutations(const torch::Tensor& images, int64_t firstImageIndex) {
  const int64_t n = images.size(0);
  const int64_t p = images.size(2) * images.size(3);
  const torch::Tensor channel0 = images.select(1, 0).reshape({n, p});
  const torch::Tensor base = (torch::arange(n, torch::kFloat64) + firstImageIndex).unsqueeze(1) * p;
  return (channel0 - base).round().to(torch::kInt64);
}

bool sortedRowsEqual(const torch::Tensor& a, const torch::Tensor& b) {
  const auto n = a.size(0);
  return torch::equal(std::get<0>(a.reshape({n, a.size(1), -1}).sort(2)),
                      std::get<0>(b.reshape({n, b.size(1), -1}).sort(2)));
}

data::Dataset syntheticDataset(int64_t trainSize, data::ImageShape shape = {1, 8, 8}) {
  return data::makeSynthetic({.trainSize = trainSize, .testSize = 500, .shape = shape, .seed = 11});
}

} // namespace

class TestCorruption : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void partialLabelsChangeAboutNinetyPercentOfP_data() {
    QTest::addColumn<double>("p");
    for (double p : {0.0, 0.1, 0.2, 0.5, 0.8, 1.0})
      QTest::newRow(qPrintable(QString("p=%1").arg(p))) << p;
  }

  void partialLabelsChangeAboutNinetyPercentOfP() {
    QFETCH(double, p);
    const data::Dataset clean = syntheticDataset(20000);
    const auto result = corruption::corrupt(
        clean, p == 1.0 ? Setting::randomLabels() : Setting::partialLabels(p), 5);
    const auto n = static_cast<double>(clean.train.size());

    // A redrawn label keeps its value with probability 1/10: the change probability is 0.9 p.
    const double q = 0.9 * p;
    const double changed = (result.dataset.train.labels != clean.train.labels).sum().item<double>();
    const double sd = std::sqrt(n * q * (1 - q));
    QVERIFY2(std::abs(changed - n * q) <= 4 * sd + 1e-9,
             qPrintable(QString("%1 labels changed, expected %2 +- 4 x %3").arg(changed).arg(n * q).arg(sd)));
    QCOMPARE(double(result.report.trainLabelsChanged), changed);
    GENLAB_COMPARE_NEAR(result.report.fractionLabelsChanged, changed / n, 1e-12);

    // Test labels and all images are untouched (and shared, not copied).
    QVERIFY(torch::equal(result.dataset.test.labels, clean.test.labels));
    QVERIFY(result.dataset.train.images.is_same(clean.train.images));
    QVERIFY(result.dataset.test.images.is_same(clean.test.images));
    const torch::Tensor labels = result.dataset.train.labels;
    QVERIFY(labels.min().item<int64_t>() >= 0 && labels.max().item<int64_t>() < 10);
  }

  void randomLabelsAreUniform() {
    // Chi-square goodness of fit of the random labels against the uniform distribution on ten
    // classes, df = 9; 27.88 is the 0.999 quantile. The true labels of the synthetic set are
    // balanced, so this also checks that nothing of them survives in the class counts.
    const data::Dataset clean = syntheticDataset(20000);
    const auto result = corruption::corrupt(clean, Setting::randomLabels(), 3);
    const auto counts = result.dataset.train.classCounts(10);
    const double expected = 20000.0 / 10;
    double chiSquare = 0.0;
    for (const int64_t count : counts) chiSquare += std::pow(count - expected, 2) / expected;
    QVERIFY2(chiSquare < 27.88, qPrintable(QString("chi-square %1").arg(chiSquare)));

    // Independence from the true label: P(random label == true label) is 1/10 for each class.
    for (int64_t c = 0; c < 10; ++c) {
      const torch::Tensor ofClass = clean.train.labels == c;
      const double kept = (result.dataset.train.labels.masked_select(ofClass) == c).to(torch::kFloat64).mean().item<double>();
      GENLAB_COMPARE_NEAR(kept, 0.1, 4 * std::sqrt(0.1 * 0.9 / 2000));
    }
  }

  void shuffledPixelsIsOnePermutationForAllImages() {
    const data::ImageShape shape{3, 6, 7};
    const data::Dataset clean = traceableDataset(40, 15, shape);
    const auto result = corruption::corrupt(clean, Setting::shuffledPixels(), 9);
    const auto& out = result.dataset;

    const torch::Tensor train = recoveredPermutations(out.train.images, 0);
    const torch::Tensor test = recoveredPermutations(out.test.images, 40);
    const torch::Tensor first = train[0];
    QVERIFY(!torch::equal(first, torch::arange(shape.pixels(), torch::kInt64)));
    QVERIFY(torch::equal(std::get<0>(first.sort()), torch::arange(shape.pixels(), torch::kInt64)));
    QVERIFY(torch::equal(train, first.unsqueeze(0).expand_as(train)));
    QVERIFY(torch::equal(test, first.unsqueeze(0).expand_as(test)));
    QVERIFY(torch::equal(first, result.report.pixelPermutation));

    // Whole pixels move: every channel follows the same permutation.
    const torch::Tensor channel2 = out.train.images.select(1, 2).reshape({40, -1});
    const torch::Tensor channel0 = out.train.images.select(1, 0).reshape({40, -1});
    QVERIFY(torch::allclose(channel2 - channel0, torch::full_like(channel0, 1.0)));

    QVERIFY(sortedRowsEqual(out.train.images, clean.train.images));
    QVERIFY(sortedRowsEqual(out.test.images, clean.test.images));
    QVERIFY(torch::equal(out.train.labels, clean.train.labels));
    QVERIFY(torch::equal(out.test.labels, clean.test.labels));
  }

  void randomPixelsIsAPermutationPerImage() {
    const data::ImageShape shape{2, 5, 6};
    const data::Dataset clean = traceableDataset(60, 30, shape);
    const auto result = corruption::corrupt(clean, Setting::randomPixels(), 9);
    const auto& out = result.dataset;

    const torch::Tensor all = torch::cat({recoveredPermutations(out.train.images, 0),
                                          recoveredPermutations(out.test.images, 60)});
    const torch::Tensor identity = torch::arange(shape.pixels(), torch::kInt64);
    // Each row is a permutation; no two images (train or test) share one; none is identity.
    QVERIFY(torch::equal(std::get<0>(all.sort(1)), identity.unsqueeze(0).expand_as(all)));
    for (int64_t i = 0; i < all.size(0); ++i) {
      QVERIFY(!torch::equal(all[i], identity));
      for (int64_t j = 0; j < i; ++j) QVERIFY2(!torch::equal(all[i], all[j]), "two images share a permutation");
    }
    QVERIFY(sortedRowsEqual(out.train.images, clean.train.images));
    QVERIFY(sortedRowsEqual(out.test.images, clean.test.images));
    QVERIFY(torch::equal(out.train.labels, clean.train.labels));
    QVERIFY(!result.report.pixelPermutation.defined());
  }

  void randomPixelsDrawEachImagesPermutationFromItsOwnStream() {
    // The stream documented in corrupt.h, spelt out here: a session resumed by a later build
    // must train on the images it started with.
    const data::ImageShape shape{3, 4, 5};
    const data::Dataset clean = traceableDataset(40, 12, shape);
    const uint64_t seed = 21;
    const auto result = corruption::corrupt(clean, Setting::randomPixels(), seed);
    at::Generator generator = makeGenerator(deriveSeed(seed, "corruption:" + Setting::randomPixels().key()));
    const auto trainSeed = static_cast<uint64_t>(
        torch::randint(0, std::numeric_limits<int64_t>::max(), {1}, generator, torch::kInt64).item<int64_t>());
    const auto expected = [&](const torch::Tensor& images, uint64_t partSeed) {
      const int64_t n = images.size(0), pixels = shape.pixels();
      torch::Tensor order = torch::empty({n, pixels}, torch::kInt64);
      for (int64_t image = 0; image < n; ++image) {
        std::vector<int64_t> row(static_cast<size_t>(pixels));
        std::iota(row.begin(), row.end(), int64_t{0});
        SplitMix64 stream(deriveSeed(partSeed, "pixels", static_cast<uint64_t>(image)));
        for (int64_t i = pixels - 1; i > 0; --i)
          std::swap(row[static_cast<size_t>(i)], row[stream.below(static_cast<uint64_t>(i) + 1)]);
        order[image] = torch::tensor(row, torch::kInt64);
      }
      const torch::Tensor flat = images.reshape({n, shape.channels, pixels});
      return flat.gather(2, order.unsqueeze(1).expand({n, shape.channels, pixels})).reshape(images.sizes());
    };
    QVERIFY(torch::equal(result.dataset.train.images, expected(clean.train.images, trainSeed)));
    QVERIFY(torch::equal(result.dataset.test.images, expected(clean.test.images, deriveSeed(trainSeed, "test"))));
  }

  void gaussianMatchesMeanAndVariance() {
    // Three channels with different statistics; the noise must match each.
    data::Dataset clean = syntheticDataset(4000, {3, 8, 8});
    clean.train.images = clean.train.images * torch::tensor({1.0F, 2.0F, 0.5F}).view({1, 3, 1, 1}) +
                         torch::tensor({-1.0F, 0.0F, 3.0F}).view({1, 3, 1, 1});
    const auto result = corruption::corrupt(clean, Setting::gaussianInputs(), 4);
    const torch::Tensor mean = clean.train.images.mean({0, 2, 3});
    const torch::Tensor var = clean.train.images.var({0, 2, 3}, /*unbiased=*/false);
    for (const auto* part : {&result.dataset.train, &result.dataset.test}) {
      const torch::Tensor noiseMean = part->images.mean({0, 2, 3});
      const torch::Tensor noiseVar = part->images.var({0, 2, 3}, /*unbiased=*/false);
      const double values = double(part->size()) * 64;  // per channel
      for (int c = 0; c < 3; ++c) {
        const double v = var[c].item<double>();
        GENLAB_COMPARE_NEAR(noiseMean[c].item<double>(), mean[c].item<double>(), 5 * std::sqrt(v / values));
        GENLAB_COMPARE_NEAR(noiseVar[c].item<double>(), v, 5 * v * std::sqrt(2 / values));
      }
      // Noise, not the images: no correlation with the clean pixels.
      const auto& cleanPart = part == &result.dataset.train ? clean.train : clean.test;
      QCOMPARE(part->images.sizes(), cleanPart.images.sizes());
    }
    // Centred per channel, so that the channels' different means do not pass for correlation.
    const auto centred = [](const torch::Tensor& images) {
      return (images - images.mean({0, 2, 3}, true)).flatten();
    };
    const torch::Tensor a = centred(result.dataset.train.images);
    const torch::Tensor b = centred(clean.train.images);
    const double correlation = ((a * b).sum() / (a.norm() * b.norm())).item<double>();
    QVERIFY2(std::abs(correlation) < 0.02, qPrintable(QString::number(correlation)));
    QVERIFY(torch::equal(result.dataset.train.labels, clean.train.labels));
    QVERIFY(torch::equal(result.dataset.test.labels, clean.test.labels));
  }

  void trueLabelsChangesNothing() {
    const data::Dataset clean = syntheticDataset(100);
    const auto result = corruption::corrupt(clean, Setting::trueLabels(), 1);
    QVERIFY(result.dataset.train.images.is_same(clean.train.images));
    QVERIFY(result.dataset.train.labels.is_same(clean.train.labels));
    QCOMPARE(result.report.trainLabelsChanged, 0);
  }

  void drawsAreFixedBySeedAndSetting_data() {
    QTest::addColumn<QString>("key");
    for (const char* key : {"labels:0.3", "random-labels", "shuffled-pixels", "random-pixels", "gaussian"})
      QTest::newRow(key) << QString(key);
  }

  void drawsAreFixedBySeedAndSetting() {
    QFETCH(QString, key);
    const Setting setting = corruption::parseSetting(key.toStdString());
    const data::Dataset clean = syntheticDataset(300);
    const auto once = corruption::corrupt(clean, setting, 42);
    const auto again = corruption::corrupt(clean, setting, 42);  // e.g. the next epoch
    const auto other = corruption::corrupt(clean, setting, 43);
    const auto same = [](const data::LabelledImages& a, const data::LabelledImages& b) {
      return torch::equal(a.images, b.images) && torch::equal(a.labels, b.labels);
    };
    QVERIFY(same(once.dataset.train, again.dataset.train));
    QVERIFY(same(once.dataset.test, again.dataset.test));
    QVERIFY(!same(once.dataset.train, other.dataset.train));
  }

  void settingsDrawIndependently() {
    // Same seed, different settings: partial labels at 0.5 and at 0.6 are not nested draws.
    const data::Dataset clean = syntheticDataset(2000);
    const auto a = corruption::corrupt(clean, Setting::partialLabels(0.5), 7);
    const auto b = corruption::corrupt(clean, Setting::partialLabels(0.6), 7);
    QVERIFY(!torch::equal(a.dataset.train.labels, b.dataset.train.labels));
  }

  void parsesSettings_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("name");
    QTest::newRow("true") << "true" << true << "true labels";
    QTest::newRow("partial") << "labels:0.2" << true << "partially corrupted labels (p = 0.2)";
    QTest::newRow("partial 0") << "labels:0" << true << "partially corrupted labels (p = 0)";
    QTest::newRow("partial 1") << "labels:1" << true << "partially corrupted labels (p = 1)";
    QTest::newRow("random labels") << "random-labels" << true << "random labels";
    QTest::newRow("shuffled") << "shuffled-pixels" << true << "shuffled pixels";
    QTest::newRow("random pixels") << "random-pixels" << true << "random pixels";
    QTest::newRow("gaussian") << "gaussian" << true << "Gaussian";
    QTest::newRow("p above 1") << "labels:1.7" << false << "outside [0, 1]";
    QTest::newRow("p negative") << "labels:-0.1" << false << "outside [0, 1]";
    QTest::newRow("p not a number") << "labels:abc" << false << "must be a number";
    QTest::newRow("p empty") << "labels:" << false << "must be a number";
    QTest::newRow("p nan") << "labels:nan" << false << "must be a number";
    QTest::newRow("p trailing text") << "labels:0.5x" << false << "must be a number";
    QTest::newRow("unknown") << "shuffle" << false << "unknown corruption setting 'shuffle'";
  }

  void parsesSettings() {
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, name);
    if (valid) {
      const Setting s = corruption::parseSetting(text.toStdString());
      QCOMPARE(QString::fromStdString(s.name()), name);
      QCOMPARE(QString::fromStdString(s.key()), text);
      QVERIFY(corruption::parseSetting(s.key()) == s);
    } else {
      const std::string message = test::messageOf<InputError>(
          [&] { (void)corruption::parseSetting(text.toStdString()); });
      QVERIFY2(message.find(name.toStdString()) != std::string::npos, message.c_str());
    }
  }

  void corruptRejectsAnInvalidLevel() {
    const data::Dataset clean = syntheticDataset(10);
    const std::string message = test::messageOf<InputError>(
        [&] { (void)corruption::corrupt(clean, Setting::partialLabels(1.5), 0); });
    QVERIFY2(message.find("1.5 is outside [0, 1]") != std::string::npos, message.c_str());
  }
};

QTEST_APPLESS_MAIN(TestCorruption)
#include "test_corruption.moc"
