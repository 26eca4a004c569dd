// Times the window's live loss plot (ui/plot_panel.h) at the size of a long session: 6 curves of
// 100,000 steps each, a noisy decaying training loss like Figure 1a's. Measures a full
// QCustomPlot::replot() at the window's typical plot size, in the normal and the presentation
// style, and what a refresh() costs when a training chunk adds 100 steps to each curve.
// Prints one tab-separated line per measurement: name, median seconds, min, max, repetitions.
//
//   genlab_bench_replot [repetitions] [--snapshots DIR]
//
// With --snapshots it also writes what it measured as PNGs into DIR (to look at).

#include "ui/plot_panel.h"
#include "ui/qcustomplot_include.h"

#include <QApplication>
#include <QDir>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kRuns = 6;
constexpr int kSteps = 100'000;
constexpr int kStepsPerChunk = 100;

/// Times `work` `repetitions` times; `prepare` runs before each, untimed.
void measure(const std::string& name, int repetitions, const std::function<void()>& work,
             const std::function<void()>& prepare = [] {}) {
  std::vector<double> seconds;
  for (int r = 0; r < repetitions; ++r) {
    prepare();
    const auto start = Clock::now();
    work();
    seconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf("%s\t%.6f\t%.6f\t%.6f\t%d\n", name.c_str(), seconds[seconds.size() / 2],
              seconds.front(), seconds.back(), repetitions);
  std::fflush(stdout);
}

/// Figure 1a's shape: every setting starts at ln 10 and falls to zero, true labels fastest,
/// random labels slowest, with per-batch noise that shrinks as the loss does.
class FakeSession {
public:
  FakeSession() {
    static const char* names[kRuns] = {"true labels",   "random labels", "shuffled pixels",
                                       "random pixels", "Gaussian",      "labels 0.5"};
    for (int run = 0; run < kRuns; ++run) data_.loss.push_back({run, names[run], {}, {}, false});
  }

  void add(int steps) {
    static const double halfLife[kRuns] = {4000, 30000, 6000, 12000, 9000, 20000};
    for (auto& curve : data_.loss) {
      for (int s = 0; s < steps; ++s) {
        const double step = static_cast<double>(curve.x.size() + 1);
        const double mean = 2.3 * std::exp(-step / halfLife[curve.run]) + 0.002;
        curve.x.push_back(step);
        curve.y.push_back(std::max(1e-4, mean * (1 + 0.25 * noise_(generator_))));
      }
    }
  }

  const genlab::ui::FigureData& data() const { return data_; }

private:
  genlab::ui::FigureData data_;
  std::mt19937 generator_{20170101};
  std::normal_distribution<double> noise_;
};

} // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  int repetitions = 30;
  QString snapshots;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--snapshots" && i + 1 < argc)
      snapshots = argv[++i];
    else
      repetitions = std::max(1, std::atoi(argv[i]));
  }
  using namespace genlab::ui;

  FakeSession session;
  session.add(kSteps);
  PlotPanel panel(Figure::Loss);
  panel.resize(900, 500);  // the window's plot area at 1440x900
  panel.show();
  panel.setData(&session.data());
  QApplication::processEvents();
  QCustomPlot& plot = *panel.plot();
  const auto snapshot = [&](const QString& name) {
    if (!snapshots.isEmpty()) panel.grab().save(QDir(snapshots).filePath(name + ".png"));
  };

  const auto replots = [&](const std::string& name) {
    for (int i = 0; i < 3; ++i) plot.replot();  // warm-up: buffers, label cache
    measure(name, repetitions, [&] { plot.replot(QCustomPlot::rpImmediateRefresh); });
  };
  if (qgetenv("EXP") == "c2p") { panel.setLogScale(true); volatile double sink = 0;
    measure("c2p_log_20k", 10, [&] { for (int i = 0; i < 20000; ++i) sink = sink + plot.yAxis->coordToPixel(0.001 + i * 1e-4); });
    panel.setLogScale(false);
    measure("c2p_lin_20k", 10, [&] { for (int i = 0; i < 20000; ++i) sink = sink + plot.yAxis->coordToPixel(0.001 + i * 1e-4); });
    return 0; }
  if (qgetenv("EXP") == "logonly") { panel.setLogScale(true); replots("log"); return 0; }
  replots("replot_6x100k_normal");
  snapshot("replot-normal");
  panel.setStyle(FigureStyle::presentation());
  replots("replot_6x100k_presentation");
  snapshot("replot-presentation");
  panel.setStyle({});
  panel.setLogScale(true);
  replots("replot_6x100k_log");
  snapshot("replot-log");
  panel.setLogScale(false);
  panel.setSmoothing(0.9);
  replots("replot_6x100k_smoothed");
  panel.setLogScale(true);
  replots("replot_6x100k_log_smoothed");
  snapshot("replot-log-smoothed");
  panel.setLogScale(false);
  panel.setSmoothing(0);

  // A training chunk's worth of new steps: refresh() appends them (smoothing on, as users
  // like it), then the throttled replot fits the axes to the data and draws.
  panel.setSmoothing(0.6);
  QApplication::processEvents();
  measure("refresh_append_6x100", repetitions, [&] { panel.refresh(); },
          [&] { session.add(kStepsPerChunk); });
  measure("fit_axes_6x100k", repetitions, [&] { panel.fitAll(); });
  return 0;
}
