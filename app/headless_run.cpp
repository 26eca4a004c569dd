#include "app/headless_run.h"

#include "app/exit_codes.h"
#include "core/format.h"
#include "core/results/presets.h"
#include "core/results/results_writer.h"
#include "core/train/session.h"
#include "ui/figure_renderer.h"

#include <QApplication>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

namespace genlab::app {

namespace {

std::atomic<bool> interruptRequested{false};

extern "C" void onInterrupt(int) { interruptRequested = true; }

std::string percent(double fraction) { return fixed(100.0 * fraction, 1) + "%"; }

/// Prints progress in plain lines (one per epoch of each run) and, from the training thread's
/// callbacks, turns a Ctrl-C into Session::stop: a signal handler may only set a flag.
class ProgressPrinter : public train::SessionListener {
public:
  explicit ProgressPrinter(train::Session& session) : session_(session) {}

  void onSessionStarted(const train::SessionInfo& info) override {
    std::cout << info.dataset << "  " << info.preprocessing << "\n  " << info.model << ", "
              << info.parameters << " parameters, " << info.trainImages << " training images, "
              << info.stepsPerEpoch << " steps per epoch, on " << info.device << "\n";
    for (const auto& run : info.runs) {
      names_[run.run] = run.setting.name();
      std::cout << "  run " << run.run << ", " << run.setting.name() << ": " << run.corruption
                << '\n';
    }
    std::cout << std::endl;
  }
  void onStepLosses(const train::StepLosses&) override { checkInterrupt(); }
  void onEpoch(const train::EpochMetrics& m) override {
    char line[256];
    std::snprintf(line, sizeof line,
                  "%-38s epoch %4lld  loss %.4f  train %6s  test %6s  %8.0f images/s  %6.1f s",
                  names_[m.run].c_str(), static_cast<long long>(m.epoch), m.trainLoss,
                  percent(m.trainAccuracy).c_str(), percent(m.testAccuracy).c_str(),
                  m.imagesPerSecond, m.wallSeconds);
    std::cout << line << std::endl;
    checkInterrupt();
  }
  void onRunEnded(const train::RunSummary& run) override {
    std::cout << names_[run.run] << ": " << nameOf(train::runStatusNames(), run.status)
              << (run.message.empty() ? "" : " (" + run.message + ")") << std::endl;
  }
  void onSessionEnded(const train::SessionResult& result) override {
    char header[160];
    std::snprintf(header, sizeof header, "%-38s %-13s %9s %9s  %s\n", "setting", "status", "train acc",
                  "test acc", "epochs to fit");
    std::cout << "\n" << header;
    for (const auto& run : result.runs) {
      char line[256];
      std::snprintf(line, sizeof line, "%-38s %-13s %9s %9s  %s", names_[run.run].c_str(),
                    std::string(nameOf(train::runStatusNames(), run.status)).c_str(),
                    percent(run.trainAccuracy).c_str(), percent(run.testAccuracy).c_str(),
                    run.fitEpoch ? std::to_string(*run.fitEpoch).c_str() : "-");
      std::cout << line << '\n';
    }
    std::cout << "wall time " << fixed(result.wallSeconds, 1) << " s" << std::endl;
  }

private:
  void checkInterrupt() {
    if (interruptRequested.exchange(false)) {
      std::cout << "\ninterrupted: stopping after the current chunk" << std::endl;
      session_.stop(train::RunStatus::Interrupted);
    }
  }
  train::Session& session_;
  std::map<int, std::string> names_;
};

} // namespace

int listPresets() {
  for (const auto& preset : results::loadPresets(results::presetFolder()))
    std::cout << preset.id << "\n    " << preset.title << '\n';
  return kExitSuccess;
}

static void writeFigures(const ui::FigureData& data, const std::filesystem::path& out,
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

int trainHeadless(const train::ExperimentSpec& spec, const std::string& heading,
                  const std::filesystem::path& out, const FigureExport& figures) {
  if (!heading.empty()) std::cout << heading << "\n\n";
  train::Session session(spec);
  ProgressPrinter printer(session);
  ui::FigureRecorder recorder;
  std::unique_ptr<results::ResultsWriter> writer;
  if (!out.empty()) writer = std::make_unique<results::ResultsWriter>(out, spec);

  interruptRequested = false;
  std::signal(SIGINT, onInterrupt);
  const train::SessionResult result = session.run({writer.get(), &printer, &recorder});
  std::signal(SIGINT, SIG_DFL);
  if (writer) std::cout << "results: " << writer->folder().string() << " (spec.json, metrics.csv, summary.json)\n";
  if (!figures.formats.empty() && !out.empty()) writeFigures(recorder.data(), out, figures);
  for (const auto& run : result.runs)
    if (run.status == train::RunStatus::Interrupted) return kExitInterrupted;
  return kExitSuccess;
}

} // namespace genlab::app
