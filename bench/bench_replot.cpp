// Times the window's live loss plot (ui/plot_panel.h) at the size of a long session: 6 curves of
// 100,000 steps each, a noisy decaying training loss like Figure 1a's. Measures a full
// QCustomPlot::replot() at the window's typical plot size, in the normal and the presentation
// style, and what a refresh() costs when a training chunk adds 100 steps to each curve.
// Prints one tab-separated line per measurement: name, median seconds, min, max, repetitions.
//
//   genlab_bench_replot [repetitions] [--snapshots DIR]
//
// With --snapshots it also writes what it measured as PNGs into DIR, and the same session
// exported in every format and style (to look at).

#include "ui/plot_panel.h"
#include "ui/qcustomplot_include.h"

#include <QApplication>
#include <QDir>
#include <QEventLoop>
#include <QMouseEvent>
#include <QPainter>
#include <QSvgRenderer>
#include <QTimer>

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
/// random labels slowest, with log-normal per-batch noise; accuracies per epoch of 400 steps.
class FakeSession {
public:
  FakeSession() {
    static const char* names[kRuns] = {"true labels",   "random labels", "shuffled pixels",
                                       "random pixels", "Gaussian",      "labels 0.5"};
    for (int run = 0; run < kRuns; ++run) {
      const genlab::ui::Curve empty{run, names[run], {}, {}, false};
      data_.loss.push_back(empty);
      data_.trainAccuracy.push_back(empty);
      data_.testAccuracy.push_back(empty);
    }
  }

  void add(int steps) {
    static const double testAccuracy[kRuns] = {0.88, 0.1, 0.52, 0.1, 0.1, 0.62};
    for (auto& curve : data_.loss) {
      for (int s = 0; s < steps; ++s) {
        const double step = static_cast<double>(curve.x.size() + 1);
        const double mean = 2.3 * std::exp(-step / halfLife(curve.run)) + 0.002;
        curve.x.push_back(step);
        curve.y.push_back(mean * std::exp(0.3 * noise_(generator_)));  // log-normal batch noise
        if (static_cast<int>(step) % kStepsPerEpoch == 0) {
          const auto run = static_cast<size_t>(curve.run);
          const double epoch = step / kStepsPerEpoch;
          const double fit = 1 - std::exp(-step / halfLife(curve.run));
          data_.trainAccuracy[run].x.push_back(epoch);
          data_.trainAccuracy[run].y.push_back(0.1 + 0.9 * fit);
          data_.testAccuracy[run].x.push_back(epoch);
          data_.testAccuracy[run].y.push_back(0.1 + (testAccuracy[run] - 0.1) * fit);
        }
      }
    }
  }

  /// Run `run` ended early (as FigureRecorder marks it); a sweep's results for 1b and 1c.
  void finish(int run, const char* status) {
    for (auto* figure : {&data_.loss, &data_.trainAccuracy, &data_.testAccuracy}) {
      (*figure)[size_t(run)].name += QStringLiteral(" (%1)").arg(status);
      (*figure)[size_t(run)].endedEarly = true;
    }
    data_.sweep = {{0, QStringLiteral("MLP 1x512"),
                    {{0.0, 1.0, 0.12}, {0.2, 1.4, 0.3}, {0.4, 1.9, 0.47},
                     {0.6, 2.6, 0.63}, {0.8, 3.1, 0.8}, {1.0, 3.5, 0.9}}}};
  }

  const genlab::ui::FigureData& data() const { return data_; }

private:
  static constexpr int kStepsPerEpoch = 400;
  static double halfLife(int run) {
    static const double steps[kRuns] = {4000, 30000, 6000, 12000, 9000, 20000};
    return steps[run];
  }
  genlab::ui::FigureData data_;
  std::mt19937 generator_{20170101};
  std::normal_distribution<double> noise_;
};

/// The session exported as the window and the command line export it, to look at.
void writeSnapshots(const genlab::ui::FigureData& data, const QDir& folder) {
  using namespace genlab::ui;
  const QSize size(900, 500);
  exportFigure(data, Figure::Loss, folder.filePath("export-loss.png"), "png", size, 1);
  exportFigure(data, Figure::Accuracy, folder.filePath("export-accuracy.png"), "png", size, 1);
  exportFigure(data, Figure::Loss, folder.filePath("export-loss-presentation.png"), "png", size,
               1, FigureStyle::presentation());
  exportFigure(data, Figure::Loss, folder.filePath("export-loss-x2.jpg"), "jpg", size, 2);
  const std::vector<Figure> all = figuresFor(data);
  exportFigures(data, all, folder.filePath("export-grid.png"), "png", QSize(1600, 900), 1);
  exportFigures(data, all, folder.filePath("export-grid.pdf"), "pdf", QSize(1600, 900), 1);
  exportFigures(data, {Figure::Loss, Figure::Accuracy}, folder.filePath("export-slide.png"),
                "png", QSize(1280, 720), 1, FigureStyle::presentation());
  const QString svg = folder.filePath("export-grid.svg");
  exportFigures(data, all, svg, "svg", QSize(1600, 900), 1);
  QSvgRenderer renderer(svg);
  QImage image(renderer.defaultSize(), QImage::Format_RGB32);
  image.fill(Qt::white);
  QPainter painter(&image);
  renderer.render(&painter);
  painter.end();
  image.save(folder.filePath("export-grid-svg.png"));
}

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
  // Zoomed in to 500 steps: fewer points than pixel columns (bands of quarter-pixel columns).
  plot.xAxis->setRange(50'000, 50'500);
  replots("replot_6x100k_zoomed_500_steps");
  snapshot("replot-zoomed");
  panel.fitAll();

  // A training chunk's worth of new steps: refresh() appends them (smoothing on, as users
  // like it), then the throttled replot fits the axes to the data and draws.
  panel.setSmoothing(0.6);
  QApplication::processEvents();
  measure("refresh_append_6x100", repetitions, [&] { panel.refresh(); },
          [&] { session.add(kStepsPerChunk); });
  measure("fit_axes_6x100k", repetitions, [&] { panel.fitAll(); });
  if (!snapshots.isEmpty()) {
    session.finish(4, "diverged");
    panel.refresh();
    // The crosshair, as the mouse leaves it in the middle of the plot.
    const QPointF middle = plot.axisRect()->rect().center();
    QMouseEvent move(QEvent::MouseMove, middle, plot.mapToGlobal(middle), Qt::NoButton,
                     Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(&plot, &move);
    QEventLoop wait;  // the throttled replot
    QTimer::singleShot(100, &wait, &QEventLoop::quit);
    wait.exec();
    snapshot("panel-crosshair");
    writeSnapshots(session.data(), QDir(snapshots));
  }
  return 0;
}
