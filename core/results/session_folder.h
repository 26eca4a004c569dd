#pragma once
/// Where a session's results go: one new folder per session under a results root, named the
/// same way by the window, the terminal and the sweep runner.

#include <chrono>
#include <filesystem>
#include <string>

namespace genlab::results {

/// `name` made safe as one path component: letters, digits, '-', '_' and '.' kept, runs of
/// anything else become one '-'; at most 80 characters; "experiment" when nothing is left.
std::string folderSafeName(const std::string& name);

/// Creates and returns "<root>/<yyyyMMdd-HHmmss>-<folderSafeName(name)>" (local time of `when`),
/// with "-2", "-3", ... appended when that folder exists already: the folder is created
/// exclusively, so two sessions started within the same second never share one. Creates
/// `root` first if needed. Throws InputError naming the folder when it cannot be created.
std::filesystem::path createSessionFolder(
    const std::filesystem::path& root, const std::string& name,
    std::chrono::system_clock::time_point when = std::chrono::system_clock::now());

} // namespace genlab::results
