#include "core/datasets/unpack.h"

#include "core/errors.h"

#include <archive.h>
#include <archive_entry.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace genlab::datasets {

namespace fs = std::filesystem;

namespace {

using Reader = std::unique_ptr<struct archive, decltype(&archive_read_free)>;

std::string errorOf(struct archive* reader) {
  const char* text = archive_error_string(reader);
  return text != nullptr ? text : "unknown error";
}

Reader openArchive(const fs::path& archive) {
  Reader reader(archive_read_new(), archive_read_free);
  archive_read_support_filter_gzip(reader.get());
  archive_read_support_format_tar(reader.get());
  if (archive_read_open_filename(reader.get(), archive.c_str(), 1 << 16) != ARCHIVE_OK)
    throw InputError("archive '" + archive.string() + "' is damaged or incomplete: " + errorOf(reader.get()));
  return reader;
}

/// The entry's path below the target folder (empty: nothing to write, such as the stripped top
/// folder itself), after refusing one that could escape it.
fs::path safeRelativePath(const fs::path& archive, struct archive_entry* entry, bool stripTop) {
  const char* raw = archive_entry_pathname(entry);
  const std::string name = raw == nullptr ? "" : raw;
  const auto refuse = [&](const std::string& why) {
    throw InputError("archive '" + archive.string() + "' holds '" + name + "', " + why + "; nothing is unpacked");
  };
  const fs::path path(name);
  if (name.empty() || path.is_absolute()) refuse("an absolute or empty path");
  fs::path relative;
  bool first = true;
  for (const fs::path& part : path) {
    if (part == "..") refuse("a path leaving its folder");
    if (part == "." || part.empty()) continue;
    if (first && stripTop) {
      first = false;
      continue;
    }
    first = false;
    relative /= part;
  }
  const auto type = archive_entry_filetype(entry);
  if (type != AE_IFREG && type != AE_IFDIR) refuse("a link or special file");
  if (archive_entry_hardlink(entry) != nullptr) refuse("a hard link");
  return relative;
}

void failRead(const fs::path& archive, struct archive* reader) {
  throw InputError("archive '" + archive.string() + "' is damaged or incomplete: " + errorOf(reader));
}

/// Walks every entry, checking it and (with `into`) writing it.
void walk(const fs::path& archive, const fs::path* into, bool stripTop) {
  Reader reader = openArchive(archive);
  struct archive_entry* entry = nullptr;
  std::vector<char> buffer(1 << 16);
  for (;;) {
    const int status = archive_read_next_header(reader.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status != ARCHIVE_OK) failRead(archive, reader.get());
    const fs::path relative = safeRelativePath(archive, entry, stripTop);
    std::ofstream out;
    if (into != nullptr && !relative.empty()) {
      const fs::path target = *into / relative;
      if (archive_entry_filetype(entry) == AE_IFDIR) {
        fs::create_directories(target);
      } else {
        fs::create_directories(target.parent_path());
        out.open(target, std::ios::binary | std::ios::trunc);
        if (!out) throw InputError("cannot write '" + target.string() + "'");
      }
    }
    for (;;) {
      const la_ssize_t read = archive_read_data(reader.get(), buffer.data(), buffer.size());
      if (read < 0) failRead(archive, reader.get());
      if (read == 0) break;
      if (out.is_open() && !out.write(buffer.data(), read))
        throw InputError("cannot write '" + (*into / relative).string() + "' (is the disk full?)");
    }
    if (out.is_open()) {
      out.close();
      if (!out) throw InputError("cannot write '" + (*into / relative).string() + "' (is the disk full?)");
    }
  }
}

} // namespace

void unpackTarGz(const fs::path& archive, const fs::path& into, bool stripTop) { walk(archive, &into, stripTop); }

void checkTarGz(const fs::path& archive) { walk(archive, nullptr, false); }

} // namespace genlab::datasets
