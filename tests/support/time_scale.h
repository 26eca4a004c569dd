#pragma once
/// How long tests wait: every timeout goes through scaledMs, which multiplies it by
/// GENLAB_TEST_TIME_SCALE (default 1). The sanitizer test presets set it (CMakePresets.json),
/// since their builds run several times slower and a wait sized for a release build fails there.

#include <QtGlobal>

#include <algorithm>
#include <chrono>
#include <functional>
#include <thread>

namespace genlab::test {

/// The factor from GENLAB_TEST_TIME_SCALE (a whole number of at least 1; 1 when unset or bad).
inline int timeScale() {
  bool ok = false;
  const int scale = qEnvironmentVariableIntValue("GENLAB_TEST_TIME_SCALE", &ok);
  return ok ? std::max(1, scale) : 1;
}

/// `milliseconds` scaled for this build.
inline int scaledMs(int milliseconds) { return milliseconds * timeScale(); }

/// Polls `condition` every 5 ms for up to `seconds` (scaled for this build); false on timeout.
/// For waits on a thread that is not Qt's (a session run with std::async).
inline bool waitUntil(const std::function<bool()>& condition, double seconds) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::duration<double>(seconds * timeScale());
  while (!condition()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

} // namespace genlab::test
