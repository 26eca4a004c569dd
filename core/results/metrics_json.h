#pragma once
/// A results folder's metrics as one JSON document, for tools that prefer JSON to the tidy
/// CSV: the spec and every run's summary (summary.json) with its metrics as columns
/// (metrics.csv).

#include <nlohmann/json_fwd.hpp>

#include <filesystem>

namespace genlab::results {

/// {"spec": ..., "runs": [{...run summary..., "metrics": {"loss": {"step": [...], "epoch":
/// [...], "value": [...], "wall_time": [...]}, "test_accuracy": {...}, ...}}]}, from the
/// metrics.csv and summary.json that a ResultsWriter keeps in `folder`. Throws InputError
/// naming the file when one is missing or malformed.
nlohmann::json metricsJson(const std::filesystem::path& folder);

/// Writes metricsJson(folder) to `path` (atomically). Throws InputError naming the path when
/// it cannot be written.
void writeMetricsJson(const std::filesystem::path& folder, const std::filesystem::path& path);

} // namespace genlab::results
