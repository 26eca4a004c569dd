// The runs panel at scale (issue 12): opening many session folders, reading their curves, and
// following growing ones. Prints tab-separated lines for bench/render_benchmarks.py.
//   genlab_bench_runs generate DIR SESSIONS STEPS   write SESSIONS finished folders of one run
//                                                   of STEPS steps each (metrics.csv as the lab
//                                                   writes it)
//   genlab_bench_runs open DIR window|library       window: the lab opens DIR as a user would;
//                                                   time until the runs panel lists every
//                                                   session, until the first curve and the
//                                                   newest sessions' curves are drawn. library:
//                                                   the run library reads every session's
//                                                   curves (all the rows). Peak memory of each.
//   genlab_bench_runs follow DIR RUNS SECONDS       RUNS sessions written by another thread as
//                                                   the window follows them: the GUI thread's
//                                                   share of a core, window shown and hidden

#include "core/results/layout.h"
#include "core/results/results_writer.h"
#include "core/results/session_folder.h"
#include "core/results/spec_json.h"
#include "ui/main_window.h"
#include "ui/plot_panel.h"
#include "ui/plots_page.h"
#include "ui/run_library.h"
#include "ui/runs_model.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTest>

#include <sys/resource.h>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <thread>

using namespace genlab;
namespace fs = std::filesystem;

namespace {

double threadSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

double peakMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

train::ExperimentSpec benchSpec() {
  train::ExperimentSpec spec;
  spec.name = "bench";
  spec.settings = {corruption::Setting::randomLabels()};
  return spec;
}

int generate(const fs::path& root, int sessions, int64_t steps) {
  const train::ExperimentSpec spec = benchSpec();
  const std::string json = R"({"format": 1, "state": "ended", "model": "MLP 1x512", "runs": [{"run": 0, "setting": "random-labels", "name": "random labels", "status": "finished", "epochs": )" +
                           std::to_string(steps / 100) + R"(, "steps": )" + std::to_string(steps) + R"(, "train_accuracy": 1.0, "test_accuracy": 0.1}]})";
  for (int s = 0; s < sessions; ++s) {
    char name[64];
    std::snprintf(name, sizeof name, "20260101-%06d-bench", s);
    const fs::path folder = root / name;
    fs::create_directories(folder);
    std::ofstream(folder / results::kSpecFile) << results::toJson(spec).dump(2);
    std::ofstream(folder / results::kSummaryFile) << json;
    std::ofstream metrics(folder / results::kMetricsFile);
    metrics << results::kMetricsHeader << '\n';
    std::string buffer;
    char line[128];
    for (int64_t step = 1; step <= steps; ++step) {
      const int length = std::snprintf(line, sizeof line, "0,random-labels,%lld,%lld,loss,%.9g,%.4f\n",
                                       static_cast<long long>(step), static_cast<long long>(1 + step / 100),
                                       2.3 * 1000.0 / static_cast<double>(step + 1000), static_cast<double>(step) * 0.001);
      buffer.append(line, static_cast<size_t>(length));
      if (buffer.size() > (1 << 20)) {
        metrics << buffer;
        buffer.clear();
      }
    }
    metrics << buffer;
  }
  return 0;
}

int open(const fs::path& root, bool window) {
  size_t total = 0;
  for (const auto& entry : fs::directory_iterator(root)) total += entry.is_directory() ? 1 : 0;
  QElapsedTimer clock;
  const auto seconds = [&] { return static_cast<double>(clock.nsecsElapsed()) / 1e9; };
  if (window) {
    // As a user opens the folder: the runs panel fills, the newest sessions' curves are drawn.
    ui::WindowOptions options;
    options.restoreSettings = false;
    options.resultsRoot = QString::fromStdString((root.parent_path() / "window-results").string());
    ui::MainWindow lab(options);
    lab.show();
    QTest::qWait(200);
    clock.start();
    lab.openRuns(QString::fromStdString(root.string()));
    double listed = 0, first = 0;
    while (clock.elapsed() < 600'000) {
      if (listed == 0 && lab.runsModel()->rowCount() == static_cast<int>(total)) listed = seconds();
      if (first == 0 && !lab.figureData().loss.empty()) first = seconds();
      if (listed > 0 && first > 0 && lab.runsModel()->checked().size() == lab.figureData().loss.size() &&
          lab.figureData().loss.size() >= 20)
        break;
      QTest::qWait(2);
    }
    std::printf("window_listed\t%.3f\t%zu\n", listed, total);
    std::printf("window_first_curves\t%.3f\n", first);
    std::printf("window_checked_curves\t%.3f\t%zu\n", seconds(), lab.figureData().loss.size());
    std::printf("window_peak_mib\t%.1f\n", peakMiB());
    return 0;
  }
  // The library alone with every session's curves: all the rows read.
  ui::RunLibrary library;
  int curves = 0;
  double listedAt = 0, lastCurvesAt = 0;
  size_t listed = 0;
  QObject::connect(&library, &ui::RunLibrary::sessionUpdated, [&](const QString& folder) {
    if (!library.sessions().at(folder)->curvesRead) {
      library.setCurves(folder, true);
      if (++listed == total) listedAt = seconds();
      return;
    }
    if (++curves == static_cast<int>(total)) lastCurvesAt = seconds();
  });
  clock.start();
  library.addRoot(QString::fromStdString(root.string()));
  while (curves < static_cast<int>(total) && clock.elapsed() < 600'000) QTest::qWait(5);
  std::printf("library_listed\t%.3f\t%zu\n", listedAt, listed);
  std::printf("library_all_curves\t%.3f\t%d\n", lastCurvesAt, curves);
  std::printf("library_peak_mib\t%.1f\n", peakMiB());
  return 0;
}

int follow(const fs::path& root, int runs, double seconds) {
  // RUNS sessions that grow: an epoch of 50 steps every 100 ms each, from another thread.
  std::atomic<bool> done{false};
  std::vector<std::unique_ptr<results::ResultsWriter>> writers;
  for (int r = 0; r < runs; ++r) {
    writers.push_back(std::make_unique<results::ResultsWriter>(results::createSessionFolder(root, "follow"), benchSpec()));
    train::SessionInfo info;
    info.model = "MLP 1x512";
    info.runs = {{0, corruption::Setting::randomLabels(), {}}};
    writers.back()->onSessionStarted(info);
  }
  std::thread writer([&] {
    for (int64_t epoch = 1; !done; ++epoch) {
      for (auto& w : writers) {
        train::StepLosses losses;
        losses.firstStep = (epoch - 1) * 50 + 1;
        losses.epoch = epoch;
        for (int i = 0; i < 50; ++i) losses.losses.push_back(2.3F / static_cast<float>(epoch));
        w->onStepLosses(losses);
        train::EpochMetrics m;
        m.epoch = epoch;
        m.step = epoch * 50;
        m.trainAccuracy = 0.5;
        w->onEpoch(m);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  ui::WindowOptions options;
  options.restoreSettings = false;
  options.resultsRoot = QString::fromStdString((root / "window").string());
  ui::MainWindow window(options);
  window.openRuns(QString::fromStdString(root.string()));
  window.show();
  QTest::qWait(3000);  // everything listed and read once
  const auto replots = [&] {
    double total = 0;
    for (const auto& [figure, panel] : window.plots()->panels()) total += panel->replotSeconds();
    return total;
  };
  // The GUI thread's share of a core, and the part of it in the plots' (throttled) replots.
  const auto share = [&](double span) {
    const double cpu = threadSeconds(), replot = replots();
    QElapsedTimer wall;
    wall.start();
    QTest::qWait(static_cast<int>(span * 1000));
    const double elapsed = static_cast<double>(wall.nsecsElapsed()) / 1e9;
    return std::pair{(threadSeconds() - cpu) / elapsed, (replots() - replot) / elapsed};
  };
  const auto [shown, replotShare] = share(seconds);
  window.hide();
  const double hidden = share(seconds).first;
  done = true;
  writer.join();
  std::printf("follow_gui_share_shown\t%.4f\t%d\n", shown, runs);
  std::printf("follow_gui_share_replots\t%.4f\t%d\n", replotShare, runs);
  std::printf("follow_gui_share_between_replots\t%.4f\t%d\n", shown - replotShare, runs);
  std::printf("follow_gui_share_hidden\t%.4f\t%d\n", hidden, runs);
  std::printf("follow_curves\t%zu\n", window.figureData().loss.size());
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication application(argc, argv);
  const QStringList args = QApplication::arguments();
  const QString mode = args.value(1);
  const fs::path folder = args.value(2).toStdString();
  if (mode == "generate" && args.size() == 5) return generate(folder, args[3].toInt(), args[4].toLongLong());
  if (mode == "open" && args.size() == 4) return open(folder, args[3] == "window");
  if (mode == "follow" && args.size() == 5) return follow(folder, args[3].toInt(), args[4].toDouble());
  std::fprintf(stderr, "usage: genlab_bench_runs generate DIR SESSIONS STEPS | open DIR window|library | follow DIR RUNS SECONDS\n");
  return 2;
}
