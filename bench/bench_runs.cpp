// The runs panel at scale (issue 12): opening many session folders, reading their curves, and
// following growing ones. Prints tab-separated lines for bench/render_benchmarks.py.
//   genlab_bench_runs generate DIR SESSIONS STEPS   write SESSIONS finished folders of one run
//                                                   of STEPS steps each (metrics.csv as the lab
//                                                   writes it)
//   genlab_bench_runs open DIR CHECKED              the library on DIR: time until every session
//                                                   is listed, until the first and the last of
//                                                   CHECKED sessions' curves are read, and the
//                                                   process's peak memory
//   genlab_bench_runs follow DIR RUNS SECONDS       RUNS sessions written by another thread as
//                                                   the window follows them: the GUI thread's
//                                                   share of a core, window shown and hidden

#include "core/results/layout.h"
#include "core/results/results_writer.h"
#include "core/results/session_folder.h"
#include "core/results/spec_json.h"
#include "ui/main_window.h"
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

int open(const fs::path& root, int checked) {
  ui::RunLibrary library;
  QElapsedTimer clock;
  int listed = 0, curves = 0;
  double listedAt = 0, firstCurvesAt = 0, lastCurvesAt = 0;
  size_t total = 0;
  QObject::connect(&library, &ui::RunLibrary::sessionUpdated, [&](const QString& folder) {
    const auto& record = library.sessions().at(folder);
    if (!record->curvesRead) {
      if (++listed <= checked) library.setCurves(folder, true);
      if (listed == static_cast<int>(total)) listedAt = static_cast<double>(clock.nsecsElapsed()) / 1e9;
      return;
    }
    if (++curves == 1) firstCurvesAt = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    if (curves == checked) lastCurvesAt = static_cast<double>(clock.nsecsElapsed()) / 1e9;
  });
  for (const auto& entry : fs::directory_iterator(root)) total += entry.is_directory() ? 1 : 0;
  clock.start();
  library.addRoot(QString::fromStdString(root.string()));
  while (curves < checked && clock.elapsed() < 600'000) QTest::qWait(5);
  std::printf("runs_listed\t%.3f\t%d\n", listedAt, listed);
  std::printf("runs_first_curves\t%.3f\n", firstCurvesAt);
  std::printf("runs_all_curves\t%.3f\t%d\n", lastCurvesAt, curves);
  std::printf("runs_peak_mib\t%.1f\n", peakMiB());
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
  const auto share = [&](double span) {
    const double cpu = threadSeconds();
    QElapsedTimer wall;
    wall.start();
    QTest::qWait(static_cast<int>(span * 1000));
    return (threadSeconds() - cpu) / (static_cast<double>(wall.nsecsElapsed()) / 1e9);
  };
  const double shown = share(seconds);
  window.hide();
  const double hidden = share(seconds);
  done = true;
  writer.join();
  std::printf("follow_gui_share_shown\t%.4f\t%d\n", shown, runs);
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
  if (mode == "open" && args.size() == 4) return open(folder, args[3].toInt());
  if (mode == "follow" && args.size() == 5) return follow(folder, args[3].toInt(), args[4].toDouble());
  std::fprintf(stderr, "usage: genlab_bench_runs generate DIR SESSIONS STEPS | open DIR CHECKED | follow DIR RUNS SECONDS\n");
  return 2;
}
