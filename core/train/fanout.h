#pragma once
/// The session's listeners as one (session.cpp, closed_form_session.cpp).

#include "core/errors.h"
#include "core/train/listener.h"

#include <exception>
#include <optional>
#include <string>
#include <vector>

namespace genlab::train {

/// Forwards every call to each listener in turn. A listener that throws (the results writer on
/// a full disk) is dropped, the others still hear the event, and failure() keeps what it said:
/// no listener's error escapes into the training loop.
class Fanout : public SessionListener {
public:
  explicit Fanout(const std::vector<SessionListener*>& listeners) : listeners_(listeners) {}
  void onSessionStarted(const SessionInfo& i) override { each([&](auto* l) { l->onSessionStarted(i); }); }
  void onStepLosses(const StepLosses& s) override { each([&](auto* l) { l->onStepLosses(s); }); }
  void onEpoch(const EpochMetrics& m) override { each([&](auto* l) { l->onEpoch(m); }); }
  void onCheckpoint(const Checkpoint& c) override { each([&](auto* l) { l->onCheckpoint(c); }); }
  void onMemorization(const MemorizationRecord& r) override { each([&](auto* l) { l->onMemorization(r); }); }
  void onRunEnded(const RunSummary& r) override { each([&](auto* l) { l->onRunEnded(r); }); }
  void onSessionEnded(const SessionResult& r) override { each([&](auto* l) { l->onSessionEnded(r); }); }

  /// The first error a listener threw, if any.
  const std::optional<std::string>& failure() const { return failure_; }

private:
  template <class F>
  void each(F&& call) {
    for (auto*& listener : listeners_) {
      if (listener == nullptr) continue;
      try {
        call(listener);
      } catch (const std::exception& error) {
        listener = nullptr;
        if (!failure_) failure_ = firstLine(error.what());
      }
    }
  }
  std::vector<SessionListener*> listeners_;
  std::optional<std::string> failure_;
};

} // namespace genlab::train
