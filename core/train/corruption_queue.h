#pragma once
/// Corrupting a session's data sets ahead of the runs that train on them.

#include "core/corruption/corrupt.h"

#include <deque>
#include <future>
#include <vector>

namespace genlab::train {

/// The corrupted data sets of a session's runs, in order, each made on a thread of its own
/// while the session sets up the runs before it, at most `ahead` in flight or waiting to be
/// taken: a session's set-up otherwise corrupts on one core while the others wait. Each
/// corruption draws from its own (seed, setting) stream, so the data do not depend on the
/// order or the threads.
class CorruptionQueue {
public:
  /// `settings[i]` for every i where `wanted[i]`; the others are skipped.
  CorruptionQueue(const data::Dataset& clean, std::vector<corruption::Setting> settings,
                  std::vector<bool> wanted, uint64_t seed, int ahead);
  /// Waits for the corruptions in flight (their results are dropped).
  ~CorruptionQueue();
  CorruptionQueue(const CorruptionQueue&) = delete;
  CorruptionQueue& operator=(const CorruptionQueue&) = delete;

  /// The next wanted run's corrupted data set; rethrows what its corruption threw.
  corruption::CorruptedDataset next();

private:
  void launch();

  const data::Dataset& clean_;
  std::vector<corruption::Setting> settings_;
  std::vector<bool> wanted_;
  uint64_t seed_;
  size_t ahead_;
  size_t launched_ = 0;  ///< settings looked at for launching so far
  std::deque<std::future<corruption::CorruptedDataset>> inFlight_;
};

} // namespace genlab::train
