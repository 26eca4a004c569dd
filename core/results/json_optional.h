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

} // namespace genlab::results
