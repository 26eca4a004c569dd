// The closed-form linear models of the paper's Section 5 (core/closed_form): kernels against
// their formulas, the interpolant against a direct solve, the norm of random labels, and the
// double-descent peak of random-feature regression at N = n.

// moc needs only the test class: hidden from it, LibTorch's headers cost it nothing.
#ifndef Q_MOC_RUN
#include "core/closed_form/fit.h"
#include "core/closed_form/interpolation.h"
#include "core/closed_form/kernel.h"
#include "core/closed_form/least_squares.h"
#include "core/closed_form/random_features.h"
#include "core/corruption/corrupt.h"
#include "core/data/synthetic.h"
#include "core/errors.h"
#include "support/checks.h"
#endif

#include <QtTest>

#ifndef Q_MOC_RUN
#include <torch/torch.h>
#endif

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numbers>
#include <string>

Q_DECLARE_METATYPE(genlab::closed_form::KernelKind)
Q_DECLARE_METATYPE(genlab::closed_form::FeatureKind)

using namespace genlab;
using namespace genlab::closed_form;

namespace {

data::Dataset syntheticData(int64_t trainSize, int64_t testSize, double noise, uint64_t seed) {
  data::SyntheticSpec spec;
  spec.trainSize = trainSize;
  spec.testSize = testSize;
  spec.shape = {1, 8, 8};
  spec.noise = noise;
  spec.seed = seed;
  return data::makeSynthetic(spec);
}

data::Dataset withRandomLabels(const data::Dataset& clean) {
  return corruption::corrupt(clean, corruption::Setting::randomLabels(), 5).dataset;
}

torch::Tensor rowsOf(const torch::Tensor& images) {
  return images.reshape({images.size(0), -1}).to(torch::kFloat64);
}

/// The kernel of two vectors from its definition, one pair at a time.
double kernelByHand(const Kernel& kernel, const torch::Tensor& x, const torch::Tensor& z) {
  const auto xs = x.accessor<double, 1>(), zs = z.accessor<double, 1>();
  double dot = 0, xx = 0, zz = 0, distance = 0;
  for (int64_t i = 0; i < x.size(0); ++i) {
    dot += xs[i] * zs[i];
    xx += xs[i] * xs[i];
    zz += zs[i] * zs[i];
    distance += (xs[i] - zs[i]) * (xs[i] - zs[i]);
  }
  if (kernel.kind == KernelKind::Rbf)
    return std::exp(-distance / (2 * kernel.bandwidth * kernel.bandwidth));
  if (xx == 0 || zz == 0) return 0.0;
  const double t = std::acos(std::clamp(dot / std::sqrt(xx * zz), -1.0, 1.0));
  return std::sqrt(xx * zz) / std::numbers::pi * (std::sin(t) + (std::numbers::pi - t) * std::cos(t));
}

/// The Gram matrix one pair at a time.
torch::Tensor gramByHand(const Kernel& kernel, const torch::Tensor& a, const torch::Tensor& b) {
  torch::Tensor k = torch::empty({a.size(0), b.size(0)}, torch::kFloat64);
  auto out = k.accessor<double, 2>();
  for (int64_t i = 0; i < a.size(0); ++i)
    for (int64_t j = 0; j < b.size(0); ++j) out[i][j] = kernelByHand(kernel, a[i], b[j]);
  return k;
}

double maxAbs(const torch::Tensor& t) { return t.abs().max().item<double>(); }

} // namespace

class TestClosedForm : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void arcCosKernelAtHandCheckedPoints_data() {
    QTest::addColumn<QList<double>>("x");
    QTest::addColumn<QList<double>>("z");
    QTest::addColumn<double>("expected");
    // k(x, z) = (1/pi) |x| |z| (sin t + (pi - t) cos t).
    QTest::newRow("identical: |x|^2") << QList<double>{3, 4} << QList<double>{3, 4} << 25.0;
    QTest::newRow("orthogonal: |x| |z| / pi") << QList<double>{1, 0} << QList<double>{0, 2}
                                              << 2 / std::numbers::pi;
    QTest::newRow("opposite: 0") << QList<double>{1, 0} << QList<double>{-2, 0} << 0.0;
    // t = 60 degrees, |z| = 2: (2/pi) (sqrt(3)/2 + (2 pi/3) / 2) = sqrt(3)/pi + 2/3.
    QTest::newRow("60 degrees") << QList<double>{1, 0} << QList<double>{1, std::sqrt(3.0)}
                                << std::sqrt(3.0) / std::numbers::pi + 2.0 / 3.0;
    QTest::newRow("zero vector: 0") << QList<double>{0, 0} << QList<double>{1, 2} << 0.0;
  }

  void arcCosKernelAtHandCheckedPoints() {
    QFETCH(QList<double>, x);
    QFETCH(QList<double>, z);
    QFETCH(double, expected);
    const auto row = [](const QList<double>& v) {
      return torch::tensor(std::vector<double>(v.begin(), v.end()), torch::kFloat64).unsqueeze(0);
    };
    const torch::Tensor k = gram(Kernel{KernelKind::ArcCos}, row(x), row(z));
    GENLAB_COMPARE_NEAR(k.item<double>(), expected, 1e-12);
  }

  void gramMatricesAreThePairwiseKernels() {
    torch::manual_seed(1);
    const torch::Tensor a = torch::randn({37, 6}, torch::kFloat64);
    const torch::Tensor b = torch::randn({23, 6}, torch::kFloat64);
    for (const Kernel kernel : {Kernel{KernelKind::Rbf, 1.7}, Kernel{KernelKind::ArcCos}}) {
      const torch::Tensor expected = gramByHand(kernel, a, b);
      QVERIFY(maxAbs(gram(kernel, a, b) - expected) < 1e-12);
      // Into a block of a larger matrix (rows not contiguous with each other), leaving the rest.
      const torch::Tensor big = torch::full({40, 30}, -7.0, torch::kFloat64);
      gramInto(kernel, a, b, big.slice(0, 2, 39).slice(1, 5, 28));
      QVERIFY(maxAbs(big.slice(0, 2, 39).slice(1, 5, 28) - expected) < 1e-12);
      QCOMPARE(big.slice(1, 0, 5).eq(-7.0).all().item<bool>(), true);
      QCOMPARE(big.slice(1, 28, 30).eq(-7.0).all().item<bool>(), true);
    }
  }

  void randomFeaturesApproximateTheirKernels() {
    // The arc-cosine kernel is the kernel of an infinitely wide ReLU layer: with w ~ N(0, I/d),
    // k(x, z) = 2 d E[relu(w.x) relu(w.z)]. Fourier features approximate the RBF kernel.
    // 200,000 features: standard errors of a few thousandths.
    torch::manual_seed(2);
    const torch::Tensor x = torch::randn({3, 5}, torch::kFloat64);
    const int64_t count = 200000;
    const RandomFeatureMap relu(FeatureKind::Relu, count, 5, 0.0, 11);
    const torch::Tensor reluEstimate = relu(x).mm(relu(x).t()) * (2.0 * 5 / count);
    const torch::Tensor arcCos = gram(Kernel{KernelKind::ArcCos}, x, x);
    QVERIFY2(maxAbs(reluEstimate - arcCos) < 0.02 * maxAbs(arcCos),
             qPrintable(QString("largest difference %1").arg(maxAbs(reluEstimate - arcCos))));
    const RandomFeatureMap fourier(FeatureKind::Fourier, count, 5, 2.0, 11);
    const torch::Tensor fourierEstimate = fourier(x).mm(fourier(x).t());
    const torch::Tensor rbf = gram(Kernel{KernelKind::Rbf, 2.0}, x, x);
    QVERIFY2(maxAbs(fourierEstimate - rbf) < 0.015,
             qPrintable(QString("largest difference %1").arg(maxAbs(fourierEstimate - rbf))));
  }

  void defaultBandwidthIsTheTotalPixelVariance() {
    const data::Dataset data = syntheticData(100, 10, 0.3, 4);
    const torch::Tensor rows = rowsOf(data.train.images);
    const double variance = (rows - rows.mean(0)).square().sum(1).mean().item<double>();  // E|x - mean|^2
    GENLAB_COMPARE_NEAR(defaultBandwidth(rows), std::sqrt(variance), 1e-9 * std::sqrt(variance));
    const KernelInterpolant f(data.train.images, data.train.labels, 10);
    GENLAB_COMPARE_NEAR(f.kernel().gamma(), 1.0 / (2.0 * variance), 1e-9 / variance);
  }

  void theInterpolantFitsAnyLabelling_data() {
    QTest::addColumn<KernelKind>("kernel");
    QTest::addColumn<bool>("random");
    QTest::newRow("rbf, true labels") << KernelKind::Rbf << false;
    QTest::newRow("rbf, random labels") << KernelKind::Rbf << true;
    QTest::newRow("arccos, true labels") << KernelKind::ArcCos << false;
    QTest::newRow("arccos, random labels") << KernelKind::ArcCos << true;
  }

  void theInterpolantFitsAnyLabelling() {
    QFETCH(KernelKind, kernel);
    QFETCH(bool, random);
    const data::Dataset clean = syntheticData(400, 400, 0.3, 6);
    const data::Dataset data = random ? withRandomLabels(clean) : clean;
    InterpolationSpec spec;
    spec.kernel = kernel;
    const KernelInterpolant f(data.train.images, data.train.labels, 10, spec);
    // The training scores are the one-hot targets up to rounding.
    const torch::Tensor y = torch::one_hot(data.train.labels, 10).to(torch::kFloat64);
    QVERIFY2(maxAbs(f.predict(data.train.images) - y) < 1e-6,
             qPrintable(QString("largest residual %1").arg(maxAbs(f.predict(data.train.images) - y))));
    models::ModelSpec model;
    model.architecture = models::Architecture::Kernel;
    model.kernel = kernel;
    const ClosedFormFit report = fitClosedForm(model, data, 0);
    QCOMPARE(report.trainError, 0.0);
    QCOMPARE(*report.rkhsNorm, f.rkhsNorm());
    // True labels generalize; random ones leave the test set at chance (90% error).
    if (random)
      QVERIFY2(report.testError > 0.75, qPrintable(QString::number(report.testError)));
    else
      QVERIFY2(report.testError < 0.2, qPrintable(QString::number(report.testError)));
  }

  void theRkhsNormIsTheDirectOne_data() {
    QTest::addColumn<KernelKind>("kernel");
    QTest::newRow("rbf") << KernelKind::Rbf;
    QTest::newRow("arccos") << KernelKind::ArcCos;
  }

  void theRkhsNormIsTheDirectOne() {
    // K built pair by pair, inverted by LU: a, sqrt(trace(Y^T K^-1 Y)) and sqrt(trace(a^T K a)).
    QFETCH(KernelKind, kernel);
    // 300 inputs: K is filled in two blocks of rows (256 and 44), the second a partial one.
    const data::Dataset data = withRandomLabels(syntheticData(300, 10, 0.3, 8));
    InterpolationSpec spec;
    spec.kernel = kernel;
    const KernelInterpolant f(data.train.images, data.train.labels, 10, spec);
    const torch::Tensor rows = rowsOf(data.train.images);
    const torch::Tensor centred = rows - rows.mean(0);
    const torch::Tensor k = gramByHand(f.kernel(), centred, centred);
    const torch::Tensor y = torch::one_hot(data.train.labels, 10).to(torch::kFloat64);
    const torch::Tensor a = torch::linalg_solve(k, y);
    const double direct = std::sqrt(y.mul(a).sum().item<double>());  // trace(Y^T K^-1 Y)
    GENLAB_COMPARE_NEAR(f.rkhsNorm(), direct, 1e-8 * direct);
    const torch::Tensor mine = f.coefficients();
    GENLAB_COMPARE_NEAR(std::sqrt(mine.mul(k.mm(mine)).sum().item<double>()), direct, 1e-8 * direct);
    QVERIFY(maxAbs(mine - a) < 1e-8 * maxAbs(a));
  }

  void randomLabelsNeedALargerNorm_data() {
    QTest::addColumn<KernelKind>("kernel");
    QTest::newRow("rbf") << KernelKind::Rbf;
    QTest::newRow("arccos") << KernelKind::ArcCos;
  }

  void randomLabelsNeedALargerNorm() {
    // Section 5: the interpolant of random labels has a much larger norm (paper.md: 120.9
    // against 55.6 on Fashion-MNIST).
    QFETCH(KernelKind, kernel);
    const data::Dataset clean = syntheticData(400, 10, 0.3, 6);
    InterpolationSpec spec;
    spec.kernel = kernel;
    const double trueNorm = KernelInterpolant(clean.train.images, clean.train.labels, 10, spec).rkhsNorm();
    const data::Dataset random = withRandomLabels(clean);
    const double randomNorm = KernelInterpolant(random.train.images, random.train.labels, 10, spec).rkhsNorm();
    qInfo("RKHS norm: true labels %.1f, random labels %.1f", trueNorm, randomNorm);
    QVERIFY(randomNorm > 1.5 * trueNorm);
  }

  void minimumNormSolutionIsThePseudoInverse() {
    torch::manual_seed(3);
    for (const auto& [rows, columns] : {std::pair<int64_t, int64_t>{20, 50}, {50, 20}, {30, 30}}) {
      const torch::Tensor a = torch::randn({rows, columns}, torch::kFloat64);
      const torch::Tensor b = torch::randn({rows, 4}, torch::kFloat64);
      const torch::Tensor x = minimumNormSolution(a, b);
      QVERIFY(maxAbs(x - torch::linalg_pinv(a).mm(b)) < 1e-8 * maxAbs(x));
      if (columns >= rows) QVERIFY(maxAbs(a.mm(x) - b) < 1e-8);
    }
    // Rank-deficient: the duplicated column shares its weight, the zero column gets none.
    const torch::Tensor a = torch::tensor({1.0, 1.0, 0.0, 2.0, 2.0, 0.0}, torch::kFloat64).view({2, 3});
    const torch::Tensor x = minimumNormSolution(a, torch::tensor({2.0, 4.0}, torch::kFloat64).view({2, 1}));
    QVERIFY(maxAbs(x.flatten() - torch::tensor({1.0, 1.0, 0.0}, torch::kFloat64)) < 1e-12);
  }

  void randomFeaturesPeakAtTheInterpolationThreshold_data() {
    QTest::addColumn<FeatureKind>("kind");
    QTest::newRow("relu") << FeatureKind::Relu;
    QTest::newRow("fourier") << FeatureKind::Fourier;
  }

  void randomFeaturesPeakAtTheInterpolationThreshold() {
    // Double descent: with 20% of the labels changed, the test error at N = n (the
    // interpolation threshold) is far above N = n/4 and N = 4n (here about 0.87 against 0.2
    // and 0.15), and so is the norm of the coefficients. From N = n on the regression
    // interpolates.
    QFETCH(FeatureKind, kind);
    const int64_t n = 200;
    const data::Dataset data = corruption::corrupt(syntheticData(n, 500, 0.25, 9),
                                                   corruption::Setting::partialLabels(0.2), 3).dataset;
    models::ModelSpec model;
    model.architecture = models::Architecture::RandomFeatures;
    model.kernel = kind == FeatureKind::Relu ? KernelKind::ArcCos : KernelKind::Rbf;
    std::map<int64_t, ClosedFormFit> reports;
    for (const int64_t count : {n / 4, n, 4 * n}) {
      model.features = count;
      reports[count] = fitClosedForm(model, data, 1);
      qInfo("N = %lld: train error %.3f, test error %.3f, |beta| %.3g", static_cast<long long>(count),
            reports[count].trainError, reports[count].testError, *reports[count].coefficientNorm);
    }
    QVERIFY(reports[n].testError > reports[n / 4].testError + 0.3);
    QVERIFY(reports[n].testError > reports[4 * n].testError + 0.3);
    QVERIFY(*reports[n].coefficientNorm > 5 * *reports[4 * n].coefficientNorm);
    QVERIFY(*reports[n].coefficientNorm > 5 * *reports[n / 4].coefficientNorm);
    QVERIFY(reports[n / 4].trainError > 0.05);  // too few features to fit the changed labels
    QCOMPARE(reports[n].trainError, 0.0);
    QCOMPARE(reports[4 * n].trainError, 0.0);
  }

  void randomFeaturesAreReproducible() {
    const data::Dataset data = syntheticData(60, 20, 0.3, 2);
    for (const FeatureKind kind : {FeatureKind::Relu, FeatureKind::Fourier}) {
      RandomFeatureSpec spec;
      spec.kind = kind;
      spec.count = 40;
      spec.seed = 7;
      const auto scores = [&] {
        return RandomFeatureRegression(data.train.images, data.train.labels, 10, spec).predict(data.test.images);
      };
      const torch::Tensor first = scores();
      QVERIFY(torch::equal(first, scores()));
      spec.seed = 8;
      QVERIFY(!torch::equal(first, scores()));
    }
  }

  void kindsHaveTheirSpellings() {
    QCOMPARE(valueNamed(kernelKindNames(), "arccos"), std::optional(KernelKind::ArcCos));
    QCOMPARE(toString(KernelKind::Rbf), std::string_view("rbf"));
    QCOMPARE(valueNamed(featureKindNames(), "fourier"), std::optional(FeatureKind::Fourier));
    QCOMPARE(toString(FeatureKind::Relu), std::string_view("relu"));
  }

  void duplicateInputsAreRefusedWhereverTheyLie() {
    // Rounding may let the factorization of a singular kernel matrix through with a tiny pivot
    // (on Debian 12's OpenBLAS it did for about a quarter of these cases): refused all the same.
    torch::manual_seed(3);
    int cases = 0;
    for (const int64_t n : {20, 50, 120})
      for (const KernelKind kind : {KernelKind::Rbf, KernelKind::ArcCos})
        for (const int64_t source : {int64_t{0}, n / 2, n - 1})
          for (const int64_t offset : {1, 8}) {
            torch::Tensor images = torch::rand({n, 1, 8, 8});
            images[(source + offset) % n] = images[source];
            const torch::Tensor labels = torch::randint(10, {n}, torch::kInt64);
            InterpolationSpec spec;
            spec.kernel = kind;
            const std::string message =
                test::messageOf<InputError>([&] { (void)KernelInterpolant(images, labels, 10, spec); });
            QVERIFY2(message.find("not positive definite") != std::string::npos,
                     qPrintable(QString("n %1, %2 kernel, image %3 repeated at %4: %5")
                                    .arg(n)
                                    .arg(std::string(toString(kind)).c_str())
                                    .arg(source)
                                    .arg((source + offset) % n)
                                    .arg(message.c_str())));
            ++cases;
          }
    QCOMPARE(cases, 36);
  }

  void badInputIsRefused() {
    const data::Dataset data = syntheticData(20, 5, 0.3, 1);
    const torch::Tensor& images = data.train.images;
    const torch::Tensor& labels = data.train.labels;
    const auto refused = [](const std::function<void()>& action, const std::string& expected) {
      const std::string message = test::messageOf<InputError>(action);
      return message.find(expected) != std::string::npos
                 ? QString()
                 : QString("'%1' lacks '%2'").arg(message.c_str(), expected.c_str());
    };
    const auto fitKernel = [&](const torch::Tensor& x, const torch::Tensor& y, InterpolationSpec spec = {}) {
      return [=] { (void)KernelInterpolant(x, y, 10, spec); };
    };
    const auto fitFeatures = [&](const torch::Tensor& x, const torch::Tensor& y, RandomFeatureSpec spec = {}) {
      return [=] { (void)RandomFeatureRegression(x, y, 10, spec); };
    };
    const torch::Tensor none = torch::empty({0, 1, 8, 8});
    const torch::Tensor noLabels = torch::empty({0}, torch::kInt64);
    QCOMPARE(refused(fitKernel(none, noLabels), "there are none"), QString());
    QCOMPARE(refused(fitFeatures(none, noLabels), "there are none"), QString());
    QCOMPARE(refused(fitKernel(torch::Tensor(), noLabels), "there are none"), QString());
    QCOMPARE(refused(fitKernel(images, labels.slice(0, 0, 19)), "20 inputs but 19 labels"), QString());
    QCOMPARE(refused(fitFeatures(images.slice(0, 0, 18), labels), "18 inputs but 20 labels"), QString());
    QCOMPARE(refused(fitKernel(images, labels + 10), "labels must lie in [0, 10)"), QString());
    for (const double bandwidth : {0.0, -1.0, std::nan("")}) {
      InterpolationSpec kernelSpec;
      kernelSpec.bandwidth = bandwidth;
      QCOMPARE(refused(fitKernel(images, labels, kernelSpec), "bandwidth"), QString());
      RandomFeatureSpec featureSpec;
      featureSpec.kind = FeatureKind::Fourier;
      featureSpec.bandwidth = bandwidth;
      QCOMPARE(refused(fitFeatures(images, labels, featureSpec), "bandwidth"), QString());
    }
    RandomFeatureSpec noFeatures;
    noFeatures.count = 0;
    QCOMPARE(refused(fitFeatures(images, labels, noFeatures), "number of features must be positive"), QString());
    QCOMPARE(refused([] { (void)RandomFeatureMap(FeatureKind::Relu, 0, 5, 0.0, 1); },
                     "number of features must be positive"),
             QString());
    // Duplicate inputs make K singular: refused, not jittered.
    const torch::Tensor twice = torch::cat({images, images.slice(0, 0, 1)});
    const torch::Tensor twiceLabels = torch::cat({labels, (labels.slice(0, 0, 1) + 1).remainder(10)});
    QCOMPARE(refused(fitKernel(twice, twiceLabels), "not positive definite"), QString());
    InterpolationSpec arcCos;
    arcCos.kernel = KernelKind::ArcCos;
    QCOMPARE(refused(fitKernel(twice, twiceLabels, arcCos), "not positive definite"), QString());
    // Images that do not vary leave no default bandwidth; non-finite values are refused.
    QCOMPARE(refused(fitKernel(torch::ones({5, 1, 8, 8}), labels.slice(0, 0, 5)), "vary"), QString());
    QCOMPARE(refused(fitKernel(images.clone().index_put_({0, 0, 0, 0}, NAN), labels), "finite"), QString());
    // Predictions need images of the training size.
    const KernelInterpolant f(images, labels, 10);
    QCOMPARE(refused([&] { (void)f.predict(torch::zeros({3, 1, 4, 4})); }, "16 values each"), QString());
    RandomFeatureSpec spec;
    spec.count = 10;
    const RandomFeatureRegression g(images, labels, 10, spec);
    QCOMPARE(refused([&] { (void)g.predict(torch::zeros({3, 1, 4, 4})); }, "16 values each"), QString());
  }
};

QTEST_GUILESS_MAIN(TestClosedForm)
#include "test_closed_form.moc"
