// The CIFAR-10 binary loader on generated batch files, and the paper's CIFAR preprocessing.

// moc needs only the test class: hidden from it, LibTorch's headers cost it nothing.
#ifndef Q_MOC_RUN
#include "core/data/cifar10.h"
#include "core/data/preprocess.h"
#include "core/errors.h"
#include "support/data_files.h"
#include "support/checks.h"
#endif

#include <QTemporaryDir>
#include <QtTest>

#ifndef Q_MOC_RUN
#include <torch/torch.h>
#endif

using namespace genlab;
namespace fs = std::filesystem;

class TestCifarLoader : public QObject {
  Q_OBJECT

private:
  QTemporaryDir scratch_;
  fs::path folder(const QString& name) const {
    return fs::path(scratch_.path().toStdString()) / name.toStdString();
  }

private Q_SLOTS:
  void loadsAllBatches() {
    const fs::path dir = folder("valid");
    test::writeCifarFolder(dir, /*perBatch=*/4, /*testCount=*/3);
    const data::Dataset d = data::loadCifar10(dir);
    QCOMPARE(d.train.size(), 20);
    QCOMPARE(d.test.size(), 3);
    QVERIFY(d.shape() == (data::ImageShape{3, 32, 32}));
    QCOMPARE(d.classNames.at(3), std::string("cat"));

    // Record r of batch b has label (r + b) mod 10; batches are concatenated in order 1..5.
    for (int b = 1; b <= 5; ++b)
      for (int r = 0; r < 4; ++r) {
        const int64_t i = (b - 1) * 4 + r;
        const auto label = static_cast<uint8_t>((r + b) % 10);
        QCOMPARE(d.train.labels[i].item<int64_t>(), int64_t(label));
        // Channel-major layout: position p of the record is channel p / 1024, pixel p % 1024.
        for (uint32_t p : {0U, 1023U, 1024U, 2500U, 3071U}) {
          const float value = d.train.images[i][p / 1024][(p % 1024) / 32][p % 32].item<float>();
          QCOMPARE(value, float(test::cifarPixel(label, p)) / 255.0F);
        }
      }
  }

  void rejectsBadInput_data() {
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing folder") << "missing-folder" << "does not exist";
    QTest::newRow("missing batch") << "missing-batch" << "missing file 'data_batch_4.bin'";
    QTest::newRow("size not a multiple of 3073") << "size" << "not a positive multiple of the record size 3073";
    QTest::newRow("empty batch") << "empty" << "not a positive multiple";
    QTest::newRow("label out of range") << "label" << "label 10 of record 1";
  }

  void rejectsBadInput() {
    QFETCH(QString, damage);
    QFETCH(QString, expected);
    fs::path dir = folder(damage);
    test::writeCifarFolder(dir, 2, 2);
    if (damage == "missing-folder") {
      dir /= "nowhere";
    } else if (damage == "missing-batch") {
      fs::remove(dir / "data_batch_4.bin");
    } else if (damage == "size") {
      fs::resize_file(dir / "data_batch_2.bin", 2 * 3073 - 5);
    } else if (damage == "empty") {
      fs::resize_file(dir / "test_batch.bin", 0);
    } else if (damage == "label") {
      test::writeBytes(dir / "data_batch_3.bin", test::cifarRecords({1, 10}), false);
    }
    const std::string message = test::messageOf<InputError>([&] { (void)data::loadCifar10(dir); });
    QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
    QVERIFY2(message.find(dir.string()) != std::string::npos, message.c_str());
  }

  void paperPreprocessingCropsAndWhitens() {
    const fs::path dir = folder("whiten");
    test::writeCifarFolder(dir, 3, 2);
    data::Dataset d = data::loadCifar10(dir);
    const torch::Tensor before = d.train.images.clone();
    const std::string line = data::preprocess(d, data::Preprocessing::CropAndWhiten);
    QVERIFY(line.find("28x28") != std::string::npos);
    QVERIFY(d.shape() == (data::ImageShape{3, 28, 28}));
    QVERIFY(d.test.shape() == (data::ImageShape{3, 28, 28}));

    // Each image: mean 0 and standard deviation 1 (none of these images is flat).
    const torch::Tensor flat = d.train.images.reshape({d.train.size(), -1});
    QVERIFY(flat.mean(1).abs().max().item<float>() < 1e-5F);
    QVERIFY((flat.std(1, /*unbiased=*/false) - 1).abs().max().item<float>() < 1e-4F);

    // The crop is the centre: output pixel (2, 2) came from input pixel (4, 4), up to the
    // per-image affine map of whitening.
    const torch::Tensor crop = before[0].narrow(1, 2, 28).narrow(2, 2, 28);
    const torch::Tensor expected = (crop - crop.mean()) / crop.std(/*unbiased=*/false);
    QVERIFY(torch::allclose(d.train.images[0], expected, 1e-4, 1e-4));
  }

  void whiteningFloorsTheStandardDeviation() {
    // A constant image has std 0; whitening divides by 1/sqrt(N) instead and gives zeros.
    data::Dataset d;
    d.classNames = {"a", "b"};
    d.train = {torch::full({2, 3, 32, 32}, 0.5F), torch::tensor({0, 1}, torch::kInt64)};
    d.test = d.train;
    data::preprocess(d, data::Preprocessing::CropAndWhiten);
    QVERIFY(torch::isfinite(d.train.images).all().item<bool>());
    QCOMPARE(d.train.images.abs().max().item<float>(), 0.0F);
  }

  void cropRejectsSmallImages() {
    data::Dataset d;
    d.classNames = {"a", "b"};
    d.train = {torch::rand({2, 1, 20, 20}), torch::tensor({0, 1}, torch::kInt64)};
    d.test = d.train;
    const std::string message = test::messageOf<InputError>(
        [&] { data::preprocess(d, data::Preprocessing::CropAndWhiten); });
    QVERIFY2(message.find("cannot centre-crop 1x20x20") != std::string::npos, message.c_str());
  }
};

QTEST_APPLESS_MAIN(TestCifarLoader)
#include "test_cifar_loader.moc"
