#include "app/headless_run.h"

#include "app/exit_codes.h"
#include "app/terminal_progress.h"
#include "core/results/presets.h"
#include "core/results/results_writer.h"
#include "core/train/session.h"
#include "ui/figure_renderer.h"

#include <QApplication>

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

/// Draws the session's figures offscreen and writes them into `out`, one file per figure and
/// format.
void writeFigures(const ui::FigureData& data, const std::filesystem::path& out,
                  const FigureExport& figures) {
  // QCustomPlot draws with widgets, so a QApplication is needed; without a display it uses
  // Qt's offscreen platform.
  if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
    qputenv("QT_QPA_PLATFORM", "offscreen");
  int argc = 1;
  char name[] = "genlab";
  char* argv[] = {name, nullptr};
  QApplication application(argc, argv);
  for (const ui::Figure figure : ui::figuresFor(data))
    for (const auto& format : figures.formats) {
      const QString path = QString::fromStdString((out / "").string()) + ui::figureName(figure) +
                           "." + QString::fromStdString(format);
      ui::exportFigure(data, figure, path, QString::fromStdString(format),
                       QSize(figures.width, figures.height), figures.scale);
      std::cout << "figure: " << path.toStdString() << '\n';
    }
}

} // namespace

int listPresets() {
  for (const auto& preset : results::loadPresets(results::presetFolder()))
    std::cout << preset.id << "\n    " << preset.title << '\n';
  return kExitSuccess;
}

int trainHeadless(const train::ExperimentSpec& spec, const std::string& heading,
                  const std::filesystem::path& out, const FigureExport& figures) {
  if (!heading.empty()) std::cout << heading << "\n\n";
  train::Session session(spec);
  TerminalProgress printer(spec.training.epochs, isatty(STDOUT_FILENO) != 0);
  InterruptWatch interrupts(session);
  ui::FigureRecorder recorder;
  std::unique_ptr<results::ResultsWriter> writer;
  if (!out.empty()) writer = std::make_unique<results::ResultsWriter>(out, spec);

  interruptRequested = false;
  std::signal(SIGINT, onInterrupt);
  const train::SessionResult result = session.run({writer.get(), &printer, &interrupts, &recorder});
  std::signal(SIGINT, SIG_DFL);
  if (writer) std::cout << "results: " << writer->folder().string() << " (spec.json, metrics.csv, summary.json)\n";
  if (!figures.formats.empty() && !out.empty()) writeFigures(recorder.data(), out, figures);
  for (const auto& run : result.runs)
    if (run.status == train::RunStatus::Interrupted) return kExitInterrupted;
  return kExitSuccess;
}

} // namespace genlab::app
