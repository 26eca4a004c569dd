#include "ui/export_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QToolButton>

namespace genlab::ui {

namespace {
constexpr int kAllFigures = -1;
}

ExportDialog::ExportDialog(const std::vector<Figure>& available, Figure current,
                           const QString& folder, const QString& caption, QWidget* parent)
    : QDialog(parent), available_(available), folder_(folder) {
  setWindowTitle(tr("Export Figure"));
  auto* form = new QFormLayout(this);
  figure_ = new QComboBox;
  for (const Figure figure : available) figure_->addItem(figureName(figure), static_cast<int>(figure));
  if (available.size() > 1) figure_->addItem(tr("all plots in one figure"), kAllFigures);
  figure_->setCurrentIndex(std::max(0, figure_->findData(static_cast<int>(current))));
  form->addRow(tr("Plot"), figure_);

  format_ = new QComboBox;
  for (const char* format : {"png", "jpg", "pdf", "svg"}) format_->addItem(QString::fromLatin1(format).toUpper(), QString::fromLatin1(format));
  form->addRow(tr("Format"), format_);

  width_ = new QSpinBox;
  height_ = new QSpinBox;
  for (auto* box : {width_, height_}) box->setRange(64, 8192);
  width_->setValue(1280);
  height_->setValue(720);
  auto* size = new QHBoxLayout;
  size->addWidget(width_);
  size->addWidget(new QLabel(QStringLiteral("×")));
  size->addWidget(height_);
  size->addWidget(new QLabel(tr("pixels (points for PDF and SVG)")), 1);
  form->addRow(tr("Size"), size);

  scale_ = new QDoubleSpinBox;
  scale_->setRange(0.5, 8.0);
  scale_->setSingleStep(0.5);
  scale_->setValue(2.0);
  scale_->setToolTip(tr("Pixel density of PNG and JPG: 2 gives sharp images on slides and high-density screens"));
  form->addRow(tr("Scale"), scale_);

  title_ = new QLineEdit;
  title_->setPlaceholderText(tr("none"));
  title_->setToolTip(tr("A title above the figure, for a slide"));
  form->addRow(tr("Title"), title_);
  caption_ = new QLineEdit(caption);
  caption_->setPlaceholderText(tr("none"));
  caption_->setToolTip(tr("One line below the figure: what was trained"));
  form->addRow(tr("Caption"), caption_);

  path_ = new QLineEdit;
  auto* pick = new QToolButton;
  pick->setText(QStringLiteral("…"));
  auto* pathRow = new QHBoxLayout;
  pathRow->addWidget(path_, 1);
  pathRow->addWidget(pick);
  form->addRow(tr("File"), pathRow);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(pick, &QToolButton::clicked, this, &ExportDialog::browse);
  connect(figure_, &QComboBox::currentIndexChanged, this, &ExportDialog::updatePath);
  connect(format_, &QComboBox::currentIndexChanged, this, &ExportDialog::updatePath);
  connect(format_, &QComboBox::currentIndexChanged, this, [this] {
    const QString format = format_->currentData().toString();
    scale_->setEnabled(format == QLatin1String("png") || format == QLatin1String("jpg"));
  });
  updatePath();
}

void ExportDialog::updatePath() {
  // The file name follows the figure and format until the user picks a file.
  const int figure = figure_->currentData().toInt();
  const QString stem = figure == kAllFigures ? QStringLiteral("figures") : figureName(static_cast<Figure>(figure));
  const QString directory = path_->text().isEmpty() ? folder_ : QFileInfo(path_->text()).absolutePath();
  path_->setText(QDir(directory).filePath(stem + QLatin1Char('.') + format_->currentData().toString()));
}

void ExportDialog::browse() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export Figure"), path_->text(),
                                                    tr("Images (*.png *.jpg *.pdf *.svg)"));
  if (path.isEmpty()) return;
  path_->setText(path);
  const int format = format_->findData(QFileInfo(path).suffix().toLower());
  if (format >= 0) {
    QSignalBlocker block(format_);
    format_->setCurrentIndex(format);
  }
}

ExportRequest ExportDialog::request() const {
  ExportRequest request;
  const int figure = figure_->currentData().toInt();
  if (figure == kAllFigures) request.figures = available_;
  else request.figures = {static_cast<Figure>(figure)};
  request.format = format_->currentData().toString();
  request.size = QSize(width_->value(), height_->value());
  request.scale = scale_->value();
  request.text = {title_->text().trimmed(), caption_->text().trimmed()};
  request.path = path_->text();
  return request;
}

void ExportDialog::setRequest(const ExportRequest& request) {
  if (request.figures.size() == 1) figure_->setCurrentIndex(std::max(0, figure_->findData(static_cast<int>(request.figures.front()))));
  else figure_->setCurrentIndex(figure_->findData(kAllFigures));
  format_->setCurrentIndex(std::max(0, format_->findData(request.format)));
  width_->setValue(request.size.width());
  height_->setValue(request.size.height());
  scale_->setValue(request.scale);
  title_->setText(request.text.title);
  caption_->setText(request.text.caption);
  if (!request.path.isEmpty()) path_->setText(request.path);
}

} // namespace genlab::ui
