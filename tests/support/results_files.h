#pragma once
/// Session folders for tests, written by the real ResultsWriter from listener calls alone:
/// what a session would leave, without training anything.

#include "core/results/results_writer.h"

#include <filesystem>

namespace genlab::test {

/// Reports one epoch of `steps` steps of run `run` to `writer`: losses 2.3 / step, training
/// accuracy `accuracy`, test accuracy half of it.
void reportEpoch(results::ResultsWriter& writer, int run, int64_t epoch, int steps, double accuracy);

/// A finished session of `spec`'s runs in `folder`: `epochs` epochs of `steps` steps each, the
/// training accuracy reaching 1 at the last epoch (each run fitted then).
void writeFinishedSession(const std::filesystem::path& folder, const train::ExperimentSpec& spec,
                          int epochs, int steps);

} // namespace genlab::test
