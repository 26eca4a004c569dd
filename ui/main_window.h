#pragma once
/// MainWindow: the lab. The experiment form on the left; the live plots (Figure 1a's loss,
/// accuracies, and after a sweep Figures 1b and 1c) and a preview of the corrupted data in the
/// middle; Start, Pause, Step, Stop and Reset in the tool bar; the session's state in the
/// status bar. Training runs through a TrainingController, never on this (the GUI) thread.

#include "ui/figure_data.h"
#include "ui/figure_renderer.h"
#include "ui/figure_style.h"
#include "ui/session_progress.h"
#include "ui/training_controller.h"

#include <QMainWindow>
#include <QStringList>

#include <map>

class QAction;
class QCheckBox;
class QGridLayout;
class QLabel;
class QMenu;
class QSlider;
class QSplitter;
class QTabWidget;

namespace genlab::ui {

class DataPreview;
class ExperimentForm;
class PlotPanel;

/// What the command line hands the window.
struct WindowOptions {
  /// Sessions write their results into <resultsRoot>/<date-time>-<experiment name>; empty: the
  /// user's data folder (QStandardPaths::AppDataLocation)/runs.
  QString resultsRoot;
  /// Figures exported into each session's results folder when it ends (png, pdf, svg), as the
  /// command line's --export does.
  QStringList exportFormats;
  QSize exportSize{1280, 720};
  double exportScale = 1.0;
  /// Restore the last experiment and the window layout from QSettings (off when the command
  /// line names an experiment, or in tests).
  bool restoreSettings = true;
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
  void reset();

  /// Saves the form's experiment as JSON (the format of presets and --config). Errors are
  /// shown in the window; returns whether the file was written.
  bool saveSpec(const QString& path);
  /// Loads an experiment file into the form; errors are shown in the window.
  bool openSpec(const QString& path);
  /// Writes the session's metrics as the tidy CSV or as JSON ("csv" or "json").
  bool exportMetrics(const QString& path, const QString& format);
  /// Writes figures as `request` says; errors are shown in the window.
  bool exportFigures(const std::vector<Figure>& figures, const QString& path, const QString& format,
                     QSize size, double scale);
  /// Copies the current plot to the clipboard as an image.
  void copyPlot();
  void setPresentationMode(bool on);

  ExperimentForm* form() const { return form_; }
  TrainingController* controller() const { return controller_; }
  PlotPanel* panel(Figure figure) const { return panels_.at(figure); }
  DataPreview* preview() const { return preview_; }
  const FigureData& figureData() const { return recorder_.data(); }
  /// The text of the last error or warning the window showed (message box or banner).
  QString lastMessage() const { return lastMessage_; }
  QString statusText() const;
  QStringList recentFiles() const { return recent_; }
  QAction* action(const QString& name) const;
  /// Whether the form shows the last session's experiment, restored from QSettings.
  bool restoredExperiment() const { return restoredExperiment_; }

protected:
  void closeEvent(QCloseEvent* event) override;

private:
  void buildActions();
  void buildMenus();
  QWidget* buildPlots();
  void onStateChanged(SessionState state);
  void onSessionStarted(const train::SessionInfo& info);
  void onMetrics(const MetricsBatch& batch);
  void onSessionEnded(const train::SessionResult& result);
  void onSessionFailed(Failure failure, const QString& message);
  void onSpecChanged();
  void updateStatus();
  /// Stops a running session and waits until it has ended and delivered; false when it did
  /// not stop within 10 seconds.
  bool endSession();
  void updateSweepPanels();
  void showError(const QString& title, const QString& text, const QString& details = {});
  void showBanner(const QString& text);
  void addRecent(const QString& path);
  void rebuildRecentMenu();
  void loadPresetsMenu();
  void openExportDialog();
  void exportMetricsDialog(const QString& format);
  void writeSettings() const;
  void readSettings();
  QString newResultsFolder() const;
  Figure currentFigure() const;

  WindowOptions options_;
  TrainingController* controller_ = nullptr;
  ExperimentForm* form_ = nullptr;
  DataPreview* preview_ = nullptr;
  QSplitter* splitter_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  QGridLayout* plotGrid_ = nullptr;
  QLabel* banner_ = nullptr;
  std::map<Figure, PlotPanel*> panels_;
  QSlider* smoothing_ = nullptr;
  QLabel* smoothingValue_ = nullptr;
  QCheckBox* logScale_ = nullptr;
  FigureRecorder recorder_;
  SessionProgress progress_;
  QString device_;
  QLabel* statusState_ = nullptr;
  QLabel* statusDevice_ = nullptr;
  QLabel* statusProgress_ = nullptr;
  std::map<QString, QAction*> actions_;
  QMenu* recentMenu_ = nullptr;
  QMenu* presetsMenu_ = nullptr;
  QStringList recent_;
  QString lastMessage_;
  QString lastFolder_;
  bool presentation_ = false;
  bool restoredExperiment_ = false;
  QTimer* statusTimer_ = nullptr;
};

} // namespace genlab::ui
