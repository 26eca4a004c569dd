#pragma once
/// The run table: the checked runs as a table like the paper's Table 1 (network,
/// regularizers, setting, train and test accuracy, epochs, the epoch it fitted, wall time),
/// to copy as Markdown or TSV and export as CSV or LaTeX.

#include "core/results/run_table.h"

#include <QWidget>

#include <vector>

class QTableWidget;

namespace genlab::ui {

class RunTablePage : public QWidget {
  Q_OBJECT

public:
  explicit RunTablePage(QWidget* parent = nullptr);

  void setRows(std::vector<results::RunTableRow> rows);
  const std::vector<results::RunTableRow>& rows() const { return rows_; }
  QTableWidget* table() const { return table_; }
  /// The table as text, for the clipboard and exports.
  QString text(results::TableFormat format) const;
  /// Writes the table to `path` (atomically); InputError naming the path when it cannot.
  void write(const QString& path, results::TableFormat format) const;

Q_SIGNALS:
  /// A write failed; the window shows the message.
  void failed(const QString& message);

private:
  void exportAs(results::TableFormat format, const QString& filter);

  std::vector<results::RunTableRow> rows_;
  QTableWidget* table_;
};

} // namespace genlab::ui
