#pragma once
/// Mirrors of the data sets' files, for machines that fetch from one (a cluster without the
/// internet, the tests): a JSON file {"cifar10": [{"url": "...", "checksum": "md5:..."}],
/// "mnist": [...]} named by $GENLAB_DATASET_MIRRORS. A data set it names is fetched from there
/// by every fetch that names no mirror of its own (the window's Download, sweeps, genlab data).

#include "core/datasets/catalog.h"

#include <string>
#include <vector>

namespace genlab::datasets {

inline constexpr const char* kMirrorsVariable = "GENLAB_DATASET_MIRRORS";

/// The files `text` (a mirrors file's JSON) lists for the data set `name`; empty when it names
/// none. Throws InputError naming `where` for text that is not such a file.
std::vector<RemoteFile> parseMirrors(const std::string& text, const std::string& name, const std::string& where);

} // namespace genlab::datasets
