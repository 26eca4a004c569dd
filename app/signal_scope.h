#pragma once
/// Signal handlers installed for a scope: the terminal's training (Ctrl-C, Slurm's SIGTERM and
/// SIGUSR1) and a data set fetch (Ctrl-C, SIGTERM) each stop their work through a flag.

#include <csignal>
#include <initializer_list>
#include <utility>
#include <vector>

namespace genlab::app {

/// Installs `handler` for `signals` while it lives, then puts the earlier handlers back.
class SignalScope {
public:
  SignalScope(std::initializer_list<int> signals, void (*handler)(int)) {
    for (const int signal : signals) previous_.emplace_back(signal, std::signal(signal, handler));
  }
  ~SignalScope() {
    for (const auto& [signal, handler] : previous_) std::signal(signal, handler);
  }
  SignalScope(const SignalScope&) = delete;
  SignalScope& operator=(const SignalScope&) = delete;

private:
  std::vector<std::pair<int, void (*)(int)>> previous_;
};

} // namespace genlab::app
