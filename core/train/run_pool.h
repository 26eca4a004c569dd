#pragma once
/// Threads on which a session advances several runs at once (Session::run): the session hands
/// out chunks of runs as threads come free and collects each finished chunk on its own thread.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace genlab::train {

class RunPool {
public:
  /// Starts `threads` threads.
  explicit RunPool(int threads);
  /// Waits for the tasks in flight, then ends the threads.
  ~RunPool();
  RunPool(const RunPool&) = delete;
  RunPool& operator=(const RunPool&) = delete;

  int threads() const { return static_cast<int>(threads_.size()); }
  /// Tasks submitted and not collected yet.
  int busy() const { return inFlight_; }

  /// Runs `task` (which must not throw) on a free thread; `id` names it to collect(). Call only
  /// while busy() < threads().
  void submit(int id, std::function<void()> task);
  /// Waits until a task has finished and returns its id; each finished task once, in the order
  /// they finished. Call only while busy() > 0.
  int collect();

private:
  void serve();

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable work_, done_;
  std::deque<std::pair<int, std::function<void()>>> queue_;  // guarded by mutex_
  std::deque<int> finished_;                                  // guarded by mutex_
  bool closing_ = false;                                      // guarded by mutex_
  int inFlight_ = 0;  // only the submitting thread touches it
};

} // namespace genlab::train
