#include "core/random.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>
#include <ATen/core/Tensor.h>

#include <mutex>

namespace genlab {

at::Generator makeGenerator(uint64_t seed) { return at::detail::createCPUGenerator(seed); }

at::Generator makeGenerator(uint64_t seed, const c10::Device& device) {
  if (device.is_cpu()) return makeGenerator(seed);
  at::Generator generator = at::globalContext().defaultGenerator(device);
  at::Generator own;
  {
    std::lock_guard<std::mutex> lock(generator.mutex());
    own = generator.clone();
  }
  own.set_current_seed(seed);
  return own;
}

GlobalGeneratorGuard::GlobalGeneratorGuard() : generator_(at::detail::getDefaultCPUGenerator()) {
  std::lock_guard<std::mutex> lock(generator_.mutex());
  saved_ = generator_.get_state();
}

GlobalGeneratorGuard::~GlobalGeneratorGuard() {
  std::lock_guard<std::mutex> lock(generator_.mutex());
  generator_.set_state(saved_);
}

namespace {
thread_local std::optional<at::Generator> currentThreadGenerator;
} // namespace

std::optional<at::Generator> threadGenerator() { return currentThreadGenerator; }

ThreadGeneratorScope::ThreadGeneratorScope(at::Generator generator)
    : previous_(std::move(currentThreadGenerator)) {
  currentThreadGenerator = std::move(generator);
}

ThreadGeneratorScope::~ThreadGeneratorScope() { currentThreadGenerator = std::move(previous_); }

namespace {
uint64_t splitmix64(uint64_t x) { return SplitMix64(x).next(); }
} // namespace

uint64_t deriveSeed(uint64_t seed, std::string_view purpose, uint64_t salt) {
  uint64_t h = splitmix64(seed);
  for (const char c : purpose) h = splitmix64(h ^ static_cast<unsigned char>(c));
  return splitmix64(h ^ salt);
}

} // namespace genlab
