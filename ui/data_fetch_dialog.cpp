#include "ui/data_fetch_dialog.h"

#include "core/datasets/catalog.h"
#include "core/errors.h"
#include "core/format.h"

#include <QMetaObject>

#include <algorithm>

namespace genlab::ui {

namespace {

QString sizeText(double bytes) { return QString::fromStdString(mebibytes(bytes)); }

} // namespace

QString DataFetchDialog::offerText(data::DatasetKind kind) {
  return tr("Download (%1)").arg(sizeText(double(datasets::downloadBytes(kind))));
}

DataFetchDialog::DataFetchDialog(datasets::FetchRequest request, QWidget* parent) : QProgressDialog(parent) {
  const QString name = QString::fromStdString(data::displayName(request.kind));
  setWindowTitle(tr("Downloading %1").arg(name));
  setLabelText(tr("Connecting…"));
  setRange(0, 1000);
  setValue(0);
  setMinimumDuration(0);
  setAutoClose(false);
  setAutoReset(false);
  setModal(true);
  connect(this, &QProgressDialog::canceled, this, [this] {
    cancel_ = true;
    setLabelText(tr("Cancelling…"));
  });
  request.download.cancel = &cancel_;
  worker_ = std::thread([this, request] {
    bool ok = false;
    QString text;
    try {
      const auto result = datasets::fetchDataset(request, [this](const datasets::FetchProgress& p) {
        const auto& t = p.transfer;
        const double rate = t.seconds > 0 ? double(t.received - t.resumedFrom) / t.seconds : 0.0;
        QMetaObject::invokeMethod(
            this,
            [this, file = QString::fromStdString(p.file), index = p.fileIndex, count = p.fileCount,
             received = double(t.received), total = t.total ? double(*t.total) : 0.0, rate] {
              showProgress(file, index, count, received, total, rate);
            },
            Qt::QueuedConnection);
      });
      ok = true;
      text = QString::fromStdString(result.folder.string());
    } catch (const datasets::Cancelled&) {
      text.clear();
    } catch (const std::exception& error) {
      text = QString::fromStdString(firstLine(error.what()));
    }
    QMetaObject::invokeMethod(this, [this, ok, text] { finish(ok, text); }, Qt::QueuedConnection);
  });
}

DataFetchDialog::~DataFetchDialog() {
  cancel_ = true;
  if (worker_.joinable()) worker_.join();
}

void DataFetchDialog::showProgress(const QString& file, int fileIndex, int fileCount, double received, double total,
                                   double rate) {
  QString line = fileCount > 1 ? tr("%1 (%2 of %3)").arg(file).arg(fileIndex + 1).arg(fileCount) : file;
  line += QLatin1Char('\n') + (total > 0 ? tr("%1 of %2").arg(sizeText(received), sizeText(total)) : sizeText(received));
  if (rate > 0) {
    line += tr(", %1/s").arg(sizeText(rate));
    if (total > received) line += tr(", %1 s left").arg(qRound((total - received) / rate));
  }
  if (total > 0) {
    // Several files: each its share of the bar.
    const double done = (fileIndex + received / total) / std::max(1, fileCount);
    setValue(std::min(999, int(done * 1000)));
  }
  if (!cancel_) setLabelText(received >= total && total > 0 ? tr("Checking and unpacking…") : line);
}

void DataFetchDialog::finish(bool ok, const QString& text) {
  if (worker_.joinable()) worker_.join();
  setValue(1000);
  if (ok) Q_EMIT fetched(text);
  else if (!text.isEmpty()) Q_EMIT failed(text);
  close();
  deleteLater();
}

} // namespace genlab::ui
