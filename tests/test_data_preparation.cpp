// Synthetic data, subsets, preprocessing and the data-set entry point loadDataset.

// moc needs only the test class: hidden from it, LibTorch's headers cost it nothing.
#ifndef Q_MOC_RUN
#include "core/data/load.h"
#include "core/data/preprocess.h"
#include "core/data/subset.h"
#include "core/data/synthetic.h"
#include "core/datasets/fetch.h"
#include "core/errors.h"
#include "support/data_files.h"
#include "support/checks.h"
#endif

#include <QTemporaryDir>
#include <QtTest>

#include <chrono>

#ifndef Q_MOC_RUN
#include <torch/torch.h>
#endif

#include <cstdlib>
#include <fstream>

using namespace genlab;
namespace fs = std::filesystem;

class TestDataPreparation : public QObject {
  Q_OBJECT

private:
  QTemporaryDir scratch_;

private Q_SLOTS:
  void syntheticHasTheRequestedShapeAndBalancedLabels() {
    const data::Dataset d = data::makeSynthetic(
        {.trainSize = 1003, .testSize = 97, .shape = {3, 9, 7}, .numClasses = 4, .seed = 1});
    QCOMPARE(d.train.size(), 1003);
    QCOMPARE(d.test.size(), 97);
    QVERIFY(d.shape() == (data::ImageShape{3, 9, 7}));
    QCOMPARE(d.numClasses(), 4);
    const auto counts = d.train.classCounts(4);
    QCOMPARE(counts, (std::vector<int64_t>{251, 251, 251, 250}));
    QVERIFY(d.train.images.min().item<float>() >= 0.0F);
    QVERIFY(d.train.images.max().item<float>() <= 1.0F);
  }

  void syntheticClassesAreDistinguishable() {
    // Nearest class mean, learned on the training set, classifies the test set well above
    // chance: the structure is class-dependent and shared by both sets.
    const data::Dataset d = data::makeSynthetic({.trainSize = 2000, .testSize = 500, .seed = 2});
    const torch::Tensor x = d.train.images.flatten(1);
    std::vector<torch::Tensor> means;
    for (int64_t c = 0; c < 10; ++c) means.push_back(x.index({d.train.labels == c}).mean(0));
    const torch::Tensor centroids = torch::stack(means);
    const torch::Tensor predicted = torch::cdist(d.test.images.flatten(1), centroids).argmin(1);
    const double accuracy = (predicted == d.test.labels).to(torch::kFloat64).mean().item<double>();
    QVERIFY2(accuracy > 0.6, qPrintable(QString::number(accuracy)));
  }

  void syntheticIsDeterministic() {
    const data::SyntheticSpec spec{.trainSize = 50, .testSize = 10, .seed = 5};
    const data::Dataset a = data::makeSynthetic(spec);
    const data::Dataset b = data::makeSynthetic(spec);
    data::SyntheticSpec otherSeed = spec;
    otherSeed.seed = 6;
    const data::Dataset c = data::makeSynthetic(otherSeed);
    QVERIFY(torch::equal(a.train.images, b.train.images));
    QVERIFY(torch::equal(a.test.labels, b.test.labels));
    QVERIFY(!torch::equal(a.train.images, c.train.images));
  }

  void syntheticRejectsBadSpecs_data() {
    QTest::addColumn<int>("trainSize");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("classes");
    QTest::addColumn<double>("noise");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no images") << 0 << 8 << 10 << 0.1 << "sizes must be positive";
    QTest::newRow("zero height") << 10 << 0 << 10 << 0.1 << "shape 1x0x8 must be positive";
    QTest::newRow("one class") << 10 << 8 << 1 << 0.1 << "class count 1";
    QTest::newRow("negative noise") << 10 << 8 << 10 << -1.0 << "noise level";
  }

  void syntheticRejectsBadSpecs() {
    QFETCH(int, trainSize);
    QFETCH(int, height);
    QFETCH(int, classes);
    QFETCH(double, noise);
    QFETCH(QString, expected);
    const data::SyntheticSpec spec{.trainSize = trainSize, .testSize = 5, .shape = {1, height, 8},
                                   .numClasses = classes, .noise = noise};
    const std::string message = test::messageOf<InputError>([&] { (void)data::makeSynthetic(spec); });
    QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
  }

  void firstSubsetKeepsFileOrder() {
    const data::Dataset d = data::makeSynthetic({.trainSize = 100, .testSize = 10});
    const auto subset = data::takeSubset(d.train, 17, data::SubsetMethod::First, 10, 0, "training");
    QCOMPARE(subset.size(), 17);
    QVERIFY(torch::equal(subset.images, d.train.images.narrow(0, 0, 17)));
    QVERIFY(torch::equal(subset.labels, d.train.labels.narrow(0, 0, 17)));
  }

  void balancedSubsetIsBalancedAndSeeded() {
    const data::Dataset d = data::makeSynthetic({.trainSize = 1000, .testSize = 10});
    const auto take = [&](uint64_t seed) {
      return data::takeSubset(d.train, 53, data::SubsetMethod::ClassBalanced, 10, seed, "training");
    };
    const auto a = take(1);
    QCOMPARE(a.size(), 53);
    // 53 = 10 x 5 + 3: the first three classes get 6.
    QCOMPARE(a.classCounts(10), (std::vector<int64_t>{6, 6, 6, 5, 5, 5, 5, 5, 5, 5}));
    QVERIFY(torch::equal(a.images, take(1).images));
    QVERIFY(!torch::equal(a.images, take(2).images));
    // Each chosen image is an image of the set, with its own label.
    const torch::Tensor matches =
        (a.images.flatten(1).unsqueeze(1) == d.train.images.flatten(1).unsqueeze(0)).all(2);
    QVERIFY(torch::equal(matches.sum(1), torch::ones({53}, torch::kInt64)));
    const torch::Tensor source = matches.to(torch::kInt64).argmax(1);
    QVERIFY(torch::equal(d.train.labels.index_select(0, source), a.labels));
    // File order is kept.
    QVERIFY(torch::equal(source, std::get<0>(source.sort())));
  }

  void subsetRejectsImpossibleSizes() {
    const data::Dataset d = data::makeSynthetic({.trainSize = 100, .testSize = 10});
    std::string message = test::messageOf<InputError>(
        [&] { (void)data::takeSubset(d.train, 101, data::SubsetMethod::First, 10, 0, "training"); });
    QVERIFY2(message.find("asked for 101 training images but the training set has only 100") != std::string::npos,
             message.c_str());
    message = test::messageOf<InputError>(
        [&] { (void)data::takeSubset(d.train, -1, data::SubsetMethod::First, 10, 0, "training"); });
    QVERIFY2(message.find("negative") != std::string::npos, message.c_str());
    // A class with too few images for a balanced share.
    data::LabelledImages skewed{torch::zeros({30, 1, 2, 2}), torch::zeros({30}, torch::kInt64)};
    skewed.labels.narrow(0, 0, 2).fill_(1);
    message = test::messageOf<InputError>(
        [&] { (void)data::takeSubset(skewed, 10, data::SubsetMethod::ClassBalanced, 2, 0, "training"); });
    QVERIFY2(message.find("class 1 has only 2 images, 5 needed") != std::string::npos, message.c_str());
  }

  void standardizeUsesTrainingStatistics() {
    data::Dataset d = data::makeSynthetic({.trainSize = 500, .testSize = 200, .shape = {3, 6, 6}});
    const torch::Tensor mean = d.train.images.mean({0, 2, 3}, true);
    const torch::Tensor std = d.train.images.std({0, 2, 3}, false, true);
    const torch::Tensor testBefore = d.test.images.clone();
    const std::string line = data::preprocess(d, data::Preprocessing::Standardize);
    QVERIFY(line.find("standardization") != std::string::npos);
    QVERIFY(d.train.images.mean({0, 2, 3}).abs().max().item<float>() < 1e-5F);
    QVERIFY((d.train.images.std({0, 2, 3}, false) - 1).abs().max().item<float>() < 1e-4F);
    QVERIFY(torch::allclose(d.test.images, (testBefore - mean) / std, 1e-5, 1e-5));
  }

  void scaleOnlyLeavesPixels() {
    data::Dataset d = data::makeSynthetic({.trainSize = 20, .testSize = 5});
    const torch::Tensor before = d.train.images.clone();
    data::preprocess(d, data::Preprocessing::ScaleOnly);
    QVERIFY(torch::equal(before, d.train.images));
  }

  void dataDirectoryResolution() {
    qunsetenv(data::kDataDirVariable);
    data::DataSpec spec;
    QCOMPARE(data::resolveDataDirectory(spec), std::string(data::kFashionMnistPackageDir));
    qputenv(data::kDataDirVariable, "/somewhere/else");
    QCOMPARE(data::resolveDataDirectory(spec), std::string("/somewhere/else"));
    spec.directory = "/named/folder";  // an explicit folder wins over the environment
    QCOMPARE(data::resolveDataDirectory(spec), std::string("/named/folder"));
    qunsetenv(data::kDataDirVariable);
    // MNIST, not fetched: the message says how to fetch it.
    const QByteArray xdg = qgetenv("XDG_DATA_HOME");
    qputenv("XDG_DATA_HOME", scratch_.path().toUtf8() + "/xdg");
    spec = {};
    spec.kind = data::DatasetKind::Mnist;
    const std::string message = test::messageOf<DataError>([&] { (void)data::resolveDataDirectory(spec); });
    QVERIFY2(message.find("MNIST is not on this machine: 'genlab data fetch mnist' downloads it (11.1 MiB)") != std::string::npos,
             message.c_str());
    // Fetched (a folder with its manifest in the shared folder): found there.
    const fs::path fetched = fs::path(scratch_.path().toStdString()) / "xdg/GenLab/datasets/mnist";
    fs::create_directories(fetched);
    std::ofstream(fetched / datasets::kManifestName) << R"({"dataset": "mnist", "files": {}})";
    QCOMPARE(data::resolveDataDirectory(spec), fetched.string());
    if (xdg.isNull()) qunsetenv("XDG_DATA_HOME");
    else qputenv("XDG_DATA_HOME", xdg);
  }

  void loadDatasetRunsTheWholePipeline() {
    const fs::path folder = fs::path(scratch_.path().toStdString()) / "mnist";
    test::writeIdxFolder(folder, {.trainCount = 40, .testCount = 20, .rows = 4, .cols = 4, .gzip = true});
    data::DataSpec spec;
    spec.kind = data::DatasetKind::Mnist;
    spec.directory = folder.string();
    spec.trainSize = 20;
    spec.testSize = 10;
    const auto before = std::chrono::steady_clock::now();
    const data::LoadedDataset loaded = data::loadDataset(spec);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - before).count();
    QCOMPARE(loaded.dataset.name, std::string("MNIST"));
    QCOMPARE(loaded.dataset.train.size(), 20);
    QCOMPARE(loaded.dataset.test.size(), 10);
    QCOMPARE(loaded.dataset.train.classCounts(10), std::vector<int64_t>(10, 2));
    QVERIFY(loaded.dataset.train.images.mean().abs().item<float>() < 1e-5F);  // standardized
    // The time it reports is the loading it did: measured, and within the call's own time.
    QVERIFY2(loaded.loadSeconds > 0.0 && loaded.loadSeconds <= wall,
             qPrintable(QString("%1 s of %2 s").arg(loaded.loadSeconds).arg(wall)));
  }

  void expectedFormatMatchesWhatLoads_data() {
    QTest::addColumn<int>("preprocessing");
    QTest::newRow("standardize") << int(data::Preprocessing::Standardize);
    QTest::newRow("crop-whiten") << int(data::Preprocessing::CropAndWhiten);
  }

  void expectedFormatMatchesWhatLoads() {
    QFETCH(int, preprocessing);
    data::DataSpec spec;
    spec.kind = data::DatasetKind::Synthetic;
    spec.synthetic = {.trainSize = 30, .testSize = 10, .shape = {3, 32, 30}, .numClasses = 5};
    spec.preprocessing = static_cast<data::Preprocessing>(preprocessing);
    const data::DataFormat expected = data::expectedFormat(spec);
    const data::Dataset loaded = data::loadDataset(spec).dataset;
    QCOMPARE(expected.shape.toString(), loaded.shape().toString());
    QCOMPARE(expected.numClasses, loaded.numClasses());

    spec.kind = data::DatasetKind::Cifar10;
    QCOMPARE(data::expectedFormat(spec).shape.height,
             spec.preprocessing == data::Preprocessing::CropAndWhiten ? 28 : 32);
  }

  void namesRoundTrip() {
    for (const auto& entry : data::datasetKindNames())
      QVERIFY(valueNamed(data::datasetKindNames(), entry.name) == entry.value);
    QVERIFY(!valueNamed(data::datasetKindNames(), "imagenet").has_value());
    QCOMPARE(std::string(data::toString(data::DatasetKind::Cifar10)), std::string("cifar10"));
  }
};

QTEST_APPLESS_MAIN(TestDataPreparation)
#include "test_data_preparation.moc"
