#pragma once
/// DataPreview: a grid of training images as one corruption setting leaves them, each with
/// the class name the network is asked to fit, so that a student sees what "shuffled pixels"
/// or "random labels" mean before training; after a run that measured memorization, the
/// images it learned last. Loading and corrupting run off the GUI thread.

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
  /// Ordered by memorization: the epoch the network has fitted it since, or that it does not.
  QString learned;
};

/// Which training images the preview shows.
enum class PreviewOrder {
  FirstImages,           ///< the first ones, as the data set holds them
  CorruptedLearnedLast,  ///< corrupted labels the network fitted last or not at all ("resisted")
  CleanLearnedLast,      ///< clean labels it fitted last (the hard examples)
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
/// The `count` images a run learned last (results::learnedLast), of the kind `order` names,
/// from the run's memorization record at `record` (memorization-run<N>.csv).
PreviewResult makeLearnedLastPreview(const data::DataSpec& data, const corruption::Setting& setting,
                                     uint64_t seed, int count, PreviewOrder order, const QString& record);

class DataPreview : public QWidget {
  Q_OBJECT

public:
  explicit DataPreview(QWidget* parent = nullptr);
  ~DataPreview() override;

  /// The experiment whose settings the preview offers; the preview reloads when it is shown.
  void setSpec(const train::ExperimentSpec& spec);
  /// The session whose memorization records order the images (the window's own, new or
  /// resumed): its folder and experiment; an empty folder: none. The preview reloads when shown.
  void setSession(const QString& folder, const train::ExperimentSpec& spec);
  /// Loads the preview now (in the background) for the selected setting.
  void reload();
  QComboBox* settingChooser() const { return setting_; }
  QComboBox* orderChooser() const { return order_; }
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
  /// The memorization record of the session's run of `setting`, or why there is none.
  QString recordOf(const corruption::Setting& setting, QString& why) const;

  train::ExperimentSpec spec_;
  bool stale_ = true;
  bool reloadWanted_ = false;  ///< a request came while a load ran
  QString sessionFolder_;
  train::ExperimentSpec sessionSpec_;
  QComboBox* setting_ = nullptr;
  QComboBox* order_ = nullptr;
  QLabel* status_ = nullptr;
  QGridLayout* grid_ = nullptr;
  std::vector<PreviewSample> shown_;
  QFutureWatcher<PreviewResult> watcher_;
};

} // namespace genlab::ui
