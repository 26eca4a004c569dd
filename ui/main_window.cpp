#include "ui/main_window.h"

#include "core/errors.h"
#include "core/results/atomic_file.h"
#include "core/results/metrics_json.h"
#include "core/results/presets.h"
#include "core/results/spec_json.h"
#include "ui/data_preview.h"
#include "ui/experiment_form.h"
#include "ui/export_dialog.h"
#include "ui/plot_panel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include <cmath>

namespace genlab::ui {

namespace {

constexpr int kMaxRecent = 8;
constexpr Figure kFigures[] = {Figure::Loss, Figure::Accuracy, Figure::TimeToFit, Figure::TestError};

QString clock(double seconds) {
  const auto total = static_cast<qint64>(std::llround(seconds));
  return total >= 3600 ? QStringLiteral("%1:%2:%3").arg(total / 3600).arg(total / 60 % 60, 2, 10, QLatin1Char('0')).arg(total % 60, 2, 10, QLatin1Char('0'))
                       : QStringLiteral("%1:%2").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
}

QString statusName(train::RunStatus status) {
  return QString::fromUtf8(nameOf(train::runStatusNames(), status).data());
}

} // namespace

MainWindow::MainWindow(WindowOptions options, QWidget* parent)
    : QMainWindow(parent), options_(std::move(options)) {
  setWindowTitle(tr("GenLab"));
  setWindowIcon(QIcon(QStringLiteral(":/genlab/genlab.svg")));
  controller_ = new TrainingController(this);
  form_ = new ExperimentForm;
  preview_ = new DataPreview;

  auto* formScroll = new QScrollArea;
  formScroll->setWidget(form_);
  formScroll->setWidgetResizable(true);
  formScroll->setMinimumWidth(form_->sizeHint().width() + 24);

  tabs_ = new QTabWidget;
  tabs_->addTab(buildPlots(), tr("Plots"));
  tabs_->addTab(preview_, tr("Data preview"));

  splitter_ = new QSplitter;
  splitter_->addWidget(formScroll);
  splitter_->addWidget(tabs_);
  splitter_->setStretchFactor(1, 1);
  setCentralWidget(splitter_);

  buildActions();
  buildMenus();

  statusState_ = new QLabel;
  statusDevice_ = new QLabel;
  statusProgress_ = new QLabel;
  statusBar()->addWidget(statusState_);
  statusBar()->addWidget(statusDevice_);
  statusBar()->addPermanentWidget(statusProgress_);
  statusTimer_ = new QTimer(this);
  statusTimer_->setInterval(500);
  connect(statusTimer_, &QTimer::timeout, this, &MainWindow::updateStatus);

  connect(controller_, &TrainingController::stateChanged, this, &MainWindow::onStateChanged);
  connect(controller_, &TrainingController::sessionStarted, this, &MainWindow::onSessionStarted);
  connect(controller_, &TrainingController::metricsArrived, this, &MainWindow::onMetrics);
  connect(controller_, &TrainingController::sessionEnded, this, &MainWindow::onSessionEnded);
  connect(controller_, &TrainingController::sessionFailed, this, &MainWindow::onSessionFailed);
  connect(controller_, &TrainingController::parametersCounted, form_, &ExperimentForm::showParameterCount);
  connect(form_, &ExperimentForm::specChanged, this, &MainWindow::onSpecChanged);
  connect(form_, &ExperimentForm::modelChanged, this, [this] {
    const train::ExperimentSpec spec = form_->spec();
    controller_->countParameters(spec.model, spec.data);
  });

  resize(1440, 900);  // until QSettings restores the user's own geometry
  if (options_.restoreSettings) readSettings();
  const train::ExperimentSpec spec = form_->spec();
  controller_->countParameters(spec.model, spec.data);
  onSpecChanged();
  onStateChanged(controller_->state());
}

MainWindow::~MainWindow() = default;

QWidget* MainWindow::buildPlots() {
  auto* page = new QWidget;
  auto* layout = new QVBoxLayout(page);
  banner_ = new QLabel;
  banner_->setWordWrap(true);
  banner_->setStyleSheet(QStringLiteral("background: #FFF4D6; color: #222; border: 1px solid #E69F00; padding: 6px;"));
  banner_->setVisible(false);
  layout->addWidget(banner_);

  auto* tools = new QHBoxLayout;
  tools->addWidget(new QLabel(tr("Smoothing")));
  smoothing_ = new QSlider(Qt::Horizontal);
  smoothing_->setRange(0, 99);
  smoothing_->setMaximumWidth(220);
  smoothing_->setToolTip(tr("Debiased exponential moving average of the curves (TensorBoard's smoothing)"));
  smoothingValue_ = new QLabel(QStringLiteral("0.00"));
  tools->addWidget(smoothing_);
  tools->addWidget(smoothingValue_);
  logScale_ = new QCheckBox(tr("log-scale loss"));
  tools->addSpacing(16);
  tools->addWidget(logScale_);
  tools->addStretch(1);
  tools->addWidget(new QLabel(tr("drag to pan, wheel to zoom, double-click to fit")));
  layout->addLayout(tools);

  auto* grid = new QGridLayout;
  for (size_t i = 0; i < std::size(kFigures); ++i) {
    auto* panel = new PlotPanel(kFigures[i]);
    panel->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    panel->setMinimumSize(320, 220);
    panel->setData(&recorder_.data());
    panels_[kFigures[i]] = panel;
    grid->addWidget(panel, static_cast<int>(i / 2), static_cast<int>(i % 2));
  }
  plotGrid_ = grid;
  layout->addLayout(grid, 1);

  connect(smoothing_, &QSlider::valueChanged, this, [this](int value) {
    const double weight = value / 100.0;
    smoothingValue_->setText(QString::number(weight, 'f', 2));
    panels_.at(Figure::Loss)->setSmoothing(weight);
    panels_.at(Figure::Accuracy)->setSmoothing(weight);
  });
  connect(logScale_, &QCheckBox::toggled, this, [this](bool on) { panels_.at(Figure::Loss)->setLogScale(on); });
  return page;
}

void MainWindow::buildActions() {
  const auto add = [this](const QString& name, const QString& text, const QKeySequence& key,
                          auto slot, const QString& tip = {}) {
    auto* action = new QAction(text, this);
    if (!key.isEmpty()) action->setShortcut(key);
    action->setToolTip(tip.isEmpty() ? text : tip);
    if (!key.isEmpty()) action->setToolTip(action->toolTip() + QStringLiteral(" (") + key.toString(QKeySequence::NativeText) + QLatin1Char(')'));
    connect(action, &QAction::triggered, this, slot);
    actions_[name] = action;
    addAction(action);  // shortcuts work wherever the focus is
    return action;
  };
  add(QStringLiteral("start"), tr("Start"), QKeySequence(Qt::Key_F5), [this] { start(); },
      tr("Train one run per checked corruption setting"));
  add(QStringLiteral("pause"), tr("Pause"), QKeySequence(Qt::Key_F6), [this] { togglePause(); });
  add(QStringLiteral("step"), tr("Step"), QKeySequence(Qt::Key_F10), [this] { step(); },
      tr("While paused: one optimization step of every run"));
  add(QStringLiteral("stop"), tr("Stop"), QKeySequence(Qt::SHIFT | Qt::Key_F5), [this] { stop(); });
  add(QStringLiteral("reset"), tr("Reset"), QKeySequence(Qt::CTRL | Qt::Key_R), [this] { reset(); },
      tr("Stop and clear the plots"));
  add(QStringLiteral("open"), tr("Open Experiment…"), QKeySequence::Open, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Experiment"), lastFolder_, tr("Experiments (*.json)"));
    if (!path.isEmpty()) openSpec(path);
  });
  add(QStringLiteral("save"), tr("Save Experiment As…"), QKeySequence::Save, [this] {
    const QString suggested = QDir(lastFolder_).filePath(QString::fromStdString(form_->spec().name) + QStringLiteral(".json"));
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Experiment"), suggested, tr("Experiments (*.json)"));
    if (!path.isEmpty()) saveSpec(path);
  });
  add(QStringLiteral("export"), tr("Export Figure…"), QKeySequence(Qt::CTRL | Qt::Key_E), [this] { openExportDialog(); });
  add(QStringLiteral("copy"), tr("Copy Plot"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), [this] { copyPlot(); });
  add(QStringLiteral("csv"), tr("Export Metrics as CSV…"), {}, [this] { exportMetricsDialog(QStringLiteral("csv")); });
  add(QStringLiteral("json"), tr("Export Metrics as JSON…"), {}, [this] { exportMetricsDialog(QStringLiteral("json")); });
  add(QStringLiteral("quit"), tr("Quit"), QKeySequence::Quit, [this] { close(); });
  auto* presentation = add(QStringLiteral("presentation"), tr("Presentation Mode"), QKeySequence(Qt::Key_F11),
                           [this] { setPresentationMode(!presentation_); },
                           tr("Large text, thick lines and strong contrast for a projector"));
  presentation->setCheckable(true);
  add(QStringLiteral("fit"), tr("Fit All Plots"), QKeySequence(Qt::CTRL | Qt::Key_0), [this] {
    for (auto& [figure, panel] : panels_) panel->fitAll();
  });

  auto* bar = addToolBar(tr("Transport"));
  bar->setObjectName(QStringLiteral("transport"));
  bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
  for (const char* name : {"start", "pause", "step", "stop", "reset"}) bar->addAction(actions_.at(QString::fromLatin1(name)));
  bar->addSeparator();
  bar->addAction(actions_.at(QStringLiteral("export")));
  bar->addAction(presentation);
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(actions_.at(QStringLiteral("open")));
  recentMenu_ = file->addMenu(tr("Open &Recent"));
  file->addAction(actions_.at(QStringLiteral("save")));
  file->addSeparator();
  file->addAction(actions_.at(QStringLiteral("export")));
  file->addAction(actions_.at(QStringLiteral("copy")));
  file->addAction(actions_.at(QStringLiteral("csv")));
  file->addAction(actions_.at(QStringLiteral("json")));
  file->addSeparator();
  file->addAction(actions_.at(QStringLiteral("quit")));

  presetsMenu_ = menuBar()->addMenu(tr("&Presets"));
  loadPresetsMenu();

  QMenu* session = menuBar()->addMenu(tr("&Session"));
  for (const char* name : {"start", "pause", "step", "stop", "reset"}) session->addAction(actions_.at(QString::fromLatin1(name)));

  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addAction(actions_.at(QStringLiteral("presentation")));
  view->addAction(actions_.at(QStringLiteral("fit")));
  rebuildRecentMenu();
}

void MainWindow::loadPresetsMenu() {
  presetsMenu_->clear();
  try {
    for (const auto& preset : results::loadPresets(results::presetFolder())) {
      QAction* action = presetsMenu_->addAction(QString::fromStdString(preset.title));
      action->setToolTip(QString::fromStdString(preset.description));
      action->setData(QString::fromStdString(preset.id));
      connect(action, &QAction::triggered, this, [this, preset] {
        setSpec(preset.spec, QString::fromStdString(preset.title));
      });
    }
    presetsMenu_->setToolTipsVisible(true);
  } catch (const InputError& error) {
    QAction* none = presetsMenu_->addAction(tr("No presets: %1").arg(QString::fromStdString(error.what())));
    none->setEnabled(false);
  }
}

QAction* MainWindow::action(const QString& name) const {
  const auto found = actions_.find(name);
  return found == actions_.end() ? nullptr : found->second;
}

void MainWindow::setSpec(const train::ExperimentSpec& spec, const QString& title) {
  form_->setSpec(spec);
  setWindowTitle(title.isEmpty() ? tr("GenLab") : tr("%1 — GenLab").arg(title));
}

void MainWindow::onSpecChanged() {
  const train::ExperimentSpec spec = form_->spec();
  preview_->setSpec(spec);
  if (!controller_->active()) updateSweepPanels();
  if (controller_->active() && !(spec == controller_->spec()))
    statusBar()->showMessage(tr("The form differs from the running session: Start restarts with it."));
  else
    statusBar()->clearMessage();
}

void MainWindow::updateSweepPanels() {
  // Figures 1b and 1c only mean something for a sweep; other sessions give their room to 1a.
  const bool sweep = controller_->active() || controller_->state() == SessionState::Ended
                         ? !controller_->spec().sweepLevels.empty()
                         : !form_->spec().sweepLevels.empty();
  panels_.at(Figure::TimeToFit)->setVisible(sweep);
  panels_.at(Figure::TestError)->setVisible(sweep);
  plotGrid_->setRowStretch(0, 3);
  plotGrid_->setRowStretch(1, sweep ? 2 : 0);
}

void MainWindow::start() {
  if (const auto problem = form_->problem()) {
    showError(tr("Cannot start"), *problem);
    return;
  }
  if (controller_->active()) {
    const auto answer = QMessageBox::question(
        this, tr("Restart?"), tr("A session is running. Stop it and start the experiment in the form?"),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer != QMessageBox::Yes) return;
    if (!endSession()) {
      showError(tr("Cannot restart"), tr("The running session did not stop within 10 seconds."));
      return;
    }
  }
  banner_->setVisible(false);
  recorder_.onSessionStarted({});
  for (auto& [figure, panel] : panels_) panel->rebuild();
  controller_->start(form_->spec(), newResultsFolder());
  updateSweepPanels();
}

void MainWindow::togglePause() {
  if (controller_->state() == SessionState::Paused) controller_->resume();
  else controller_->pause();
}

bool MainWindow::endSession() {
  if (!controller_->active()) return true;
  controller_->stop();
  if (!controller_->waitUntilFinished(10'000)) return false;
  // The session's last delivery may wait out the delivery interval: let it arrive, so that
  // the plots hold every point and the controller leaves Stopping.
  QElapsedTimer waited;
  waited.start();
  while (controller_->active() && waited.elapsed() < 2000)
    QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
  return !controller_->active();
}

void MainWindow::step() { controller_->step(); }
void MainWindow::stop() { controller_->stop(); }

void MainWindow::reset() {
  if (!endSession()) {
    showError(tr("Cannot reset"), tr("The running session did not stop within 10 seconds."));
    return;
  }
  controller_->reset();
  recorder_.onSessionStarted({});
  progress_ = {};
  banner_->setVisible(false);
  for (auto& [figure, panel] : panels_) panel->rebuild();
  updateSweepPanels();
  updateStatus();
}

QString MainWindow::newResultsFolder() const {
  QString root = options_.resultsRoot;
  if (root.isEmpty())
    root = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("runs"));
  const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
  return QDir(root).filePath(stamp + QLatin1Char('-') + QString::fromStdString(form_->spec().name));
}

void MainWindow::onStateChanged(SessionState state) {
  const bool active = controller_->active();
  actions_.at(QStringLiteral("start"))->setEnabled(state != SessionState::Stopping);
  actions_.at(QStringLiteral("pause"))->setEnabled(state == SessionState::Running || state == SessionState::Paused || state == SessionState::Preparing);
  actions_.at(QStringLiteral("pause"))->setText(state == SessionState::Paused ? tr("Resume") : tr("Pause"));
  actions_.at(QStringLiteral("step"))->setEnabled(state == SessionState::Paused);
  actions_.at(QStringLiteral("stop"))->setEnabled(active && state != SessionState::Stopping);
  actions_.at(QStringLiteral("reset"))->setEnabled(state != SessionState::Idle);
  if (active) statusTimer_->start();
  else statusTimer_->stop();
  updateStatus();
}

void MainWindow::onSessionStarted(const train::SessionInfo& info) {
  recorder_.onSessionStarted(info);
  progress_.start(info, controller_->spec().training.epochs, controller_->spec().training.batchSize);
  device_ = QString::fromStdString(info.device);
  for (auto& [figure, panel] : panels_) panel->rebuild();
  updateStatus();
}

void MainWindow::onMetrics(const MetricsBatch& batch) {
  for (const auto& losses : batch.losses) recorder_.onStepLosses(losses);
  for (const auto& epoch : batch.epochs) recorder_.onEpoch(epoch);
  for (const auto& run : batch.endedRuns) {
    recorder_.onRunEnded(run);
    if (run.status == train::RunStatus::Diverged || run.status == train::RunStatus::Failed)
      showBanner(tr("%1 %2 at epoch %3: %4%5")
                     .arg(QString::fromStdString(run.setting.name()), statusName(run.status))
                     .arg(run.epochs + 1)
                     .arg(QString::fromStdString(run.message))
                     .arg(run.status == train::RunStatus::Diverged ? tr(". A smaller learning rate usually helps; the other runs go on.") : QString()));
  }
  progress_.add(batch, controller_->elapsedSeconds());
  for (auto& [figure, panel] : panels_)
    if (panel->isVisible()) panel->refresh();
}

void MainWindow::onSessionEnded(const train::SessionResult& result) {
  recorder_.onSessionEnded(result);
  for (auto& [figure, panel] : panels_) panel->refresh();
  updateSweepPanels();
  if (!options_.exportFormats.isEmpty()) {
    const QString folder = controller_->resultsFolder();
    for (const Figure figure : figuresFor(recorder_.data()))
      for (const QString& format : options_.exportFormats)
        exportFigures({figure}, QDir(folder).filePath(figureName(figure) + QLatin1Char('.') + format), format,
                      options_.exportSize, options_.exportScale);
  }
  updateStatus();
}

void MainWindow::onSessionFailed(Failure failure, const QString& message) {
  if (failure != Failure::Data) {
    const QString title = failure == Failure::Device ? tr("Device not available")
                          : failure == Failure::Results ? tr("Cannot write the results")
                                                        : tr("The session could not run");
    showError(title, message);
    return;
  }
  // A data set that is missing or unreadable: say how to get it, offer to pick a folder.
  lastMessage_ = message;
  auto* box = new QMessageBox(QMessageBox::Warning, tr("Data set not available"),
                              tr("The data set could not be loaded:\n%1").arg(message), QMessageBox::Close, this);
  box->setInformativeText(tr("Fashion-MNIST, the lab's default, comes with Debian's package "
                             "dataset-fashion-mnist:\n    sudo apt install dataset-fashion-mnist\n"
                             "MNIST (the four IDX files) and CIFAR-10 (the binary version) are read "
                             "from a folder you choose."));
  QPushButton* choose = box->addButton(tr("Choose Folder…"), QMessageBox::ActionRole);
  connect(choose, &QPushButton::clicked, this, [this] {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Data folder"));
    if (folder.isEmpty()) return;
    form_->dataFolder()->setText(folder);
    onSpecChanged();
  });
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

void MainWindow::showError(const QString& title, const QString& text, const QString& details) {
  lastMessage_ = text;
  auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Close, this);
  if (!details.isEmpty()) box->setInformativeText(details);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();  // window-modal and not blocking: training and plotting go on
}

void MainWindow::showBanner(const QString& text) {
  lastMessage_ = text;
  banner_->setText(text);
  banner_->setVisible(true);
}

QString MainWindow::statusText() const {
  return statusState_->text() + QStringLiteral(" | ") + statusDevice_->text() + QStringLiteral(" | ") + statusProgress_->text();
}

void MainWindow::updateStatus() {
  const SessionState state = controller_->state();
  statusState_->setText(describe(state));
  statusDevice_->setText(device_.isEmpty() ? QString() : device_);
  if (state == SessionState::Idle) {
    statusProgress_->setText(QString());
    return;
  }
  const ProgressReading reading = progress_.reading();
  QString text = tr("epoch %1/%2  |  runs ended %3/%4  |  %5 images/s  |  elapsed %6")
                     .arg(reading.epoch)
                     .arg(reading.epochs)
                     .arg(reading.runsEnded)
                     .arg(reading.runs)
                     .arg(QLocale(QLocale::English).toString(std::lround(reading.imagesPerSecond)))
                     .arg(clock(controller_->elapsedSeconds()));
  if (reading.secondsLeft && controller_->active()) text += tr("  |  left ≤ %1").arg(clock(*reading.secondsLeft));
  statusProgress_->setText(text);
}

bool MainWindow::saveSpec(const QString& path) {
  try {
    // Atomically, as every file the lab writes: a crash never leaves half an experiment.
    results::writeFileAtomically(path.toStdString(), results::toJson(form_->spec()).dump(2) + "\n");
  } catch (const InputError& error) {
    showError(tr("Cannot save the experiment"), QString::fromStdString(error.what()));
    return false;
  }
  lastFolder_ = QFileInfo(path).absolutePath();
  addRecent(path);
  return true;
}

bool MainWindow::openSpec(const QString& path) {
  try {
    setSpec(results::loadSpecFile(path.toStdString()), QFileInfo(path).completeBaseName());
  } catch (const InputError& error) {
    showError(tr("Cannot open the experiment"), QString::fromStdString(error.what()));
    return false;
  }
  lastFolder_ = QFileInfo(path).absolutePath();
  addRecent(path);
  return true;
}

void MainWindow::addRecent(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  recent_.removeAll(absolute);
  recent_.prepend(absolute);
  while (recent_.size() > kMaxRecent) recent_.removeLast();
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  for (const QString& path : recent_) {
    QAction* item = recentMenu_->addAction(QFileInfo(path).fileName());
    item->setToolTip(path);
    connect(item, &QAction::triggered, this, [this, path] { openSpec(path); });
  }
  recentMenu_->setEnabled(!recent_.isEmpty());
}

bool MainWindow::exportMetrics(const QString& path, const QString& format) {
  const QString folder = controller_->resultsFolder();
  try {
    if (controller_->state() == SessionState::Idle || folder.isEmpty())
      throw InputError("no session has written metrics yet: press Start first");
    const std::filesystem::path source = folder.toStdString();
    if (format == QLatin1String("json")) {
      results::writeMetricsJson(source, path.toStdString());
    } else {
      QFile::remove(path);
      if (!QFile::copy(QDir(folder).filePath(QStringLiteral("metrics.csv")), path))
        throw InputError("cannot write '" + path.toStdString() + "'");
    }
  } catch (const InputError& error) {
    showError(tr("Cannot export the metrics"), QString::fromStdString(error.what()));
    return false;
  }
  return true;
}

void MainWindow::exportMetricsDialog(const QString& format) {
  const QString suggested = QDir(lastFolder_).filePath(QStringLiteral("metrics.") + format);
  const QString path = QFileDialog::getSaveFileName(this, tr("Export Metrics"), suggested,
                                                    format == QLatin1String("json") ? tr("JSON (*.json)") : tr("CSV (*.csv)"));
  if (!path.isEmpty()) exportMetrics(path, format);
}

bool MainWindow::exportFigures(const std::vector<Figure>& figures, const QString& path,
                               const QString& format, QSize size, double scale) {
  try {
    // The normal style (for slides and papers, whatever the window's mode), on the scale shown.
    FigureStyle style;
    style.logScaleLoss = logScale_->isChecked();
    if (figures.size() == 1) exportFigure(recorder_.data(), figures.front(), path, format, size, scale, style);
    else ui::exportFigures(recorder_.data(), figures, path, format, size, scale, style);
  } catch (const InputError& error) {
    showError(tr("Cannot export the figure"), QString::fromStdString(error.what()));
    return false;
  }
  return true;
}

Figure MainWindow::currentFigure() const {
  for (auto& [figure, panel] : panels_)
    if (panel->isVisible() && panel->isAncestorOf(QApplication::focusWidget())) return figure;
  return Figure::Loss;
}

void MainWindow::openExportDialog() {
  std::vector<Figure> available;
  for (const Figure figure : kFigures)
    if (panels_.at(figure)->isVisible() || figure == Figure::Loss || figure == Figure::Accuracy) available.push_back(figure);
  ExportDialog dialog(available, currentFigure(), lastFolder_.isEmpty() ? QDir::homePath() : lastFolder_, this);
  if (dialog.exec() != QDialog::Accepted) return;
  const ExportRequest request = dialog.request();
  if (exportFigures(request.figures, request.path, request.format, request.size, request.scale))
    statusBar()->showMessage(tr("Wrote %1").arg(request.path), 5000);
  lastFolder_ = QFileInfo(request.path).absolutePath();
}

void MainWindow::copyPlot() {
  const Figure figure = currentFigure();
  const QSize size = panels_.at(figure)->size();
  FigureStyle style = panels_.at(figure)->style();  // what the panel shows
  style.logScaleLoss = panels_.at(figure)->logScale();
  QApplication::clipboard()->setImage(renderFigure(recorder_.data(), figure, size, devicePixelRatioF(), style));
  statusBar()->showMessage(tr("Copied %1 to the clipboard").arg(figureName(figure)), 3000);
}

void MainWindow::setPresentationMode(bool on) {
  presentation_ = on;
  actions_.at(QStringLiteral("presentation"))->setChecked(on);
  const FigureStyle style = on ? FigureStyle::presentation() : FigureStyle{};
  for (auto& [figure, panel] : panels_) panel->setStyle(style);
  QFont font = QApplication::font();
  if (on) font.setPointSizeF(font.pointSizeF() * 1.6);
  centralWidget()->setFont(font);
  statusBar()->setFont(font);
  // On a projector the plots are the point: the form gives them its room (F11 brings it back).
  splitter_->widget(0)->setVisible(!on);
  if (on) showFullScreen();
  else showNormal();
}

void MainWindow::closeEvent(QCloseEvent* event) {
  // Stop cleanly: the chunk in flight ends, the results written so far stay.
  if (controller_->active()) {
    controller_->stop();
    controller_->waitUntilFinished(30'000);
  }
  if (options_.restoreSettings) writeSettings();
  event->accept();
}

void MainWindow::writeSettings() const {
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState());
  settings.setValue(QStringLiteral("window/splitter"), splitter_->saveState());
  settings.setValue(QStringLiteral("view/smoothing"), smoothing_->value());
  settings.setValue(QStringLiteral("view/logScale"), logScale_->isChecked());
  settings.setValue(QStringLiteral("files/recent"), recent_);
  settings.setValue(QStringLiteral("files/lastFolder"), lastFolder_);
  settings.setValue(QStringLiteral("experiment/last"), QString::fromStdString(results::toJson(form_->spec()).dump()));
}

void MainWindow::readSettings() {
  QSettings settings;
  restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
  restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
  splitter_->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
  smoothing_->setValue(settings.value(QStringLiteral("view/smoothing"), 0).toInt());
  logScale_->setChecked(settings.value(QStringLiteral("view/logScale"), false).toBool());
  recent_ = settings.value(QStringLiteral("files/recent")).toStringList();
  lastFolder_ = settings.value(QStringLiteral("files/lastFolder")).toString();
  rebuildRecentMenu();
  const QString last = settings.value(QStringLiteral("experiment/last")).toString();
  if (last.isEmpty()) return;
  try {
    train::ExperimentSpec spec;
    results::mergeJson(spec, nlohmann::json::parse(last.toStdString()), "the last session's experiment");
    train::validate(spec);
    form_->setSpec(spec);
    restoredExperiment_ = true;
  } catch (const std::exception&) {
    // A stored experiment from another version that no longer parses: start from the defaults.
  }
}

} // namespace genlab::ui
