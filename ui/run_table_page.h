#pragma once
/// The run table: the checked runs as a table like the paper's Table 1 (network,
/// regularizers, setting, train and test accuracy, epochs, the epoch it fitted, wall time),
/// to copy as Markdown or TSV and export as CSV or LaTeX.

#include "core/results/run_table.h"

#include <QWidget>

#include <functional>
#include <vector>

class QTableWidget;

namespace genlab::ui {

class RunTablePage : public QWidget {
  Q_OBJECT

public:
  explicit RunTablePage(QWidget* parent = nullptr);

  /// Where the rows come from. The page asks when it is shown or read after invalidate(), so
  /// that a table nobody looks at costs nothing while runs grow.
  void setSource(std::function<std::vector<results::RunTableRow>()> source);
  /// The runs changed: the table is refilled now if it is shown, else when it is next shown or read.
  void invalidate();
  const std::vector<results::RunTableRow>& rows();
  QTableWidget* table() const { return table_; }
  /// The table as text, for the clipboard and exports.
  QString text(results::TableFormat format);
  /// Writes the table to `path` (atomically); InputError naming the path when it cannot.
  void write(const QString& path, results::TableFormat format);

Q_SIGNALS:
  /// A write failed; the window shows the message.
  void failed(const QString& message);

protected:
  void showEvent(QShowEvent* event) override;

private:
  void fill();
  void exportAs(results::TableFormat format, const QString& filter);

  std::function<std::vector<results::RunTableRow>()> source_;
  bool stale_ = false;
  std::vector<results::RunTableRow> rows_;
  QTableWidget* table_;
};

} // namespace genlab::ui
