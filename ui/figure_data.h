#pragma once
/// The data behind the lab's figures, as plain values: what a session reported, gathered for
/// plotting. No LibTorch here, so that Qt code (and moc) can include it.

#include "core/train/listener.h"

#include <QString>

#include <map>
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

struct FigureData {
  std::vector<Curve> loss;           ///< training loss against steps (Figure 1a)
  std::vector<Curve> trainAccuracy;  ///< against epochs
  std::vector<Curve> testAccuracy;   ///< against epochs
  std::vector<SweepSeries> sweep;    ///< Figures 1b and 1c: sweeps that ended
};

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
  FigureData data_;
  QString model_;  ///< names the session's sweep series
};

} // namespace genlab::ui
