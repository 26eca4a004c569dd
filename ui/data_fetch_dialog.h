#pragma once
/// The window's Download: fetches a data set (core/datasets) on a thread of its own, with a
/// progress bar (size, rate, time left) and Cancel. The thread never touches a widget; it posts
/// its progress to the dialog.

#include "core/data/data_spec.h"
#include "core/datasets/fetch.h"

#include <QProgressDialog>

#include <atomic>
#include <thread>

namespace genlab::ui {

class DataFetchDialog : public QProgressDialog {
  Q_OBJECT
public:
  /// Starts the fetch at once (its cancel flag is the dialog's own).
  DataFetchDialog(datasets::FetchRequest request, QWidget* parent);
  /// Cancels a fetch still going and waits for its thread.
  ~DataFetchDialog() override;

  /// The "Download (162.2 MiB)" text of a button offering to fetch `kind`.
  static QString offerText(data::DatasetKind kind);

Q_SIGNALS:
  /// The data set is in `folder`, checked. The dialog closes itself after either signal.
  void fetched(const QString& folder);
  /// The fetch failed (one line, ready to show); not emitted after Cancel.
  void failed(const QString& message);

private:
  void showProgress(const QString& file, int fileIndex, int fileCount, double received, double total, double rate);
  void finish(bool ok, const QString& text);

  std::atomic<bool> cancel_{false};
  std::thread worker_;
};

} // namespace genlab::ui
