#include "app/headless_run.h"

#include "app/exit_codes.h"
#include "app/terminal_progress.h"
#include "core/results/presets.h"
#include "core/results/results_writer.h"
#include "core/results/session_folder.h"
#include "core/train/session.h"
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>

namespace genlab::app {

namespace {

std::atomic<bool> interruptRequested{false};

extern "C" void onInterrupt(int) { interruptRequested = true; }

/// Turns a Ctrl-C into Session::stop from the training thread's callbacks: a signal handler
/// may only set a flag.
class InterruptWatch : public train::SessionListener {
public:
  explicit InterruptWatch(train::Session& session) : session_(session) {}
  void onStepLosses(const train::StepLosses&) override { check(); }
  void onEpoch(const train::EpochMetrics&) override { check(); }

private:
  void check() {
    if (interruptRequested.exchange(false)) {
      std::cout << "\ninterrupted: stopping after the current chunk" << std::endl;
      session_.stop(train::RunStatus::Interrupted);
    }
  }
  train::Session& session_;
};

} // namespace

int listPresets() {
  for (const auto& preset : results::loadPresets(results::presetFolder()))
    std::cout << preset.id << "\n    " << preset.title << '\n';
  return kExitSuccess;
}

int trainHeadless(const train::ExperimentSpec& spec, const std::string& heading,
                  const std::filesystem::path& resultsRoot,
                  const std::vector<std::string>& figureFormats, const FigureOptions& figure) {
  if (!heading.empty()) std::cout << heading << "\n\n";
  train::Session session(spec);
  TerminalProgress printer(spec.training.epochs, isatty(STDOUT_FILENO) != 0);
  InterruptWatch interrupts(session);
  ui::FigureRecorder recorder;
  std::unique_ptr<results::ResultsWriter> writer;
  if (!resultsRoot.empty()) {
    writer = std::make_unique<results::ResultsWriter>(results::createSessionFolder(resultsRoot, spec.name), spec);
    std::cout << "results: " << writer->folder().string() << '\n' << std::flush;
  }

  interruptRequested = false;
  std::signal(SIGINT, onInterrupt);
  const train::SessionResult result = session.run({writer.get(), &printer, &interrupts, &recorder});
  std::signal(SIGINT, SIG_DFL);
  if (writer) {
    std::cout << "results: " << writer->folder().string() << " (spec.json, metrics.csv, summary.json)\n";
    if (writer->failure()) std::cerr << "genlab: " << *writer->failure() << '\n';
    if (!figureFormats.empty()) writeFigures(recorder.data(), writer->folder(), figureFormats, figure);
  }
  for (const auto& run : result.runs)
    if (run.status == train::RunStatus::Interrupted) return kExitInterrupted;
  if (writer && writer->failure()) return kExitRuntimeFailure;
  return kExitSuccess;
}

} // namespace genlab::app
