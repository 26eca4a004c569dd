#pragma once
/// Spelling enums as users type them (command line, JSON), from one table per enum.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace genlab {

template <class Enum>
struct NamedValue {
  Enum value;
  std::string_view name;
};

/// The name of `value` in `table`, "unknown" if it is missing.
template <class Enum>
std::string_view nameOf(std::span<const NamedValue<Enum>> table, Enum value) {
  for (const auto& entry : table)
    if (entry.value == value) return entry.name;
  return "unknown";
}

/// The value named `text` in `table`, nullopt when no entry has that name.
template <class Enum>
std::optional<Enum> valueNamed(std::span<const NamedValue<Enum>> table, std::string_view text) {
  for (const auto& entry : table)
    if (entry.name == text) return entry.value;
  return std::nullopt;
}

/// "a, b, c": the names of `table`, for error messages and help texts.
template <class Enum>
std::string listNames(std::span<const NamedValue<Enum>> table) {
  std::string out;
  for (const auto& entry : table) {
    if (!out.empty()) out += ", ";
    out += entry.name;
  }
  return out;
}

} // namespace genlab
