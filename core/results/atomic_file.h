#pragma once
/// Writing files so that a reader never sees half of one.

#include <filesystem>
#include <string_view>

namespace genlab::results {

/// Writes `content` to a temporary file of its own beside `path`, syncs it to the disk and
/// renames it over `path` (then syncs the folder): after a crash `path` holds either the old or
/// the new content, never a mix. Throws InputError naming the path when it cannot be written.
void writeFileAtomically(const std::filesystem::path& path, std::string_view content);

/// Removes the temporary files writeFileAtomically leaves in `folder` when its process is killed
/// mid-write. Only for a folder whose writer lock the caller holds (no other writer is busy).
void removeLeftoverTemporaries(const std::filesystem::path& folder);

/// Creates `folder` (and its parents) if needed and checks that files can be written in it.
/// Throws InputError naming the folder otherwise.
void prepareOutputFolder(const std::filesystem::path& folder);

} // namespace genlab::results
