#pragma once
/// Reading a whole data file into memory, gzip-compressed or raw.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace genlab::data {

/// The most bytes one data file may hold once decompressed, unless its format promises fewer:
/// a bound on the memory a hostile or corrupt file (a small .gz inflating to many GiB) can take.
inline constexpr uint64_t kMaxDataFileBytes = uint64_t{1} << 30;

/// The bytes of `path`, decompressed when the file is gzip (recognized by its content, not its
/// name). Throws InputError naming the file when it is missing, unreadable, a truncated or
/// corrupt gzip stream, or holds more than `maxBytes` bytes (reading stops there).
std::vector<uint8_t> readFileBytes(const std::filesystem::path& path,
                                   uint64_t maxBytes = kMaxDataFileBytes);

/// The first `count` bytes of `path` (decompressed as above), fewer when the file is shorter.
std::vector<uint8_t> readFilePrefix(const std::filesystem::path& path, size_t count);

/// Bytes of `path` (decompressed as above) after its first `skip`, written to `destination`,
/// at most `size` of them: what a format that declares its length needs, with no copy and no
/// growing buffer. Returns how many were there (fewer than `size`: the file is short). Throws
/// InputError as readFileBytes does, and when the file holds more than skip + size bytes.
uint64_t readFileInto(const std::filesystem::path& path, uint64_t skip, uint8_t* destination, uint64_t size);

/// `folder/name` or `folder/name.gz`, whichever exists (the plain name first). Throws
/// InputError naming the folder when it does not exist and the file when neither spelling does.
std::filesystem::path findDataFile(const std::filesystem::path& folder, const std::string& name);

/// Throws InputError when `folder` is not an existing directory.
void requireFolder(const std::filesystem::path& folder, const std::string& what);

} // namespace genlab::data
