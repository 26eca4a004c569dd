#include "core/train/heap.h"

#include <climits>
#include <cstdlib>
#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace genlab::train {

bool keepFreedMemory() {
  static std::once_flag once;
  static bool inForce = false;
  std::call_once(once, [] {
#if defined(__GLIBC__)
    if (std::getenv("MALLOC_MMAP_THRESHOLD_") != nullptr || std::getenv("MALLOC_TRIM_THRESHOLD_") != nullptr)
      return;
    // Both or neither: either alone makes glibc map or trim more often, not less.
    inForce = mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024) == 1 && mallopt(M_TRIM_THRESHOLD, INT_MAX) == 1;
#endif
  });
  return inForce;
}

} // namespace genlab::train
