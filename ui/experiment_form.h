#pragma once
/// ExperimentForm: the left-hand form of the window, every control of an ExperimentSpec in
/// view (data set, corruption settings, architecture, regularizers, optimizer, device). It
/// reads and writes the same struct as the command line and the JSON files, so a preset, a
/// saved file and the form always agree.

#include "core/train/experiment_spec.h"

#include <QString>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSlider;
class QSpinBox;

namespace genlab::ui {

class ExperimentForm : public QWidget {
  Q_OBJECT

public:
  explicit ExperimentForm(QWidget* parent = nullptr);

  /// The experiment the form shows. Fields without a control (crop padding, fit threshold,
  /// synthetic data parameters, ...) keep the values of the spec last given to setSpec.
  train::ExperimentSpec spec() const;
  /// Shows `spec`; emits specChanged once.
  void setSpec(const train::ExperimentSpec& spec);
  /// What keeps the form's experiment from running (no setting checked, unreadable sweep
  /// levels, an out-of-range value), in one sentence; nothing when it can run.
  std::optional<QString> problem() const;

  /// Shows the parameter count of the architecture (or why there is none).
  void showParameterCount(qint64 count, const QString& error);
  /// How long the experiment would take on this machine (or that it is being timed).
  void showEstimate(const QString& text);
  QLabel* estimateLabel() const { return estimate_; }

  // The controls, for tests and for the window's shortcuts.
  QCheckBox* settingBox(corruption::Kind kind) const;
  QDoubleSpinBox* partialLevel() const { return partialLevel_; }
  QCheckBox* sweepBox() const { return sweep_; }
  QLineEdit* sweepLevels() const { return sweepLevels_; }
  QComboBox* architecture() const { return architecture_; }
  QSpinBox* depth() const { return depth_; }
  QSpinBox* width() const { return width_; }
  QComboBox* dataset() const { return dataset_; }
  QLineEdit* dataFolder() const { return folder_; }
  QDoubleSpinBox* learningRate() const { return learningRate_; }
  QDoubleSpinBox* momentum() const { return momentum_; }
  QDoubleSpinBox* weightDecay() const { return weightDecay_; }
  QDoubleSpinBox* dropout() const { return dropout_; }
  QCheckBox* augment() const { return augment_; }
  QSpinBox* epochs() const { return epochs_; }
  QLabel* parameterLabel() const { return parameters_; }

Q_SIGNALS:
  /// Any control changed (once per user edit, once per setSpec).
  void specChanged();
  /// The architecture or the data set changed: the parameter count must be redone.
  void modelChanged();

private:
  QWidget* buildData();
  QWidget* buildCorruptions();
  QWidget* buildArchitecture();
  QWidget* buildRegularizers();
  QWidget* buildOptimizer();
  QWidget* buildDevice();
  void updateEnabled();
  void chooseFolder();
  void changed();
  std::optional<std::vector<double>> parsedSweepLevels() const;

  train::ExperimentSpec base_;
  std::vector<double> extraPartialLevels_;  // partial-label levels beyond the first, kept
  bool loading_ = false;

  QComboBox* dataset_ = nullptr;
  QLineEdit* folder_ = nullptr;
  QSpinBox* trainSize_ = nullptr;
  QSpinBox* testSize_ = nullptr;
  QComboBox* preprocessing_ = nullptr;

  QCheckBox* settings_[6] = {};
  QDoubleSpinBox* partialLevel_ = nullptr;
  QSlider* partialSlider_ = nullptr;
  QLabel* extraLevels_ = nullptr;
  QCheckBox* sweep_ = nullptr;
  QLineEdit* sweepLevels_ = nullptr;

  QComboBox* architecture_ = nullptr;
  QSpinBox* depth_ = nullptr;
  QSpinBox* width_ = nullptr;
  QCheckBox* batchNorm_ = nullptr;
  QComboBox* kernel_ = nullptr;          ///< closed-form models: model.kernel
  QDoubleSpinBox* bandwidth_ = nullptr;  ///< model.bandwidth, 0: from the data
  QSpinBox* features_ = nullptr;         ///< model.features
  QLabel* parameters_ = nullptr;
  QGroupBox* regularizers_ = nullptr;    ///< disabled for closed-form models
  QGroupBox* optimization_ = nullptr;    ///< likewise

  QDoubleSpinBox* weightDecay_ = nullptr;
  QDoubleSpinBox* dropout_ = nullptr;
  QCheckBox* augment_ = nullptr;
  QCheckBox* earlyStopping_ = nullptr;
  QSpinBox* patience_ = nullptr;

  QComboBox* optimizer_ = nullptr;
  QDoubleSpinBox* learningRate_ = nullptr;
  QDoubleSpinBox* momentum_ = nullptr;
  QComboBox* schedule_ = nullptr;
  QDoubleSpinBox* decayFactor_ = nullptr;
  QSpinBox* batchSize_ = nullptr;
  QSpinBox* epochs_ = nullptr;
  QCheckBox* stopWhenFitted_ = nullptr;
  QCheckBox* memorization_ = nullptr;
  QCheckBox* capacity_ = nullptr;

  QComboBox* device_ = nullptr;
  QLabel* deviceNote_ = nullptr;
  QLabel* estimate_ = nullptr;
  QLineEdit* seed_ = nullptr;
  QSpinBox* threads_ = nullptr;
  QSpinBox* concurrentRuns_ = nullptr;
};

} // namespace genlab::ui
