#pragma once
/// Numbers as text for messages and reports.

#include <string>

namespace genlab {

/// `value` with `digits` digits after the point: fixed(0.25, 2) == "0.25".
std::string fixed(double value, int digits);

/// A fraction as a percentage with one decimal: percent(0.8975) == "89.8%".
std::string percent(double fraction);

} // namespace genlab
