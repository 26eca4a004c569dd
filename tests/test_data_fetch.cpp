// Fetching data sets (core/datasets, genlab data) from a local HTTP server on the loopback
// address (support/http_server.py) that serves small archives laid out like the real ones: each
// fetch is checked, unpacked and loaded through the real loaders, and each failure gives one
// clear message and leaves no data set behind.

// moc needs only the test class: hidden from it, LibTorch's headers cost it nothing.
#ifndef Q_MOC_RUN
#include "core/data/cifar10.h"
#include "core/data/load.h"
#include "core/datasets/fetch.h"
#include "core/datasets/unpack.h"
#include "core/errors.h"
#include "support/checks.h"
#include "support/data_files.h"
#include "support/genlab_process.h"
#include "support/time_scale.h"
#include "core/train/experiment_spec.h"
#include "ui/data_fetch_dialog.h"
#include "ui/main_window.h"
#include "ui/training_controller.h"
#endif

#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/mount.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

namespace fs = std::filesystem;
using namespace genlab;
using datasets::Checksum;

namespace {

std::string readText(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

/// The entries of `folder` (names only), sorted.
QStringList entriesOf(const fs::path& folder) {
  QStringList names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) names << QString::fromStdString(entry.path().filename().string());
  names.sort();
  return names;
}

/// A port nothing listens on (bound, then closed).
int closedPort() {
  const int socket = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(socket, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(socket);
  return ntohs(address.sin_port);
}

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

bool runTool(const QString& program, const QStringList& arguments) {
  QProcess process;
  process.start(program, arguments);
  return process.waitForFinished(30000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

} // namespace

class TestDataFetch : public QObject {
  Q_OBJECT

  QTemporaryDir scratch_;
  QProcess server_;
  fs::path served_;  ///< what the server serves
  QString base_;     ///< http://127.0.0.1:PORT
  std::string cifarUrl_;
  Checksum cifarMd5_;

  fs::path scratch() const { return scratch_.path().toStdString(); }

  /// A fresh folder of fetched data sets.
  fs::path newRoot(const std::string& name) {
    const fs::path root = scratch() / name;
    fs::create_directories(root);
    return root;
  }

  std::string url(const QString& mode, const std::string& file) const {
    return (base_ + "/" + mode + "/").toStdString() + file;
  }

  datasets::FetchRequest cifarRequest(const fs::path& root, const std::string& url, const Checksum& checksum) const {
    datasets::FetchRequest request;
    request.kind = data::DatasetKind::Cifar10;
    request.root = root;
    request.mirror = {{url, checksum, 0}};
    request.download.connectTimeoutSeconds = 5;
    request.download.stallSeconds = 5;
    return request;
  }

  /// The root holds nothing but the finished data sets named (no download, no unpacking).
  void expectOnly(const fs::path& root, const QStringList& names) { QCOMPARE(entriesOf(root), names); }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(scratch_.isValid());
    served_ = scratch() / "served";
    // A CIFAR-10 archive as its authors lay it out: cifar-10-batches-bin/ with five training
    // batches, the test batch and the names of the classes.
    const fs::path stage = scratch() / "stage";
    test::writeCifarFolder(stage / "cifar-10-batches-bin", 7, 5);
    std::ofstream(stage / "cifar-10-batches-bin" / "batches.meta.txt") << "airplane\nautomobile\n";
    fs::create_directories(served_);
    QVERIFY(runTool("tar", {"-czf", QString::fromStdString((served_ / "cifar-10-binary.tar.gz").string()), "-C",
                            QString::fromStdString(stage.string()), "cifar-10-batches-bin"}));
    // MNIST's four gzip IDX files.
    test::writeIdxFolder(served_ / "mnist", {.trainCount = 30, .testCount = 10, .rows = 28, .cols = 28, .gzip = true});
    for (const auto& entry : fs::directory_iterator(served_ / "mnist")) fs::rename(entry.path(), served_ / entry.path().filename());
    // An archive with an entry that leaves its folder, and one cut short.
    QVERIFY(runTool("python3", {"-c", "import tarfile, io, sys\n"
                                      "with tarfile.open(sys.argv[1], 'w:gz') as t:\n"
                                      "  data = b'x' * 100\n"
                                      "  info = tarfile.TarInfo('cifar-10-batches-bin/../../evil.bin'); info.size = len(data)\n"
                                      "  t.addfile(info, io.BytesIO(data))\n",
                                QString::fromStdString((served_ / "escaping.tar.gz").string())}));
    const std::string whole = readText(served_ / "cifar-10-binary.tar.gz");
    std::ofstream(served_ / "short.tar.gz", std::ios::binary) << whole.substr(0, whole.size() / 2);

    cifarUrl_ = "cifar-10-binary.tar.gz";
    cifarMd5_ = datasets::checksumOfFile(served_ / "cifar-10-binary.tar.gz", Checksum::Algorithm::Md5);

    const QString portFile = QString::fromStdString((scratch() / "port").string());
    server_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    server_.start("python3", {qEnvironmentVariable("GENLAB_HTTP_SERVER"), QString::fromStdString(served_.string()), portFile});
    QVERIFY2(server_.waitForStarted(), "python3 did not start");
    QVERIFY(QTest::qWaitFor([&] { return QFile::exists(portFile); }, test::scaledMs(20000)));
    QFile port(portFile);
    QVERIFY(port.open(QIODevice::ReadOnly));
    base_ = "http://127.0.0.1:" + QString::fromUtf8(port.readAll()).trimmed();
    // The tests' own proxy settings must not send loopback requests elsewhere.
    qputenv("no_proxy", "127.0.0.1");
  }

  void cleanupTestCase() {
    if (server_.state() != QProcess::NotRunning) {
      server_.kill();
      server_.waitForFinished();
    }
  }

  void cifarArchiveIsFetchedCheckedUnpackedAndLoads() {
    const fs::path root = newRoot("cifar");
    std::vector<datasets::FetchProgress> reports;
    const auto result = datasets::fetchDataset(cifarRequest(root, url("files", cifarUrl_), cifarMd5_),
                                               [&](const datasets::FetchProgress& p) { reports.push_back(p); });
    QVERIFY(!result.alreadyThere);
    QCOMPARE(result.folder, root / "cifar10");
    expectOnly(root, {"cifar10"});
    // Unpacked without its top folder, with the manifest beside the batches.
    QVERIFY(fs::is_regular_file(root / "cifar10" / "data_batch_5.bin"));
    QVERIFY(fs::is_regular_file(root / "cifar10" / "test_batch.bin"));
    QVERIFY(fs::is_regular_file(root / "cifar10" / datasets::kManifestName));
    QVERIFY(!reports.empty());
    QCOMPARE(reports.back().transfer.received, fs::file_size(served_ / cifarUrl_));
    QCOMPARE(*reports.back().transfer.total, fs::file_size(served_ / cifarUrl_));

    data::DataSpec spec;
    spec.kind = data::DatasetKind::Cifar10;
    spec.directory = result.folder.string();
    spec.preprocessing = data::Preprocessing::ScaleOnly;
    const data::LoadedDataset loaded = data::loadDataset(spec);
    QCOMPARE(loaded.dataset.train.size(), int64_t(35));
    QCOMPARE(loaded.dataset.test.size(), int64_t(5));
    // loadDataset reads the images as stored bytes and converts what it keeps: the same floats
    // as the loader's own.
    QCOMPARE(loaded.dataset.train.images.scalar_type(), torch::kFloat32);
    QVERIFY(torch::equal(loaded.dataset.train.images, data::loadCifar10(result.folder).train.images));

    // Verify: whole, then one byte changed.
    datasets::verifyDataset(root, data::DatasetKind::Cifar10);
    const auto state = datasets::inspectDataset(root, data::DatasetKind::Cifar10);
    QVERIFY(state.present);
    QVERIFY(state.bytes >= (5 * 7 + 5) * 3073);  // the five training batches and the test batch, at least
    { std::fstream f(root / "cifar10" / "test_batch.bin", std::ios::in | std::ios::out | std::ios::binary); f.seekp(10); f.put('\x7f'); }
    const std::string message = test::messageOf<InputError>([&] { datasets::verifyDataset(root, data::DatasetKind::Cifar10); });
    QVERIFY2(message.find("test_batch.bin' has changed since it was fetched") != std::string::npos, message.c_str());

    // A second fetch finds it there and downloads nothing.
    QVERIFY(datasets::fetchDataset(cifarRequest(root, url("status/500", cifarUrl_), cifarMd5_)).alreadyThere);
  }

  void mnistFilesAreFetchedAndLoad() {
    const fs::path root = newRoot("mnist");
    datasets::FetchRequest request;
    request.kind = data::DatasetKind::Mnist;
    request.root = root;
    for (const char* name : {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                             "t10k-labels-idx1-ubyte.gz"})
      request.mirror.push_back({url("files", name), datasets::checksumOfFile(served_ / name, Checksum::Algorithm::Sha256), 0});
    datasets::fetchDataset(request);
    expectOnly(root, {"mnist"});
    data::DataSpec spec;
    spec.kind = data::DatasetKind::Mnist;
    spec.directory = (root / "mnist").string();
    const data::LoadedDataset loaded = data::loadDataset(spec);
    QCOMPARE(loaded.dataset.train.size(), int64_t(30));
    QCOMPARE(loaded.dataset.test.size(), int64_t(10));
  }

  void failuresLeaveNoDataSet_data() {
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("wrongChecksum");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("keepsDownload");
    QTest::newRow("wrong checksum") << "files" << "cifar-10-binary.tar.gz" << true << "does not match" << false;
    QTest::newRow("server error") << "status/500" << "cifar-10-binary.tar.gz" << false << "answered HTTP 500" << false;
    QTest::newRow("not found") << "files" << "no-such.tar.gz" << false << "answered HTTP 404" << false;
    const QString half = QString::number(fs::file_size(served_ / cifarUrl_) / 2);
    QTest::newRow("truncated download") << "drop/" + half << "cifar-10-binary.tar.gz" << false
                                        << "broke off after " + half + " bytes" << true;
    QTest::newRow("path escaping its folder") << "files" << "escaping.tar.gz" << false << "a path leaving its folder" << false;
    QTest::newRow("damaged archive") << "files" << "short.tar.gz" << false << "is damaged or incomplete" << false;
  }

  void failuresLeaveNoDataSet() {
    QFETCH(QString, mode);
    QFETCH(QString, file);
    QFETCH(bool, wrongChecksum);
    QFETCH(QString, expected);
    QFETCH(bool, keepsDownload);
    const fs::path root = newRoot("fail-" + std::string(QTest::currentDataTag()));
    const fs::path local = served_ / file.toStdString();
    Checksum checksum = fs::exists(local) ? datasets::checksumOfFile(local, Checksum::Algorithm::Md5) : cifarMd5_;
    if (wrongChecksum) checksum.hex.replace(0, 4, "0000");
    const std::string message = test::messageOf<InputError>(
        [&] { datasets::fetchDataset(cifarRequest(root, url(mode, file.toStdString()), checksum)); });
    QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
    QVERIFY2(message.find('\n') == std::string::npos, message.c_str());
    // No data set, no unpacking folder; the download only after a dropped connection.
    expectOnly(root, keepsDownload ? QStringList{".cifar10.download"} : QStringList{});
    QVERIFY(!fs::exists(scratch() / "evil.bin") && !fs::exists(root / "evil.bin"));
  }

  void proxyVariablesAreHonoured() {
    // A host no resolver knows, reachable only through the proxy that http_proxy names.
    const fs::path root = newRoot("proxy");
    const QByteArray noProxy = qgetenv("no_proxy");
    qputenv("http_proxy", base_.toUtf8());
    qunsetenv("no_proxy");
    const std::string viaProxy = "http://datasets.genlab.invalid/files/proxied/" + cifarUrl_;
    fs::create_directories(served_ / "proxied");
    fs::copy_file(served_ / cifarUrl_, served_ / "proxied" / cifarUrl_);
    const std::string message = test::messageOf<InputError>([&] { datasets::fetchDataset(cifarRequest(root, viaProxy, cifarMd5_)); });
    qunsetenv("http_proxy");
    qputenv("no_proxy", noProxy);
    QCOMPARE(message, std::string("no exception"));
    expectOnly(root, {"cifar10"});
    QVERIFY(readText(served_ / "requests.log").find("proxied /files/proxied/" + cifarUrl_) != std::string::npos);
  }

  void refusedConnectionSaysSo() {
    const fs::path root = newRoot("refused");
    const std::string refused = "http://127.0.0.1:" + std::to_string(closedPort()) + "/files/cifar-10-binary.tar.gz";
    const std::string message = test::messageOf<InputError>([&] { datasets::fetchDataset(cifarRequest(root, refused, cifarMd5_)); });
    QVERIFY2(message.find("cannot reach " + refused) != std::string::npos, message.c_str());
    QVERIFY2(message.find("no network, or a proxy needed") != std::string::npos, message.c_str());
    expectOnly(root, {});
  }

  void droppedConnectionResumesFromTheReceivedBytes() {
    const fs::path root = newRoot("resume");
    // A third of the archive arrives; its own path, so that no other test's request counts.
    const std::string third = std::to_string(fs::file_size(served_ / cifarUrl_) / 3);
    const std::string dropping = url(QString::fromStdString("drop/" + third), cifarUrl_);
    const std::string first = test::messageOf<datasets::Interrupted>([&] { datasets::fetchDataset(cifarRequest(root, dropping, cifarMd5_)); });
    QVERIFY2(first.find("broke off after " + third + " bytes") != std::string::npos, first.c_str());
    QCOMPARE(std::to_string(fs::file_size(root / ".cifar10.download" / (cifarUrl_ + ".part"))), third);
    datasets::fetchDataset(cifarRequest(root, dropping, cifarMd5_));
    expectOnly(root, {"cifar10"});
    // The second request asked for the rest only.
    const std::string log = readText(served_ / "requests.log");
    QVERIFY2(log.find("/drop/" + third + "/" + cifarUrl_ + " bytes=" + third + "-") != std::string::npos, log.c_str());
  }

  void twoFetchesAtOnceDownloadOnce() {
    const fs::path root = newRoot("together");
    fs::create_directories(served_ / "together");
    fs::copy_file(served_ / cifarUrl_, served_ / "together" / cifarUrl_);
    const auto request = cifarRequest(root, url("files", "together/" + cifarUrl_), cifarMd5_);
    datasets::FetchResult first, second;
    std::thread other([&] { first = datasets::fetchDataset(request); });
    second = datasets::fetchDataset(request);
    other.join();
    QCOMPARE(first.folder, second.folder);
    QVERIFY(first.alreadyThere != second.alreadyThere);  // one fetched, the other waited and found it
    expectOnly(root, {"cifar10"});
    const std::string log = readText(served_ / "requests.log");
    QCOMPARE(occurrences(log, "/files/together/"), std::size_t(1));
  }

  void cancelStopsAndKeepsNothing() {
    const fs::path root = newRoot("cancel");
    std::atomic<bool> cancel{false};
    datasets::FetchRequest request = cifarRequest(root, url("stall", cifarUrl_), cifarMd5_);
    request.download.stallSeconds = 60;
    request.download.cancel = &cancel;
    std::thread canceller([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      cancel = true;
    });
    const auto started = std::chrono::steady_clock::now();
    const std::string message = test::messageOf<datasets::Cancelled>([&] { datasets::fetchDataset(request); });
    canceller.join();
    QVERIFY2(message.find("cancelled") != std::string::npos, message.c_str());
    QVERIFY(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
    expectOnly(root, {});
  }

  void fullDiskIsRefusedOrReported() {
    const fs::path root = scratch() / "small-disk";
    fs::create_directories(root);
    if (::mount("tmpfs", root.c_str(), "tmpfs", 0, "size=256k") != 0)
      QSKIP("mounting a small tmpfs needs root; the full-disk case is not checked here");
    // The built-in CIFAR-10 needs far more than 256 KiB: refused before any download.
    datasets::FetchRequest builtIn;
    builtIn.kind = data::DatasetKind::Cifar10;
    builtIn.root = root;
    const std::string before = test::messageOf<InputError>([&] { datasets::fetchDataset(builtIn); });
    // A mirror of unknown size: the disk fills during the download.
    fs::create_directories(served_ / "big");
    std::ofstream(served_ / "big" / "train-images-idx3-ubyte.gz", std::ios::binary) << std::string(600 * 1024, 'x');
    datasets::FetchRequest mirror;
    mirror.kind = data::DatasetKind::Mnist;
    mirror.root = root;
    for (const std::string name : {"big/train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                   "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"})
      mirror.mirror.push_back({url("files", name), datasets::checksumOfFile(served_ / name, Checksum::Algorithm::Md5), 0});
    const std::string during = test::messageOf<InputError>([&] { datasets::fetchDataset(mirror); });
    const QStringList left = entriesOf(root);
    ::umount(root.c_str());
    QVERIFY2(before.find("cifar10 needs ") != std::string::npos && before.find("MiB free") != std::string::npos, before.c_str());
    QVERIFY2(during.find("No space left on device") != std::string::npos, during.c_str());
    QCOMPARE(left, QStringList{});
  }

  void commandLineFetchesListsAndVerifies() {
    const QString root = QString::fromStdString(newRoot("cli").string());
    const QString archive = QString::fromStdString(url("files", cifarUrl_));
    auto r = test::runGenlab({"data", "fetch", "cifar10", "--to", root, "--url", archive, "--checksum",
                              QString::fromStdString(cifarMd5_.toString())});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("CIFAR-10 fetched and checked: " + root + "/cifar10"), qPrintable(r.out));
    // Piped, the progress is a line per tenth, not a redrawn line.
    QVERIFY2(r.err.contains("cifar-10-binary.tar.gz  100%") && !r.err.contains('\r'), qPrintable(r.err));
    r = test::runGenlab({"data", "list", "--in", root});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QRegularExpression("cifar10 +fetched and checked 20")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QRegularExpression("mnist +not fetched \\(11\\.1 MiB to download\\)")), qPrintable(r.out));
    r = test::runGenlab({"data", "verify", "cifar10", "--in", root});
    QVERIFY2(r.exitCode == 0 && r.out.contains("every file matches its checksum"), qPrintable(r.out + r.err));
    r = test::runGenlab({"data", "verify", "mnist", "--in", root});
    QVERIFY2(r.exitCode == 1 && r.err.contains("holds no fetched mnist"), qPrintable(r.err));
  }

  void windowDialogFetchesReportsAndCancels() {
    // Fetched: the signal names the folder, and the dialog goes away by itself.
    const fs::path root = newRoot("dialog");
    QPointer<ui::DataFetchDialog> dialog = new ui::DataFetchDialog(cifarRequest(root, url("files", cifarUrl_), cifarMd5_), nullptr);
    QSignalSpy fetched(dialog.data(), &ui::DataFetchDialog::fetched);
    dialog->open();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull(), test::scaledMs(20000));
    QCOMPARE(fetched.count(), 1);
    QCOMPARE(fetched.at(0).at(0).toString().toStdString(), (root / "cifar10").string());

    // A server error: one message, no data set.
    const fs::path failing = newRoot("dialog-fails");
    dialog = new ui::DataFetchDialog(cifarRequest(failing, url("status/503", cifarUrl_), cifarMd5_), nullptr);
    QSignalSpy failed(dialog.data(), &ui::DataFetchDialog::failed);
    dialog->open();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull(), test::scaledMs(20000));
    QCOMPARE(failed.count(), 1);
    QVERIFY2(failed.at(0).at(0).toString().contains("answered HTTP 503"), qPrintable(failed.at(0).at(0).toString()));
    expectOnly(failing, {});

    // Cancel while the server holds the download back: neither signal, nothing kept.
    const fs::path cancelled = newRoot("dialog-cancel");
    auto request = cifarRequest(cancelled, url("stall", cifarUrl_), cifarMd5_);
    request.download.stallSeconds = 60;
    dialog = new ui::DataFetchDialog(request, nullptr);
    QSignalSpy fetchedAfterCancel(dialog.data(), &ui::DataFetchDialog::fetched);
    QSignalSpy failedAfterCancel(dialog.data(), &ui::DataFetchDialog::failed);
    dialog->open();
    QTest::qWait(300);
    auto* cancel = dialog->findChild<QPushButton*>();
    QVERIFY(cancel != nullptr);
    cancel->click();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull(), test::scaledMs(10000));
    QCOMPARE(fetchedAfterCancel.count() + failedAfterCancel.count(), 0);
    expectOnly(cancelled, {});
  }

  /// A $GENLAB_DATASET_MIRRORS file pointing MNIST at the server's files; returns its path.
  QString writeMnistMirrors(const std::string& name) {
    const fs::path path = scratch() / (name + "-mirrors.json");
    std::ofstream out(path);
    out << "{\"mnist\": [";
    const char* files[] = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                           "t10k-labels-idx1-ubyte.gz"};
    for (int i = 0; i < 4; ++i)
      out << (i ? ", " : "") << "{\"url\": \"" << url("files", files[i]) << "\", \"checksum\": \""
          << datasets::checksumOfFile(served_ / files[i], Checksum::Algorithm::Md5).toString() << "\"}";
    out << "]}\n";
    return QString::fromStdString(path.string());
  }

  /// Requests for the MNIST training images the server has had so far.
  static std::size_t imageRequests(const std::string& log) { return occurrences(log, "/files/train-images-idx3-ubyte.gz"); }

  void sweepFetchesOnceBeforeItsTasks() {
    const QString xdg = QString::fromStdString(newRoot("sweep-xdg").string());
    const QString sweepFile = QString::fromStdString((scratch() / "mnist-sweep.json").string());
    std::ofstream(sweepFile.toStdString()) << R"({"title": "MNIST sweep", "spec": {"name": "mnist-sweep",
        "data": {"dataset": "mnist", "preprocessing": "scale"},
        "model": {"architecture": "mlp", "width": 16},
        "training": {"epochs": 1, "batch_size": 10, "stop_when_fitted": false}, "compute": {"threads": 1}},
      "axes": {"setting": ["true", "random-labels"]}})";
    const std::size_t before = imageRequests(readText(served_ / "requests.log"));
    const auto environment = test::environmentWith({"XDG_DATA_HOME=" + xdg, "GENLAB_DATASET_MIRRORS=" + writeMnistMirrors("sweep")});
    const QString out = QString::fromStdString((scratch() / "sweep-out").string());
    const auto r = test::runGenlab({"sweep", "run", sweepFile, "--out", out, "--jobs", "2"}, environment);
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains("Fetching MNIST into " + xdg + "/GenLab/datasets once, for every task"), qPrintable(r.out));
    // One download for both tasks, which then read it from the shared folder.
    QCOMPARE(imageRequests(readText(served_ / "requests.log")) - before, std::size_t(1));
    QVERIFY(datasets::isFetched(xdg.toStdString() + "/GenLab/datasets", data::DatasetKind::Mnist));
    const auto status = test::runGenlab({"sweep", "status", sweepFile, "--out", out}, environment);
    QVERIFY2(status.out.contains("2 tasks: 2 done"), qPrintable(status.out));
  }

  void windowDownloadsThenStarts() {
    // MNIST nowhere: Start fails with the offer; Download fetches it and the session runs.
    const QByteArray xdg = qgetenv("XDG_DATA_HOME");
    qputenv("XDG_DATA_HOME", QByteArray::fromStdString(newRoot("window-xdg").string()));
    qputenv(datasets::kMirrorsVariable, writeMnistMirrors("window").toUtf8());
    ui::WindowOptions options;
    options.resultsRoot = QString::fromStdString((scratch() / "window-runs").string());
    options.restoreSettings = false;
    ui::MainWindow window(options);
    train::ExperimentSpec spec;
    spec.name = "window-download";
    spec.data.kind = data::DatasetKind::Mnist;
    spec.data.preprocessing = data::Preprocessing::ScaleOnly;
    spec.model.width = 16;
    spec.training.epochs = 1;
    spec.training.batchSize = 10;
    spec.training.stopWhenFitted = false;
    window.setSpec(spec);
    QSignalSpy failed(window.controller(), &ui::TrainingController::sessionFailed);
    QSignalSpy ended(window.controller(), &ui::TrainingController::sessionEnded);
    window.start();
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, test::scaledMs(20000));
    QPushButton* download = nullptr;
    for (auto* button : window.findChildren<QPushButton*>())
      if (button->isVisible() && button->text().startsWith("Download (")) download = button;
    QVERIFY(download != nullptr);
    download->click();
    QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, test::scaledMs(60000));
    qunsetenv(datasets::kMirrorsVariable);
    if (xdg.isNull()) qunsetenv("XDG_DATA_HOME");
    else qputenv("XDG_DATA_HOME", xdg);
    QCOMPARE(failed.count(), 1);
  }

  void commandLineRefusesBadInput_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("no verb") << QStringList{"data"} << "say list, fetch NAME or verify NAME";
    QTest::newRow("unknown data set") << QStringList{"data", "fetch", "imagenet"} << "'imagenet' is not a data set GenLab fetches";
    QTest::newRow("synthetic") << QStringList{"data", "fetch", "synthetic"} << "'synthetic' is not a data set GenLab fetches";
    QTest::newRow("bad checksum") << QStringList{"data", "fetch", "cifar10", "--url", "http://127.0.0.1:1/x.tar.gz", "--checksum", "md5:xyz"}
                                  << "needs 32 hexadecimal digits";
    QTest::newRow("url alone") << QStringList{"data", "fetch", "cifar10", "--url", "http://127.0.0.1:1/x.tar.gz"}
                               << "--url and --checksum come in pairs";
  }

  void commandLineRefusesBadInput() {
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const auto r = test::runGenlab(arguments);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);
  }
};

QTEST_MAIN(TestDataFetch)
#include "test_data_fetch.moc"
