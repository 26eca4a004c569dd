#pragma once
/// Numbers as text for messages and reports.

#include <torch/types.h>

#include <string>

namespace genlab {

/// `value` with `digits` digits after the point: fixed(0.25, 2) == "0.25".
std::string fixed(double value, int digits);

/// A fraction as a percentage with one decimal: percent(0.8975) == "89.8%".
std::string percent(double fraction);

/// The values of a small tensor, each fixed(v, digits), separated by spaces: "0.286 0.353".
std::string joinValues(const torch::Tensor& values, int digits);

} // namespace genlab
