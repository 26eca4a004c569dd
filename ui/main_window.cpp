#include "ui/main_window.h"

#include "core/errors.h"
#include "core/results/atomic_file.h"
#include "core/results/metrics_json.h"
#include "core/results/presets.h"
#include "core/results/run_table.h"
#include "core/results/session_folder.h"
#include "core/results/session_resume.h"
#include "core/results/spec_json.h"
#include "core/datasets/fetch.h"
#include "core/train/speed_probe.h"
#include "ui/data_fetch_dialog.h"
#include "ui/data_preview.h"
#include "ui/experiment_form.h"
#include "ui/export_dialog.h"
#include "ui/plot_panel.h"
#include "ui/plots_page.h"
#include "ui/run_library.h"
#include "ui/run_table_page.h"
#include "ui/runs_model.h"
#include "ui/runs_panel.h"
#include "ui/status_presenter.h"
#include "ui/sweep_dialog.h"
#include "ui/window_memory.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QLocale>
#include <QMimeData>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSlider>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>

#include <nlohmann/json.hpp>

namespace genlab::ui {

namespace {

/// How many sessions of a root the user opens start checked (the newest ones).
constexpr int kCheckedPerOpenedRoot = 20;
/// The shortest time between two batches of session records taken from the run library.
constexpr qint64 kSessionBatchMs = 400;

bool under(const QString& folder, const QString& root) {
  return folder == root || folder.startsWith(root + QLatin1Char('/'));
}

} // namespace

MainWindow::MainWindow(WindowOptions options, QWidget* parent)
    : QMainWindow(parent), options_(std::move(options)) {
  setWindowTitle(tr("GenLab"));
  setWindowIcon(QIcon(QStringLiteral(":/genlab/genlab.svg")));
  setAcceptDrops(true);
  actions_ = WindowActions::create(this);
  controller_ = new TrainingController(this);
  form_ = new ExperimentForm;
  preview_ = new DataPreview;
  plots_ = new PlotsPage;
  plots_->setData(&recorder_.data());
  runTable_ = new RunTablePage;
  runTable_->setSource([this] { return runTableRows(); });
  library_ = new RunLibrary(this);
  runsModel_ = new RunsModel(this);
  sessionTimer_ = new QTimer(this);
  sessionTimer_->setSingleShot(true);
  connect(sessionTimer_, &QTimer::timeout, this, &MainWindow::takeSessions);
  composeTimer_ = new QTimer(this);
  composeTimer_->setSingleShot(true);
  composeTimer_->setInterval(100);
  connect(composeTimer_, &QTimer::timeout, this, &MainWindow::compose);

  auto* formScroll = new QScrollArea;
  formScroll->setWidget(form_);
  formScroll->setWidgetResizable(true);
  formScroll->setMinimumWidth(form_->sizeHint().width() + 24);

  tabs_ = new QTabWidget;
  tabs_->addTab(plots_, tr("Plots"));
  tabs_->addTab(runTable_, tr("Run table"));
  tabs_->addTab(preview_, tr("Data preview"));

  splitter_ = new QSplitter;
  splitter_->addWidget(formScroll);
  splitter_->addWidget(tabs_);
  splitter_->setStretchFactor(1, 1);
  setCentralWidget(splitter_);

  buildRunsDock();
  connectActions();
  buildMenus();
  status_ = new StatusPresenter(statusBar(), controller_, this);
  connect(status_, &StatusPresenter::updated, this, &MainWindow::updateHints);

  connect(controller_, &TrainingController::stateChanged, this, &MainWindow::onStateChanged);
  connect(controller_, &TrainingController::sessionStarted, this, &MainWindow::onSessionStarted);
  connect(controller_, &TrainingController::metricsArrived, this, &MainWindow::onMetrics);
  connect(controller_, &TrainingController::sessionEnded, this, &MainWindow::onSessionEnded);
  connect(controller_, &TrainingController::sessionFailed, this, &MainWindow::onSessionFailed);
  connect(controller_, &TrainingController::parametersCounted, form_, &ExperimentForm::showParameterCount);
  connect(form_, &ExperimentForm::specChanged, this, &MainWindow::onSpecChanged);
  estimateTimer_ = new QTimer(this);
  estimateTimer_->setSingleShot(true);
  estimateTimer_->setInterval(600);  // the form settles (a value typed digit by digit) first
  connect(estimateTimer_, &QTimer::timeout, this, &MainWindow::updateEstimate);
  connect(form_, &ExperimentForm::specChanged, estimateTimer_, qOverload<>(&QTimer::start));
  connect(controller_, &TrainingController::speedProbed, this,
          [this](const QString& key, double imagesPerSecond, const QString& error) {
            if (!error.isEmpty()) {
              form_->showEstimate(tr("Not timed: %1").arg(error));
              return;
            }
            WindowMemory::rememberSpeed(key, imagesPerSecond);
            updateEstimate();
          });
  connect(form_, &ExperimentForm::modelChanged, this, [this] {
    const train::ExperimentSpec spec = form_->spec();
    controller_->countParameters(spec.model, spec.data);
  });
  connect(runTable_, &RunTablePage::failed, this, [this](const QString& message) {
    showError(tr("Cannot export the run table"), message);
  });

  shownSpec_ = form_->spec();
  updateTitle();
  // Until QSettings restores the user's own geometry: as much as fits the screen, and on a
  // screen as narrow as a projector's the runs panel steps aside for the plots (F9 shows it).
  const QRect screen = QGuiApplication::primaryScreen() ? QGuiApplication::primaryScreen()->availableGeometry()
                                                        : QRect(0, 0, 1440, 900);
  resize(std::min(1440, screen.width()), std::min(900, screen.height()));
  if (screen.width() < 1600) runsDock_->hide();
  if (options_.restoreSettings) readSettings();
  library_->addRoot(defaultRoot());
  for (const QString& folder : options_.openFolders) openRuns(folder);
  const train::ExperimentSpec spec = form_->spec();
  controller_->countParameters(spec.model, spec.data);
  onSpecChanged();
  onStateChanged(controller_->state());
  estimateTimer_->start();
}

MainWindow::~MainWindow() = default;

QString MainWindow::defaultRoot() const {
  QString root = options_.resultsRoot;
  if (root.isEmpty())
    root = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("runs"));
  return normalizedFolder(root);
}

PlotPanel* MainWindow::panel(Figure figure) const { return plots_->panel(figure); }

const FigureData& MainWindow::figureData() const { return composed_ ? composer_.data() : recorder_.data(); }

void MainWindow::buildRunsDock() {
  runsPanel_ = new RunsPanel(runsModel_);
  runsDock_ = new QDockWidget(tr("Runs"), this);
  runsDock_->setObjectName(QStringLiteral("runs"));
  runsDock_->setWidget(runsPanel_);
  addDockWidget(Qt::RightDockWidgetArea, runsDock_);
  actions_.runsPanel = runsDock_->toggleViewAction();
  actions_.runsPanel->setShortcut(QKeySequence(Qt::Key_F9));

  connect(library_, &RunLibrary::sessionUpdated, this, &MainWindow::onSessionFound);
  connect(library_, &RunLibrary::sessionRemoved, this, [this](const QString& folder) {
    runsModel_->removeSession(folder);
    curvesRead_.erase(folder);
  });
  connect(library_, &RunLibrary::rootProblems, this, [this](const QString& root, const QStringList& problems) {
    if (!problems.isEmpty() && openedRoots_.contains(root))
      statusBar()->showMessage(tr("%1: %2").arg(root, problems.join(QStringLiteral("; "))), 8000);
  });
  connect(runsModel_, &RunsModel::checkedChanged, this, &MainWindow::scheduleCompose);
  connect(runsPanel_, &RunsPanel::openRunsRequested, actions_.openRuns, &QAction::trigger);
  connect(runsPanel_, &RunsPanel::trashRequested, this, &MainWindow::moveToTrash);
  connect(runsPanel_, &RunsPanel::removeRootRequested, this, &MainWindow::removeRoot);
  connect(runsPanel_, &RunsPanel::resumeRequested, this, &MainWindow::continueSession);
}

void MainWindow::connectActions() {
  const auto on = [this](QAction* action, auto slot) { connect(action, &QAction::triggered, this, slot); };
  on(actions_.start, [this] { start(); });
  on(actions_.pause, [this] { togglePause(); });
  on(actions_.step, [this] { step(); });
  on(actions_.stop, [this] { stop(); });
  on(actions_.resumeSession, [this] { continueSession(sessionFolder_); });
  on(actions_.reset, [this] { reset(); });
  on(actions_.open, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Experiment"), lastFolder_, tr("Experiments (*.json)"));
    if (!path.isEmpty()) openSpec(path);
  });
  on(actions_.save, [this] {
    const QString suggested = QDir(lastFolder_).filePath(QString::fromStdString(form_->spec().name) + QStringLiteral(".json"));
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Experiment"), suggested, tr("Experiments (*.json)"));
    if (!path.isEmpty()) saveSpec(path);
  });
  on(actions_.runAsSweep, [this] {
    // The form showing a grid preset's base: start from that grid's axes.
    const train::ExperimentSpec spec = form_->spec();
    std::vector<sweep::Axis> axes;
    try {
      for (const auto& preset : results::loadPresets(results::presetFolder()))
        if (preset.grid && preset.spec == spec) axes = sweep::loadSweep(preset.file).axes;
    } catch (const InputError&) {
      // No presets to compare with: the form's settings are the axis.
    }
    auto* dialog = new SweepDialog(spec, axes, defaultRoot(),
                                   options_.genlabProgram.isEmpty() ? QCoreApplication::applicationFilePath()
                                                                    : options_.genlabProgram,
                                   this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SweepDialog::sweepStarted, this, [this](const QString& folder) { openRuns(folder); });
    dialog->open();
  });
  on(actions_.openRuns, [this] {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Runs"), lastFolder_);
    if (!folder.isEmpty()) openRuns(folder);
  });
  on(actions_.exportFigure, [this] { openExportDialog(); });
  on(actions_.copy, [this] { copyPlot(); });
  on(actions_.csv, [this] { exportMetricsDialog(QStringLiteral("csv")); });
  on(actions_.json, [this] { exportMetricsDialog(QStringLiteral("json")); });
  on(actions_.quit, [this] { close(); });
  on(actions_.presentation, [this] { setPresentationMode(!presentation_); });
  on(actions_.fit, [this] {
    for (auto& [figure, panel] : plots_->panels()) panel->fitAll();
  });

  auto* bar = addToolBar(tr("Transport"));
  bar->setObjectName(QStringLiteral("transport"));
  bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
  for (QAction* action : {actions_.start, actions_.pause, actions_.step, actions_.stop, actions_.resumeSession,
                          actions_.reset})
    bar->addAction(action);
  bar->addSeparator();
  bar->addAction(actions_.exportFigure);
  bar->addAction(actions_.presentation);
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(actions_.open);
  recent_ = new RecentFiles(file->addMenu(tr("Open &Recent")), this);
  connect(recent_, &RecentFiles::chosen, this, [this](const QString& path) { openSpec(path); });
  file->addAction(actions_.save);
  file->addSeparator();
  file->addAction(actions_.openRuns);
  file->addSeparator();
  for (QAction* action : {actions_.exportFigure, actions_.copy, actions_.csv, actions_.json}) file->addAction(action);
  file->addSeparator();
  file->addAction(actions_.quit);

  presetsMenu_ = menuBar()->addMenu(tr("&Presets"));
  loadPresetsMenu();

  QMenu* session = menuBar()->addMenu(tr("&Session"));
  for (QAction* action : {actions_.start, actions_.pause, actions_.step, actions_.stop, actions_.resumeSession,
                          actions_.reset})
    session->addAction(action);
  session->addSeparator();
  session->addAction(actions_.runAsSweep);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addAction(actions_.presentation);
  view->addAction(actions_.fit);
  view->addAction(actions_.runsPanel);
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

void MainWindow::setSpec(const train::ExperimentSpec& spec, const QString& title) {
  form_->setSpec(spec);
  shownSpec_ = form_->spec();
  shownTitle_ = title;
  updateTitle();
}

void MainWindow::updateTitle() {
  // A preset or file keeps its title until the form changes it; then the title says what the
  // experiment is, as the session's folder will.
  const train::ExperimentSpec spec = form_->spec();
  const QString title = !(spec == shownSpec_)    ? QString::fromStdString(train::describeExperiment(spec)) + tr(", edited")
                        : !shownTitle_.isEmpty() ? shownTitle_
                                                 : QString::fromStdString(train::describeExperiment(spec));
  setWindowTitle(tr("%1 — GenLab").arg(title));
}

void MainWindow::onSpecChanged() {
  const train::ExperimentSpec spec = form_->spec();
  preview_->setSpec(spec);
  updateTitle();
  // What went wrong in the last session says nothing about an experiment that differs from it.
  if (!controller_->active() && !troubled_.empty() && !(spec == controller_->spec())) {
    troubled_.clear();
    updateBanner();
  }
  if (!controller_->active()) updateFigurePanels();
  if (controller_->active() && !(spec == controller_->spec()))
    statusBar()->showMessage(tr("The form differs from the running session: Start restarts with it."));
  else
    statusBar()->clearMessage();
}

void MainWindow::updateFigurePanels() {
  // Figures 1b and 1c only mean something for a sweep, memorization for a session that
  // measures it: the session's own, or runs read back that have them.
  const train::ExperimentSpec own = controller_->active() || controller_->state() == SessionState::Ended
                                        ? controller_->spec()
                                        : form_->spec();
  std::vector<Figure> shown = figuresFor(figureData());
  // A closed-form model has no time to fit: Figure 1c only.
  if (!own.sweepLevels.empty()) {
    if (!models::isClosedForm(own.model.architecture)) shown.push_back(Figure::TimeToFit);
    shown.push_back(Figure::TestError);
  }
  if (own.measures.memorization) shown.push_back(Figure::Memorization);
  if (own.measures.capacity) shown.insert(shown.end(), capacityFigures().begin(), capacityFigures().end());
  plots_->showFigures(shown);
}

// --- The session this window trains -------------------------------------------------------

void MainWindow::start() {
  if (!controller_->active()) {
    startNow();
    return;
  }
  // A form that cannot start is said before the running session is stopped for it.
  if (const auto problem = form_->problem()) {
    showError(tr("Cannot start"), *problem);
    return;
  }
  const auto answer = QMessageBox::question(
      this, tr("Restart?"), tr("A session is running. Stop it and start the experiment in the form?"),
      QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
  if (answer == QMessageBox::Yes) stopThen(AfterStop::Start);
}

void MainWindow::startNow() {
  if (const auto problem = form_->problem()) {
    showError(tr("Cannot start"), *problem);
    return;
  }
  train::ExperimentSpec spec = form_->spec();
  if (!(spec == shownSpec_)) {
    // An edited experiment is named by what it is, in its folder and in the title, not by the
    // preset it started from.
    spec.name = train::describeExperiment(spec) + " (edited)";
    setSpec(spec, QString::fromStdString(spec.name));
  }
  QString folder;
  try {
    folder = QString::fromStdString(results::createSessionFolder(defaultRoot().toStdString(), spec.name).string());
  } catch (const InputError& error) {
    showError(tr("Cannot write the results"), QString::fromStdString(error.what()));
    return;
  }
  if (!controller_->start(spec, folder)) {
    QDir().rmdir(folder);
    showError(tr("Cannot start"), tr("The previous session is still ending; try again in a moment."));
    return;
  }
  releaseSession();
  sessionFolder_ = folder;
  runsModel_->setCurrentSession(folder);
  preview_->setSession(folder, spec);
  updateFigurePanels();
}

void MainWindow::releaseSession() {
  if (sessionFolder_.isEmpty()) return;
  runsModel_->setChecked(sessionFolder_, false);
  runsModel_->setCurrentSession({});
  preview_->setSession({}, controller_->spec());  // no folder: no session's records
  sessionFolder_.clear();
}

void MainWindow::togglePause() {
  if (controller_->state() == SessionState::Paused) controller_->resume();
  else controller_->pause();
}

void MainWindow::stopThen(AfterStop action) {
  afterStop_ = action;
  controller_->stop();
}

void MainWindow::step() { controller_->step(); }
void MainWindow::stop() { controller_->stop(); }

void MainWindow::continueSession(const QString& sessionFolder) {
  const QString folder = sessionFolder;  // a copy: it may be sessionFolder_, which releaseSession clears
  if (controller_->active()) {
    showError(tr("Cannot resume"), tr("A session is running: stop it first."));
    return;
  }
  train::ExperimentSpec spec;
  try {
    spec = results::readSessionSpec(folder.toStdString());
  } catch (const InputError& error) {
    showError(tr("Cannot resume"), QString::fromStdString(error.what()));
    return;
  }
  setSpec(spec, QString::fromStdString(spec.name));
  if (!controller_->continueSession(spec, folder)) {
    showError(tr("Cannot resume"), tr("The previous session is still ending; try again in a moment."));
    return;
  }
  releaseSession();
  sessionFolder_ = folder;
  runsModel_->setCurrentSession(folder);
  preview_->setSession(folder, spec);
  updateFigurePanels();
}

void MainWindow::reset() {
  if (controller_->active()) stopThen(AfterStop::Reset);
  else resetNow();
}

void MainWindow::resetNow() {
  controller_->reset();
  releaseSession();
  recorder_.onSessionStarted({});
  status_->clear();
  troubled_.clear();
  updateBanner();
  compose();
  plots_->rebuild();
  updateFigurePanels();
}

void MainWindow::onStateChanged(SessionState state) {
  const bool active = controller_->active();
  actions_.start->setEnabled(state != SessionState::Stopping);
  actions_.pause->setEnabled(state == SessionState::Running || state == SessionState::Paused || state == SessionState::Preparing);
  actions_.pause->setText(state == SessionState::Paused ? tr("Resume") : tr("Pause"));
  actions_.step->setEnabled(state == SessionState::Paused);
  actions_.stop->setEnabled(active && state != SessionState::Stopping);
  // The last session stopped with checkpoints and unfinished runs (files read: a few stats).
  const std::filesystem::path folder = sessionFolder_.toStdString();
  actions_.resumeSession->setEnabled(!active && !sessionFolder_.isEmpty() && results::hasCheckpoint(folder) &&
                                     !results::sessionFinished(folder));
  actions_.reset->setEnabled(state != SessionState::Idle);
  if (state == SessionState::Idle) forgetUnstartedSession();
  status_->update();
  if (active || afterStop_ == AfterStop::Nothing) return;
  // After this change has reached every receiver, not inside its emission.
  QMetaObject::invokeMethod(
      this,
      [this, action = std::exchange(afterStop_, AfterStop::Nothing)] {
        if (controller_->active()) return;  // started meanwhile by another control
        switch (action) {
        case AfterStop::Start: startNow(); break;
        case AfterStop::Reset: resetNow(); break;
        case AfterStop::Close: close(); break;
        case AfterStop::Nothing: break;
        }
      },
      Qt::QueuedConnection);
}

void MainWindow::onSessionStarted(const train::SessionInfo& info) {
  // The previous session's curves and messages stay until this one has really started: a start
  // that fails (a missing data set) leaves them as they were.
  troubled_.clear();
  updateBanner();
  recorder_.onSessionStarted(info);
  plots_->rebuild();
  status_->sessionStarted(info, train::epochsPerRun(controller_->spec()), controller_->spec().training.batchSize);
  compose();
}

void MainWindow::onMetrics(const MetricsBatch& batch) {
  for (const auto& losses : batch.losses) recorder_.onStepLosses(losses);
  for (const auto& epoch : batch.epochs) recorder_.onEpoch(epoch);
  bool renamed = false;
  for (const auto& run : batch.endedRuns) {
    recorder_.onRunEnded(run);
    renamed = true;
    if (run.status == train::RunStatus::Diverged || run.status == train::RunStatus::Failed) troubled_.push_back(run);
  }
  if (renamed) {
    updateBanner();
    updateHints(status_->reading());
  }
  status_->metricsArrived(batch);
  if (composed_ && !composer_.liveGrew(recorder_.data())) compose();
  if (renamed) plots_->rebuild();
  else plots_->refresh();
}

void MainWindow::onSessionEnded(const train::SessionResult& result) {
  recorder_.onSessionEnded(result);
  preview_->setSession(sessionFolder_, controller_->spec());  // its final records
  compose();
  updateFigurePanels();
  if (!options_.exportFormats.isEmpty()) {
    for (const Figure figure : figuresFor(recorder_.data()))
      for (const QString& format : options_.exportFormats)
        exportFigures({figure}, QDir(sessionFolder_).filePath(figureName(figure) + QLatin1Char('.') + format), format,
                      options_.exportSize, options_.exportScale, options_.exportText);
  }
  status_->update();
}

void MainWindow::forgetUnstartedSession() {
  // The controller took away the folder of a session that never started.
  if (sessionFolder_.isEmpty() || QFileInfo::exists(sessionFolder_)) return;
  runsModel_->setCurrentSession({});
  sessionFolder_.clear();
}

void MainWindow::onSessionFailed(Failure failure, const QString& message) {
  forgetUnstartedSession();
  if (failure != Failure::Data) {
    const QString title = failure == Failure::Device    ? tr("Device not available")
                          : failure == Failure::Results ? tr("Cannot write the results")
                          : failure == Failure::Spec    ? tr("The experiment cannot run")
                                                        : tr("The session could not run");
    showError(title, message);
    return;
  }
  // A data set that is missing or unreadable: say how to get it, offer to download it (when
  // GenLab can and no folder was named) or to pick a folder.
  lastMessage_ = message;
  const data::DatasetKind kind = form_->spec().data.kind;
  const bool fetchable = datasets::knownDataset(kind).has_value() && form_->dataFolder()->text().isEmpty();
  auto* box = new QMessageBox(QMessageBox::Warning, tr("Data set not available"),
                              tr("The data set could not be loaded:\n%1").arg(message), QMessageBox::Close, this);
  box->setInformativeText(tr("GenLab downloads MNIST and CIFAR-10 (the binary version) from their official "
                             "sources, checks them and keeps them for every later session; it reads them "
                             "from a folder you choose too. Fashion-MNIST, the lab's default, also comes with "
                             "Debian's package dataset-fashion-mnist."));
  if (fetchable) {
    QPushButton* download = box->addButton(DataFetchDialog::offerText(kind), QMessageBox::AcceptRole);
    box->setDefaultButton(download);
    connect(download, &QPushButton::clicked, this, [this, kind] { downloadThenStart(kind); });
  }
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

void MainWindow::downloadThenStart(data::DatasetKind kind) {
  datasets::FetchRequest request;
  request.kind = kind;
  request.root = datasets::defaultDatasetsRoot();
  auto* dialog = new DataFetchDialog(request, this);
  connect(dialog, &DataFetchDialog::fetched, this, [this] {
    // As if the data had always been there: the form finds it in the shared folder.
    onSpecChanged();
    if (!controller_->active()) startNow();
  });
  connect(dialog, &DataFetchDialog::failed, this,
          [this](const QString& message) { showError(tr("Download failed"), message); });
  dialog->open();
}

// --- Runs from disk ------------------------------------------------------------------------

void MainWindow::openRuns(const QString& folder) {
  const QString root = normalizedFolder(folder);
  if (!openedRoots_.contains(root)) openedRoots_ << root;
  lastFolder_ = QFileInfo(root).absolutePath();
  library_->addRoot(root);
  runsDock_->show();
}

void MainWindow::onSessionFound(const QString& folder) {
  // Sessions that other processes write change often (20 growing runs: hundreds of records a
  // second); the panel, plots and table take them in batches, at most every kSessionBatchMs.
  pendingSessions_.insert(folder);
  if (sessionTimer_->isActive()) return;
  const qint64 since = sinceSessionBatch_.isValid() ? sinceSessionBatch_.elapsed() : kSessionBatchMs;
  sessionTimer_->start(static_cast<int>(std::max<qint64>(0, kSessionBatchMs - since)));
}

void MainWindow::takeSessions() {
  sinceSessionBatch_.start();
  std::set<QString> folders;
  std::swap(folders, pendingSessions_);
  bool figures = false, table = false;
  const auto& sessions = library_->sessions();
  for (const QString& folder : folders) {
    const auto found = sessions.find(folder);
    if (found == sessions.end()) continue;
    const auto before = runsModel_->session(folder);
    bool check = false;
    if (!before) {
      // This session's own folder shows its live curves; a root the user opened shows its
      // newest sessions; the default results folder, which collects every session ever
      // trained, none.
      if (folder == sessionFolder_) check = true;
      for (const QString& root : openedRoots_)
        if (under(folder, root) && checkedPerRoot_[root] < kCheckedPerOpenedRoot) {
          ++checkedPerRoot_[root];
          check = true;
        }
    }
    runsModel_->updateSession(found->second, check);
    if (!runsModel_->hasChecked(folder)) continue;
    table = true;
    // This session's curves come from what it reports; its record changes the table only.
    if (folder != sessionFolder_ || !before || before->runs.size() != found->second->runs.size()) figures = true;
  }
  if (figures) compose();
  else if (table) updateRunTable();
}

void MainWindow::scheduleCompose() {
  if (!composeTimer_->isActive()) composeTimer_->start();
}

void MainWindow::compose() {
  composeTimer_->stop();
  const auto checked = runsModel_->checked();
  std::vector<ShownSession> shown;
  std::vector<int> liveRuns;
  std::set<QString> wanted;
  for (const auto& entry : checked) {
    const QString folder = QString::fromStdString(entry.record->folder.string());
    if (folder == sessionFolder_) {
      liveRuns = entry.runs;  // drawn from what the session reports, not from its folder
      continue;
    }
    wanted.insert(folder);
    shown.push_back({entry.record.get(), entry.runs});
  }
  // Curves are read only for the sessions drawn.
  for (const QString& folder : wanted)
    if (!curvesRead_.count(folder)) library_->setCurves(folder, true);
  for (const QString& folder : curvesRead_)
    if (!wanted.count(folder)) library_->setCurves(folder, false);
  curvesRead_ = wanted;

  // Until this session's runs reach the panel, its curves are shown all the same.
  const auto listed = sessionFolder_.isEmpty() ? nullptr : runsModel_->session(sessionFolder_);
  if (!listed || listed->runs.empty()) {
    liveRuns.clear();
    for (const Curve& curve : recorder_.data().loss) liveRuns.push_back(curve.run);
  }
  const bool allLive = liveRuns.size() == recorder_.data().loss.size();
  const bool wasComposed = composed_;
  composed_ = !shown.empty() || !allLive;
  if (composed_) {
    LiveSession live{&recorder_.data(), QFileInfo(sessionFolder_).fileName(), nlohmann::json()};
    if (!sessionFolder_.isEmpty()) live.spec = results::toJson(controller_->spec());
    composer_.compose(live, liveRuns, shown);
  }
  // A new source redraws the panels; the same one grown or changed they follow themselves
  // (appending what is new, redrawing only when curves came, went or were renamed).
  if (wasComposed != composed_) plots_->setData(&figureData());
  else plots_->refresh();
  updateRunTable();
  updateFigurePanels();
}

void MainWindow::updateRunTable() { runTable_->invalidate(); }

std::vector<results::RunTableRow> MainWindow::runTableRows() const {
  const auto checked = runsModel_->checked();
  std::vector<const results::SessionRecord*> records;
  for (const auto& entry : checked) records.push_back(entry.record.get());
  return results::runTable(records, [&](const results::SessionRecord& session, const results::RunRecord& run) {
    const auto found = std::find_if(checked.begin(), checked.end(), [&](const auto& e) { return e.record.get() == &session; });
    return found != checked.end() && std::find(found->runs.begin(), found->runs.end(), run.run) != found->runs.end();
  });
}

void MainWindow::moveToTrash(const QStringList& folders) {
  QStringList failed;
  for (const QString& folder : folders) {
    if (folder == sessionFolder_ && controller_->active()) {
      failed << tr("%1: this session is writing it; stop it first").arg(folder);
      continue;
    }
    if (!QFile::moveToTrash(folder)) {
      failed << tr("%1: the trash refused it (nothing was deleted)").arg(folder);
      continue;
    }
    if (folder == sessionFolder_) releaseSession();
    library_->forget(folder);
  }
  if (!failed.isEmpty()) showError(tr("Cannot move to the trash"), failed.join(QLatin1Char('\n')));
}

void MainWindow::removeRoot(const QString& folder) {
  const QString root = library_->rootOf(folder);
  if (root.isEmpty()) return;
  if (root == defaultRoot()) {
    showError(tr("Cannot stop showing this folder"),
              tr("%1 is where this window's sessions write their results; it is always shown.").arg(root));
    return;
  }
  openedRoots_.removeAll(root);
  checkedPerRoot_.erase(root);
  library_->removeRoot(root);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  for (const QUrl& url : event->mimeData()->urls())
    if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isDir()) {
      event->acceptProposedAction();
      return;
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
  for (const QUrl& url : event->mimeData()->urls())
    if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isDir()) openRuns(url.toLocalFile());
  event->acceptProposedAction();
}

// --- Messages ------------------------------------------------------------------------------

void MainWindow::showError(const QString& title, const QString& text, const QString& details) {
  lastMessage_ = text;
  auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Close, this);
  if (!details.isEmpty()) box->setInformativeText(details);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();  // window-modal and not blocking: training and plotting go on
}

void MainWindow::updateEstimate() {
  const train::ExperimentSpec spec = form_->spec();
  if (models::isClosedForm(spec.model.architecture)) {
    // No steps to time (docs/BENCHMARKS.md has the kernel solve's time against n).
    form_->showEstimate(tr("closed form: one solve per run, no training steps"));
    return;
  }
  QString key;
  try {
    key = QString::fromStdString(train::speedKey(spec));
  } catch (const std::exception&) {
    form_->showEstimate({});
    return;
  }
  const double rate = WindowMemory::speed(key);
  if (rate <= 0) {
    if (controller_->active()) return;  // timing now would measure the session's share
    form_->showEstimate(tr("Timing this network on this machine…"));
    controller_->probeSpeed(spec);
    return;
  }
  const double seconds = train::estimatedSeconds(spec, rate);
  const auto runs = train::runSettings(spec).size();
  const QString duration = seconds < 90 ? tr("%1 s").arg(std::lround(seconds))
                           : seconds < 5400 ? tr("%1 min").arg(std::lround(seconds / 60))
                                            : tr("%1 h").arg(seconds / 3600, 0, 'f', 1);
  QString text = tr("at most about %1: %2 run(s) × %3 epochs at %4 images/s (runs that fit stop sooner)")
                     .arg(duration)
                     .arg(runs)
                     .arg(spec.training.epochs)
                     .arg(QLocale(QLocale::English).toString(std::lround(rate)));
  if (seconds > 600)
    text += tr(". That is long: a smaller training subset, fewer epochs or a GPU would be quicker.");
  form_->showEstimate(text);
}

void MainWindow::updateHints(const ProgressReading& reading) {
  // What the empty plots say: what the session is doing until it has something to draw.
  QString hint = tr("Press Start to train");
  const int runs = static_cast<int>(recorder_.data().loss.size());
  const auto diverged = std::count_if(troubled_.begin(), troubled_.end(), [](const train::RunSummary& run) {
    return run.status == train::RunStatus::Diverged;
  });
  switch (controller_->state()) {
  case SessionState::Preparing:
    hint = tr("Loading the data set and building the networks…");
    break;
  case SessionState::Running:
  case SessionState::Stopping:
    hint = tr("First epoch: %1%").arg(std::lround(100.0 * reading.firstEpochDone));
    break;
  case SessionState::Paused:
    hint = tr("Paused in the first epoch (%1%)").arg(std::lround(100.0 * reading.firstEpochDone));
    break;
  case SessionState::Ended:
    hint = runs > 0 && diverged == runs ? tr("All runs diverged: no finite loss to draw")
                                        : tr("The session ended before its first epoch");
    break;
  case SessionState::Idle:
    break;
  }
  if (runs > 0 && diverged == runs) hint = tr("All runs diverged: no finite loss to draw");
  plots_->panel(Figure::Accuracy)->setHint(hint);
  // A closed-form model is fitted in one solve: it has no loss per step to draw.
  if (models::isClosedForm(controller_->spec().model.architecture) && controller_->state() != SessionState::Idle)
    hint = tr("Closed-form models take no training steps: see the accuracy and the norm");
  plots_->panel(Figure::Loss)->setHint(hint);
  // Figures 1b and 1c of a sweep get a point as each run ends.
  QString pointHint;
  if (!controller_->spec().sweepLevels.empty() && controller_->state() != SessionState::Idle)
    pointHint = controller_->state() == SessionState::Ended
                    ? tr("No run trained to its end: stopped and diverged runs give no point")
                    : tr("A point for each level as its run ends");
  for (const Figure figure : {Figure::TimeToFit, Figure::TestError}) plots_->panel(figure)->setHint(pointHint);
}

void MainWindow::updateBanner() {
  if (troubled_.empty()) {
    plots_->setBanner({});
    return;
  }
  const int runs = static_cast<int>(recorder_.data().loss.size());
  QStringList diverged, failed;
  for (const auto& run : troubled_) {
    const QString name = QString::fromStdString(run.setting.name());
    if (run.status == train::RunStatus::Diverged) diverged << tr("%1 (epoch %2)").arg(name).arg(run.epochs + 1);
    else failed << tr("%1: %2").arg(name, QString::fromStdString(run.message));
  }
  QStringList sentences;
  const int troubled = static_cast<int>(troubled_.size());
  if (!diverged.isEmpty()) {
    const QString who = diverged.size() == runs ? tr("All %1 runs diverged").arg(runs)
                        : diverged.size() == 1  ? tr("One run of %1 diverged").arg(runs)
                                                : tr("%1 of %2 runs diverged").arg(diverged.size()).arg(runs);
    sentences << tr("%1 (its loss became NaN or infinite): %2. A smaller learning rate usually helps.")
                     .arg(who, diverged.join(QStringLiteral(", ")));
  }
  if (!failed.isEmpty()) sentences << tr("Failed: %1.").arg(failed.join(QStringLiteral("; ")));
  if (troubled < runs && controller_->active()) sentences << tr("The other runs go on.");
  showBanner(sentences.join(QLatin1Char(' ')));
}

void MainWindow::showBanner(const QString& text) {
  lastMessage_ = text;
  plots_->setBanner(text);
}

QString MainWindow::statusText() const { return status_->text(); }

QStringList MainWindow::recentFiles() const { return recent_->paths(); }

// --- Files ---------------------------------------------------------------------------------

bool MainWindow::saveSpec(const QString& path) {
  try {
    // Atomically, as every file the lab writes: a crash never leaves half an experiment.
    results::writeFileAtomically(path.toStdString(), results::toJson(form_->spec()).dump(2) + "\n");
  } catch (const InputError& error) {
    showError(tr("Cannot save the experiment"), QString::fromStdString(error.what()));
    return false;
  }
  lastFolder_ = QFileInfo(path).absolutePath();
  recent_->add(path);
  return true;
}

bool MainWindow::openSpec(const QString& path) {
  try {
    setSpec(results::loadSpecFile(path.toStdString()), experimentFileTitle(path));
  } catch (const InputError& error) {
    showError(tr("Cannot open the experiment"), QString::fromStdString(error.what()));
    return false;
  }
  lastFolder_ = QFileInfo(path).absolutePath();
  recent_->add(path);
  return true;
}

bool MainWindow::exportMetrics(const QString& path, const QString& format) {
  try {
    std::vector<results::FolderRuns> shown;
    for (const auto& entry : runsModel_->checked())
      shown.push_back({entry.record->folder, entry.runs});
    // This session, whose curves are always drawn, whether or not its folder has reached the
    // panel and been checked there.
    const std::filesystem::path session = sessionFolder_.toStdString();
    if (!sessionFolder_.isEmpty() &&
        std::none_of(shown.begin(), shown.end(), [&](const auto& runs) { return runs.folder == session; }))
      shown.insert(shown.begin(), {session, {}});
    if (shown.empty()) throw InputError("no run is shown: press Start, or check runs in the runs panel");
    if (format == QLatin1String("json")) results::writeMetricsJson(shown, path.toStdString());
    else results::exportMetricsCsv(shown, path.toStdString());
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
                               const QString& format, QSize size, double scale, const FigureText& text) {
  try {
    // The normal style (for slides and papers, whatever the window's mode), on the scale shown.
    FigureStyle style;
    style.logScaleLoss = plots_->logScale();
    if (figures.size() == 1) exportFigure(figureData(), figures.front(), path, format, size, scale, style, text);
    else ui::exportFigures(figureData(), figures, path, format, size, scale, style, text);
  } catch (const InputError& error) {
    showError(tr("Cannot export the figure"), QString::fromStdString(error.what()));
    return false;
  }
  return true;
}

void MainWindow::openExportDialog() {
  std::vector<Figure> available;
  for (const auto& [figure, panel] : plots_->panels())
    if (panel->isVisible() || figure == Figure::Loss || figure == Figure::Accuracy) available.push_back(figure);
  const train::ExperimentSpec shown = controller_->active() || controller_->state() == SessionState::Ended
                                         ? controller_->spec()
                                         : form_->spec();
  ExportDialog dialog(available, plots_->currentFigure(), lastFolder_.isEmpty() ? QDir::homePath() : lastFolder_,
                      QString::fromStdString(train::describeExperiment(shown)), this);
  if (dialog.exec() != QDialog::Accepted) return;
  const ExportRequest request = dialog.request();
  if (exportFigures(request.figures, request.path, request.format, request.size, request.scale, request.text))
    statusBar()->showMessage(tr("Wrote %1").arg(request.path), 5000);
  lastFolder_ = QFileInfo(request.path).absolutePath();
}

void MainWindow::copyPlot() {
  const Figure figure = plots_->currentFigure();
  PlotPanel* shown = plots_->panel(figure);
  // What the panel shows, with the legend of a figure that stands alone.
  FigureStyle style = plots_->style();
  style.logScaleLoss = shown->logScale();
  QApplication::clipboard()->setImage(renderFigure(figureData(), figure, shown->size(), devicePixelRatioF(), style));
  statusBar()->showMessage(tr("Copied %1 to the clipboard").arg(figureName(figure)), 3000);
}

void MainWindow::setPresentationMode(bool on) {
  presentation_ = on;
  actions_.presentation->setChecked(on);
  plots_->setStyle(on ? FigureStyle::presentation() : FigureStyle{});
  QFont font = QApplication::font();
  if (on) font.setPointSizeF(font.pointSizeF() * 1.6);
  centralWidget()->setFont(font);
  statusBar()->setFont(font);
  // On a projector the plots are the point: the form and the runs panel give them their room
  // (F11 brings them back).
  splitter_->widget(0)->setVisible(!on);
  if (on) {
    runsShownBeforePresentation_ = runsDock_->isVisible();
    runsDock_->hide();
  } else if (runsShownBeforePresentation_) {
    runsDock_->show();
  }
  if (on) showFullScreen();
  else showNormal();
}

void MainWindow::showEvent(QShowEvent* event) {
  QMainWindow::showEvent(event);
  if (shownOnce_) return;
  shownOnce_ = true;
  // Docks get their size once the window is laid out; a saved layout keeps the user's own.
  if (!restoredLayout_) resizeDocks({runsDock_}, {runsPanel_->sizeHint().width()}, Qt::Horizontal);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  // Stop cleanly, and close once the session has ended: the chunk in flight ends, the results
  // written so far stay. A second close while it stops closes at once (the controller's
  // destructor still waits for the training thread).
  if (controller_->active() && afterStop_ != AfterStop::Close) {
    stopThen(AfterStop::Close);
    event->ignore();
    return;
  }
  if (options_.restoreSettings) writeSettings();
  event->accept();
}

void MainWindow::writeSettings() const {
  WindowMemory memory;
  memory.geometry = saveGeometry();
  memory.state = saveState();
  memory.splitter = splitter_->saveState();
  memory.smoothing = plots_->smoothingSlider()->value();
  memory.logScale = plots_->logScale();
  memory.recent = recent_->paths();
  memory.lastFolder = lastFolder_;
  memory.lastExperiment = QString::fromStdString(results::toJson(form_->spec()).dump());
  memory.runRoots = openedRoots_;
  memory.save();
}

void MainWindow::readSettings() {
  const WindowMemory memory = WindowMemory::load();
  restoreGeometry(memory.geometry);
  restoredLayout_ = restoreState(memory.state);
  splitter_->restoreState(memory.splitter);
  plots_->smoothingSlider()->setValue(memory.smoothing);
  plots_->logScaleBox()->setChecked(memory.logScale);
  recent_->set(memory.recent);
  lastFolder_ = memory.lastFolder;
  for (const QString& root : memory.runRoots)
    if (QFileInfo(root).isDir()) openRuns(root);
  if (memory.lastExperiment.isEmpty()) return;
  try {
    train::ExperimentSpec spec;
    results::mergeJson(spec, nlohmann::json::parse(memory.lastExperiment.toStdString()), "the last session's experiment");
    train::validate(spec);
    setSpec(spec);
    restoredExperiment_ = true;
  } catch (const std::exception&) {
    // A stored experiment from another version that no longer parses: start from the defaults.
  }
}

} // namespace genlab::ui
