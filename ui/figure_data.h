#pragma once
/// The data behind the lab's figures, as plain values: what a session reported, gathered for
/// plotting. No LibTorch here, so that Qt code (and moc) can include it.

#include "core/train/listener.h"

#include <QString>

#include <map>
#include <optional>
#include <vector>

namespace genlab::ui {

/// One run's curve in one figure.
struct Curve {
  int run = 0;  ///< the palette slot (runColour): one colour per run across figures
  QString name;
  std::vector<double> x;
  std::vector<double> y;
  bool endedEarly = false;  ///< diverged, stopped, interrupted or failed: marked in the legend
};

/// The points of one label-corruption sweep in Figures 1b and 1c (one series per network, as in
/// the paper's figure).
struct SweepSeries {
  int colour = 0;  ///< the palette slot, as Curve::run
  QString name;    ///< the network, e.g. "MLP 1x512"
  std::vector<train::SweepPoint> points;
  bool operator==(const SweepSeries&) const = default;
};

/// One setting's final errors in sessions that differ in one numeric spec value (model width,
/// random features, ...): model-wise double descent (Belkin et al. 2019; Nakkiran et al. 2019).
struct ValueSeries {
  int colour = 0;  ///< the palette slot, as Curve::run
  QString name;    ///< the setting, e.g. "partially corrupted labels (p = 0.15)"
  std::vector<double> value;       ///< the spec value, ascending
  std::vector<double> trainError;  ///< final training error, 1 - training accuracy
  std::vector<double> testError;
  bool operator==(const ValueSeries&) const = default;
};

/// Kernel interpolation's RKHS norm against label corruption (the paper's Section 5): one
/// series per kernel, a point per run of true, partially corrupted or random labels.
struct NormSeries {
  int colour = 0;  ///< the palette slot, as Curve::run
  QString name;    ///< the model, e.g. "RBF kernel interpolation (bandwidth from the data)"
  std::vector<double> level;  ///< label corruption, ascending
  std::vector<double> norm;
  bool operator==(const NormSeries&) const = default;
};

struct FigureData {
  std::vector<Curve> loss;           ///< training loss against steps (Figure 1a)
  std::vector<Curve> trainAccuracy;  ///< against epochs
  std::vector<Curve> testAccuracy;   ///< against epochs
  /// Memorization (measures.memorization), against epochs: the fraction of clean and of
  /// corrupted training examples fitted. Empty curves for runs that do not measure it.
  std::vector<Curve> fittedClean;
  std::vector<Curve> fittedCorrupted;
  /// Capacity measures (measures.capacity; train::CapacityMeasures), against epochs.
  std::vector<Curve> distanceFromInit;
  std::vector<Curve> spectralProduct;
  std::vector<Curve> frobeniusSq;
  std::vector<Curve> margin;
  std::vector<Curve> spectralComplexity;
  std::vector<SweepSeries> sweep;    ///< Figures 1b and 1c: sweeps that ended
  /// Sessions read back that differ in one numeric value: their runs' final errors against it.
  std::vector<ValueSeries> byValue;
  QString valueName;  ///< what the value is: "width", "features", ...
  std::vector<NormSeries> norms;  ///< closed-form kernel runs
};

/// Adds a run's RKHS norm at its label-corruption level to `series` (kept in level order);
/// nothing for a setting that is not one of labels.
void addNormPoint(NormSeries& series, const corruption::Setting& setting, double norm);

/// A FigureData member with one curve per run against epochs, and the metric it shows (its
/// metrics.csv name, core/results/results_writer.h): the one list that recording, reading
/// back and composing runs walk.
struct EpochCurves {
  const char* metric;
  std::vector<Curve> FigureData::*curves;
  std::optional<double> (*value)(const train::EpochMetrics&);
};
const std::vector<EpochCurves>& epochCurves();

/// Every per-run curve list of `data`: the loss, then epochCurves() in order. Index i of each
/// list is the same run.
std::vector<std::vector<Curve>*> runCurves(FigureData& data);
std::vector<const std::vector<Curve>*> runCurves(const FigureData& data);

/// A session listener that gathers FigureData as the session reports.
class FigureRecorder : public train::SessionListener {
public:
  void onSessionStarted(const train::SessionInfo& info) override;
  void onStepLosses(const train::StepLosses& losses) override;
  void onEpoch(const train::EpochMetrics& metrics) override;
  void onRunEnded(const train::RunSummary& run) override;
  void onSessionEnded(const train::SessionResult& result) override;

  const FigureData& data() const { return data_; }

private:
  /// Figures 1b and 1c from the runs as they stand (sweeps only).
  void updateSweep();

  FigureData data_;
  QString model_;  ///< names the session's sweep series
  bool sweep_ = false;
  std::vector<train::RunSummary> runs_;  ///< each run's record: its start, then its end
};

} // namespace genlab::ui
