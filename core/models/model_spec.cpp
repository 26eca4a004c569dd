#include "core/models/model_spec.h"

#include "core/errors.h"

#include <cmath>
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

/// Three significant digits, as a person reads a bandwidth: "9.87", "0.0123", "1.5e+03".
std::string threeDigits(double value) {
  std::ostringstream out;
  out.precision(3);
  out << value;
  return out.str();
}

} // namespace

std::span<const NamedValue<Architecture>> architectureNames() {
  static constexpr NamedValue<Architecture> table[] = {{Architecture::Mlp, "mlp"},
                                                       {Architecture::AlexNet, "alexnet"},
                                                       {Architecture::Inception, "inception"},
                                                       {Architecture::Kernel, "kernel"},
                                                       {Architecture::RandomFeatures, "random-features"}};
  return table;
}

bool isClosedForm(Architecture architecture) {
  return architecture == Architecture::Kernel || architecture == Architecture::RandomFeatures;
}

bool usesBandwidth(const ModelSpec& spec) {
  return isClosedForm(spec.architecture) && spec.kernel == closed_form::KernelKind::Rbf;
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
  case Architecture::Kernel:
    text = spec.kernel == closed_form::KernelKind::Rbf ? "RBF kernel interpolation"
                                                       : "arc-cosine kernel interpolation";
    break;
  case Architecture::RandomFeatures:
    text = std::string(spec.kernel == closed_form::KernelKind::Rbf ? "random Fourier features"
                                                                   : "random ReLU features") +
           ", N = " + std::to_string(spec.features);
    break;
  }
  if (usesBandwidth(spec))
    text += spec.bandwidth > 0 ? " (bandwidth " + threeDigits(spec.bandwidth) + ")"
                               : std::string(" (bandwidth from the data)");
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
  if (nameOf(closed_form::kernelKindNames(), spec.kernel) == "unknown")
    throw InputError("kernel " + std::to_string(static_cast<int>(spec.kernel)) + " is not one of " +
                     listNames(closed_form::kernelKindNames()));
  if (!(spec.bandwidth >= 0.0 && std::isfinite(spec.bandwidth)))
    throw InputError("bandwidth " + formatNumber(spec.bandwidth) +
                     " must not be negative (0: from the data)");
  if (spec.features < 1)
    throw InputError("random features " + std::to_string(spec.features) + " must be at least 1");
}

int64_t closedFormParameterCount(const ModelSpec& spec, int64_t trainImages, int64_t classes) {
  switch (spec.architecture) {
  case Architecture::Kernel: return trainImages * classes;
  case Architecture::RandomFeatures: return spec.features * classes;
  default: return 0;
  }
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
