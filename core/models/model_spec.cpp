#include "core/models/model_spec.h"

#include "core/errors.h"

#include <sstream>

namespace genlab::models {

namespace {

/// Shortest decimal text that reads back as the same double ("0.5", not "0.500000"), so a
/// description or message shows the value the user typed.
std::string formatNumber(double value) {
  std::ostringstream out;
  out.precision(15);
  out << value;
  return out.str();
}

} // namespace

std::span<const NamedValue<Architecture>> architectureNames() {
  static constexpr NamedValue<Architecture> table[] = {{Architecture::Mlp, "mlp"},
                                                       {Architecture::AlexNet, "alexnet"},
                                                       {Architecture::Inception, "inception"}};
  return table;
}

std::string describe(const ModelSpec& spec) {
  std::string text;
  switch (spec.architecture) {
  case Architecture::Mlp:
    text = "MLP " + std::to_string(spec.depth) + "x" + std::to_string(spec.width);
    if (spec.batchNorm) text += " + batch norm";
    break;
  case Architecture::AlexNet:
    text = "small AlexNet";
    if (spec.batchNorm) text += " + batch norm";
    break;
  case Architecture::Inception:
    // The paper's Inception has batch norm; Table 1 names the variant without it.
    text = spec.batchNorm ? "small Inception" : "small Inception w/o BatchNorm";
    break;
  }
  if (spec.dropout > 0) text += " + dropout " + formatNumber(spec.dropout);
  return text;
}

void validate(const ModelSpec& spec) {
  if (nameOf(architectureNames(), spec.architecture) == "unknown")
    throw InputError("architecture " + std::to_string(static_cast<int>(spec.architecture)) +
                     " is not one of " + listNames(architectureNames()));
  // depth and width are checked whatever the architecture, so that a spec stays valid when a
  // user switches it to the MLP later.
  if (spec.depth < 1)
    throw InputError("MLP depth " + std::to_string(spec.depth) + " must be at least 1");
  if (spec.width < 1)
    throw InputError("MLP width " + std::to_string(spec.width) + " must be at least 1");
  // Written as a negated range test so that NaN is rejected too.
  if (!(spec.dropout >= 0.0 && spec.dropout < 1.0))
    throw InputError("dropout " + formatNumber(spec.dropout) + " is outside [0, 1)");
}

double mlpParameterCount(const ModelSpec& spec, int64_t inputs, int64_t classes) {
  // Each hidden layer: a dense layer (weights and biases), and batch norm's scale and shift.
  const double width = static_cast<double>(spec.width);
  double count = 0;
  double features = static_cast<double>(inputs);
  for (int layer = 0; layer < spec.depth; ++layer) {
    count += features * width + width + (spec.batchNorm ? 2 * width : 0);
    features = width;
  }
  return count + features * static_cast<double>(classes) + static_cast<double>(classes);
}

} // namespace genlab::models
