// The IDX reader and the MNIST-family folder loader, on files written by the test itself.

// moc needs only the test class: hidden from it, LibTorch's headers cost it nothing.
#ifndef Q_MOC_RUN
#include "core/data/file_bytes.h"
#include "core/data/mnist.h"
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

class TestIdxLoader : public QObject {
  Q_OBJECT

private:
  QTemporaryDir scratch_;
  fs::path root() const { return scratch_.path().toStdString(); }

  /// A fresh folder with a valid data set, ready to be damaged by one test row.
  fs::path validFolder(const QString& name, bool gzip = false) {
    const fs::path folder = root() / name.toStdString();
    test::writeIdxFolder(folder, {.gzip = gzip});
    return folder;
  }

private Q_SLOTS:
  void loadsRawAndGzip_data() {
    QTest::addColumn<bool>("gzip");
    QTest::newRow("raw") << false;
    QTest::newRow("gzip") << true;
  }

  void loadsRawAndGzip() {
    QFETCH(bool, gzip);
    const test::IdxFolderSpec spec{.trainCount = 23, .testCount = 11, .rows = 6, .cols = 5, .gzip = gzip};
    const fs::path folder = root() / (gzip ? "gz" : "raw");
    test::writeIdxFolder(folder, spec);

    const data::Dataset d = data::loadMnist(folder);
    QCOMPARE(d.train.size(), 23);
    QCOMPARE(d.test.size(), 11);
    QCOMPARE(d.numClasses(), 10);
    QVERIFY(d.shape() == (data::ImageShape{1, 6, 5}));
    QCOMPARE(d.train.images.scalar_type(), torch::kFloat32);
    QCOMPARE(d.train.labels.scalar_type(), torch::kInt64);
    // Every pixel decoded to byte / 255, in row-major order; every label in order.
    const torch::Tensor flat = d.train.images.reshape({23, 30});
    for (uint32_t i = 0; i < 23; ++i) {
      QCOMPARE(d.train.labels[i].item<int64_t>(), int64_t(i % 10));
      for (uint32_t j = 0; j < 30; ++j)
        QCOMPARE(flat[i][j].item<float>(), float(test::idxPixel(i, j)) / 255.0F);
    }
    // As stored: the same pixels as bytes, in memory of their own, that convertToUnitFloat
    // turns into the same floats.
    data::Dataset stored = data::loadMnist(folder, data::ImageValues::Stored);
    QCOMPARE(stored.train.images.scalar_type(), torch::kUInt8);
    QCOMPARE(stored.test.images.sizes(), d.test.images.sizes());
    QVERIFY(stored.train.images.is_contiguous());
    QCOMPARE(stored.train.images.reshape({23, 30})[22][29].item<int64_t>(), int64_t(test::idxPixel(22, 29)));
    data::convertToUnitFloat(stored);
    QVERIFY(torch::equal(stored.train.images, d.train.images));
    QVERIFY(torch::equal(stored.test.images, d.test.images));
  }

  void rejectsBadInput_data() {
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("expected");  // a fragment the message must contain

    QTest::newRow("missing folder") << "missing-folder" << "does not exist";
    QTest::newRow("missing file") << "missing-file" << "missing file 't10k-labels-idx1-ubyte'";
    QTest::newRow("wrong magic") << "wrong-magic" << "wrong magic number";
    QTest::newRow("wrong element type") << "element-type" << "element type";
    QTest::newRow("wrong dimensions") << "dimensions" << "has 2 dimensions, expected 3";
    QTest::newRow("truncated raw") << "truncated-raw" << "is truncated";
    QTest::newRow("truncated header") << "truncated-header" << "truncated inside its header";
    QTest::newRow("truncated gzip stream") << "truncated-gzip" << "truncated or corrupt gzip";
    QTest::newRow("trailing bytes") << "trailing" << "more than its header declares";
    QTest::newRow("dimensions whose product wraps to 0")
        << "wrapping" << "declares more values than the 1073741824 bytes";
    QTest::newRow("absurd declared size") << "absurd" << "declares more values than";
    QTest::newRow("gzip inflating past its header")
        << "gzip-bomb" << "holds more than 616 bytes (more than its header declares)";
    QTest::newRow("inconsistent counts") << "counts" << "inconsistent counts";
    QTest::newRow("label out of range") << "label" << "label 12 at index 3";
    QTest::newRow("empty file") << "empty" << "wrong magic number";
  }

  void rejectsBadInput() {
    QFETCH(QString, damage);
    QFETCH(QString, expected);
    fs::path folder = validFolder(damage, damage == "truncated-gzip");
    const fs::path trainImages = folder / "train-images-idx3-ubyte";
    const fs::path trainLabels = folder / "train-labels-idx1-ubyte";
    std::vector<uint8_t> pixels(20 * 30, 1);
    std::vector<uint8_t> labels(20, 1);

    if (damage == "missing-folder") {
      folder /= "nowhere";
    } else if (damage == "missing-file") {
      fs::remove(folder / "t10k-labels-idx1-ubyte");
    } else if (damage == "wrong-magic") {
      auto bytes = test::idxBytes({20, 6, 5}, pixels);
      bytes[1] = 0x99;
      test::writeBytes(trainImages, bytes, false);
    } else if (damage == "element-type") {
      auto bytes = test::idxBytes({20, 6, 5}, pixels);
      bytes[2] = 0x0D;  // float
      test::writeBytes(trainImages, bytes, false);
    } else if (damage == "dimensions") {
      test::writeBytes(trainImages, test::idxBytes({20, 30}, pixels), false);
    } else if (damage == "truncated-raw") {
      pixels.resize(pixels.size() - 7);
      test::writeBytes(trainImages, test::idxBytes({20, 6, 5}, pixels), false);
    } else if (damage == "truncated-header") {
      test::writeBytes(trainImages, {0, 0, 8, 3, 0, 0}, false);
    } else if (damage == "truncated-gzip") {
      // A valid gzip file cut in half: the stream ends without its trailer.
      const fs::path gz = folder / "train-images-idx3-ubyte.gz";
      std::vector<uint8_t> big(20 * 30);
      for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 37 % 251);
      test::writeBytes(gz, test::idxBytes({20, 6, 5}, big), true);
      const auto size = fs::file_size(gz);
      fs::resize_file(gz, size / 2);
    } else if (damage == "trailing") {
      pixels.push_back(0);
      test::writeBytes(trainImages, test::idxBytes({20, 6, 5}, pixels), false);
    } else if (damage == "wrapping") {
      // 2^20 x 2^20 x 2^24 = 2^64: a 16-byte file whose element count wraps to 0.
      test::writeBytes(trainImages, {0, 0, 8, 3, 0, 0x10, 0, 0, 0, 0x10, 0, 0, 1, 0, 0, 0}, false);
    } else if (damage == "absurd") {
      test::writeBytes(trainImages, test::idxBytes({60000, 1000, 1000}, pixels), false);
    } else if (damage == "gzip-bomb") {
      // 64 MiB of zeros after the 600 declared values, compressed to about 64 KiB.
      pixels.resize(pixels.size() + (size_t{64} << 20), 0);
      test::writeBytes(folder / "train-images-idx3-ubyte.gz", test::idxBytes({20, 6, 5}, pixels),
                       true);
      fs::remove(trainImages);
    } else if (damage == "counts") {
      test::writeBytes(trainLabels, test::idxBytes({19}, std::vector<uint8_t>(19, 1)), false);
    } else if (damage == "label") {
      labels[3] = 12;
      test::writeBytes(trainLabels, test::idxBytes({20}, labels), false);
    } else if (damage == "empty") {
      test::writeBytes(trainImages, {}, false);
    }

    const std::string message =
        test::messageOf<InputError>([&] { (void)data::loadMnist(folder); });
    QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
    // The message names the file or folder at fault.
    QVERIFY2(message.find(folder.string()) != std::string::npos, message.c_str());
    QVERIFY2(message.find('\n') == std::string::npos, "the message is one line");
  }

  // A compressed file stops being read at the cap, with a message, whatever it inflates to.
  void capsWhatAFileMayInflateTo() {
    QTemporaryDir dir;
    const fs::path path = fs::path(dir.path().toStdString()) / "zeros.gz";
    test::writeBytes(path, std::vector<uint8_t>(size_t{8} << 20, 0), true);
    QVERIFY(fs::file_size(path) < (size_t{1} << 20));
    const std::string message = test::messageOf<InputError>(
        [&] { (void)data::readFileBytes(path, uint64_t{1} << 20); });
    QVERIFY2(message.find("holds more than 1048576 bytes") != std::string::npos,
             message.c_str());
    QCOMPARE(data::readFileBytes(path, uint64_t{8} << 20).size(), size_t{8} << 20);
    QCOMPARE(data::readFilePrefix(path, 5), std::vector<uint8_t>(5, 0));
  }
};

QTEST_APPLESS_MAIN(TestIdxLoader)
#include "test_idx_loader.moc"
