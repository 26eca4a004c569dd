#pragma once
/// Unpacking a downloaded .tar.gz with libarchive, refusing anything that would land outside
/// the target folder.

#include <filesystem>

namespace genlab::datasets {

/// Unpacks the regular files and folders of `archive` into the existing folder `into`, without
/// each entry's first path component when `stripTop`. Throws InputError naming the archive and
/// the entry for an absolute path, a ".." component, a link or a device, and for a damaged or
/// truncated archive; what was unpacked before stays for the caller to remove.
void unpackTarGz(const std::filesystem::path& archive, const std::filesystem::path& into, bool stripTop);

/// Checks `archive` from end to end (every entry's path and every byte decompressed) without
/// writing anything: the same refusals as unpackTarGz.
void checkTarGz(const std::filesystem::path& archive);

} // namespace genlab::datasets
