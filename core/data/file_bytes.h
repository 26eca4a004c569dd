#pragma once
/// Reading a whole data file into memory, gzip-compressed or raw.

#include <cstdint>
#include <filesystem>
#include <vector>

namespace genlab::data {

/// The bytes of `path`, decompressed when the file is gzip (recognized by its content, not its
/// name). Throws InputError naming the file when it is missing, unreadable or a truncated or
/// corrupt gzip stream.
std::vector<uint8_t> readFileBytes(const std::filesystem::path& path);

/// `folder/name` or `folder/name.gz`, whichever exists (the plain name first). Throws
/// InputError naming the folder when it does not exist and the file when neither spelling does.
std::filesystem::path findDataFile(const std::filesystem::path& folder, const std::string& name);

/// Throws InputError when `folder` is not an existing directory.
void requireFolder(const std::filesystem::path& folder, const std::string& what);

} // namespace genlab::data
