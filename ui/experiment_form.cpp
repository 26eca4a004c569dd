#include "ui/experiment_form.h"

#include "ui/wheel_guard.h"

#include "core/closed_form/kernel_kind.h"
#include "core/format.h"
#include "core/train/device.h"
#include "core/train/spec_fields.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRegularExpressionValidator>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace genlab::ui {

namespace {

using corruption::Kind;
using corruption::Setting;

/// The checklist's rows, in the paper's order (Figure 1a's legend).
constexpr Kind kKinds[] = {Kind::TrueLabels,     Kind::PartialLabels, Kind::RandomLabels,
                           Kind::ShuffledPixels, Kind::RandomPixels,  Kind::GaussianInputs};

int rowOf(Kind kind) {
  return static_cast<int>(std::find(std::begin(kKinds), std::end(kKinds), kind) - std::begin(kKinds));
}

QString settingLabel(Kind kind) {
  if (kind == Kind::PartialLabels) return QStringLiteral("partially corrupted labels, p =");
  return QString::fromStdString(Setting{kind, 0.0}.name());
}

/// A combo box whose items carry an enum's value.
template <class Enum>
void addItem(QComboBox* box, const QString& text, Enum value) {
  box->addItem(text, static_cast<int>(value));
}

template <class Enum>
Enum valueOf(const QComboBox* box) {
  return static_cast<Enum>(box->currentData().toInt());
}

template <class Enum>
void select(QComboBox* box, Enum value) {
  const int index = box->findData(static_cast<int>(value));
  if (index >= 0) box->setCurrentIndex(index);
}

/// The spec table's help and bounds (core/train/spec_fields.h) for a field's box.
QString fieldTip(const train::SpecField& field) {
  QString tip = QString::fromUtf8(field.help.data(), static_cast<int>(field.help.size()));
  tip[0] = tip[0].toUpper();
  const std::string bounds = train::describeBounds(field);
  if (!bounds.empty()) tip += QStringLiteral(" (%1)").arg(QString::fromStdString(bounds));
  return tip + QStringLiteral(". %1").arg(QString::fromUtf8(field.path.data(), static_cast<int>(field.path.size())));
}

/// A box for the real-valued field at `path`: its bounds from the table (an open bound one
/// step of the last decimal inside), `practicalMax` where the table has none or a larger one.
QDoubleSpinBox* realBox(std::string_view path, double practicalMax, double step, int decimals) {
  const train::SpecField& field = train::requireSpecField(path);
  const double unit = std::pow(10.0, -decimals);
  const auto& b = field.bounds;
  const double low = b.min ? *b.min + (b.minOpen ? unit : 0.0) : -practicalMax;
  const double high = b.max ? std::min(practicalMax, *b.max - (b.maxOpen ? unit : 0.0)) : practicalMax;
  auto* box = new QDoubleSpinBox;
  box->setRange(low, high);
  box->setSingleStep(step);
  box->setDecimals(decimals);
  box->setToolTip(fieldTip(field));
  return box;
}

/// The same for a whole-number field.
QSpinBox* countBox(std::string_view path, int practicalMax, const QString& zeroText = {}) {
  const train::SpecField& field = train::requireSpecField(path);
  const auto& b = field.bounds;
  const int low = b.min ? static_cast<int>(*b.min) + (b.minOpen ? 1 : 0) : 0;
  const int high = b.max ? std::min(practicalMax, static_cast<int>(*b.max) - (b.maxOpen ? 1 : 0)) : practicalMax;
  auto* box = new QSpinBox;
  box->setRange(low, high);
  box->setGroupSeparatorShown(true);
  box->setToolTip(fieldTip(field));
  if (!zeroText.isEmpty()) box->setSpecialValueText(zeroText);
  return box;
}

QFormLayout* formIn(QGroupBox* group) {
  auto* form = new QFormLayout(group);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  return form;
}

QString joined(const std::vector<double>& levels) {
  QStringList parts;
  for (double level : levels) parts << QString::number(level, 'g', 6);
  return parts.join(QStringLiteral(", "));
}

} // namespace

ExperimentForm::ExperimentForm(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(buildData());
  layout->addWidget(buildCorruptions());
  layout->addWidget(buildArchitecture());
  layout->addWidget(buildRegularizers());
  layout->addWidget(buildOptimizer());
  layout->addWidget(buildDevice());
  layout->addStretch(1);
  WheelGuard::install(this);
  const train::ExperimentSpec defaults;
  setSpec(defaults);
}

QWidget* ExperimentForm::buildData() {
  auto* group = new QGroupBox(tr("Data set"));
  auto* form = formIn(group);
  dataset_ = new QComboBox;
  // MNIST and CIFAR-10 come from the folder named below, or are fetched on the first Start
  // (the failure message offers the download) into the shared folder.
  addItem(dataset_, tr("Fashion-MNIST (installed)"), data::DatasetKind::FashionMnist);
  addItem(dataset_, tr("MNIST (download or folder)"), data::DatasetKind::Mnist);
  addItem(dataset_, tr("CIFAR-10 (download or folder)"), data::DatasetKind::Cifar10);
  addItem(dataset_, tr("Synthetic"), data::DatasetKind::Synthetic);
  form->addRow(tr("Data set"), dataset_);

  folder_ = new QLineEdit;
  folder_->setPlaceholderText(tr("default folder"));
  auto* browse = new QToolButton;
  browse->setText(QStringLiteral("…"));
  browse->setToolTip(tr("Choose the folder with the data files"));
  connect(browse, &QToolButton::clicked, this, &ExperimentForm::chooseFolder);
  auto* folderRow = new QHBoxLayout;
  folderRow->addWidget(folder_, 1);
  folderRow->addWidget(browse);
  form->addRow(tr("Folder"), folderRow);

  trainSize_ = countBox("data.train_size", 10'000'000, tr("all"));
  testSize_ = countBox("data.test_size", 10'000'000, tr("all"));
  form->addRow(tr("Training images"), trainSize_);
  form->addRow(tr("Test images"), testSize_);

  preprocessing_ = new QComboBox;
  addItem(preprocessing_, tr("standardize per channel"), data::Preprocessing::Standardize);
  addItem(preprocessing_, tr("scale to [0, 1] only"), data::Preprocessing::ScaleOnly);
  addItem(preprocessing_, tr("crop to 28x28 and whiten (paper, CIFAR-10)"), data::Preprocessing::CropAndWhiten);
  form->addRow(tr("Preprocessing"), preprocessing_);

  for (auto* box : {dataset_, preprocessing_})
    connect(box, &QComboBox::currentIndexChanged, this, [this] {
      changed();
      if (!loading_) Q_EMIT modelChanged();
    });
  connect(folder_, &QLineEdit::textEdited, this, &ExperimentForm::changed);
  for (auto* box : {trainSize_, testSize_})
    connect(box, &QSpinBox::valueChanged, this, &ExperimentForm::changed);
  return group;
}

QWidget* ExperimentForm::buildCorruptions() {
  auto* group = new QGroupBox(tr("Corruption settings (one run and one curve each)"));
  auto* grid = new QVBoxLayout(group);
  for (const Kind kind : kKinds) {
    auto* box = new QCheckBox(settingLabel(kind));
    settings_[rowOf(kind)] = box;
    connect(box, &QCheckBox::toggled, this, &ExperimentForm::changed);
    if (kind != Kind::PartialLabels) {
      grid->addWidget(box);
      continue;
    }
    partialLevel_ = new QDoubleSpinBox;  // a level p of the "labels:p" setting, in [0, 1]
    partialLevel_->setRange(0.0, 1.0);
    partialLevel_->setSingleStep(0.1);
    partialLevel_->setDecimals(2);
    partialSlider_ = new QSlider(Qt::Horizontal);
    partialSlider_->setRange(0, 100);
    connect(partialSlider_, &QSlider::valueChanged, this, [this](int value) {
      if (std::lround(partialLevel_->value() * 100) != value) partialLevel_->setValue(value / 100.0);
    });
    connect(partialLevel_, &QDoubleSpinBox::valueChanged, this, [this](double value) {
      partialSlider_->setValue(static_cast<int>(std::lround(value * 100)));
      changed();
    });
    auto* row = new QHBoxLayout;
    row->addWidget(box);
    row->addWidget(partialLevel_);
    row->addWidget(partialSlider_, 1);
    grid->addLayout(row);
    extraLevels_ = new QLabel;
    extraLevels_->setVisible(false);
    grid->addWidget(extraLevels_);
  }
  sweep_ = new QCheckBox(tr("Sweep label corruption instead, levels:"));
  sweep_->setToolTip(tr("One run of partially corrupted labels per level: Figures 1b and 1c"));
  sweepLevels_ = new QLineEdit(QStringLiteral("0, 0.2, 0.4, 0.6, 0.8, 1"));
  sweepLevels_->setValidator(new QRegularExpressionValidator(
      QRegularExpression(QStringLiteral(R"([0-9.,\s]*)")), sweepLevels_));
  auto* sweepRow = new QHBoxLayout;
  sweepRow->addWidget(sweep_);
  sweepRow->addWidget(sweepLevels_, 1);
  grid->addLayout(sweepRow);
  connect(sweep_, &QCheckBox::toggled, this, &ExperimentForm::changed);
  connect(sweepLevels_, &QLineEdit::textEdited, this, &ExperimentForm::changed);
  return group;
}

QWidget* ExperimentForm::buildArchitecture() {
  auto* group = new QGroupBox(tr("Architecture"));
  auto* form = formIn(group);
  architecture_ = new QComboBox;
  addItem(architecture_, tr("MLP"), models::Architecture::Mlp);
  addItem(architecture_, tr("small AlexNet"), models::Architecture::AlexNet);
  addItem(architecture_, tr("small Inception"), models::Architecture::Inception);
  addItem(architecture_, tr("kernel interpolation (closed form)"), models::Architecture::Kernel);
  addItem(architecture_, tr("random features (closed form)"), models::Architecture::RandomFeatures);
  architecture_->setItemData(3, tr("The paper's Section 5: the minimum-norm interpolant of a kernel, fitted in one "
                                   "solve; it fits any labelling, and its RKHS norm grows with the noise"),
                             Qt::ToolTipRole);
  architecture_->setItemData(4, tr("Minimum-norm least squares on N random features: the test error peaks at "
                                   "N = training images (double descent, Belkin et al. 2019)"),
                             Qt::ToolTipRole);
  form->addRow(tr("Network"), architecture_);
  depth_ = countBox("model.depth", 16);
  width_ = countBox("model.width", 8192);
  auto* shape = new QHBoxLayout;
  shape->addWidget(depth_);
  shape->addWidget(new QLabel(tr("hidden layers of")));
  shape->addWidget(width_);
  shape->addWidget(new QLabel(tr("units")));
  form->addRow(tr("MLP"), shape);
  batchNorm_ = new QCheckBox(tr("batch normalization"));
  form->addRow(QString(), batchNorm_);
  kernel_ = new QComboBox;
  addItem(kernel_, tr("RBF (Gaussian)"), closed_form::KernelKind::Rbf);
  addItem(kernel_, tr("arc-cosine (ReLU)"), closed_form::KernelKind::ArcCos);
  kernel_->setToolTip(fieldTip(train::requireSpecField("model.kernel")));
  bandwidth_ = realBox("model.bandwidth", 1e6, 0.5, 3);
  bandwidth_->setSpecialValueText(tr("from the data"));
  features_ = countBox("model.features", 1'000'000);
  auto* closed = new QHBoxLayout;
  closed->addWidget(kernel_);
  closed->addWidget(new QLabel(tr("bandwidth")));
  closed->addWidget(bandwidth_, 1);
  form->addRow(tr("Kernel"), closed);
  form->addRow(tr("Random features"), features_);
  parameters_ = new QLabel;
  parameters_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  form->addRow(tr("Parameters"), parameters_);

  connect(architecture_, &QComboBox::currentIndexChanged, this, [this] { changed(); if (!loading_) Q_EMIT modelChanged(); });
  for (auto* box : {depth_, width_})
    connect(box, &QSpinBox::valueChanged, this, [this] { changed(); if (!loading_) Q_EMIT modelChanged(); });
  connect(batchNorm_, &QCheckBox::toggled, this, [this] { changed(); if (!loading_) Q_EMIT modelChanged(); });
  connect(kernel_, &QComboBox::currentIndexChanged, this, [this] { changed(); if (!loading_) Q_EMIT modelChanged(); });
  connect(bandwidth_, &QDoubleSpinBox::valueChanged, this, [this] { changed(); });
  connect(features_, &QSpinBox::valueChanged, this, [this] { changed(); if (!loading_) Q_EMIT modelChanged(); });
  return group;
}

QWidget* ExperimentForm::buildRegularizers() {
  auto* group = regularizers_ = new QGroupBox(tr("Explicit regularizers"));
  auto* form = formIn(group);
  weightDecay_ = realBox("optimizer.weight_decay", 1.0, 0.0001, 6);
  form->addRow(tr("Weight decay"), weightDecay_);
  dropout_ = realBox("model.dropout", 0.95, 0.05, 2);
  form->addRow(tr("Dropout"), dropout_);
  augment_ = new QCheckBox(tr("data augmentation (random crops and flips)"));
  form->addRow(QString(), augment_);
  earlyStopping_ = new QCheckBox(tr("early stopping, patience"));
  patience_ = countBox("regularizers.patience", 1000);
  auto* early = new QHBoxLayout;
  early->addWidget(earlyStopping_);
  early->addWidget(patience_);
  early->addWidget(new QLabel(tr("epochs")), 1);
  form->addRow(QString(), early);
  connect(weightDecay_, &QDoubleSpinBox::valueChanged, this, &ExperimentForm::changed);
  connect(dropout_, &QDoubleSpinBox::valueChanged, this, [this] { changed(); });
  connect(augment_, &QCheckBox::toggled, this, &ExperimentForm::changed);
  connect(earlyStopping_, &QCheckBox::toggled, this, &ExperimentForm::changed);
  connect(patience_, &QSpinBox::valueChanged, this, &ExperimentForm::changed);
  return group;
}

QWidget* ExperimentForm::buildOptimizer() {
  auto* group = optimization_ = new QGroupBox(tr("Optimizer"));
  auto* form = formIn(group);
  optimizer_ = new QComboBox;
  addItem(optimizer_, tr("SGD with momentum"), train::Optimizer::Sgd);
  addItem(optimizer_, tr("Adam"), train::Optimizer::Adam);
  form->addRow(tr("Method"), optimizer_);
  learningRate_ = realBox("optimizer.learning_rate", 10.0, 0.001, 5);
  form->addRow(tr("Learning rate"), learningRate_);
  momentum_ = realBox("optimizer.momentum", 1.0, 0.05, 3);
  form->addRow(tr("Momentum"), momentum_);
  schedule_ = new QComboBox;
  addItem(schedule_, tr("constant"), train::Schedule::Constant);
  addItem(schedule_, tr("exponential decay per epoch"), train::Schedule::Exponential);
  addItem(schedule_, tr("step decay"), train::Schedule::Step);
  decayFactor_ = realBox("optimizer.decay_factor", 1.0, 0.01, 3);
  auto* schedule = new QHBoxLayout;
  schedule->addWidget(schedule_, 1);
  schedule->addWidget(new QLabel(tr("factor")));
  schedule->addWidget(decayFactor_);
  form->addRow(tr("Schedule"), schedule);
  batchSize_ = countBox("training.batch_size", 65536);
  form->addRow(tr("Batch size"), batchSize_);
  epochs_ = countBox("training.epochs", 100000);
  form->addRow(tr("Epochs (at most)"), epochs_);
  stopWhenFitted_ = new QCheckBox(tr("stop a run when it fits (100% training accuracy)"));
  form->addRow(QString(), stopWhenFitted_);
  memorization_ = new QCheckBox(tr("measure memorization (clean and corrupted examples fitted)"));
  memorization_->setToolTip(fieldTip(train::requireSpecField("measures.memorization")));
  form->addRow(QString(), memorization_);
  capacity_ = new QCheckBox(tr("measure capacity (norms, margin, spectral complexity)"));
  capacity_->setToolTip(fieldTip(train::requireSpecField("measures.capacity")));
  form->addRow(QString(), capacity_);
  for (auto* box : {optimizer_, schedule_})
    connect(box, &QComboBox::currentIndexChanged, this, &ExperimentForm::changed);
  for (auto* box : {learningRate_, momentum_, decayFactor_})
    connect(box, &QDoubleSpinBox::valueChanged, this, &ExperimentForm::changed);
  for (auto* box : {batchSize_, epochs_})
    connect(box, &QSpinBox::valueChanged, this, &ExperimentForm::changed);
  for (auto* box : {stopWhenFitted_, memorization_, capacity_})
    connect(box, &QCheckBox::toggled, this, &ExperimentForm::changed);
  return group;
}

QWidget* ExperimentForm::buildDevice() {
  auto* group = new QGroupBox(tr("Compute"));
  auto* form = formIn(group);
  device_ = new QComboBox;
  addItem(device_, tr("Auto"), train::DeviceChoice::Auto);
  addItem(device_, tr("CPU"), train::DeviceChoice::Cpu);
  addItem(device_, tr("CUDA"), train::DeviceChoice::Cuda);
  form->addRow(tr("Device"), device_);
  // Asking LibTorch whether CUDA works touches no model and no generator.
  const bool cuda = train::cudaAvailable();
  deviceNote_ = new QLabel(
      cuda ? QString::fromStdString(train::describeDevice(c10::Device(c10::kCUDA, 0)))
           : tr("CUDA: not available (CPU only)"));
  deviceNote_->setWordWrap(true);
  form->addRow(QString(), deviceNote_);
  estimate_ = new QLabel;
  estimate_->setWordWrap(true);
  estimate_->setToolTip(tr("From a few training steps of this network on this machine, remembered per "
                           "device, network, image size and batch size"));
  form->addRow(tr("Time"), estimate_);
  seed_ = new QLineEdit;
  seed_->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,20}")), seed_));
  seed_->setToolTip(fieldTip(train::requireSpecField("seed")));
  form->addRow(tr("Seed"), seed_);
  threads_ = countBox("compute.threads", 256, tr("all cores"));
  form->addRow(tr("CPU threads"), threads_);
  concurrentRuns_ = countBox("compute.concurrent_runs", 256, tr("one per core"));
  form->addRow(tr("Runs at once"), concurrentRuns_);
  connect(device_, &QComboBox::currentIndexChanged, this, &ExperimentForm::changed);
  connect(seed_, &QLineEdit::textEdited, this, &ExperimentForm::changed);
  connect(threads_, &QSpinBox::valueChanged, this, &ExperimentForm::changed);
  connect(concurrentRuns_, &QSpinBox::valueChanged, this, &ExperimentForm::changed);
  return group;
}

void ExperimentForm::chooseFolder() {
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Data folder"), folder_->text());
  if (folder.isEmpty()) return;
  folder_->setText(folder);
  changed();
}

void ExperimentForm::changed() {
  if (loading_) return;
  updateEnabled();
  Q_EMIT specChanged();
}

void ExperimentForm::updateEnabled() {
  const auto architecture = valueOf<models::Architecture>(architecture_);
  const bool mlp = architecture == models::Architecture::Mlp;
  depth_->setEnabled(mlp);
  width_->setEnabled(mlp);
  // A closed-form model takes no optimizer, regularizer or measure (train::validate says so).
  const bool closed = models::isClosedForm(architecture);
  batchNorm_->setEnabled(!closed);
  regularizers_->setEnabled(!closed);
  optimization_->setEnabled(!closed);
  kernel_->setEnabled(closed);
  models::ModelSpec model;
  model.architecture = architecture;
  model.kernel = valueOf<closed_form::KernelKind>(kernel_);
  bandwidth_->setEnabled(models::usesBandwidth(model));
  features_->setEnabled(architecture == models::Architecture::RandomFeatures);
  const bool sweep = sweep_->isChecked();
  for (auto* box : settings_) box->setEnabled(!sweep);
  partialLevel_->setEnabled(!sweep && settings_[rowOf(Kind::PartialLabels)]->isChecked());
  partialSlider_->setEnabled(partialLevel_->isEnabled());
  sweepLevels_->setEnabled(sweep);
  momentum_->setEnabled(valueOf<train::Optimizer>(optimizer_) == train::Optimizer::Sgd);
  decayFactor_->setEnabled(valueOf<train::Schedule>(schedule_) != train::Schedule::Constant);
  patience_->setEnabled(earlyStopping_->isChecked());
  const bool synthetic = valueOf<data::DatasetKind>(dataset_) == data::DatasetKind::Synthetic;
  folder_->setEnabled(!synthetic);
}

std::optional<std::vector<double>> ExperimentForm::parsedSweepLevels() const {
  std::vector<double> levels;
  const QStringList parts = sweepLevels_->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
  for (const QString& part : parts) {
    bool ok = false;
    const double level = part.trimmed().toDouble(&ok);
    if (!ok || level < 0.0 || level > 1.0) return std::nullopt;
    levels.push_back(level);
  }
  if (levels.empty()) return std::nullopt;
  return levels;
}

train::ExperimentSpec ExperimentForm::spec() const {
  train::ExperimentSpec spec = base_;
  spec.data.kind = valueOf<data::DatasetKind>(dataset_);
  spec.data.directory = folder_->text().trimmed().toStdString();
  spec.data.trainSize = trainSize_->value();
  spec.data.testSize = testSize_->value();
  spec.data.preprocessing = valueOf<data::Preprocessing>(preprocessing_);

  // The loaded order of the settings is kept (it fixes each run's colour); newly checked
  // settings follow in the paper's order.
  std::vector<Setting> checked;
  for (const Kind kind : kKinds)
    if (settings_[rowOf(kind)]->isChecked())
      checked.push_back(kind == Kind::PartialLabels ? Setting::partialLabels(partialLevel_->value())
                                                    : Setting{kind, kind == Kind::RandomLabels ? 1.0 : 0.0});
  std::vector<Setting> settings;
  bool partialPlaced = false;
  for (const Setting& old : base_.settings) {
    const auto same = std::find_if(checked.begin(), checked.end(),
                                   [&](const Setting& s) { return s.kind == old.kind; });
    if (same == checked.end()) continue;
    if (old.kind == Kind::PartialLabels) {
      if (partialPlaced) continue;  // extra levels are appended below
      partialPlaced = true;
    }
    settings.push_back(*same);
  }
  for (const Setting& setting : checked)
    if (std::find(settings.begin(), settings.end(), setting) == settings.end())
      settings.push_back(setting);
  if (settings_[rowOf(Kind::PartialLabels)]->isChecked())
    for (double level : extraPartialLevels_) settings.push_back(Setting::partialLabels(level));
  spec.settings = settings;
  spec.sweepLevels.clear();
  if (sweep_->isChecked())
    spec.sweepLevels = parsedSweepLevels().value_or(base_.sweepLevels);

  spec.model.architecture = valueOf<models::Architecture>(architecture_);
  spec.model.depth = depth_->value();
  spec.model.width = width_->value();
  spec.model.batchNorm = batchNorm_->isChecked();
  spec.model.dropout = dropout_->value();
  spec.model.kernel = valueOf<closed_form::KernelKind>(kernel_);
  spec.model.bandwidth = bandwidth_->value();
  spec.model.features = features_->value();

  spec.optimizer.weightDecay = weightDecay_->value();
  spec.regularizers.augment = augment_->isChecked();
  spec.regularizers.earlyStopping = earlyStopping_->isChecked();
  spec.regularizers.patience = patience_->value();

  spec.optimizer.kind = valueOf<train::Optimizer>(optimizer_);
  spec.optimizer.learningRate = learningRate_->value();
  spec.optimizer.momentum = momentum_->value();
  spec.optimizer.schedule = valueOf<train::Schedule>(schedule_);
  spec.optimizer.decayFactor = decayFactor_->value();
  spec.training.batchSize = batchSize_->value();
  spec.training.epochs = epochs_->value();
  spec.training.stopWhenFitted = stopWhenFitted_->isChecked();
  spec.measures.memorization = memorization_->isChecked();
  spec.measures.capacity = capacity_->isChecked();

  spec.compute.device = valueOf<train::DeviceChoice>(device_);
  bool ok = false;
  const qulonglong seed = seed_->text().toULongLong(&ok);
  spec.seed = ok ? seed : base_.seed;
  spec.compute.threads = threads_->value();
  spec.compute.concurrentRuns = concurrentRuns_->value();
  return spec;
}

void ExperimentForm::setSpec(const train::ExperimentSpec& spec) {
  loading_ = true;
  base_ = spec;
  select(dataset_, spec.data.kind);
  folder_->setText(QString::fromStdString(spec.data.directory));
  trainSize_->setValue(static_cast<int>(std::min<int64_t>(spec.data.trainSize, trainSize_->maximum())));
  testSize_->setValue(static_cast<int>(std::min<int64_t>(spec.data.testSize, testSize_->maximum())));
  select(preprocessing_, spec.data.preprocessing);

  for (auto* box : settings_) box->setChecked(false);
  extraPartialLevels_.clear();
  bool firstPartial = true;
  for (const Setting& setting : spec.settings) {
    settings_[rowOf(setting.kind)]->setChecked(true);
    if (setting.kind != Kind::PartialLabels) continue;
    if (firstPartial) partialLevel_->setValue(setting.level);
    else extraPartialLevels_.push_back(setting.level);
    firstPartial = false;
  }
  extraLevels_->setVisible(!extraPartialLevels_.empty());
  extraLevels_->setText(tr("    also p = %1 (from the loaded experiment)").arg(joined(extraPartialLevels_)));
  sweep_->setChecked(!spec.sweepLevels.empty());
  if (!spec.sweepLevels.empty()) sweepLevels_->setText(joined(spec.sweepLevels));

  select(architecture_, spec.model.architecture);
  depth_->setValue(static_cast<int>(spec.model.depth));
  width_->setValue(static_cast<int>(spec.model.width));
  batchNorm_->setChecked(spec.model.batchNorm);
  dropout_->setValue(spec.model.dropout);
  select(kernel_, spec.model.kernel);
  bandwidth_->setValue(spec.model.bandwidth);
  features_->setValue(static_cast<int>(spec.model.features));

  weightDecay_->setValue(spec.optimizer.weightDecay);
  augment_->setChecked(spec.regularizers.augment);
  earlyStopping_->setChecked(spec.regularizers.earlyStopping);
  patience_->setValue(static_cast<int>(spec.regularizers.patience));

  select(optimizer_, spec.optimizer.kind);
  learningRate_->setValue(spec.optimizer.learningRate);
  momentum_->setValue(spec.optimizer.momentum);
  select(schedule_, spec.optimizer.schedule);
  decayFactor_->setValue(spec.optimizer.decayFactor);
  batchSize_->setValue(static_cast<int>(spec.training.batchSize));
  epochs_->setValue(static_cast<int>(spec.training.epochs));
  stopWhenFitted_->setChecked(spec.training.stopWhenFitted);
  memorization_->setChecked(spec.measures.memorization);
  capacity_->setChecked(spec.measures.capacity);

  select(device_, spec.compute.device);
  seed_->setText(QString::number(spec.seed));
  threads_->setValue(spec.compute.threads);
  concurrentRuns_->setValue(spec.compute.concurrentRuns);
  loading_ = false;
  updateEnabled();
  Q_EMIT specChanged();
  Q_EMIT modelChanged();
}

std::optional<QString> ExperimentForm::problem() const {
  if (sweep_->isChecked() && !parsedSweepLevels())
    return tr("The sweep levels must be numbers between 0 and 1, separated by commas.");
  if (!sweep_->isChecked() &&
      std::none_of(std::begin(settings_), std::end(settings_), [](QCheckBox* b) { return b->isChecked(); }))
    return tr("Check at least one corruption setting: each becomes one run and one curve.");
  bool ok = false;
  seed_->text().toULongLong(&ok);
  if (!ok) return tr("The seed must be a whole number from 0 to 18446744073709551615.");
  try {
    train::validate(spec());
  } catch (const std::exception& error) {
    return QString::fromStdString(error.what());
  }
  return std::nullopt;
}

void ExperimentForm::showEstimate(const QString& text) { estimate_->setText(text); }

void ExperimentForm::showParameterCount(qint64 count, const QString& error) {
  if (!error.isEmpty()) {
    parameters_->setText(tr("— (%1)").arg(error));
    return;
  }
  parameters_->setText(QLocale(QLocale::English).toString(count));
}

QCheckBox* ExperimentForm::settingBox(Kind kind) const { return settings_[rowOf(kind)]; }

} // namespace genlab::ui
