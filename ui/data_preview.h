#pragma once
/// DataPreview: a grid of training images as one corruption setting leaves them, each with
/// the class name the network is asked to fit, so that a student sees what "shuffled pixels"
/// or "random labels" mean before training. Loading and corrupting run off the GUI thread.

#include "core/train/experiment_spec.h"

#include <QFutureWatcher>
#include <QImage>
#include <QString>
#include <QWidget>

#include <vector>

class QComboBox;
class QGridLayout;
class QLabel;

namespace genlab::ui {

/// One image of the preview.
struct PreviewSample {
  QImage image;        ///< what the network sees, each image scaled to the full grey range
  QString label;       ///< the class the run is trained to output
  QString trueLabel;   ///< the class in the data set
};

/// The preview of one setting: the samples, what the corruption did, or why there is none.
struct PreviewResult {
  std::vector<PreviewSample> samples;
  QString description;
  QString error;
};

/// Loads `data` (without subsets' randomness beyond the spec's seed), applies `setting` with
/// `seed` exactly as a session does, and returns the first `count` training images. Runs on
/// any thread: it draws only from seeded generators of its own.
PreviewResult makePreview(const data::DataSpec& data, const corruption::Setting& setting,
                          uint64_t seed, int count);

class DataPreview : public QWidget {
  Q_OBJECT

public:
  explicit DataPreview(QWidget* parent = nullptr);
  ~DataPreview() override;

  /// The experiment whose settings the preview offers; the preview reloads when it is shown.
  void setSpec(const train::ExperimentSpec& spec);
  /// Loads the preview now (in the background) for the selected setting.
  void reload();
  QComboBox* settingChooser() const { return setting_; }
  /// True while a load runs in the background.
  bool loading() const { return watcher_.isRunning(); }
  /// The samples shown (empty while loading or after an error).
  const std::vector<PreviewSample>& samples() const { return shown_; }

Q_SIGNALS:
  void loaded();

protected:
  void showEvent(QShowEvent* event) override;

private:
  void show(const PreviewResult& result);

  train::ExperimentSpec spec_;
  bool stale_ = true;
  bool reloadWanted_ = false;  ///< a request came while a load ran
  QComboBox* setting_ = nullptr;
  QLabel* status_ = nullptr;
  QGridLayout* grid_ = nullptr;
  std::vector<PreviewSample> shown_;
  QFutureWatcher<PreviewResult> watcher_;
};

} // namespace genlab::ui
