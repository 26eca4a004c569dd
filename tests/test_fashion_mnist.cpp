// The lab's built-in default data set: Fashion-MNIST from Debian's dataset-fashion-mnist
// package (installed by packaging/install-deps.sh, so its absence is a failure, not a skip).

// moc needs only the test class: hidden from it, LibTorch's headers cost it nothing.
#ifndef Q_MOC_RUN
#include "core/data/load.h"
#include "core/data/mnist.h"
#endif

#include <QtTest>

#ifndef Q_MOC_RUN
#include <torch/torch.h>
#endif

using namespace genlab;

class TestFashionMnist : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() { qunsetenv(data::kDataDirVariable); }

  void packageDataSetIsComplete() {
    const data::Dataset d = data::loadFashionMnist(data::kFashionMnistPackageDir);
    QCOMPARE(d.train.size(), 60000);
    QCOMPARE(d.test.size(), 10000);
    QVERIFY(d.shape() == (data::ImageShape{1, 28, 28}));
    QCOMPARE(d.train.classCounts(10), std::vector<int64_t>(10, 6000));
    QCOMPARE(d.test.classCounts(10), std::vector<int64_t>(10, 1000));
    QCOMPARE(d.classNames.at(9), std::string("Ankle boot"));
    QCOMPARE(d.train.images.min().item<float>(), 0.0F);
    QCOMPARE(d.train.images.max().item<float>(), 1.0F);
    // Fashion-MNIST's published pixel mean is 0.2860 (and std 0.3530).
    QVERIFY(std::abs(d.train.images.mean().item<double>() - 0.2860) < 5e-4);
    QVERIFY(std::abs(d.train.images.std(false).item<double>() - 0.3530) < 5e-4);
  }

  void isTheDefault() {
    // The default spec: Fashion-MNIST from the package folder, standardized.
    data::DataSpec spec;
    spec.trainSize = 5000;
    spec.testSize = 1000;
    const data::LoadedDataset loaded = data::loadDataset(spec);
    QCOMPARE(loaded.dataset.name, std::string("Fashion-MNIST"));
    QCOMPARE(loaded.dataset.source, std::string(data::kFashionMnistPackageDir));
    QCOMPARE(loaded.dataset.train.classCounts(10), std::vector<int64_t>(10, 500));
    QCOMPARE(loaded.dataset.test.classCounts(10), std::vector<int64_t>(10, 100));
  }
};

QTEST_APPLESS_MAIN(TestFashionMnist)
#include "test_fashion_mnist.moc"
