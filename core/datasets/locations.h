#pragma once
/// Where fetched data sets live (the one place that says so; core/data's folder search and
/// core/datasets/fetch.h both use it):
///   ROOT/NAME/ with ROOT/NAME/genlab-dataset.json, ROOT the shared folder below.

#include "core/data/data_spec.h"

#include <filesystem>

namespace genlab::datasets {

/// The file in a fetched data set's folder that records what was fetched and each file's
/// SHA-256 (what `verify` checks against); a folder holds a fetched data set when it has one.
inline constexpr const char* kManifestName = "genlab-dataset.json";

/// The shared folder: $XDG_DATA_HOME/GenLab/datasets, else ~/.local/share/GenLab/datasets
/// (XDG's default); empty when neither variable is set.
std::filesystem::path defaultDatasetsRoot();

/// ROOT/NAME, the folder the data set `kind` is fetched into.
std::filesystem::path datasetFolder(const std::filesystem::path& root, data::DatasetKind kind);

/// True when ROOT/NAME holds a fetched data set (its manifest).
bool isFetched(const std::filesystem::path& root, data::DatasetKind kind);

} // namespace genlab::datasets
