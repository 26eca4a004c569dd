#pragma once
/// Threads that belong to the calling thread and run parts of its work beside it: the threads
/// that forEachPartOnOwnThreads (row_parts.h) lends a run's products and SGD update.

#include <cstdint>
#include <functional>

namespace genlab::models {

/// Runs part(index) once for each index in [0, parts): 0 on the calling thread, each other on a
/// helper thread of the calling thread's own (started at its first call that needs it, ended
/// with it), so that callers on different threads never wait for each other. Between calls a
/// helper spins for a short while, yielding its core to any other thread that wants it, before
/// it sleeps: a step's products follow each other closely, and waking a sleeping thread for each
/// one cost a lone run a noticeable share of its step (docs/BENCHMARKS.md, "Runs at once").
/// The first exception a part throws is rethrown once every part has ended.
void runOnHelperThreads(int64_t parts, const std::function<void(int64_t)>& part);

} // namespace genlab::models
