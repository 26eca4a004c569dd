#pragma once
/// The kernels of the paper's Section 5 by name, without LibTorch: ModelSpec holds one.

#include "core/names.h"

#include <span>
#include <string_view>

namespace genlab::closed_form {

enum class KernelKind {
  Rbf,     ///< Gaussian: exp(-||x - z||^2 / (2 bandwidth^2))
  ArcCos,  ///< arc-cosine kernel of degree 1 (Cho & Saul 2009): an infinitely wide ReLU layer
};
/// Spellings for the command line and JSON: "rbf", "arccos".
std::span<const NamedValue<KernelKind>> kernelKindNames();
/// The spelling of `kind` in kernelKindNames().
std::string_view toString(KernelKind kind);

} // namespace genlab::closed_form
