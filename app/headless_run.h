#pragma once
/// Training a preset in the terminal, without a window.

#include "core/train/experiment_spec.h"

#include <filesystem>
#include <string>
#include <vector>

namespace genlab::app {

/// Figures a terminal run writes into its results folder when it ends.
struct FigureExport {
  std::vector<std::string> formats;  ///< png, pdf, svg; empty: no figures
  int width = 1280;
  int height = 720;
  double scale = 1.0;
};

/// Trains `spec`, printing `heading` (when not empty), a line per epoch of each run and a
/// Table-1-style summary at the end, and keeps `out` (when not empty) current with spec.json,
/// metrics.csv and summary.json. Ctrl-C stops the session cleanly: runs end as "interrupted"
/// and the files stay readable. Returns the process exit status. Throws InputError for a bad
/// data set or output folder.
/// With `figures`, also draws the figures (Figure 1a loss, accuracy; 1b and 1c after a sweep)
/// offscreen with the window's renderer and writes them into `out`.
int trainHeadless(const train::ExperimentSpec& spec, const std::string& heading,
                  const std::filesystem::path& out, const FigureExport& figures = {});

/// Prints the ids and titles of the presets.
int listPresets();

} // namespace genlab::app
