#pragma once
/// The results folder of one session, described once: its files, the columns of its metrics
/// table and the format version, for the writer, the reader and every exporter.

#include <string>

namespace genlab::results {

inline constexpr const char* kSpecFile = "spec.json";        ///< the experiment (spec_json.h)
inline constexpr const char* kMetricsFile = "metrics.csv";   ///< the tidy metrics table
inline constexpr const char* kSummaryFile = "summary.json";  ///< every run's state
/// Locked (flock) by the process writing the folder for as long as it writes: a reader that
/// can lock it knows that nobody writes any more, even when the writer was killed.
inline constexpr const char* kWriterLockFile = ".genlab-writer.lock";

/// A run's saved state (train::Trainer::saveState: a LibTorch archive of the network, the
/// optimizer, both random generators, the epoch and the run's summary so far), replaced
/// atomically at every checkpoint: "checkpoint-run0.pt", ... A session is resumed from these.
inline std::string checkpointFileName(int run) { return "checkpoint-run" + std::to_string(run) + ".pt"; }

/// measures.memorization: each run's per-example record (memorization_file.h), replaced
/// atomically at every epoch's end: "memorization-run0.csv", ...
inline std::string memorizationFileName(int run) { return "memorization-run" + std::to_string(run) + ".csv"; }

/// The first line of metrics.csv: one row per optimization step ("loss") and per epoch metric.
inline constexpr const char* kMetricsHeader = "run,setting,step,epoch,metric,value,wall_time";
inline constexpr int kMetricsColumns = 7;

/// summary.json's "format". Readers read older formats (no "format" key: 0) and show a folder of
/// a newer one with a reason, reading what they understand.
inline constexpr int kResultsFormat = 1;

} // namespace genlab::results
