#pragma once
/// A results folder's metrics as one JSON document, for tools that prefer JSON to the tidy
/// CSV: the spec and every run's summary (summary.json) with its metrics as columns
/// (metrics.csv).

#include "core/results/metrics_table.h"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>

namespace genlab::results {

/// {"spec": ..., "runs": [{...run summary..., "metrics": {"loss": {"step": [...], "epoch":
/// [...], "value": [...], "wall_time": [...]}, "test_accuracy": {...}, ...}}]}, from the
/// metrics.csv and summary.json that a ResultsWriter keeps in `folder`. Throws InputError
/// naming the file when one is missing or malformed.
nlohmann::json metricsJson(const std::filesystem::path& folder);

/// The metrics of the runs `shown` (metrics_table.h) as one document: for one session its
/// metricsJson with the runs named; for several {"sessions": [{"folder": ..., "name": ...,
/// then its metricsJson's keys}, ...]}.
nlohmann::json metricsJson(const std::vector<FolderRuns>& shown);

/// Writes metricsJson(shown) to `path` (atomically). Throws InputError naming the path when it
/// cannot be written.
void writeMetricsJson(const std::vector<FolderRuns>& shown, const std::filesystem::path& path);

} // namespace genlab::results
