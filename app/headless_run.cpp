#include "app/headless_run.h"

#include "app/exit_codes.h"
#include "app/signal_scope.h"
#include "app/figure_writing.h"
#include "app/terminal_progress.h"
#include "core/results/results_writer.h"
#include "core/results/session_folder.h"
#include "core/results/session_reader.h"
#include "core/results/session_resume.h"
#include "core/train/session.h"
#include "ui/run_figures.h"
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>

namespace genlab::app {

namespace {

/// The signal that asked to stop (0: none). Ctrl-C is SIGINT; on a Slurm cluster the batch
/// script forwards SIGUSR1 (sent before the time limit) and a requeue or cancel sends SIGTERM.
std::atomic<int> interruptSignal{0};

extern "C" void onInterrupt(int signal) { interruptSignal = signal; }

const char* signalName(int signal) {
  switch (signal) {
  case SIGINT: return "Ctrl-C";
  case SIGTERM: return "SIGTERM";
  case SIGUSR1: return "SIGUSR1";
  default: return "a signal";
  }
}

/// Turns an interrupting signal into Session::stop from the training thread's callbacks: a
/// signal handler may only set a flag.
class InterruptWatch : public train::SessionListener {
public:
  explicit InterruptWatch(train::Session& session) : session_(session) {}
  void onStepLosses(const train::StepLosses&) override { check(); }
  void onEpoch(const train::EpochMetrics&) override { check(); }

private:
  void check() {
    if (const int signal = interruptSignal.exchange(0); signal != 0) {
      std::cout << "\ninterrupted (" << signalName(signal)
                << "): stopping after the current chunk, saving each run's last checkpoint" << std::endl;
      session_.stop(train::RunStatus::Interrupted);
    }
  }
  train::Session& session_;
};

/// A resumed session's figures, drawn from its whole folder rather than from this process's
/// part of the curves.
ui::FigureData folderFigures(const std::filesystem::path& folder) {
  results::SessionReader reader(folder, true);
  reader.refresh();
  ui::ShownSession shown{&reader.record(), {}};
  for (const auto& run : reader.record().runs) shown.runs.push_back(run.run);
  return ui::composeFigures({}, {shown});
}

/// Trains `session` (writing through `writer` when there is one) with the terminal's progress,
/// then writes the figures. Returns the exit status.
int runInTerminal(train::Session& session, results::ResultsWriter* writer,
                  const std::vector<std::string>& figureFormats, const FigureOptions& figure, bool resumed) {
  const train::ExperimentSpec& spec = session.spec();
  // A closed-form run is one solve, shown as its one epoch.
  const bool closedForm = models::isClosedForm(spec.model.architecture);
  TerminalProgress printer(train::epochsPerRun(spec), isatty(STDOUT_FILENO) != 0, closedForm);
  InterruptWatch interrupts(session);
  ui::FigureRecorder recorder;
  train::SessionResult result;
  try {
    interruptSignal = 0;
    const SignalScope signals({SIGINT, SIGTERM, SIGUSR1}, onInterrupt);
    result = session.run({writer, &printer, &interrupts, &recorder});
  } catch (...) {
    // A start that failed (a missing data set, a network that cannot take the images) leaves
    // no empty session folder behind.
    if (writer) writer->discardUnstarted();
    throw;
  }
  if (writer) {
    std::cout << "results: " << writer->folder().string() << " (spec.json, metrics.csv, summary.json)\n";
    if (writer->failure()) std::cerr << "genlab: " << *writer->failure() << '\n';
    if (!figureFormats.empty())
      writeFigures(resumed ? folderFigures(writer->folder()) : recorder.data(), writer->folder(), figureFormats, figure);
  }
  for (const auto& run : result.runs)
    if (run.status == train::RunStatus::Interrupted) return kExitInterrupted;
  if (writer && writer->failure()) return kExitRuntimeFailure;
  return kExitSuccess;
}

} // namespace

int trainHeadless(const train::ExperimentSpec& spec, const std::string& heading,
                  const std::filesystem::path& resultsRoot,
                  const std::vector<std::string>& figureFormats, const FigureOptions& figure) {
  if (!heading.empty()) std::cout << heading << "\n\n";
  train::Session session(spec);
  std::unique_ptr<results::ResultsWriter> writer;
  if (!resultsRoot.empty()) {
    writer = std::make_unique<results::ResultsWriter>(results::createSessionFolder(resultsRoot, spec.name), spec);
    std::cout << "results: " << writer->folder().string() << '\n' << std::flush;
  }
  return runInTerminal(session, writer.get(), figureFormats, figure, false);
}

int trainSessionFolder(const train::ExperimentSpec& spec, const std::filesystem::path& folder,
                       const std::string& heading, const std::vector<std::string>& figureFormats,
                       const FigureOptions& figure) {
  train::validate(spec);
  results::OpenedFolder opened = results::openSessionFolder(folder, spec);
  if (!opened.writer) {
    std::cout << "'" << folder.string() << "': every run has reached its outcome; nothing to resume\n";
    return kExitSuccess;
  }
  const bool resumed = !opened.runs.empty();
  train::Session session(spec);
  if (resumed) session.resumeFrom(std::move(opened.runs));
  if (!heading.empty()) std::cout << heading << "\n\n";
  std::cout << (resumed ? "resuming: " : "results: ") << folder.string() << '\n' << std::flush;
  return runInTerminal(session, opened.writer.get(), figureFormats, figure, resumed);
}

} // namespace genlab::app
