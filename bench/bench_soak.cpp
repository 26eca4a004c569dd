// Soak of the window (issue 15): the Figure 1a preset trained in a loop through the window's own
// actions (Start, Pause, Step, Resume, Stop, Resume Session, Stop, export, Copy, Reset) for a
// given time, resident memory sampled every second. Run under an X server (bench/soak.sh).
//
//   genlab_bench_soak SECONDS SAMPLES.tsv [WARMUP_SECONDS] [MAX_SLOPE_KIB_PER_MINUTE]
//
// Writes "seconds  rss_kib  cycle  state" lines to SAMPLES.tsv (every second, and at each cycle's
// end before and after malloc_trim) and a summary on stdout: least-squares RSS slopes after the
// warm-up with their standard errors. Exits 1 on any Qt warning (printed on stderr), an error the
// window shows, a state not reached within a minute, or a median (Theil-Sen) slope of the
// trimmed cycle-end RSS above the maximum (the per-second samples swing by 200 MiB within a cycle: data loaded and
// freed, so their slope is reported, not judged).

#include "core/results/presets.h"
#include "ui/main_window.h"
#include "ui/run_library.h"
#include "ui/training_controller.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace {

using namespace genlab;
using ui::SessionState;

int qtWarnings = 0;

void onQtMessage(QtMsgType type, const QMessageLogContext&, const QString& message) {
  if (type == QtDebugMsg || type == QtInfoMsg) return;
  ++qtWarnings;
  std::fprintf(stderr, "Qt warning: %s\n", qUtf8Printable(message));
}

long residentKib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

struct Sample {
  double seconds;
  long kib;
};

/// Least-squares line through the samples from `from` seconds on: slope and its standard error,
/// in KiB per minute.
struct Fit {
  double slope = 0, error = 0;
  size_t samples = 0;
};
Fit fitFrom(const std::vector<Sample>& samples, double from) {
  std::vector<std::pair<double, double>> xy;
  for (const Sample& s : samples)
    if (s.seconds >= from) xy.emplace_back(s.seconds / 60.0, static_cast<double>(s.kib));
  Fit fit;
  fit.samples = xy.size();
  if (xy.size() < 3) return fit;
  double mx = 0, my = 0;
  for (const auto& [x, y] : xy) { mx += x; my += y; }
  mx /= static_cast<double>(xy.size());
  my /= static_cast<double>(xy.size());
  double sxx = 0, sxy = 0;
  for (const auto& [x, y] : xy) { sxx += (x - mx) * (x - mx); sxy += (x - mx) * (y - my); }
  fit.slope = sxy / sxx;
  double residuals = 0;
  for (const auto& [x, y] : xy) residuals += std::pow(y - my - fit.slope * (x - mx), 2);
  fit.error = std::sqrt(residuals / static_cast<double>(xy.size() - 2) / sxx);
  return fit;
}

/// Theil-Sen slope (the median of the slopes between every two samples) from `from` seconds
/// on, in KiB per minute: one cycle whose pages glibc could not hand back does not tilt it.
double medianSlope(const std::vector<Sample>& samples, double from) {
  std::vector<double> slopes;
  for (size_t i = 0; i < samples.size(); ++i)
    for (size_t j = i + 1; j < samples.size(); ++j)
      if (samples[i].seconds >= from && samples[j].seconds > samples[i].seconds)
        slopes.push_back(static_cast<double>(samples[j].kib - samples[i].kib) /
                         ((samples[j].seconds - samples[i].seconds) / 60.0));
  if (slopes.empty()) return 0.0;
  std::nth_element(slopes.begin(), slopes.begin() + static_cast<long>(slopes.size() / 2), slopes.end());
  return slopes[slopes.size() / 2];
}

/// Drives one window. Every wait is on what the window's signals have recorded (its state,
/// the steps and epochs delivered), with a deadline only to report a hang.
class Driver {
public:
  Driver(ui::MainWindow& window) : window_(window), controller_(*window.controller()) {
    QObject::connect(&controller_, &ui::TrainingController::metricsArrived, &window_,
                     [this](const ui::MetricsBatch& batch) {
                       for (const auto& losses : batch.losses)
                         lastStep_[losses.run] = losses.firstStep + static_cast<int64_t>(losses.losses.size()) - 1;
                       for (const auto& metrics : batch.epochs)
                         lastEpoch_[metrics.run] = std::max(lastEpoch_[metrics.run], metrics.epoch);
                     });
  }

  /// One cycle; an empty string when every state was reached, else what was not.
  std::string cycle(const QString& exports) {
    window_.actions().start->trigger();
    if (!waitFor("a first loss", [&] { return controller_.state() == SessionState::Running && !lastStep_.empty(); }))
      return failure_;
    window_.actions().pause->trigger();
    if (!waitFor("Paused", [&] { return controller_.state() == SessionState::Paused; })) return failure_;
    const std::map<int, int64_t> before = lastStep_;
    window_.actions().step->trigger();
    if (!waitFor("the step", [&] {
          for (const auto& [run, step] : before)
            if (lastStep_[run] <= step) return false;
          return true;
        }))
      return failure_;
    window_.actions().pause->trigger();  // "Resume"
    if (!waitFor("an epoch after Resume", [&, epochs = lastEpoch_] { return newEpoch(epochs); })) return failure_;
    window_.actions().stop->trigger();
    if (!waitFor("Ended", [&] { return controller_.state() == SessionState::Ended; })) return failure_;
    // Resume Session: the stopped session goes on from its checkpoints, in its folder.
    if (!window_.actions().resumeSession->isEnabled()) return "Resume Session is disabled after Stop";
    // Its curves so far are replayed first: only an epoch past those of the first Stop is new.
    const std::map<int, int64_t> stoppedAt = lastEpoch_;
    window_.actions().resumeSession->trigger();
    if (!waitFor("an epoch after Resume Session", [&] { return newEpoch(stoppedAt); })) return failure_;
    window_.actions().stop->trigger();
    if (!waitFor("Ended again", [&] { return controller_.state() == SessionState::Ended; })) return failure_;
    const QString folder = window_.sessionFolder();
    if (!window_.exportFigures({ui::Figure::Loss, ui::Figure::Accuracy}, exports + "/figures.png", "png", {1280, 720}, 1.0) ||
        !window_.exportMetrics(exports + "/metrics.csv", "csv") || !window_.exportMetrics(exports + "/metrics.json", "json"))
      return "export: " + window_.lastMessage().toStdString();
    window_.actions().copy->trigger();
    window_.actions().reset->trigger();
    if (!waitFor("Idle", [&] { return controller_.state() == SessionState::Idle; })) return failure_;
    if (!window_.lastMessage().isEmpty()) return "the window showed: " + window_.lastMessage().toStdString();
    // Each session's folder (checkpoints included, about 16 MB) goes once it is over, as the
    // runs panel's Move to Trash does it (minus the trash and its question), so that disk use
    // and the panel stay the same size over the soak.
    std::filesystem::remove_all(folder.toStdString());
    window_.library()->forget(folder);
    lastStep_.clear();
    lastEpoch_.clear();
    return {};
  }

private:
  /// Whether some run delivered an epoch past those in `before`.
  bool newEpoch(const std::map<int, int64_t>& before) {
    for (const auto& [run, epoch] : lastEpoch_)
      if (!before.contains(run) || epoch > before.at(run)) return true;
    return false;
  }

  bool waitFor(const char* what, const std::function<bool()>& reached) {
    QElapsedTimer waited;
    waited.start();
    while (!reached()) {
      if (waited.elapsed() > 60'000) {
        failure_ = std::string("no ") + what + " within a minute";
        return false;
      }
      // The sampling timer wakes this at least every second.
      QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
  }

  ui::MainWindow& window_;
  ui::TrainingController& controller_;
  std::map<int, int64_t> lastStep_;   ///< last step delivered per run, this cycle
  std::map<int, int64_t> lastEpoch_;  ///< last epoch delivered per run, this cycle
  std::string failure_;
};

} // namespace

int main(int argc, char** argv) {
  qInstallMessageHandler(onQtMessage);
  QApplication application(argc, argv);
  QStandardPaths::setTestModeEnabled(true);
  if (argc < 3) {
    std::fprintf(stderr, "usage: genlab_bench_soak SECONDS SAMPLES.tsv [WARMUP_SECONDS] [MAX_SLOPE_KIB_PER_MINUTE]\n");
    return 2;
  }
  const double seconds = std::atof(argv[1]);
  const double warmup = argc > 3 ? std::atof(argv[3]) : 120.0;
  const double maxSlope = argc > 4 ? std::atof(argv[4]) : 512.0;
  std::ofstream tsv(argv[2]);
  tsv << "seconds\trss_kib\tcycle\tstate\n";

  QTemporaryDir results, exports;
  ui::WindowOptions options;
  options.resultsRoot = results.path();
  options.restoreSettings = false;
  ui::MainWindow window(options);
  window.resize(1440, 900);
  window.show();
  const results::Preset preset = results::findPreset("figure1a-fashion-mnist");
  window.setSpec(preset.spec, QString::fromStdString(preset.title));

  Driver driver(window);
  std::vector<Sample> samples;
  std::vector<Sample> cycleEnds;  ///< RSS after each Reset and malloc_trim
  std::vector<Sample> rawEnds;    ///< the same before malloc_trim
  int cycles = 0;
  QElapsedTimer clock;
  clock.start();
  QTimer sampler;
  QObject::connect(&sampler, &QTimer::timeout, [&] {
    const Sample s{static_cast<double>(clock.elapsed()) / 1000.0, residentKib()};
    samples.push_back(s);
    tsv << s.seconds << '\t' << s.kib << '\t' << cycles << '\t'
        << ui::describe(window.controller()->state()).toStdString() << '\n' << std::flush;
  });
  sampler.start(1000);

  std::string failure;
  while (failure.empty() && qtWarnings == 0 && static_cast<double>(clock.elapsed()) / 1000.0 < seconds) {
    failure = driver.cycle(exports.path());
    if (!failure.empty()) break;
    ++cycles;
    // At the same point of every cycle (Idle, no session held), once glibc has handed back the
    // free pages it keeps in its arenas: what the process still holds, without the allocator's
    // caching, which moves the raw figure by tens of MiB from one cycle to the next.
    const double at = static_cast<double>(clock.elapsed()) / 1000.0;
    const long raw = residentKib();
    ::malloc_trim(0);
    const Sample end{at, residentKib()};
    cycleEnds.push_back(end);
    rawEnds.push_back({at, raw});
    tsv << at << '\t' << raw << '\t' << cycles << "\tcycle-end\n";
    tsv << at << '\t' << end.kib << '\t' << cycles << "\tcycle-end-trimmed\n" << std::flush;
  }
  window.close();

  const Fit all = fitFrom(samples, warmup);
  const Fit ends = fitFrom(cycleEnds, warmup);
  const Fit rawEnd = fitFrom(rawEnds, warmup);
  long atWarmup = -1;
  for (const Sample& s : samples)
    if (atWarmup < 0 && s.seconds >= warmup) atWarmup = s.kib;
  std::printf("cycles\t%d\n", cycles);
  std::printf("seconds\t%.0f\n", static_cast<double>(clock.elapsed()) / 1000.0);
  std::printf("rss_first_kib\t%ld\n", samples.empty() ? -1 : samples.front().kib);
  std::printf("rss_at_warmup_kib\t%ld\n", atWarmup);
  std::printf("rss_last_kib\t%ld\n", samples.empty() ? -1 : samples.back().kib);
  std::printf("rss_first_cycle_end_trimmed_kib\t%ld\n", cycleEnds.empty() ? -1 : cycleEnds.front().kib);
  std::printf("rss_last_cycle_end_trimmed_kib\t%ld\n", cycleEnds.empty() ? -1 : cycleEnds.back().kib);
  std::printf("rss_slope_kib_per_minute\t%.1f\t%.1f\t%zu\n", all.slope, all.error, all.samples);
  std::printf("rss_slope_cycle_end_kib_per_minute\t%.1f\t%.1f\t%zu\n", rawEnd.slope, rawEnd.error, rawEnd.samples);
  std::printf("rss_slope_cycle_end_trimmed_kib_per_minute\t%.1f\t%.1f\t%zu\n", ends.slope, ends.error, ends.samples);
  const double robust = medianSlope(cycleEnds, warmup);
  std::vector<Sample> perCycle;  // the same, against the cycle's number ("minutes" = cycles)
  for (size_t i = 0; i < cycleEnds.size(); ++i)
    if (cycleEnds[i].seconds >= warmup) perCycle.push_back({60.0 * static_cast<double>(i + 1), cycleEnds[i].kib});
  std::printf("rss_median_slope_cycle_end_trimmed_kib_per_minute\t%.1f\n", robust);
  std::printf("rss_median_growth_cycle_end_trimmed_kib_per_cycle\t%.1f\n", medianSlope(perCycle, 0));
  std::printf("qt_warnings\t%d\n", qtWarnings);
  if (!failure.empty()) std::printf("failure\t%s (cycle %d)\n", failure.c_str(), cycles + 1);
  const bool flat = robust <= maxSlope;
  if (!flat) std::printf("failure\tRSS at cycle ends grows %.1f KiB per minute, above %.0f\n", robust, maxSlope);
  return failure.empty() && qtWarnings == 0 && flat ? 0 : 1;
}
