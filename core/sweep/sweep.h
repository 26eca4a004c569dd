#pragma once
/// A sweep: a base experiment and axes of values, whose Cartesian product are the tasks. Each
/// task trains into its own session folder, named from its axis values, under one results
/// folder, so that a sweep can run here, N tasks at a time, or as a Slurm job array, and can be
/// run again to finish what is missing.

#include "core/train/experiment_spec.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace genlab::sweep {

/// The axis key that gives each task one corruption setting ("true", "labels:0.2", ...).
inline constexpr const char* kSettingAxis = "setting";
/// The most tasks a sweep may have (a mistyped axis should not fill a cluster's queue).
inline constexpr int64_t kMaxTasks = 100000;
/// The sweep as resolved (--set applied) in the results folder, so that the cluster's tasks
/// and later `status` calls read exactly what was submitted.
inline constexpr const char* kSweepFile = "sweep.json";
/// Task logs (the local runner's and Slurm's) under the results folder.
inline constexpr const char* kLogFolder = "logs";

/// One axis: a spec field path (or "setting") with its values, or several paths whose values
/// vary together (written "model.architecture,model.depth": [["mlp", 1], ["alexnet", 1]]).
struct Axis {
  std::vector<std::string> paths;
  std::vector<std::vector<nlohmann::json>> values;  ///< values[i][j]: the i-th value of paths[j]
  std::string key() const;  ///< the paths joined by ","
};

struct Sweep {
  std::string title;
  std::string description;
  train::ExperimentSpec base;
  std::vector<Axis> axes;  ///< in the file's order; the last varies fastest
};

struct Task {
  int64_t index = 0;  ///< 0-based, as Slurm's array task id
  /// "path=value" for each axis path, e.g. {"model.width", "512"}.
  std::vector<std::pair<std::string, std::string>> values;
  std::string folder;  ///< under the results folder: "03-alexnet_random-labels"
  train::ExperimentSpec spec;
};

/// Reads a sweep file (a preset file with "axes"; without axes it is a sweep of one task),
/// applies the "PATH=VALUE" `overrides` to the base, and checks every axis: known paths,
/// values of the field's type and within its range, no empty axis, no value twice, no override
/// of a field an axis sets, between 1 and kMaxTasks tasks. Throws InputError naming the file and
/// the axis.
Sweep loadSweep(const std::filesystem::path& file, const std::vector<std::string>& overrides = {});

/// The same from a parsed document; `source` names it in messages.
Sweep parseSweep(const nlohmann::ordered_json& document, const std::string& source,
                 const std::vector<std::string>& overrides = {});

/// The sweep as a document loadSweep reads back to the same tasks (kSweepFile).
nlohmann::ordered_json toJson(const Sweep& sweep);

/// The number of tasks.
int64_t taskCount(const Sweep& sweep);

/// Task `index` (0 <= index < taskCount), validated. Throws InputError for an index out of
/// range or a task whose spec is invalid (naming its axis values).
Task task(const Sweep& sweep, int64_t index);

/// Every task, in order.
std::vector<Task> tasks(const Sweep& sweep);

/// The task's axis values for people: "model.width=512  corruption.level=0.2", or "(the base
/// experiment)" for a sweep without axes.
std::string axisValues(const Task& task);

/// The data each task reads, in task order (to fetch what is missing before the tasks start).
std::vector<data::DataSpec> dataSpecs(const Sweep& sweep);

/// True when two sweeps have the same tasks with the same specs, compute settings aside.
bool sameTasks(const Sweep& a, const Sweep& b);

/// Makes `out` the sweep's results folder: creates it, checks that it can be written, writes
/// the resolved sweep there (kSweepFile) unless the same sweep is there already, and creates the
/// log folder. Returns the sweep file's path. Throws InputError for a folder that cannot be
/// written or that holds another sweep (two grids never mix their task folders).
std::filesystem::path prepareResultsFolder(const Sweep& sweep, const std::filesystem::path& out);

} // namespace genlab::sweep
