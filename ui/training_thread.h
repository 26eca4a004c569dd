#pragma once
/// TrainingThread: the one thread on which the window touches LibTorch's global state.
///
/// LibTorch draws initial weights and dropout masks from one process-wide generator, and a
/// session swaps that generator's state per run to keep every run reproducible. Anything else
/// that draws from it (building a network to count its parameters, say) must therefore run on
/// the thread that trains, between two chunks of training, or while nothing trains. This class
/// is that thread: tasks run one after another; a long task (a whole session) calls
/// runPending() at safe points so that short tasks posted meanwhile are not held up until it
/// ends. Plain C++, no Qt.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace genlab::ui {

class TrainingThread {
public:
  TrainingThread();
  /// Drops the tasks not yet started and joins the thread after the running task returns (a
  /// session must have been told to stop before).
  ~TrainingThread();
  TrainingThread(const TrainingThread&) = delete;
  TrainingThread& operator=(const TrainingThread&) = delete;

  /// Queues `task`; it runs on the training thread after the tasks posted before it.
  void post(std::function<void()> task);

  /// Runs the tasks queued now, on the calling thread, which must be the training thread (a
  /// running task calls it at its safe points).
  void runPending();

  bool isTrainingThread() const { return std::this_thread::get_id() == thread_.get_id(); }

private:
  void loop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool quit_ = false;
  std::thread thread_;  // last: starts after the members it uses exist
};

} // namespace genlab::ui
