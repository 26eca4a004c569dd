#pragma once
/// Training a preset in the terminal, without a window.

#include "core/train/experiment_spec.h"

#include <filesystem>
#include <string>

namespace genlab::app {

/// Trains `spec`, printing `heading` (when not empty), a line per epoch of each run and a
/// Table-1-style summary at the end, and keeps `out` (when not empty) current with spec.json,
/// metrics.csv and summary.json. Ctrl-C stops the session cleanly: runs end as "interrupted"
/// and the files stay readable. Returns the process exit status. Throws InputError for a bad
/// data set or output folder.
int trainHeadless(const train::ExperimentSpec& spec, const std::string& heading,
                  const std::filesystem::path& out);

/// Prints the ids and titles of the presets.
int listPresets();

} // namespace genlab::app
