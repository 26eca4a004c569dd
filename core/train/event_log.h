#pragma once
/// What one run reported while it trained on a worker thread, kept in order and replayed to the
/// session's listeners on the session's own thread (listener.h: calls come on that thread).

#include "core/train/listener.h"

#include <utility>
#include <variant>
#include <vector>

namespace genlab::train {

class EventLog : public SessionListener {
public:
  void onStepLosses(const StepLosses& s) override { events_.emplace_back(s); }
  void onEpoch(const EpochMetrics& m) override { events_.emplace_back(m); }
  void onCheckpoint(const Checkpoint& c) override { events_.emplace_back(c); }
  void onMemorization(const MemorizationRecord& r) override { events_.emplace_back(r); }
  void onRunEnded(const RunSummary& r) override { events_.emplace_back(r); }

  /// Sends every event kept, in the order it came, to `listener`, and forgets them.
  void replayTo(SessionListener& listener) {
    for (const Event& event : events_) {
      std::visit(
          [&](const auto& e) {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, StepLosses>) listener.onStepLosses(e);
            else if constexpr (std::is_same_v<E, EpochMetrics>) listener.onEpoch(e);
            else if constexpr (std::is_same_v<E, Checkpoint>) listener.onCheckpoint(e);
            else if constexpr (std::is_same_v<E, MemorizationRecord>) listener.onMemorization(e);
            else listener.onRunEnded(e);
          },
          event);
    }
    events_.clear();
  }

private:
  using Event = std::variant<StepLosses, EpochMetrics, Checkpoint, MemorizationRecord, RunSummary>;
  std::vector<Event> events_;
};

} // namespace genlab::train
