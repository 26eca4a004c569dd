#include "core/train/run_pool.h"

#include <ATen/Parallel.h>

#include <stdexcept>

namespace genlab::train {

RunPool::RunPool(int threads) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { serve(); });
}

RunPool::~RunPool() {
  while (inFlight_ > 0) collect();
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  work_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void RunPool::submit(int id, std::function<void()> task) {
  if (inFlight_ >= threads()) throw std::logic_error("RunPool::submit: every thread is busy");
  {
    std::lock_guard lock(mutex_);
    queue_.emplace_back(id, std::move(task));
  }
  ++inFlight_;
  work_.notify_one();
}

int RunPool::collect() {
  if (inFlight_ == 0) throw std::logic_error("RunPool::collect: no task in flight");
  std::unique_lock lock(mutex_);
  done_.wait(lock, [&] { return !finished_.empty(); });
  const int id = finished_.front();
  finished_.pop_front();
  --inFlight_;
  return id;
}

void RunPool::serve() {
  // LibTorch's per-thread OpenMP settings start from its global thread count.
  at::init_num_threads();
  for (;;) {
    std::pair<int, std::function<void()>> task;
    {
      std::unique_lock lock(mutex_);
      work_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, nothing left
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task.second();
    {
      std::lock_guard lock(mutex_);
      finished_.push_back(task.first);
    }
    done_.notify_one();
  }
}

} // namespace genlab::train
