#include "app/sweep_runner.h"

#include "app/child_process.h"
#include "app/exit_codes.h"
#include "core/errors.h"
#include "core/sweep/task_status.h"
#include "core/train/device.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

namespace genlab::app {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::atomic<int> stopSignal{0};
extern "C" void onStopSignal(int signal) { stopSignal = signal; }

struct Running {
  sweep::Task task;
  int slot = 0;  ///< which GPU (when several) and which line
  Clock::time_point started;
};

std::string duration(double seconds) {
  const auto s = static_cast<int64_t>(seconds);
  std::ostringstream out;
  if (s >= 3600) out << s / 3600 << "h " << (s % 3600) / 60 << "m";
  else if (s >= 60) out << s / 60 << "m " << s % 60 << "s";
  else out << s << "s";
  return out.str();
}

std::string bar(int64_t done, int64_t total, int width) {
  const auto filled = total == 0 ? width : static_cast<int>(width * done / total);
  std::string text(1, '[');
  text.append(static_cast<size_t>(filled), '#').append(static_cast<size_t>(width - filled), '-');
  return text += ']';
}

} // namespace

int defaultJobs() {
  const int gpus = train::cudaDeviceCount();
  if (gpus > 1) return gpus;
  return std::max(1, std::min(kDefaultCpuJobs, static_cast<int>(std::thread::hardware_concurrency())));
}

int runSweepHere(const sweep::Sweep& sweep, const fs::path& sweepFile, const fs::path& out, int jobs) {
  const std::vector<sweep::Task> all = sweep::tasks(sweep);
  const auto total = static_cast<int64_t>(all.size());
  std::vector<sweep::Task> todo;
  int64_t done = 0, elsewhere = 0;
  for (const auto& task : all) {
    const auto state = sweep::readTaskStatus(out / task.folder, train::epochsPerRun(task.spec)).state;
    if (state == sweep::TaskState::Done) ++done;
    else if (state == sweep::TaskState::Running) ++elsewhere;  // another process trains it now
    else todo.push_back(task);
  }
  if (elsewhere > 0)
    std::cout << elsewhere << (elsewhere == 1 ? " task is" : " tasks are")
              << " being trained by another process (a cluster job, another runner): left to it.\n";
  if (todo.empty()) {
    if (elsewhere == 0) std::cout << "All " << total << " tasks are done (" << out.string() << ").\n";
    return kExitSuccess;
  }

  const int gpus = train::cudaDeviceCount();
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  // Tasks share the cores unless the sweep says how many threads each may use.
  const int threads = sweep.base.compute.threads == 0 && jobs > 1 ? std::max(1, static_cast<int>(cores) / jobs) : 0;
  const fs::path logs = out / sweep::kLogFolder;
  fs::create_directories(logs);
  std::cout << "Sweep: " << total << " tasks, " << done << " done, " << todo.size() << " to run, "
            << jobs << " at a time" << (gpus > 1 ? " (one per GPU)" : "") << "; logs in "
            << logs.string() << "\n";

  const bool live = isatty(STDOUT_FILENO) != 0;
  std::map<pid_t, Running> running;
  std::vector<std::string> failures;
  std::vector<bool> slotBusy(static_cast<size_t>(jobs), false);
  size_t next = 0;
  int drawnLines = 0;
  const Clock::time_point start = Clock::now();
  Clock::time_point lastDraw{};

  stopSignal = 0;
  std::signal(SIGINT, onStopSignal);
  std::signal(SIGTERM, onStopSignal);
  std::signal(SIGUSR1, onStopSignal);
  bool stopping = false;

  const auto draw = [&](bool force) {
    if (!live || (!force && Clock::now() - lastDraw < std::chrono::milliseconds(500))) return;
    lastDraw = Clock::now();
    std::ostringstream block;
    if (drawnLines > 0) block << "\033[" << drawnLines << "A";
    int lines = 0;
    std::vector<const Running*> rows;
    for (const auto& [pid, r] : running) rows.push_back(&r);
    std::sort(rows.begin(), rows.end(), [](auto* a, auto* b) { return a->slot < b->slot; });
    for (const Running* r : rows) {
      const auto status = sweep::readTaskStatus(out / r->task.folder, train::epochsPerRun(r->task.spec));
      block << "\r\033[K  task " << r->task.index << "  " << r->task.folder << "  "
            << (status.detail.empty() ? "starting" : status.detail) << "  "
            << duration(std::chrono::duration<double>(Clock::now() - r->started).count()) << "\n";
      ++lines;
    }
    block << "\r\033[K" << bar(done, total, 30) << ' ' << done << '/' << total << " done, "
          << running.size() << " running" << (failures.empty() ? "" : ", " + std::to_string(failures.size()) + " failed")
          << ", " << duration(std::chrono::duration<double>(Clock::now() - start).count()) << "\n";
    ++lines;
    for (int i = lines; i < drawnLines; ++i) block << "\r\033[K\n";
    if (drawnLines > lines) block << "\033[" << drawnLines - lines << "A";
    drawnLines = lines;
    std::cout << block.str() << std::flush;
  };
  const auto say = [&](const std::string& line) {
    if (live && drawnLines > 0) {
      std::cout << "\033[" << drawnLines << "A\r\033[J";
      drawnLines = 0;
    }
    std::cout << line << '\n' << std::flush;
  };

  while (!running.empty() || (!stopping && next < todo.size())) {
    if (stopSignal != 0 && !stopping) {
      stopping = true;
      say("Stopping: the running tasks checkpoint and end; run the sweep again to resume them.");
      for (const auto& [pid, r] : running) kill(pid, SIGTERM);
    }
    while (!stopping && next < todo.size() && running.size() < static_cast<size_t>(jobs)) {
      const sweep::Task& task = todo[next++];
      const int slot = static_cast<int>(std::find(slotBusy.begin(), slotBusy.end(), false) - slotBusy.begin());
      std::vector<std::string> argv{selfExecutable().string(), "sweep", "run", sweepFile.string(),
                                    "--task", std::to_string(task.index), "--out", out.string()};
      if (threads > 0) {
        argv.push_back("--set");
        argv.push_back("compute.threads=" + std::to_string(threads));
      }
      std::vector<std::string> environment;
      if (gpus > 1) environment.push_back("CUDA_VISIBLE_DEVICES=" + std::to_string(slot % gpus));
      const pid_t pid = startProgram(argv, logs / ("task-" + std::to_string(task.index) + ".log"), environment);
      slotBusy[static_cast<size_t>(slot)] = true;
      running[pid] = Running{task, slot, Clock::now()};
      if (!live) say("task " + std::to_string(task.index) + " started: " + task.folder);
    }
    int status = 0;
    const pid_t ended = waitpid(-1, &status, WNOHANG);
    if (ended > 0 && running.count(ended)) {
      const Running r = running[ended];
      running.erase(ended);
      slotBusy[static_cast<size_t>(r.slot)] = false;
      const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      const auto state = sweep::readTaskStatus(out / r.task.folder, train::epochsPerRun(r.task.spec));
      const std::string took = duration(std::chrono::duration<double>(Clock::now() - r.started).count());
      if (code == kExitSuccess && state.state == sweep::TaskState::Done) {
        ++done;
        say("task " + std::to_string(r.task.index) + " done in " + took + ": " + r.task.folder + " (" + state.detail + ")");
      } else if (stopping || code == kExitInterrupted) {
        say("task " + std::to_string(r.task.index) + " stopped after " + took + " (" + state.detail + ")");
      } else {
        const std::string log = (logs / ("task-" + std::to_string(r.task.index) + ".log")).string();
        failures.push_back("task " + std::to_string(r.task.index) + " (" + r.task.folder + "): exit " +
                           std::to_string(code) + ", see " + log);
        say("task " + std::to_string(r.task.index) + " failed (exit " + std::to_string(code) + "), see " + log);
      }
      continue;
    }
    draw(false);
    // Short naps: a task that ends is followed by the next one within 10 ms.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  draw(true);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  std::signal(SIGUSR1, SIG_DFL);

  std::cout << done << " of " << total << " tasks done; results in " << out.string() << '\n';
  for (const auto& failure : failures) std::cerr << "genlab: " << failure << '\n';
  if (stopping) return kExitInterrupted;
  return failures.empty() && done + elsewhere == total ? kExitSuccess : kExitRuntimeFailure;
}

} // namespace genlab::app
