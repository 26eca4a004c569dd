#include "ui/run_table_page.h"

#include "core/errors.h"
#include "core/results/atomic_file.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace genlab::ui {

namespace {

QString percent(const std::optional<double>& value) {
  return value ? QString::number(100.0 * *value, 'f', 2) : QStringLiteral("-");
}

} // namespace

RunTablePage::RunTablePage(QWidget* parent) : QWidget(parent), table_(new QTableWidget) {
  auto* layout = new QVBoxLayout(this);
  auto* tools = new QHBoxLayout;
  tools->addWidget(new QLabel(tr("The checked runs, as in the paper's Table 1")));
  tools->addStretch(1);
  const auto button = [&](const QString& text, auto slot) {
    auto* b = new QPushButton(text);
    connect(b, &QPushButton::clicked, this, slot);
    tools->addWidget(b);
  };
  button(tr("Copy as Markdown"), [this] { QApplication::clipboard()->setText(text(results::TableFormat::Markdown)); });
  button(tr("Copy as TSV"), [this] { QApplication::clipboard()->setText(text(results::TableFormat::Tsv)); });
  button(tr("Export CSV…"), [this] { exportAs(results::TableFormat::Csv, tr("CSV (*.csv)")); });
  button(tr("Export LaTeX…"), [this] { exportAs(results::TableFormat::Latex, tr("LaTeX (*.tex)")); });
  layout->addLayout(tools);
  table_->setColumnCount(10);
  table_->setHorizontalHeaderLabels({tr("Session"), tr("Network"), tr("Regularizers"), tr("Setting"), tr("Status"),
                                     tr("Train %"), tr("Test %"), tr("Epochs"), tr("Fitted at"), tr("Wall time")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSortingEnabled(true);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  layout->addWidget(table_, 1);
}

void RunTablePage::setSource(std::function<std::vector<results::RunTableRow>()> source) {
  source_ = std::move(source);
  invalidate();
}

void RunTablePage::invalidate() {
  stale_ = true;
  if (isVisible()) fill();
}

const std::vector<results::RunTableRow>& RunTablePage::rows() {
  if (stale_) fill();
  return rows_;
}

void RunTablePage::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (stale_) fill();
}

void RunTablePage::fill() {
  stale_ = false;
  rows_ = source_ ? source_() : std::vector<results::RunTableRow>{};
  table_->setSortingEnabled(false);
  table_->setRowCount(static_cast<int>(rows_.size()));
  for (size_t i = 0; i < rows_.size(); ++i) {
    const results::RunTableRow& r = rows_[i];
    const auto row = static_cast<int>(i);
    const auto put = [&](int column, const QString& text, const QVariant& sort = {}) {
      auto* item = new QTableWidgetItem(text);
      if (sort.isValid()) item->setData(Qt::UserRole, sort);
      if (!r.reason.empty()) item->setToolTip(QString::fromStdString(r.reason));
      table_->setItem(row, column, item);
    };
    put(0, QString::fromStdString(r.session));
    put(1, QString::fromStdString(r.model));
    put(2, QString::fromStdString(r.regularizers));
    put(3, QString::fromStdString(r.name));
    put(4, QString::fromStdString(r.status));
    put(5, percent(r.trainAccuracy));
    put(6, percent(r.testAccuracy));
    put(7, QString::number(r.epochs));
    put(8, r.epochFitted ? QString::number(*r.epochFitted) : QStringLiteral("-"));
    put(9, QString::number(r.wallSeconds, 'f', 1) + QStringLiteral(" s"));
  }
  table_->setSortingEnabled(true);
}

QString RunTablePage::text(results::TableFormat format) {
  return QString::fromStdString(results::formatRunTable(rows(), format));
}

void RunTablePage::write(const QString& path, results::TableFormat format) {
  results::writeFileAtomically(path.toStdString(), results::formatRunTable(rows(), format));
}

void RunTablePage::exportAs(results::TableFormat format, const QString& filter) {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export the Run Table"), QString(), filter);
  if (path.isEmpty()) return;
  try {
    write(path, format);
  } catch (const InputError& error) {
    Q_EMIT failed(QString::fromStdString(error.what()));
  }
}

} // namespace genlab::ui
