#pragma once
/// The data sets GenLab can fetch: where each one's official files are, their published
/// checksums, and how they become the folder the loaders read (core/data).

#include "core/data/data_spec.h"
#include "core/datasets/checksum.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace genlab::datasets {

/// One file to download.
struct RemoteFile {
  std::string url;
  Checksum checksum;   ///< as published with the file
  uint64_t bytes = 0;  ///< its published size (disk-space check and progress before the server says)
};

/// What the downloaded files become in the data set's folder.
enum class Layout {
  Files,        ///< kept as they are (MNIST's gzip IDX files, which the loaders read)
  TarStripTop,  ///< a .tar.gz unpacked without its top folder (CIFAR-10's cifar-10-batches-bin/)
};

struct KnownDataset {
  data::DatasetKind kind;
  std::vector<RemoteFile> files;
  Layout layout = Layout::Files;
  uint64_t unpackedBytes = 0;          ///< what the folder holds once ready
  std::vector<std::string> contents;   ///< the files the loader needs, checked before it is ready
};

/// The fetchable data sets: cifar10, mnist, fashion-mnist (not synthetic).
std::span<const KnownDataset> knownDatasets();
/// The entry of `kind`, or nullopt for one GenLab cannot fetch (synthetic).
std::optional<KnownDataset> knownDataset(data::DatasetKind kind);
/// What fetching `kind` downloads: the sum of its files' published sizes (0 for synthetic).
uint64_t downloadBytes(data::DatasetKind kind);

/// The file name a URL names (its last path segment, without a query).
std::string fileNameOf(const std::string& url);

} // namespace genlab::datasets
