#include "core/train/corruption_queue.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <stdexcept>

namespace genlab::train {

CorruptionQueue::CorruptionQueue(const data::Dataset& clean, std::vector<corruption::Setting> settings,
                                 std::vector<bool> wanted, uint64_t seed, int ahead)
    : clean_(clean), settings_(std::move(settings)), wanted_(std::move(wanted)), seed_(seed),
      ahead_(static_cast<size_t>(std::max(1, ahead))) {
  if (wanted_.size() != settings_.size()) throw std::invalid_argument("CorruptionQueue: one flag per setting");
  launch();
}

CorruptionQueue::~CorruptionQueue() {
  for (auto& corruption : inFlight_)
    if (corruption.valid()) corruption.wait();
}

void CorruptionQueue::launch() {
  while (inFlight_.size() < ahead_ && launched_ < settings_.size()) {
    const size_t i = launched_++;
    if (!wanted_[i]) continue;
    inFlight_.push_back(std::async(std::launch::async, [this, i] {
      // LibTorch's thread count is per thread (OpenMP): a new thread starts from its global one.
      at::init_num_threads();
      return corruption::corrupt(clean_, settings_[i], seed_);
    }));
  }
}

corruption::CorruptedDataset CorruptionQueue::next() {
  if (inFlight_.empty()) throw std::logic_error("CorruptionQueue::next: no wanted setting is left");
  inFlight_.front().wait();
  std::future<corruption::CorruptedDataset> front = std::move(inFlight_.front());
  inFlight_.pop_front();
  launch();
  return front.get();
}

} // namespace genlab::train
