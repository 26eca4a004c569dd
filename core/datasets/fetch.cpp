#include "core/datasets/fetch.h"

#include "core/datasets/mirrors.h"
#include "core/datasets/unpack.h"
#include "core/errors.h"
#include "core/format.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <random>
#include <set>

namespace genlab::datasets {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string utcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

/// Free bytes on the file system that holds `folder` (or its nearest existing parent).
uint64_t freeBytes(fs::path folder) {
  std::error_code ec;
  while (!folder.empty() && !fs::exists(folder, ec)) folder = folder.parent_path();
  struct statvfs info {};
  if (folder.empty() || statvfs(folder.c_str(), &info) != 0) return UINT64_MAX;
  return static_cast<uint64_t>(info.f_bavail) * info.f_frsize;
}

uint64_t sizeOr0(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  return ec ? 0 : size;
}

json readManifest(const fs::path& folder) {
  std::ifstream in(folder / kManifestName);
  if (!in) return nullptr;
  json manifest = json::parse(in, nullptr, false);
  return manifest.is_object() ? manifest : json(nullptr);
}

bool ready(const fs::path& folder, const KnownDataset& dataset) {
  if (readManifest(folder).is_null()) return false;
  std::error_code ec;
  for (const auto& name : dataset.contents)
    if (!fs::is_regular_file(folder / name, ec)) return false;
  return true;
}

/// The mirror $GENLAB_DATASET_MIRRORS names for `name`, if any.
std::vector<RemoteFile> mirrorFromEnvironment(const std::string& name) {
  const char* path = std::getenv(kMirrorsVariable);
  if (path == nullptr || *path == '\0') return {};
  const std::string where = std::string(kMirrorsVariable) + " file '" + path + "'";
  std::ifstream in(path);
  if (!in) throw InputError("cannot read the " + where);
  return parseMirrors(std::string(std::istreambuf_iterator<char>(in), {}), name, where);
}

/// The files to download: the request's mirror, else the environment's, else the built-in ones.
std::vector<RemoteFile> filesOf(const KnownDataset& dataset, const FetchRequest& request) {
  const std::string name(data::toString(dataset.kind));
  const std::vector<RemoteFile> mirror = request.mirror.empty() ? mirrorFromEnvironment(name) : request.mirror;
  if (mirror.empty()) return dataset.files;
  if (mirror.size() != dataset.files.size())
    throw InputError(name + " has " + std::to_string(dataset.files.size()) + " file" +
                     (dataset.files.size() == 1 ? "" : "s") + " to fetch; the mirror names " +
                     std::to_string(mirror.size()));
  if (dataset.layout == Layout::Files) {
    std::set<std::string> wanted(dataset.contents.begin(), dataset.contents.end());
    for (const auto& file : mirror)
      if (wanted.erase(fileNameOf(file.url)) == 0)
        throw InputError("mirror URL " + file.url + " does not name one of " + name + "'s files");
  }
  return mirror;
}

/// Removes a folder on every path out of a scope unless released.
class Cleanup {
public:
  explicit Cleanup(fs::path path) : path_(std::move(path)) {}
  ~Cleanup() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  void release() { path_.clear(); }
  Cleanup(const Cleanup&) = delete;
  Cleanup& operator=(const Cleanup&) = delete;

private:
  fs::path path_;
};

/// An exclusive flock on the shared folder for the whole fetch: two GenLabs fetching at once
/// (a window and a sweep) would otherwise write the same partial files. The second waits, then
/// finds the data set ready. Waiting looks at the cancel flag.
class FolderLock {
public:
  FolderLock(const fs::path& root, const std::atomic<bool>* cancel) : fd_(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_ < 0) throw InputError("cannot open '" + root.string() + "'");
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (cancel != nullptr && cancel->load()) {
        ::close(fd_);
        throw Cancelled("fetch cancelled while another GenLab was fetching into '" + root.string() + "'");
      }
      ::usleep(200000);
    }
  }
  ~FolderLock() { ::close(fd_); }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

private:
  int fd_;
};

/// ROOT/.NAME<suffix>: the folders beside a data set's while it is fetched (fetch.h).
fs::path besideFolder(const fs::path& root, data::DatasetKind kind, const char* suffix) {
  std::string name = ".";
  name += data::toString(kind);
  name += suffix;
  return root / name;
}

/// A new folder `stem` followed by a random number.
fs::path uniqueSibling(const fs::path& stem) {
  std::random_device device;
  for (;;) {
    const fs::path candidate = stem.string() + std::to_string(device() % 1000000);
    std::error_code ec;
    if (fs::create_directory(candidate, ec)) return candidate;
    if (ec) throw InputError("cannot create '" + candidate.string() + "': " + ec.message());
  }
}

} // namespace

FetchResult fetchDataset(const FetchRequest& request, const std::function<void(const FetchProgress&)>& progress) {
  const auto known = knownDataset(request.kind);
  const std::string name(data::toString(request.kind));
  if (!known) throw InputError(name + " is made by GenLab, not fetched");
  if (request.root.empty()) throw InputError("no folder to fetch " + name + " into: set XDG_DATA_HOME or HOME, or name one");
  const fs::path folder = datasetFolder(request.root, request.kind);
  if (ready(folder, *known)) return {folder, true};
  const std::vector<RemoteFile> files = filesOf(*known, request);
  std::error_code ec;
  fs::create_directories(request.root, ec);
  if (ec) throw InputError("cannot create '" + request.root.string() + "': " + ec.message());
  const FolderLock lock(request.root, request.download.cancel);
  if (ready(folder, *known)) return {folder, true};  // fetched by whoever held the lock
  if (fs::exists(folder, ec))
    throw InputError("'" + folder.string() + "' exists but was not fetched by GenLab: move it away, or fetch to another folder");

  // Disk space first: what is still to download, and what unpacking adds.
  const fs::path downloads = besideFolder(request.root, request.kind, ".download");
  uint64_t needed = known->layout == Layout::TarStripTop ? known->unpackedBytes : 0;
  for (const auto& file : files)
    if (file.bytes > sizeOr0(downloads / (fileNameOf(file.url) + ".part")))
      needed += file.bytes - sizeOr0(downloads / (fileNameOf(file.url) + ".part"));
  if (const uint64_t free = freeBytes(request.root); needed > free)
    throw InputError(name + " needs " + mebibytes(double(needed)) + " in '" + request.root.string() + "', which has " +
                     mebibytes(double(free)) + " free");

  fs::create_directories(downloads, ec);
  if (ec) throw InputError("cannot create '" + downloads.string() + "': " + ec.message());
  // Removed on every failure but a dropped connection (whose bytes the next fetch continues).
  Cleanup downloadsCleanup(downloads);
  try {
    for (std::size_t i = 0; i < files.size(); ++i) {
      const RemoteFile& file = files[i];
      const fs::path part = downloads / (fileNameOf(file.url) + ".part");
      DownloadOptions options = request.download;
      options.progress = [&](const Transfer& transfer) {
        if (progress) progress({fileNameOf(file.url), static_cast<int>(i), static_cast<int>(files.size()), transfer});
      };
      download(file.url, part, options);
      const Checksum got = checksumOfFile(part, file.checksum.algorithm);
      if (got != file.checksum) {
        fs::remove(part, ec);
        throw InputError("checksum of " + file.url + " does not match: " + got.toString() + ", published " +
                         file.checksum.toString() + " (a damaged download or a wrong mirror; nothing was kept)");
      }
    }
  } catch (const Interrupted&) {
    downloadsCleanup.release();
    throw;
  }

  // Unpack into a temporary folder beside the target, check, record, rename into place.
  const fs::path unpacking = uniqueSibling(besideFolder(request.root, request.kind, ".unpack-"));
  Cleanup unpackingCleanup(unpacking);
  json manifest = {{"dataset", name}, {"fetched_at", utcNow()}, {"sources", json::array()}, {"files", json::object()}};
  for (const auto& file : files) {
    const fs::path part = downloads / (fileNameOf(file.url) + ".part");
    manifest["sources"].push_back({{"url", file.url}, {"checksum", file.checksum.toString()}});
    if (known->layout == Layout::TarStripTop) {
      checkTarGz(part);
      unpackTarGz(part, unpacking, true);
    } else {
      fs::rename(part, unpacking / fileNameOf(file.url), ec);
      if (ec) throw InputError("cannot move '" + part.string() + "' into '" + unpacking.string() + "': " + ec.message());
    }
  }
  for (const auto& content : known->contents)
    if (!fs::is_regular_file(unpacking / content, ec))
      throw InputError("the " + name + " download has no '" + content + "'; it is not " + data::displayName(request.kind));
  for (const auto& entry : fs::recursive_directory_iterator(unpacking))
    if (entry.is_regular_file())
      manifest["files"][fs::relative(entry.path(), unpacking).string()] =
          checksumOfFile(entry.path(), Checksum::Algorithm::Sha256).toString();
  {
    std::ofstream out(unpacking / kManifestName);
    out << manifest.dump(2) << '\n';
    out.close();
    if (!out) throw InputError("cannot write '" + (unpacking / kManifestName).string() + "' (is the disk full?)");
  }
  fs::rename(unpacking, folder, ec);
  if (ec) throw InputError("cannot move the unpacked " + name + " to '" + folder.string() + "': " + ec.message());
  unpackingCleanup.release();
  return {folder, false};
}

DatasetState inspectDataset(const fs::path& root, data::DatasetKind kind) {
  DatasetState state;
  state.kind = kind;
  state.folder = datasetFolder(root, kind);
  const json manifest = readManifest(state.folder);
  state.present = !manifest.is_null();
  std::error_code ec;
  if (state.present) {
    state.fetchedAt = manifest.value("fetched_at", "");
    for (const auto& entry : fs::recursive_directory_iterator(state.folder, ec))
      if (entry.is_regular_file(ec)) state.bytes += sizeOr0(entry.path());
  }
  const fs::path downloads = besideFolder(root, kind, ".download");
  if (fs::is_directory(downloads, ec))
    for (const auto& entry : fs::directory_iterator(downloads, ec)) state.partialBytes += sizeOr0(entry.path());
  return state;
}

void verifyDataset(const fs::path& root, data::DatasetKind kind) {
  const fs::path folder = datasetFolder(root, kind);
  const json manifest = readManifest(folder);
  const std::string name(data::toString(kind));
  if (manifest.is_null() || !manifest.contains("files") || !manifest["files"].is_object())
    throw InputError("'" + folder.string() + "' holds no fetched " + name + " (genlab data fetch " + name + ")");
  for (const auto& [file, value] : manifest["files"].items()) {
    const fs::path path = folder / file;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw InputError(name + ": '" + path.string() + "' is missing");
    if (!value.is_string()) throw InputError("'" + (folder / kManifestName).string() + "' is damaged");
    const Checksum expected = Checksum::parse(value.get<std::string>());
    if (checksumOfFile(path, expected.algorithm) != expected)
      throw InputError(name + ": '" + path.string() + "' has changed since it was fetched (" + expected.toString() + ")");
  }
}

} // namespace genlab::datasets
