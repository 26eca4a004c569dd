#pragma once
/// Fetching a known data set into the shared folder (locations.h): download (continuing a
/// partial one), checksum, check and unpack into a temporary folder, then rename into place,
/// so that a data set folder is either whole and checked or absent. Beside ROOT/NAME, while
/// it is fetched:
///   ROOT/.NAME.download/FILE.part  what has arrived of FILE (kept after a dropped connection)
///   ROOT/.NAME.unpack-*/           the data set being unpacked (removed on any failure)

#include "core/data/data_spec.h"
#include "core/datasets/catalog.h"
#include "core/datasets/checksum.h"
#include "core/datasets/download.h"
#include "core/datasets/locations.h"
#include "core/datasets/mirrors.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace genlab::datasets {

struct FetchRequest {
  data::DatasetKind kind = data::DatasetKind::Cifar10;
  std::filesystem::path root;  ///< the shared folder (defaultDatasetsRoot() unless told)
  /// A mirror: these files replace the built-in ones, in the same number (for a data set of
  /// plain files, each named as the built-in one it replaces). Empty: the mirror that
  /// $GENLAB_DATASET_MIRRORS names for this data set, else the built-in files.
  std::vector<RemoteFile> mirror;
  DownloadOptions download;  ///< its progress is called per file, with fileIndex set below
};

/// What fetchDataset reports as it goes.
struct FetchProgress {
  std::string file;  ///< the file name being downloaded
  int fileIndex = 0;
  int fileCount = 0;
  Transfer transfer;
};

struct FetchResult {
  std::filesystem::path folder;
  bool alreadyThere = false;  ///< the folder was ready and nothing was downloaded
};

/// Fetches `request.kind` unless its folder is already ready; one fetch at a time per shared
/// folder (an flock on it: a second waits, then finds the data set there). Throws InputError with one line
/// naming the cause (no disk space, a checksum that does not match, a damaged archive, an entry
/// escaping its folder, any download failure) and leaves no data set folder behind; Cancelled
/// when request.download.cancel was set. Downloaded bytes are kept only after a connection
/// that dropped or timed out, for the next fetch to continue.
FetchResult fetchDataset(const FetchRequest& request, const std::function<void(const FetchProgress&)>& progress = {});

/// The state of a data set's folder under `root`, for `genlab data list`.
struct DatasetState {
  data::DatasetKind kind = data::DatasetKind::Cifar10;
  std::filesystem::path folder;
  bool present = false;     ///< the folder holds a fetched data set (its manifest)
  uint64_t bytes = 0;       ///< the files in it
  std::string fetchedAt;    ///< UTC, from the manifest
  uint64_t partialBytes = 0;  ///< downloaded bytes waiting for the next fetch
};
DatasetState inspectDataset(const std::filesystem::path& root, data::DatasetKind kind);

/// Recomputes the SHA-256 of every file the manifest of ROOT/NAME lists. Throws InputError
/// naming the first file that is missing or changed, or a folder that was not fetched.
void verifyDataset(const std::filesystem::path& root, data::DatasetKind kind);

} // namespace genlab::datasets
