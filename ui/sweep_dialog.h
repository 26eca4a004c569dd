#pragma once
/// "Run as Sweep…": the form's experiment as the base of a grid, with axes chosen here, run on
/// this machine (`genlab sweep run`, in the background, surviving the window) or submitted to
/// Slurm (`genlab sweep submit`). The options are remembered.

#include "core/sweep/sweep.h"

#include <QDialog>

#include <optional>

class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace genlab::ui {

class SweepDialog : public QDialog {
  Q_OBJECT

public:
  /// `base`: the experiment in the form; `axes`: those to start from (a grid preset's), else
  /// one axis of the form's settings; `resultsRoot`: where the sweep's folder is proposed;
  /// `genlab`: the program that runs or submits it.
  SweepDialog(const train::ExperimentSpec& base, const std::vector<sweep::Axis>& axes,
              const QString& resultsRoot, const QString& genlab, QWidget* parent = nullptr);
  ~SweepDialog() override;

  /// The sweep the dialog describes now, or nullopt with the reason in `problem`.
  std::optional<sweep::Sweep> currentSweep(QString* problem = nullptr) const;

  /// The arguments after `genlab` that the chosen action runs ("sweep run FILE --out DIR ...").
  QStringList commandArguments(const QString& sweepFile) const;

Q_SIGNALS:
  /// A sweep started here or was submitted; its results appear under `folder`.
  void sweepStarted(const QString& folder);

private:
public:
  /// Adds a row to the axes table (also for tests and scripted demonstrations).
  void addAxis(const QString& path, const QString& values);
  QString resultsFolder() const;
  void setResultsFolder(const QString& folder);
  /// true: submit to Slurm; false: run here, `jobs` at a time.
  void setWhere(bool slurm, int jobs = 1);
  /// Starts or submits the sweep (the dialog's main button).
  void launch();
  /// The task count or the problem the dialog shows.
  QString summaryText() const;

private:
  void updateSummary();
  void chooseFolder();
  void saveFile();
  void remember() const;
  bool onCluster() const;

  train::ExperimentSpec base_;
  QString genlab_;
  QTableWidget* axes_ = nullptr;
  QLabel* summary_ = nullptr;
  QLineEdit* folder_ = nullptr;
  QButtonGroup* where_ = nullptr;
  QSpinBox* jobs_ = nullptr;
  QLineEdit* partition_ = nullptr;
  QSpinBox* gpusPerTask_ = nullptr;
  QLineEdit* time_ = nullptr;
  QSpinBox* cpusPerTask_ = nullptr;
  QLineEdit* mem_ = nullptr;
  QLineEdit* account_ = nullptr;
  QLineEdit* qos_ = nullptr;
  QSpinBox* maxParallel_ = nullptr;
  QLineEdit* extraArgs_ = nullptr;
  QWidget* clusterOptions_ = nullptr;
  QPlainTextEdit* output_ = nullptr;
  QPushButton* launch_ = nullptr;
};

} // namespace genlab::ui
