#pragma once
/// Training a preset in the terminal, without a window.

#include "app/figure_options.h"
#include "core/train/experiment_spec.h"

#include <filesystem>
#include <string>
#include <vector>

namespace genlab::app {

/// Trains `spec`, printing `heading` (when not empty), a line per epoch of each run and a
/// Table-1-style summary at the end. With `resultsRoot`, the session writes a new folder in it
/// (results::createSessionFolder: spec.json, metrics.csv, summary.json, kept current as it
/// trains, and each run's checkpoints) and prints its path; with `figureFormats` the figures
/// (Figure 1a loss, accuracy; 1b and 1c after a sweep) go there too when it ends. Ctrl-C,
/// SIGTERM and SIGUSR1 stop the session cleanly at the next chunk: runs end as "interrupted"
/// with their checkpoints saved, and the files stay readable. Returns the process exit status.
/// Throws InputError for a bad data set or results folder.
int trainHeadless(const train::ExperimentSpec& spec, const std::string& heading,
                  const std::filesystem::path& resultsRoot,
                  const std::vector<std::string>& figureFormats = {}, const FigureOptions& figure = {});

/// Trains `spec` into exactly `folder`, as trainHeadless does: a folder that does not exist or
/// holds no session starts afresh; one holding an unfinished session of the same spec
/// (compute.* aside) resumes it (runs that reached their outcome stay; the others go on from
/// their last checkpoint, or from their start without one); one whose runs all reached their
/// outcome is left alone, with a line saying so (exit status 0). Throws InputError naming the
/// folder when another live process writes it or it holds another experiment.
int trainSessionFolder(const train::ExperimentSpec& spec, const std::filesystem::path& folder,
                       const std::string& heading, const std::vector<std::string>& figureFormats = {},
                       const FigureOptions& figure = {});

} // namespace genlab::app
