#pragma once
/// The lab's figures from session folders read back (core/results/session_reader.h), next to
/// the session the window trains: for the window's disk runs and for `genlab report`. One
/// colour per run, names that tell sessions apart, long loss curves thinned to what a screen
/// can show.

#include "core/results/run_record.h"
#include "ui/figure_data.h"

#include <QString>

#include <vector>

namespace genlab::ui {

/// A session folder's runs to draw.
struct ShownSession {
  const results::SessionRecord* record = nullptr;
  std::vector<int> runs;  ///< run numbers
};

/// The window's own session, drawn from what it reports as it trains rather than from its folder.
struct LiveSession {
  const FigureData* data = nullptr;  ///< nullptr or empty: none
  QString name;                      ///< its folder's name
  nlohmann::json spec;               ///< its experiment (spec_json.h)
};

/// Loss curves longer than this are thinned to at most this many points for drawing: the
/// smallest and largest value of each of a fixed number of steps (a power of two), so that
/// spikes stay visible, and buckets once drawn never change while a run grows.
inline constexpr size_t kMaxDrawnLossPoints = 8192;

/// The curves of `live` (its runs keep their colours and names) and of each shown run, in that
/// order; disk runs take the palette slots after the live session's. When more than one session
/// is shown, each curve's name says which it is from: the one spec value in which the sessions
/// differ ("true labels, width 2048"), or else the session's folder name. Runs that ended
/// early (diverged, stopped, failed, incomplete, ...) are marked as in a live session. Figures
/// 1b and 1c get a series per label-corruption sweep among the shown runs: runs of true,
/// partially corrupted and random labels at three levels or more, whose specs agree apart from
/// the settings.
FigureData composeFigures(const LiveSession& live, const std::vector<ShownSession>& shown,
                          size_t maxLossPoints = kMaxDrawnLossPoints);

/// Keeps composeFigures' result current while the live session grows: its new points are
/// appended rather than everything composed again (disk runs change far less often than the
/// live session reports, up to 30 times a second).
class FigureComposer {
public:
  /// Composes from scratch. `liveRuns`: the live session's runs to draw (by run number).
  void compose(const LiveSession& live, const std::vector<int>& liveRuns,
               const std::vector<ShownSession>& shown);
  /// The live session reported more (same runs): appends its new points, takes its runs' new
  /// names (a run that ended). Returns false when its curves no longer match what was composed
  /// (a new session), or an ended run added a point of Figures 1b and 1c or a kernel's norm:
  /// compose again.
  bool liveGrew(const FigureData& live);
  const FigureData& data() const { return data_; }

private:
  FigureData data_;
  QString liveSuffix_;
  std::vector<size_t> liveCurves_;  ///< for each of data_'s first curves, the live curve it shows
  std::vector<NormSeries> liveNorms_;  ///< the live session's norms when composed
  std::vector<SweepSeries> liveSweep_;  ///< the live sweep's points when composed
};

} // namespace genlab::ui
