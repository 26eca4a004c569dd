#include "ui/sweep_dialog.h"

#include "core/errors.h"
#include "core/results/atomic_file.h"
#include "core/results/session_folder.h"
#include "core/results/spec_json.h"
#include "core/train/spec_fields.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QAbstractButton>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>

namespace genlab::ui {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

// QSettings keys of the remembered choices.
constexpr const char* kWhereKey = "sweep/where";  // "here" or "slurm"
constexpr const char* kJobsKey = "sweep/jobs";
constexpr const char* kSlurmKey = "sweep/slurm/";  // + the sbatch option's name

QString text(std::string_view view) { return QString::fromUtf8(view.data(), static_cast<int>(view.size())); }

/// One value typed for `path` as JSON.
json parseValue(const std::string& path, const std::string& value) {
  if (path == sweep::kSettingAxis) return value;
  return train::parseFieldText(train::requireSpecField(path), value, "'" + path + "'");
}

/// The values typed for one axis: comma-separated; for fields whose values are lists, and for
/// fields that vary together ("a,b": one "a1, b1" tuple each), semicolon-separated.
json parseValues(const QString& key, const QString& typed) {
  const QStringList paths = key.split(u',', Qt::SkipEmptyParts);
  const std::string first = paths.value(0).trimmed().toStdString();
  const train::SpecField* field = first == sweep::kSettingAxis ? nullptr : train::findSpecField(first);
  const bool listValued = paths.size() > 1 || (field && (field->type == train::FieldType::SettingList ||
                                                         field->type == train::FieldType::NumberList));
  json values = json::array();
  for (const QString& item : typed.split(listValued ? u';' : u',', Qt::SkipEmptyParts)) {
    QString text = item.trimmed();
    if (text.isEmpty()) continue;
    if (paths.size() == 1) {
      values.push_back(parseValue(first, text.toStdString()));
      continue;
    }
    if (text.startsWith(u'[') && text.endsWith(u']')) text = text.mid(1, text.size() - 2);
    const QStringList parts = text.split(u',');
    if (parts.size() != paths.size())
      throw InputError("'" + key.toStdString() + "' needs " + std::to_string(paths.size()) +
                       " values a tuple, got '" + item.trimmed().toStdString() + "'");
    json tuple = json::array();
    for (int j = 0; j < parts.size(); ++j)
      tuple.push_back(parseValue(paths[j].trimmed().toStdString(), parts[j].trimmed().toStdString()));
    values.push_back(tuple);
  }
  return values;
}

/// An axis' values as parseValues reads them back.
QString typedValues(const sweep::Axis& axis) {
  QStringList items;
  for (const auto& tuple : axis.values) {
    QStringList parts;
    for (const auto& value : tuple) parts << QString::fromStdString(train::fieldText(value));
    items << parts.join(QStringLiteral(", "));
  }
  const auto type = axis.paths[0] == sweep::kSettingAxis ? train::FieldType::Text
                                                          : train::requireSpecField(axis.paths[0]).type;
  const bool listValued = axis.paths.size() > 1 || type == train::FieldType::SettingList ||
                          type == train::FieldType::NumberList;
  return items.join(listValued ? QStringLiteral("; ") : QStringLiteral(", "));
}

} // namespace

SweepDialog::SweepDialog(const train::ExperimentSpec& base, const std::vector<sweep::Axis>& axes,
                         const QString& resultsRoot, const QString& genlab, QWidget* parent)
    : QDialog(parent), base_(base), genlab_(genlab) {
  setWindowTitle(tr("Run as Sweep"));
  setMinimumWidth(760);
  auto* layout = new QVBoxLayout(this);
  auto* intro = new QLabel(tr("<b>Base:</b> %1. Each combination of the axes' values is one task, "
                              "trained into its own folder; running the sweep again finishes what "
                              "is missing.")
                               .arg(QString::fromStdString(train::describeExperiment(base)).toHtmlEscaped()));
  intro->setWordWrap(true);
  layout->addWidget(intro);

  axes_ = new QTableWidget(0, 2);
  axes_->setHorizontalHeaderLabels({tr("Field"), tr("Values (comma-separated; \"a, b\" tuples separated by ;)")});
  axes_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
  axes_->verticalHeader()->hide();
  axes_->setMinimumHeight(140);
  layout->addWidget(axes_);
  auto* axisButtons = new QHBoxLayout;
  auto* add = new QPushButton(tr("Add Axis"));
  auto* remove = new QPushButton(tr("Remove Axis"));
  axisButtons->addWidget(add);
  axisButtons->addWidget(remove);
  axisButtons->addStretch(1);
  summary_ = new QLabel;
  summary_->setWordWrap(true);
  axisButtons->addWidget(summary_, 3);
  layout->addLayout(axisButtons);
  connect(add, &QPushButton::clicked, this, [this] { addAxis(QStringLiteral("model.width"), QString()); });
  connect(remove, &QPushButton::clicked, this, [this] {
    axes_->removeRow(axes_->currentRow() >= 0 ? axes_->currentRow() : axes_->rowCount() - 1);
  });
  connect(axes_, &QTableWidget::itemChanged, this, &SweepDialog::updateSummary);
  connect(axes_->model(), &QAbstractItemModel::rowsRemoved, this, &SweepDialog::updateSummary);

  if (!axes.empty()) {
    for (const auto& axis : axes) addAxis(QString::fromStdString(axis.key()), typedValues(axis));
  } else {
    // The form's settings become the first axis: one task per setting.
    QStringList settings;
    for (const auto& setting : train::runSettings(base)) settings << QString::fromStdString(setting.key());
    addAxis(QString::fromLatin1(sweep::kSettingAxis), settings.join(QStringLiteral(", ")));
  }

  auto* form = new QFormLayout;
  folder_ = new QLineEdit(QDir(resultsRoot).filePath(
      QStringLiteral("sweeps/") +
      QString::fromStdString(results::folderSafeName(
          QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-")).toStdString() + base.name))));
  auto* browse = new QPushButton(tr("Choose…"));
  connect(browse, &QPushButton::clicked, this, &SweepDialog::chooseFolder);
  auto* folderRow = new QHBoxLayout;
  folderRow->addWidget(folder_, 1);
  folderRow->addWidget(browse);
  form->addRow(tr("Results folder"), folderRow);
  layout->addLayout(form);

  const QSettings settingsStore;
  auto* whereBox = new QGroupBox(tr("Where"));
  auto* whereLayout = new QVBoxLayout(whereBox);
  where_ = new QButtonGroup(this);
  auto* here = new QRadioButton(tr("This machine, tasks at a time:"));
  auto* slurm = new QRadioButton(tr("A Slurm cluster (sbatch; the folder must be shared with its nodes)"));
  where_->addButton(here, 0);
  where_->addButton(slurm, 1);
  jobs_ = new QSpinBox;
  jobs_->setRange(1, 64);
  // As `genlab sweep run` without --jobs on a CPU machine (app/sweep_runner.h, kDefaultCpuJobs).
  jobs_->setValue(settingsStore.value(kJobsKey, std::min(2, QThread::idealThreadCount())).toInt());
  auto* hereRow = new QHBoxLayout;
  hereRow->addWidget(here);
  hereRow->addWidget(jobs_);
  hereRow->addStretch(1);
  whereLayout->addLayout(hereRow);
  whereLayout->addWidget(slurm);

  clusterOptions_ = new QWidget;
  auto* cluster = new QFormLayout(clusterOptions_);
  const auto line = [&](const char* key, const QString& placeholder) {
    auto* edit = new QLineEdit(settingsStore.value(QString::fromLatin1(kSlurmKey) + QLatin1String(key)).toString());
    edit->setPlaceholderText(placeholder);
    return edit;
  };
  const auto count = [&](const char* key, int maximum, const QString& zero) {
    auto* box = new QSpinBox;
    box->setRange(0, maximum);
    box->setSpecialValueText(zero);
    box->setValue(settingsStore.value(QString::fromLatin1(kSlurmKey) + QLatin1String(key), 0).toInt());
    return box;
  };
  partition_ = line("partition", tr("the cluster's default"));
  gpusPerTask_ = count("gpus-per-task", 16, tr("none"));
  time_ = line("time", tr("e.g. 04:00:00"));
  cpusPerTask_ = count("cpus-per-task", 256, tr("Slurm's default"));
  mem_ = line("mem", tr("e.g. 16G"));
  account_ = line("account", QString());
  qos_ = line("qos", QString());
  maxParallel_ = count("max-parallel", 10000, tr("no limit"));
  extraArgs_ = line("sbatch-arg", tr("more sbatch options, e.g. --constraint=a100"));
  cluster->addRow(tr("Partition"), partition_);
  cluster->addRow(tr("GPUs per task"), gpusPerTask_);
  cluster->addRow(tr("Time limit"), time_);
  cluster->addRow(tr("CPUs per task"), cpusPerTask_);
  cluster->addRow(tr("Memory"), mem_);
  cluster->addRow(tr("Account"), account_);
  cluster->addRow(tr("QoS"), qos_);
  cluster->addRow(tr("At most at once"), maxParallel_);
  cluster->addRow(tr("Other options"), extraArgs_);
  whereLayout->addWidget(clusterOptions_);
  layout->addWidget(whereBox);
  (settingsStore.value(kWhereKey).toString() == QLatin1String("slurm") ? slurm : here)->setChecked(true);

  output_ = new QPlainTextEdit;
  output_->setReadOnly(true);
  output_->setMaximumBlockCount(500);
  output_->hide();
  layout->addWidget(output_);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
  auto* save = buttons->addButton(tr("Save Sweep File…"), QDialogButtonBox::ActionRole);
  launch_ = buttons->addButton(tr("Start"), QDialogButtonBox::AcceptRole);
  connect(save, &QPushButton::clicked, this, &SweepDialog::saveFile);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(launch_, &QPushButton::clicked, this, &SweepDialog::launch);
  layout->addWidget(buttons);

  const auto whereChanged = [this] {
    clusterOptions_->setEnabled(onCluster());
    jobs_->setEnabled(!onCluster());
    launch_->setText(onCluster() ? tr("Submit") : tr("Start"));
  };
  connect(where_, &QButtonGroup::idToggled, this, whereChanged);
  whereChanged();
  updateSummary();
}

SweepDialog::~SweepDialog() = default;

bool SweepDialog::onCluster() const { return where_->checkedId() == 1; }

QString SweepDialog::resultsFolder() const { return folder_->text(); }
void SweepDialog::setResultsFolder(const QString& folder) { folder_->setText(folder); }
void SweepDialog::setWhere(bool slurm, int jobs) {
  where_->button(slurm ? 1 : 0)->setChecked(true);
  jobs_->setValue(jobs);
}
QString SweepDialog::summaryText() const { return summary_->text(); }

void SweepDialog::addAxis(const QString& path, const QString& values) {
  const int row = axes_->rowCount();
  axes_->insertRow(row);
  auto* field = new QComboBox;
  field->addItem(QString::fromLatin1(sweep::kSettingAxis));
  field->setItemData(0, tr("One corruption setting per task: true, random-labels, labels:0.2, ..."), Qt::ToolTipRole);
  for (const auto& f : train::specFields()) {
    if (f.path == "name") continue;
    field->addItem(text(f.path));
    field->setItemData(field->count() - 1, text(f.help), Qt::ToolTipRole);
  }
  if (field->findText(path) < 0) field->addItem(path);  // fields that vary together: "a,b"
  field->setCurrentText(path);
  connect(field, &QComboBox::currentTextChanged, this, &SweepDialog::updateSummary);
  axes_->setCellWidget(row, 0, field);
  axes_->setItem(row, 1, new QTableWidgetItem(values));
  axes_->resizeColumnToContents(0);
  axes_->setCurrentCell(row, 1);
  updateSummary();
}

std::optional<sweep::Sweep> SweepDialog::currentSweep(QString* problem) const {
  try {
    ordered_json document;
    document["title"] = base_.name + " sweep";
    document["spec"] = ordered_json::parse(results::toJson(base_).dump());
    ordered_json axes = ordered_json::object();
    for (int row = 0; row < axes_->rowCount(); ++row) {
      const auto* field = qobject_cast<QComboBox*>(axes_->cellWidget(row, 0));
      const QTableWidgetItem* values = axes_->item(row, 1);
      const QString path = field ? field->currentText() : QString();
      if (path.isEmpty()) continue;
      if (axes.contains(path.toStdString()))
        throw InputError("'" + path.toStdString() + "' is an axis twice");
      axes[path.toStdString()] = ordered_json::parse(parseValues(path, values ? values->text() : QString()).dump());
    }
    document["axes"] = axes;
    return sweep::parseSweep(document, "the sweep");
  } catch (const InputError& error) {
    if (problem) *problem = QString::fromStdString(error.what());
    return std::nullopt;
  }
}

void SweepDialog::updateSummary() {
  if (!summary_ || !launch_) return;
  QString problem;
  const auto sweep = currentSweep(&problem);
  if (sweep) {
    const auto count = sweep::taskCount(*sweep);
    summary_->setText(count == 1 ? tr("1 task") : tr("%1 tasks").arg(count));
    summary_->setStyleSheet(QString());
  } else {
    summary_->setText(problem);
    summary_->setStyleSheet(QStringLiteral("color: #b00020"));
  }
  launch_->setEnabled(sweep.has_value());
}

void SweepDialog::chooseFolder() {
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Results Folder of the Sweep"), folder_->text());
  if (!folder.isEmpty()) folder_->setText(folder);
}

void SweepDialog::saveFile() {
  QString problem;
  const auto sweep = currentSweep(&problem);
  if (!sweep) return;
  const QString path = QFileDialog::getSaveFileName(this, tr("Save Sweep File"),
                                                    QString::fromStdString(base_.name) + QStringLiteral("-sweep.json"),
                                                    tr("Sweep files (*.json)"));
  if (path.isEmpty()) return;
  try {
    results::writeFileAtomically(path.toStdString(), sweep::toJson(*sweep).dump(2) + "\n");
  } catch (const InputError& error) {
    output_->show();
    output_->appendPlainText(QString::fromStdString(error.what()));
  }
}

QStringList SweepDialog::commandArguments(const QString& sweepFile) const {
  QStringList args{QStringLiteral("sweep"), onCluster() ? QStringLiteral("submit") : QStringLiteral("run"),
                   sweepFile, QStringLiteral("--out"), folder_->text()};
  if (!onCluster()) return args << QStringLiteral("--jobs") << QString::number(jobs_->value());
  const auto option = [&](const char* name, const QString& value) {
    if (!value.trimmed().isEmpty()) args << QStringLiteral("--") + QLatin1String(name) << value.trimmed();
  };
  const auto number = [&](const char* name, const QSpinBox* box) {
    if (box->value() > 0) args << QStringLiteral("--") + QLatin1String(name) << QString::number(box->value());
  };
  option("partition", partition_->text());
  number("gpus-per-task", gpusPerTask_);
  option("time", time_->text());
  number("cpus-per-task", cpusPerTask_);
  option("mem", mem_->text());
  option("account", account_->text());
  option("qos", qos_->text());
  number("max-parallel", maxParallel_);
  for (const QString& arg : extraArgs_->text().split(u' ', Qt::SkipEmptyParts))
    args << QStringLiteral("--sbatch-arg=") + arg;
  return args;
}

void SweepDialog::remember() const {
  QSettings store;
  store.setValue(kWhereKey, onCluster() ? QStringLiteral("slurm") : QStringLiteral("here"));
  store.setValue(kJobsKey, jobs_->value());
  const auto put = [&](const char* key, const QVariant& value) {
    store.setValue(QString::fromLatin1(kSlurmKey) + QLatin1String(key), value);
  };
  put("partition", partition_->text());
  put("gpus-per-task", gpusPerTask_->value());
  put("time", time_->text());
  put("cpus-per-task", cpusPerTask_->value());
  put("mem", mem_->text());
  put("account", account_->text());
  put("qos", qos_->text());
  put("max-parallel", maxParallel_->value());
  put("sbatch-arg", extraArgs_->text());
}

void SweepDialog::launch() {
  QString problem;
  const auto sweep = currentSweep(&problem);
  if (!sweep) return;
  remember();
  output_->show();
  const QString folder = folder_->text();
  std::filesystem::path file;
  try {
    // The folder takes the sweep file before anything runs: a folder of another sweep or one
    // that cannot be written is refused here, with nothing started.
    file = sweep::prepareResultsFolder(*sweep, folder.toStdString());
  } catch (const InputError& error) {
    output_->appendPlainText(QString::fromStdString(error.what()));
    return;
  }
  const QString program = genlab_;
  const QStringList args = commandArguments(QString::fromStdString(file.string()));
  output_->appendPlainText(QStringLiteral("genlab ") + args.join(u' '));
  if (!onCluster()) {
    // In the background, detached: the sweep goes on when the window closes.
    QProcess runner;
    runner.setProgram(program);
    runner.setArguments(args);
    runner.setStandardOutputFile(QDir(folder).filePath(QStringLiteral("logs/runner.log")), QIODevice::Append);
    runner.setStandardErrorFile(QDir(folder).filePath(QStringLiteral("logs/runner.log")), QIODevice::Append);
    runner.setStandardInputFile(QProcess::nullDevice());
    if (!runner.startDetached()) {
      output_->appendPlainText(tr("Could not start %1").arg(program));
      return;
    }
    Q_EMIT sweepStarted(folder);
    accept();
    return;
  }
  launch_->setEnabled(false);
  auto* submit = new QProcess(this);
  submit->setProcessChannelMode(QProcess::MergedChannels);
  connect(submit, &QProcess::finished, this, [this, submit, folder](int code, QProcess::ExitStatus status) {
    output_->appendPlainText(QString::fromLocal8Bit(submit->readAll()).trimmed());
    submit->deleteLater();
    launch_->setEnabled(true);
    if (status == QProcess::NormalExit && code == 0) {
      Q_EMIT sweepStarted(folder);
      launch_->setText(tr("Submit Again"));
    }
  });
  submit->start(program, args);
}

} // namespace genlab::ui
