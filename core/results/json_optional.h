#pragma once
/// Optional values in the results' JSON files.

#include <nlohmann/json.hpp>

#include <optional>

namespace genlab::results {

/// `value` as JSON, or null when it is absent (an epoch not reached, an accuracy not measured).
template <class T>
nlohmann::json orNull(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

/// `object[key]`, or nothing when it is absent or null; a value of another type throws
/// nlohmann's exception (for readers that must refuse a damaged record, not skip it).
template <class T>
std::optional<T> presentOrNull(const nlohmann::json& object, const char* key) {
  if (!object.contains(key) || object[key].is_null()) return std::nullopt;
  return object[key].get<T>();
}

} // namespace genlab::results
