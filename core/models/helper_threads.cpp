#include "core/models/helper_threads.h"

#include <atomic>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <thread>
#include <vector>

namespace genlab::models {

namespace {

/// How long a helper, or the caller waiting for its helpers, spins before it sleeps: longer
/// than the gaps between the products of a step, far shorter than a session's chunk.
constexpr std::chrono::microseconds kSpin{500};

/// Spins (yielding the core) until `value` differs from `old` or kSpin has passed, then sleeps
/// until it does; returns the new value.
template <class T>
T awaitChange(const std::atomic<T>& value, T old) {
  const auto until = std::chrono::steady_clock::now() + kSpin;
  for (;;) {
    const T now = value.load(std::memory_order_acquire);
    if (now != old) return now;
    if (std::chrono::steady_clock::now() >= until) break;
    std::this_thread::yield();
  }
  for (;;) {
    value.wait(old, std::memory_order_acquire);
    const T now = value.load(std::memory_order_acquire);
    if (now != old) return now;
  }
}

/// The helpers of one calling thread. A job is published as one word, its generation and its
/// number of parts, so that a helper never pairs one job's generation with another's parts.
class HelperTeam {
public:
  HelperTeam() = default;
  HelperTeam(const HelperTeam&) = delete;
  HelperTeam& operator=(const HelperTeam&) = delete;

  ~HelperTeam() {
    closing_.store(true, std::memory_order_relaxed);
    publish(0);
    for (std::thread& helper : helpers_) helper.join();
  }

  void run(int64_t parts, const std::function<void(int64_t)>& part) {
    const uint64_t current = job_.load(std::memory_order_relaxed);
    while (static_cast<int64_t>(helpers_.size()) < parts - 1) {
      const int64_t index = static_cast<int64_t>(helpers_.size()) + 1;
      helpers_.emplace_back([this, index, current] { serve(index, current); });
    }
    part_ = &part;
    error_ = nullptr;
    failed_.clear(std::memory_order_relaxed);
    remaining_.store(parts - 1, std::memory_order_relaxed);
    publish(parts);  // releases the writes above to the helpers

    runPart(0);
    for (int64_t left = remaining_.load(std::memory_order_acquire); left != 0;)
      left = awaitChange(remaining_, left);
    part_ = nullptr;
    if (error_) std::rethrow_exception(error_);
  }

private:
  static constexpr int kPartBits = 16;

  void publish(int64_t parts) {
    const uint64_t generation = (job_.load(std::memory_order_relaxed) >> kPartBits) + 1;
    job_.store(generation << kPartBits | static_cast<uint64_t>(parts), std::memory_order_release);
    job_.notify_all();
  }

  void serve(int64_t index, uint64_t seen) {
    for (;;) {
      seen = awaitChange(job_, seen);
      if (closing_.load(std::memory_order_relaxed)) return;
      const auto parts = static_cast<int64_t>(seen & ((uint64_t{1} << kPartBits) - 1));
      if (index >= parts) continue;  // not needed this time; the caller does not wait for it
      runPart(index);
      if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1) remaining_.notify_one();
    }
  }

  void runPart(int64_t index) {
    try {
      (*part_)(index);
    } catch (...) {
      if (!failed_.test_and_set(std::memory_order_relaxed)) error_ = std::current_exception();
    }
  }

  std::vector<std::thread> helpers_;
  std::atomic<uint64_t> job_{0};
  std::atomic<int64_t> remaining_{0};
  std::atomic<bool> closing_{false};
  std::atomic_flag failed_ = ATOMIC_FLAG_INIT;
  const std::function<void(int64_t)>* part_ = nullptr;  // read by helpers only while their job runs
  std::exception_ptr error_;                             // read by the caller once remaining_ is 0
};

} // namespace

void runOnHelperThreads(int64_t parts, const std::function<void(int64_t)>& part) {
  if (parts <= 1) {
    if (parts == 1) part(0);
    return;
  }
  if (parts >= (int64_t{1} << 16)) throw std::invalid_argument("runOnHelperThreads: too many parts");
  thread_local HelperTeam team;
  team.run(parts, part);
}

} // namespace genlab::models
