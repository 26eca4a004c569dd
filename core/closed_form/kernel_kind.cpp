#include "core/closed_form/kernel_kind.h"

namespace genlab::closed_form {

std::span<const NamedValue<KernelKind>> kernelKindNames() {
  static constexpr NamedValue<KernelKind> table[] = {{KernelKind::Rbf, "rbf"},
                                                     {KernelKind::ArcCos, "arccos"}};
  return table;
}

std::string_view toString(KernelKind kind) { return nameOf(kernelKindNames(), kind); }

} // namespace genlab::closed_form
