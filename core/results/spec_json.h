#pragma once
/// ExperimentSpec as JSON: the format of presets, of the window's saved experiments, of the
/// command line's --config files and of spec.json in every results folder.

#include "core/train/experiment_spec.h"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <string>

namespace genlab::results {

/// Every field of `spec`, with its users' spellings ("fashion-mnist", "labels:0.2", "sgd").
nlohmann::json toJson(const train::ExperimentSpec& spec);

/// Overwrites the fields of `spec` that `json` names and keeps the others, so that a config
/// file can change a preset in a few keys. Throws InputError, naming `source` and the key
/// path (e.g. "optimizer.learning_rate"), on an unknown key, a value of the wrong type or an
/// unknown name. Does not check ranges: call train::validate for that.
void mergeJson(train::ExperimentSpec& spec, const nlohmann::json& json, const std::string& source);

/// Parses a JSON file and returns the document. Throws InputError naming the file on a
/// missing file or a syntax error (with the byte position).
nlohmann::json readJsonFile(const std::filesystem::path& path);

/// A spec read from a JSON file on top of `base`, then validated.
train::ExperimentSpec loadSpecFile(const std::filesystem::path& path, train::ExperimentSpec base);
/// A spec read from a JSON file on top of the defaults, then validated.
train::ExperimentSpec loadSpecFile(const std::filesystem::path& path);

} // namespace genlab::results
