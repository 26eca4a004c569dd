#pragma once
/// Continuing a session folder (genlab --resume, the sweep runner, the window's Resume): which
/// runs go on and from which checkpoint, and whether anything is left to do. No LibTorch: the
/// checkpoints travel as bytes to train::Trainer::restoreState.

#include "core/results/results_writer.h"
#include "core/train/experiment_spec.h"
#include "core/train/session.h"

#include <filesystem>
#include <memory>
#include <vector>

namespace genlab::results {

/// True when `folder` holds none of a session's files (spec.json, metrics.csv, summary.json):
/// a session may start there afresh.
bool holdsNoSession(const std::filesystem::path& folder);

/// True when every run of the session in `folder` reached its outcome (train::reachedOutcome:
/// fitted, finished, early-stopped, diverged) as its summary.json records: nothing to resume.
/// False for a folder without a readable summary or without runs.
bool sessionFinished(const std::filesystem::path& folder);

/// True when some run of the session in `folder` has a checkpoint file (layout.h).
bool hasCheckpoint(const std::filesystem::path& folder);

/// The experiment `folder`'s spec.json describes, validated. Throws InputError naming the
/// folder when it has none (or names the file when it cannot be read).
train::ExperimentSpec readSessionSpec(const std::filesystem::path& folder);

/// Throws InputError naming `folder` and the first field that differs unless its spec.json
/// describes `spec`, compute.* aside (device, threads and the checkpoint interval may change
/// between a run and its resume).
void requireSameExperiment(const std::filesystem::path& folder, const train::ExperimentSpec& spec);

/// How each run of the session of `spec` in `folder` goes on (train::Session::resumeFrom), in
/// run order: a run that reached its outcome stays as it ended; the others continue from
/// their checkpoint file, or from their start without one. Call while holding the folder's
/// writer lock. Throws InputError naming the folder when it holds another experiment
/// (requireSameExperiment) or a summary whose runs are not the spec's.
std::vector<train::RunStart> planResume(const std::filesystem::path& folder,
                                        const train::ExperimentSpec& spec);

/// A session folder opened to train a spec into it.
struct OpenedFolder {
  std::unique_ptr<ResultsWriter> writer;  ///< none when every run had reached its outcome
  std::vector<train::RunStart> runs;      ///< for Session::resumeFrom; empty: a new session
};

/// For app::trainSessionFolder and the window's Resume: creates `folder` if needed and takes
/// its writer lock first (InputError naming it when a live process writes it); a folder that
/// holds no session gets a new one (ResultsWriter::Mode::Fresh), one that holds a session of
/// `spec` is resumed (planResume, Mode::Resume), one whose runs all reached their outcome gets
/// no writer (nothing to do).
OpenedFolder openSessionFolder(const std::filesystem::path& folder, const train::ExperimentSpec& spec);

} // namespace genlab::results
