#pragma once
/// MainWindow: the lab. The experiment form on the left; the plots (Figure 1a's loss,
/// accuracies, and for a sweep Figures 1b and 1c), the run table and a preview of the corrupted
/// data in the middle; the runs panel (every session folder under the roots the user opened,
/// followed while other processes write them) in a dock. Start, Pause, Step, Stop and Reset in
/// the tool bar; the session's state in the status bar. Training runs through a
/// TrainingController, never on this (the GUI) thread; session folders are read on the run
/// library's thread.

#include "core/data/data_spec.h"
#include "core/results/run_table.h"
#include "ui/figure_data.h"
#include "ui/figure_renderer.h"
#include "ui/run_figures.h"
#include "ui/session_progress.h"
#include "ui/training_controller.h"
#include "ui/window_actions.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QStringList>

#include <set>

class QDockWidget;
class QSplitter;
class QTabWidget;
class QTimer;

namespace genlab::ui {

class DataPreview;
class ExperimentForm;
class PlotPanel;
class PlotsPage;
class RecentFiles;
class RunLibrary;
class RunTablePage;
class RunsModel;
class RunsPanel;
class StatusPresenter;

/// What the command line hands the window.
struct WindowOptions {
  /// Sessions write their results into a new folder under this root
  /// (results::createSessionFolder); empty: the user's data folder
  /// (QStandardPaths::AppDataLocation)/runs. The runs panel always shows this root.
  QString resultsRoot;
  /// Results folders the runs panel shows besides (genlab --open); their runs start checked.
  QStringList openFolders;
  /// Figures exported into each session's results folder when it ends (png, pdf, svg), as the
  /// command line's --export does.
  QStringList exportFormats;
  QSize exportSize{1280, 720};
  double exportScale = 1.0;
  FigureText exportText;  ///< --title, --caption
  /// Restore the last experiment, the window layout and the runs panel's roots from QSettings
  /// (off when the command line names an experiment, or in tests).
  bool restoreSettings = true;
  /// The genlab program that sweeps run in (Run as Sweep…); empty: this program.
  QString genlabProgram;
};

class MainWindow : public QMainWindow {
  Q_OBJECT

public:
  explicit MainWindow(WindowOptions options = {}, QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Shows `spec` in the form (as when a preset or file is opened); `title` goes in the title bar.
  void setSpec(const train::ExperimentSpec& spec, const QString& title = {});

  // The transport. start() asks before replacing a running session.
  void start();
  void togglePause();
  void step();
  void stop();
  /// Continues the session in `folder` (stopped, interrupted, failed or incomplete) from its
  /// checkpoints, as this window's session: its spec goes into the form, its curves so far into
  /// the plots. The transport's Resume Session does this for the last session stopped here.
  void continueSession(const QString& folder);
  void reset();

  /// Saves the form's experiment as JSON (the format of presets and --config). Errors are
  /// shown in the window; returns whether the file was written.
  bool saveSpec(const QString& path);
  /// Loads an experiment file into the form; errors are shown in the window.
  bool openSpec(const QString& path);
  /// Adds a results folder to the runs panel (its runs start checked) and remembers it.
  void openRuns(const QString& folder);
  /// Writes the metrics of the runs shown, as the tidy CSV or as JSON ("csv" or "json").
  bool exportMetrics(const QString& path, const QString& format);
  /// Writes figures of what the plots show; errors are shown in the window.
  bool exportFigures(const std::vector<Figure>& figures, const QString& path, const QString& format,
                     QSize size, double scale, const FigureText& text = {});
  /// Copies the current plot to the clipboard as an image.
  void copyPlot();
  void setPresentationMode(bool on);

  ExperimentForm* form() const { return form_; }
  TrainingController* controller() const { return controller_; }
  PlotPanel* panel(Figure figure) const;
  PlotsPage* plots() const { return plots_; }
  DataPreview* preview() const { return preview_; }
  RunLibrary* library() const { return library_; }
  RunsModel* runsModel() const { return runsModel_; }
  RunsPanel* runsPanel() const { return runsPanel_; }
  RunTablePage* runTable() const { return runTable_; }
  const WindowActions& actions() const { return actions_; }
  /// What the plots show: this session's curves and the checked runs from disk.
  const FigureData& figureData() const;
  /// The text of the last error or warning the window showed (message box or banner).
  QString lastMessage() const { return lastMessage_; }
  QString statusText() const;
  QStringList recentFiles() const;
  /// Whether the form shows the last session's experiment, restored from QSettings.
  bool restoredExperiment() const { return restoredExperiment_; }
  /// The folder the session trained now (or last) writes; empty before the first Start.
  QString sessionFolder() const { return sessionFolder_; }

protected:
  void closeEvent(QCloseEvent* event) override;
  void showEvent(QShowEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

private:
  void connectActions();
  void buildMenus();
  void buildRunsDock();
  void loadPresetsMenu();
  void onStateChanged(SessionState state);
  void onSessionStarted(const train::SessionInfo& info);
  void onMetrics(const MetricsBatch& batch);
  void onSessionEnded(const train::SessionResult& result);
  void onSessionFailed(Failure failure, const QString& message);
  /// Fetches `kind` into the shared folder with a progress dialog, then starts the session.
  void downloadThenStart(data::DatasetKind kind);
  void forgetUnstartedSession();
  void onSpecChanged();
  /// The window's title: the preset's or file's, or what the experiment is once edited.
  void updateTitle();
  void onSessionFound(const QString& folder);
  /// Takes the session records that arrived since the last batch into the panel, plots and table.
  void takeSessions();
  /// Draws the checked runs anew (coalesced: at most every 100 ms).
  void scheduleCompose();
  void compose();
  /// The run table: the checked runs as they stand (refilled when it is shown).
  void updateRunTable();
  std::vector<results::RunTableRow> runTableRows() const;
  /// Leaves the session just trained to the runs panel as any other (unchecked).
  void releaseSession();
  /// What to do once the running session has ended and delivered its last points.
  enum class AfterStop { Nothing, Start, Reset, Close };
  /// Stops the running session; `action` follows when the controller has left its active
  /// states (no nested event loop, no wait on the GUI thread).
  void stopThen(AfterStop action);
  void startNow();
  void resetNow();
  void updateFigurePanels();
  void showError(const QString& title, const QString& text, const QString& details = {});
  void showBanner(const QString& text);
  /// The banner over the plots: how many runs diverged or failed, which, what may help; once.
  void updateBanner();
  /// The hint on empty plots: what the session is doing until its first points.
  void updateHints(const ProgressReading& reading);
  /// The form's time estimate: from the speed remembered for this network and machine, else
  /// timed now on the training thread.
  void updateEstimate();
  void openExportDialog();
  void exportMetricsDialog(const QString& format);
  void moveToTrash(const QStringList& folders);
  void removeRoot(const QString& folder);
  void writeSettings() const;
  void readSettings();
  QString defaultRoot() const;

  WindowOptions options_;
  WindowActions actions_;
  AfterStop afterStop_ = AfterStop::Nothing;
  TrainingController* controller_ = nullptr;
  ExperimentForm* form_ = nullptr;
  DataPreview* preview_ = nullptr;
  PlotsPage* plots_ = nullptr;
  RunTablePage* runTable_ = nullptr;
  RunLibrary* library_ = nullptr;
  RunsModel* runsModel_ = nullptr;
  RunsPanel* runsPanel_ = nullptr;
  QDockWidget* runsDock_ = nullptr;
  QSplitter* splitter_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  StatusPresenter* status_ = nullptr;
  RecentFiles* recent_ = nullptr;
  QMenu* presetsMenu_ = nullptr;
  FigureRecorder recorder_;
  std::vector<train::RunSummary> troubled_;  ///< this session's diverged and failed runs
  FigureComposer composer_;
  bool composed_ = false;  ///< the plots show composer_'s data (disk runs), else recorder_'s
  QTimer* composeTimer_ = nullptr;
  QTimer* sessionTimer_ = nullptr;
  QTimer* estimateTimer_ = nullptr;
  QElapsedTimer sinceSessionBatch_;
  std::set<QString> pendingSessions_;
  QString sessionFolder_;
  /// Roots the user opened (their new sessions start checked, up to a few each).
  QStringList openedRoots_;
  std::map<QString, int> checkedPerRoot_;
  std::set<QString> curvesRead_;  ///< sessions whose curves the library reads
  train::ExperimentSpec shownSpec_;  ///< what the last preset, file or start put in the form
  QString shownTitle_;
  QString lastMessage_;
  QString lastFolder_;
  bool presentation_ = false;
  bool runsShownBeforePresentation_ = true;
  bool restoredExperiment_ = false;
  bool restoredLayout_ = false;  ///< QSettings gave the docks their sizes
  bool shownOnce_ = false;
};

} // namespace genlab::ui
