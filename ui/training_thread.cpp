#include "ui/training_thread.h"

namespace genlab::ui {

TrainingThread::TrainingThread() : thread_([this] { loop(); }) {}

TrainingThread::~TrainingThread() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
    tasks_.clear();
  }
  wake_.notify_all();
  thread_.join();
}

void TrainingThread::post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  wake_.notify_all();
}

void TrainingThread::runPending() {
  for (;;) {
    std::function<void()> task;
    {
      std::lock_guard lock(mutex_);
      if (tasks_.empty() || quit_) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

void TrainingThread::loop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return quit_ || !tasks_.empty(); });
      if (quit_) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

} // namespace genlab::ui
