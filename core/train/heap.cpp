#include "core/train/heap.h"

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>
#include <c10/util/Exception.h>

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

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

namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

/// A block of kHugePage bytes or more: mapped on its own, starting on a huge-page boundary,
/// and offered to the kernel's transparent huge pages (which it gives to regions that ask, where
/// its setting is "madvise", as on this machine). Touching fresh memory then faults once per 2 MiB instead of once per 4 KiB page; in a
/// virtual machine each fault is costly. Returns nullptr when the system refuses the mapping.
void* mapHugeBlock(std::size_t bytes) {
  const std::size_t span = bytes + kHugePage;
  void* mapped = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) return nullptr;
  const auto start = reinterpret_cast<std::uintptr_t>(mapped);
  const std::uintptr_t aligned = (start + kHugePage - 1) & ~(kHugePage - 1);
  // The slack before and after the aligned block goes back at once.
  if (aligned > start) munmap(mapped, aligned - start);
  if (const std::size_t tail = start + span - (aligned + bytes); tail > 0)
    munmap(reinterpret_cast<void*>(aligned + bytes), tail);
  void* block = reinterpret_cast<void*>(aligned);
  madvise(block, bytes, MADV_HUGEPAGE);  // a hint: without huge pages the block still works
  return block;
}

/// LibTorch's CPU allocator with a cache of freed large blocks in front of it. Blocks are
/// handed out with their data pointer as context, as Allocator::raw_allocate (oneDNN's scratch
/// memory) requires, so the deleter finds a block's size by its address.
class TensorBlockCache final : public c10::Allocator {
public:
  explicit TensorBlockCache(c10::Allocator* underlying)
      : underlying_(underlying), limit_(physicalMemory() / 4) {}

  // Both forms, without `override`: LibTorch 1.13 declares allocate const, 2.3 and later not;
  // whichever the base declares is overridden, the other is an ordinary overload.
  c10::DataPtr allocate(std::size_t bytes) const { return take(bytes); }
  c10::DataPtr allocate(std::size_t bytes) { return take(bytes); }
  c10::DeleterFnPtr raw_deleter() const override { return &giveBack; }
  // An override from LibTorch 2.3 on, where it is pure virtual; unused before.
  void copy_data(void* destination, const void* source, std::size_t bytes) const {
    std::memcpy(destination, source, bytes);
  }

  std::size_t cachedBytes() const {
    std::lock_guard lock(mutex_);
    return cached_;
  }

  void release() {
    std::vector<std::pair<void*, std::size_t>> blocks;
    {
      std::lock_guard lock(mutex_);
      for (auto& [size, free] : free_)
        for (const FreeBlock& each : free) blocks.emplace_back(each.block, size);
      free_.clear();
      cached_ = 0;
    }
    for (const auto& [block, size] : blocks) freeBlock(block, size);
  }

  static TensorBlockCache* instance;

private:
  static std::size_t physicalMemory() {
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
    return pages > 0 && pageSize > 0 ? std::size_t(pages) * std::size_t(pageSize) : std::size_t{4} << 30;
  }

  /// A new block of `size` bytes (a multiple of the cache's grain); throws when out of memory.
  static void* newBlock(std::size_t size) {
    if (size < kHugePage) return c10::alloc_cpu(size);
    void* block = mapHugeBlock(size);
    TORCH_CHECK(block != nullptr, "cannot map ", size, " bytes for a tensor: out of memory");
    return block;
  }
  static void freeBlock(void* block, std::size_t size) {
    if (size < kHugePage)
      c10::free_cpu(block);
    else
      munmap(block, size);
  }

  static std::size_t roundedUp(std::size_t bytes) {
    constexpr std::size_t kGrain = std::size_t{64} << 10;
    return (bytes + kGrain - 1) / kGrain * kGrain;
  }

  c10::DataPtr take(std::size_t bytes) const {
    if (bytes < kSmallestCachedBlock) return underlying_->allocate(bytes);
    const std::size_t size = roundedUp(bytes);
    const auto handOut = [](void* block) {
      return c10::DataPtr{block, block, &giveBack, c10::Device(c10::DeviceType::CPU)};
    };
    {
      std::lock_guard lock(mutex_);
      if (auto found = free_.find(size); found != free_.end() && !found->second.empty()) {
        // Preferably a block this thread freed: its lines may still be in this core's caches.
        auto& blocks = found->second;
        auto pick = std::find_if(blocks.rbegin(), blocks.rend(),
                                 [&](const FreeBlock& free) { return free.owner == std::this_thread::get_id(); });
        const auto taken = pick != blocks.rend() ? std::prev(pick.base()) : std::prev(blocks.end());
        void* block = taken->block;
        blocks.erase(taken);
        cached_ -= size;
        live_[block] = size;
        return handOut(block);
      }
    }
    // A new block, allocated outside the lock.
    void* block = newBlock(size);
    {
      std::lock_guard lock(mutex_);
      live_[block] = size;
    }
    return handOut(block);
  }

  static void giveBack(void* block) { instance->keep(block); }

  void keep(void* block) const {
    {
      std::lock_guard lock(mutex_);
      if (auto found = live_.find(block); found != live_.end()) {
        const std::size_t size = found->second;
        live_.erase(found);
        if (size > kLargestCachedBlock || cached_ + size > limit_) {
          freeBlock(block, size);
        } else {
          free_[size].push_back({block, std::this_thread::get_id()});
          cached_ += size;
        }
        return;
      }
    }
    // A small block that raw_allocate took from the underlying allocator.
    underlying_->raw_deleter()(block);
  }

  struct FreeBlock {
    void* block;
    std::thread::id owner;  ///< the thread that freed it
  };

  c10::Allocator* underlying_;
  std::size_t limit_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<void*, std::size_t> live_;         ///< blocks in use, by address
  mutable std::map<std::size_t, std::vector<FreeBlock>> free_;  ///< freed blocks, by size
  mutable std::size_t cached_ = 0;                              ///< bytes in free_
};

TensorBlockCache* TensorBlockCache::instance = nullptr;

} // namespace

void cacheTensorBlocks() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Never destroyed: tensors may still be freed while the process exits.
    TensorBlockCache::instance = new TensorBlockCache(c10::GetCPUAllocator());
    c10::SetCPUAllocator(TensorBlockCache::instance, /*priority=*/1);
  });
}

std::size_t cachedTensorBytes() {
  return TensorBlockCache::instance == nullptr ? 0 : TensorBlockCache::instance->cachedBytes();
}

void releaseCachedTensorBlocks() {
  if (TensorBlockCache::instance != nullptr) TensorBlockCache::instance->release();
}

} // namespace genlab::train
