// Benchmarks of the window while it trains (issue 5). Prints tab-separated lines: name,
// value, unit. Run with a Qt platform (offscreen, or an X display such as Xvfb).
//
//   genlab_bench_window overhead REPS   the same session headless (Session::run with a results
//                                       writer, as genlab --headless --out) and
//                                       in the window with live plots, alternating; images/s
//                                       (images trained / session wall time) of each, and the
//                                       share of a core the GUI thread used
//   genlab_bench_window latency         while the window trains: time from a posted mouse click
//                                       on a check box to its handler, 50 clicks
//   genlab_bench_window first-point REPS  Fashion-MNIST: from pressing Start to the first loss
//                                       point on screen
//
// The session: Fashion-MNIST (5,000 training images, as the Figure 1a preset), MLP 1x512, the
// five settings of Figure 1a, a fixed number of epochs (no stopping when fitted), so both
// sides do exactly the same work.

#include "core/results/results_writer.h"
#include "core/results/session_folder.h"
#include "core/train/session.h"
#include "ui/main_window.h"
#include "ui/plot_panel.h"
#include "ui/training_controller.h"

#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QMouseEvent>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <string>
#include <type_traits>
#include <vector>

namespace {

using namespace genlab;
using Clock = std::chrono::steady_clock;

train::ExperimentSpec figure1aSpec(int64_t epochs) {
  train::ExperimentSpec spec;
  spec.name = "bench-window";
  spec.data.trainSize = 5000;
  spec.data.testSize = 1000;
  spec.settings = {corruption::Setting::trueLabels(), corruption::Setting::randomLabels(),
                   corruption::Setting::shuffledPixels(), corruption::Setting::randomPixels(),
                   corruption::Setting::gaussianInputs()};
  spec.training.epochs = epochs;
  spec.training.stopWhenFitted = false;
  spec.compute.device = train::DeviceChoice::Cpu;
  return spec;
}

double threadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

/// Images the session trains: every run, every epoch (nothing stops early).
double imagesOf(const train::ExperimentSpec& spec) {
  return static_cast<double>(spec.settings.size()) * static_cast<double>(spec.training.epochs) *
         static_cast<double>(spec.data.trainSize);
}

/// Gives the heap's free memory back to the kernel (glibc), so that each measured session
/// starts as in a new process: the lab keeps freed memory for reuse (train::keepFreedMemory),
/// and a session that finds the previous one's memory still mapped skips its page faults.
void startCold() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

/// As `genlab --headless --out DIR` trains: the session and its results files (the window
/// writes the same files for every session).
double headless(const train::ExperimentSpec& spec, const QString& results) {
  startCold();
  train::Session session(spec);
  const auto start = Clock::now();
  results::ResultsWriter writer(results::createSessionFolder(results.toStdString(), "headless"), spec);
  session.run({&writer});
  return imagesOf(spec) / std::chrono::duration<double>(Clock::now() - start).count();
}

/// Nothing to do while the window trains.
struct Idle {
  void operator()(ui::MainWindow&) const {}
};

/// Runs `spec` in a shown window until it ends; `during` is called every 20 ms meanwhile
/// (never, for Idle).
template <class During>
double inWindow(const train::ExperimentSpec& spec, const QString& results, During&& during) {
  startCold();
  ui::WindowOptions options;
  options.resultsRoot = results;
  options.restoreSettings = false;
  ui::MainWindow window(options);
  window.resize(1440, 900);
  window.show();
  window.setSpec(spec);
  QElapsedTimer timer;
  timer.start();
  const double cpuBefore = threadCpuSeconds();
  // The loop below sleeps between events, as exec() does. Only a benchmark that acts while
  // training (clicks) needs a tick; without one the window wakes just as it would for a user.
  QTimer tick;
  if constexpr (!std::is_same_v<std::decay_t<During>, Idle>) tick.start(20);
  window.start();
  while (window.controller()->state() != ui::SessionState::Ended) {
    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    during(window);
  }
  // How much of one core the GUI thread used while the session trained.
  std::printf("gui_thread_core_share\t%.4f\tfraction\n",
              (threadCpuSeconds() - cpuBefore) / (static_cast<double>(timer.nsecsElapsed()) / 1e9));
  // From Start to the end of the session, as the headless side: the same work, data loading
  // included on both sides.
  return imagesOf(spec) / (static_cast<double>(timer.nsecsElapsed()) / 1e9);
}

int overhead(int reps) {
  QTemporaryDir results;
  const train::ExperimentSpec spec = figure1aSpec(4);
  for (int r = 0; r < reps; ++r) {
    std::printf("headless_images_per_second\t%.1f\timages/s\n", headless(spec, results.path()));
    std::fflush(stdout);
    std::printf("window_images_per_second\t%.1f\timages/s\n", inWindow(spec, results.path(), Idle{}));
    std::fflush(stdout);
  }
  return 0;
}

int latency() {
  QTemporaryDir results;
  std::vector<double> waits;
  QElapsedTimer clock;
  clock.start();
  qint64 posted = -1;
  qint64 lastPost = 0;
  bool connected = false;
  // Long enough for 50 clicks 200 ms apart at about 30,000 images/s.
  inWindow(figure1aSpec(15), results.path(), [&](ui::MainWindow& window) {
    auto* box = window.findChild<QCheckBox*>();  // the plots' "log-scale loss"
    if (box == nullptr || window.controller()->state() != ui::SessionState::Running) return;
    if (!connected) {
      connected = true;
      QObject::connect(box, &QCheckBox::toggled, box, [&] {
        if (posted >= 0) waits.push_back(static_cast<double>(clock.nsecsElapsed() - posted) / 1e6);
        posted = -1;
      });
    }
    if (posted >= 0 || waits.size() >= 50 || clock.elapsed() - lastPost < 200) return;
    // A real click: press and release posted to the event queue, as the window system does.
    const QPointF centre(box->rect().center());
    const QPointF global = box->mapToGlobal(centre);
    posted = clock.nsecsElapsed();
    lastPost = clock.elapsed();
    QCoreApplication::postEvent(box, new QMouseEvent(QEvent::MouseButtonPress, centre, global, Qt::LeftButton, Qt::LeftButton, Qt::NoModifier));
    QCoreApplication::postEvent(box, new QMouseEvent(QEvent::MouseButtonRelease, centre, global, Qt::LeftButton, Qt::NoButton, Qt::NoModifier));
  });
  for (double wait : waits) std::printf("click_latency\t%.3f\tms\n", wait);
  return waits.empty() ? 1 : 0;
}

int firstPoint(int reps) {
  QTemporaryDir results;
  for (int r = 0; r < reps; ++r) {
    ui::WindowOptions options;
    options.resultsRoot = results.path();
    options.restoreSettings = false;
    ui::MainWindow window(options);
    window.show();
    window.setSpec(figure1aSpec(1));
    QElapsedTimer timer;
    double seconds = -1;
    QObject::connect(window.controller(), &ui::TrainingController::metricsArrived, &window,
                     [&](const ui::MetricsBatch& batch) {
                       if (seconds < 0 && !batch.losses.empty()) seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
                     });
    timer.start();
    window.start();
    QTimer tick;
    tick.start(5);
    while (seconds < 0 && window.controller()->state() != ui::SessionState::Idle)
      QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    std::printf("start_to_first_point\t%.4f\ts\n", seconds);
    std::fflush(stdout);
    window.stop();
    window.controller()->waitUntilFinished(10000);
  }
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  QApplication application(argc, argv);
  QStandardPaths::setTestModeEnabled(true);
  const std::string what = argc > 1 ? argv[1] : "";
  const int reps = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  if (what == "overhead") return overhead(reps);
  if (what == "latency") return latency();
  if (what == "window-only") {  // one window session alone, to profile the GUI thread
    QTemporaryDir results;
    std::printf("window_images_per_second\t%.1f\timages/s\n",
                inWindow(figure1aSpec(4), results.path(), Idle{}));
    return 0;
  }
  if (what == "first-point") return firstPoint(reps);
  std::fprintf(stderr, "usage: genlab_bench_window overhead REPS | latency | first-point REPS\n");
  return 2;
}
