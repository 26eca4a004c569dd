#pragma once
/// Numbers as text for messages and reports.

#include <filesystem>
#include <string>
#include <vector>

namespace genlab {

/// `value` with `digits` digits after the point: fixed(0.25, 2) == "0.25".
std::string fixed(double value, int digits);

/// A fraction as a percentage with one decimal: percent(0.8975) == "89.8%".
std::string percent(double fraction);

/// A size in bytes in MiB with one decimal (the unit data sets' sizes are published in):
/// mebibytes(170052171) == "162.2 MiB".
std::string mebibytes(double bytes);

/// The items with `separator` between them: join({"a", "b"}, ", ") == "a, b".
std::string join(const std::vector<std::string>& items, const std::string& separator);

/// 'path' in single quotes, for messages.
std::string quoted(const std::filesystem::path& path);

} // namespace genlab
