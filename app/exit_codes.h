#pragma once
/// Exit statuses of the genlab program, documented in --help.

namespace genlab::app {

inline constexpr int kExitSuccess = 0;
inline constexpr int kExitRuntimeFailure = 1;  ///< valid command line, but the work failed
inline constexpr int kExitUsageError = 2;      ///< the command line itself is wrong
/// Stopped by Ctrl-C (128 + SIGINT), SIGTERM or SIGUSR1: results and checkpoints kept.
inline constexpr int kExitInterrupted = 130;

} // namespace genlab::app
