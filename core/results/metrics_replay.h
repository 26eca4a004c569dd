#pragma once
/// A session folder's metrics.csv told again as the session told it first: step losses and
/// epoch metrics through a SessionListener, so that a resumed session's window shows its whole
/// curves, not only what this process trains.

#include "core/train/listener.h"

#include <filesystem>

namespace genlab::results {

/// Reads `folder`'s metrics.csv and reports it to `listener`, run by run and epoch by epoch:
/// each epoch's step losses as one StepLosses, then its EpochMetrics (the wall time of its
/// rows). Bad rows and a partial last line are skipped. Returns the number of rows reported; a
/// missing or unreadable table reports nothing.
int64_t replayMetrics(const std::filesystem::path& folder, train::SessionListener& listener);

} // namespace genlab::results
