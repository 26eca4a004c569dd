#include "ui/data_preview.h"

#include "core/corruption/preview.h"
#include "core/errors.h"
#include "core/results/layout.h"
#include "core/results/memorization_file.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cstring>
#include <utility>

namespace genlab::ui {

namespace {

constexpr int kColumns = 8;
constexpr int kSamples = 32;
constexpr int kPixels = 84;  // on-screen size of one image

QImage toImage(const corruption::PreviewImage& image) {
  const auto height = static_cast<int>(image.shape.height);
  const auto width = static_cast<int>(image.shape.width);
  const bool grey = image.shape.channels == 1;
  QImage out(width, height, grey ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
  const size_t rowBytes = static_cast<size_t>(width) * (grey ? 1 : 3);
  for (int row = 0; row < height; ++row)
    std::memcpy(out.scanLine(row), image.pixels.data() + static_cast<size_t>(row) * rowBytes, rowBytes);
  return out;
}

void fill(PreviewResult& result, const corruption::Preview& preview) {
  result.description = QString::fromStdString(preview.description);
  for (const auto& image : preview.images)
    result.samples.push_back({toImage(image), QString::fromStdString(image.label),
                              QString::fromStdString(image.trueLabel), {}});
}

} // namespace

PreviewResult makePreview(const data::DataSpec& dataSpec, const corruption::Setting& setting,
                          uint64_t seed, int count) {
  PreviewResult result;
  try {
    fill(result, corruption::previewSetting(dataSpec, setting, seed, count));
  } catch (const std::exception& error) {
    result.error = QString::fromStdString(firstLine(error.what()));
  }
  return result;
}

PreviewResult makeLearnedLastPreview(const data::DataSpec& dataSpec, const corruption::Setting& setting,
                                     uint64_t seed, int count, PreviewOrder order, const QString& record) {
  PreviewResult result;
  try {
    const bool corrupted = order == PreviewOrder::CorruptedLearnedLast;
    const auto chosen = results::learnedLast(results::readMemorization(record.toStdString()), corrupted,
                                             static_cast<size_t>(std::max(count, 0)));
    std::vector<int64_t> examples;
    for (const auto& e : chosen) examples.push_back(e.example);
    fill(result, corruption::previewExamples(dataSpec, setting, seed, examples));
    int notYet = 0;
    for (size_t i = 0; i < chosen.size(); ++i) {
      notYet += chosen[i].fittedSince == 0 ? 1 : 0;
      result.samples[i].learned = chosen[i].fittedSince == 0 ? QObject::tr("not fitted")
                                                             : QObject::tr("epoch %1").arg(chosen[i].fittedSince);
    }
    result.description = (corrupted ? QObject::tr("The %1 corrupted labels the network fitted last, each with the epoch from which it fits it")
                                    : QObject::tr("The %1 clean labels the network fitted last, each with the epoch from which it fits it"))
                             .arg(chosen.size());
    result.description += notYet == 0 ? QStringLiteral(".") : QObject::tr("; %1 of them it does not fit.").arg(notYet);
    if (chosen.empty())
      result.description = corrupted ? QObject::tr("This run has no corrupted labels.") : QObject::tr("This run has no clean labels.");
  } catch (const std::exception& error) {
    result.error = QString::fromStdString(firstLine(error.what()));
  }
  return result;
}

DataPreview::DataPreview(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel(tr("Training images under")));
  setting_ = new QComboBox;
  top->addWidget(setting_);
  top->addSpacing(16);
  top->addWidget(new QLabel(tr("Show")));
  order_ = new QComboBox;
  order_->addItem(tr("the first images"), static_cast<int>(PreviewOrder::FirstImages));
  order_->addItem(tr("corrupted labels learned last"), static_cast<int>(PreviewOrder::CorruptedLearnedLast));
  order_->addItem(tr("clean labels learned last"), static_cast<int>(PreviewOrder::CleanLearnedLast));
  order_->setToolTip(tr("After a run that measured memorization (Optimizer group): the training images it "
                        "fitted last or not at all. Among corrupted labels these are the ones the network "
                        "resists; among clean ones, the hard examples (Arpit et al. 2017)."));
  top->addWidget(order_);
  top->addStretch(1);
  layout->addLayout(top);
  status_ = new QLabel;
  status_->setWordWrap(true);
  layout->addWidget(status_);
  grid_ = new QGridLayout;
  grid_->setSpacing(6);
  layout->addLayout(grid_);
  layout->addStretch(1);
  connect(setting_, &QComboBox::currentIndexChanged, this, [this] { reload(); });
  connect(order_, &QComboBox::currentIndexChanged, this, [this] { reload(); });
  connect(&watcher_, &QFutureWatcher<PreviewResult>::finished, this, [this] {
    // Edits made while it loaded make this result stale: load the latest instead.
    if (std::exchange(reloadWanted_, false)) reload();
    else show(watcher_.result());
  });
}

DataPreview::~DataPreview() { watcher_.waitForFinished(); }

void DataPreview::setSpec(const train::ExperimentSpec& spec) {
  const bool sameData = spec.data == spec_.data && spec.seed == spec_.seed;
  const auto settings = train::runSettings(spec);
  const bool sameSettings = settings == train::runSettings(spec_);
  spec_ = spec;
  if (!sameSettings) {
    const QString current = setting_->currentData().toString();
    QSignalBlocker block(setting_);
    setting_->clear();
    for (const auto& setting : settings)
      setting_->addItem(QString::fromStdString(setting.name()), QString::fromStdString(setting.key()));
    const int keep = setting_->findData(current);
    setting_->setCurrentIndex(keep >= 0 ? keep : 0);
  }
  if (sameData && sameSettings && !shown_.empty()) return;
  stale_ = true;
  if (isVisible()) reload();
}

void DataPreview::setSession(const QString& folder, const train::ExperimentSpec& spec) {
  sessionFolder_ = folder;
  sessionSpec_ = spec;
  stale_ = true;
  if (isVisible()) reload();
}

QString DataPreview::recordOf(const corruption::Setting& setting, QString& why) const {
  const auto settings = train::runSettings(sessionSpec_);
  const auto run = std::find(settings.begin(), settings.end(), setting);
  if (sessionFolder_.isEmpty() || run == settings.end() || !(sessionSpec_.data == spec_.data) ||
      sessionSpec_.seed != spec_.seed) {
    why = tr("No run of %1 on these data in this window's session: train it with memorization measured.")
              .arg(setting_->currentText());
    return {};
  }
  if (!sessionSpec_.measures.memorization) {
    why = tr("The session did not measure memorization: turn it on in the Optimizer group and train again.");
    return {};
  }
  const QString path = QDir(sessionFolder_).filePath(QString::fromStdString(
      results::memorizationFileName(static_cast<int>(run - settings.begin()))));
  if (!QFileInfo::exists(path)) {
    why = tr("No memorization record yet: the run has not finished an epoch.");
    return {};
  }
  return path;
}

void DataPreview::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (stale_) reload();
}

void DataPreview::reload() {
  if (setting_->count() == 0) return;
  if (watcher_.isRunning()) {
    // The running load finishes first; however many requests came meanwhile, one load of the
    // latest follows it.
    reloadWanted_ = true;
    return;
  }
  stale_ = false;
  const corruption::Setting setting = corruption::parseSetting(setting_->currentData().toString().toStdString());
  const auto order = static_cast<PreviewOrder>(order_->currentData().toInt());
  if (order == PreviewOrder::FirstImages) {
    status_->setText(tr("Loading %1 …").arg(setting_->currentText()));
    watcher_.setFuture(QtConcurrent::run(makePreview, spec_.data, setting, spec_.seed, kSamples));
    return;
  }
  QString why;
  const QString record = recordOf(setting, why);
  if (record.isEmpty()) {
    show({{}, why, {}});  // nothing to show, and why
    return;
  }
  status_->setText(tr("Loading %1 …").arg(setting_->currentText()));
  watcher_.setFuture(QtConcurrent::run(makeLearnedLastPreview, spec_.data, setting, spec_.seed, kSamples, order, record));
}

void DataPreview::show(const PreviewResult& result) {
  while (QLayoutItem* item = grid_->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  shown_ = result.samples;
  if (!result.error.isEmpty()) {
    status_->setText(tr("No preview: %1").arg(result.error));
    Q_EMIT loaded();
    return;
  }
  status_->setText(result.description);
  for (size_t i = 0; i < shown_.size(); ++i) {
    const PreviewSample& sample = shown_[i];
    auto* cell = new QWidget;
    auto* box = new QVBoxLayout(cell);
    box->setContentsMargins(0, 0, 0, 0);
    auto* picture = new QLabel;
    picture->setPixmap(QPixmap::fromImage(sample.image.scaled(kPixels, kPixels, Qt::KeepAspectRatio, Qt::FastTransformation)));
    picture->setAlignment(Qt::AlignCenter);
    const bool changed = sample.label != sample.trueLabel;
    QString text = changed ? tr("%1\n(was %2)").arg(sample.label, sample.trueLabel) : sample.label;
    if (!sample.learned.isEmpty()) text += QLatin1Char('\n') + sample.learned;
    auto* caption = new QLabel(text);
    caption->setAlignment(Qt::AlignCenter);
    if (changed) {
      // A palette, not a style sheet: the caption keeps the font the window gives it (larger in
      // presentation mode) like every other caption.
      QPalette palette = caption->palette();
      palette.setColor(QPalette::WindowText, QColor(0xD5, 0x5E, 0x00));
      caption->setPalette(palette);
    }
    box->addWidget(picture);
    box->addWidget(caption);
    grid_->addWidget(cell, static_cast<int>(i) / kColumns, static_cast<int>(i) % kColumns);
  }
  Q_EMIT loaded();
}

} // namespace genlab::ui
