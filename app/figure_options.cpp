#include "app/figure_options.h"

#include "app/options.h"
#include "ui/figure_renderer.h"

#include <QApplication>

#include <iostream>
#include <memory>
#include <sstream>

namespace genlab::app {

namespace po = boost::program_options;

void addFigureOptions(po::options_description& options) {
  options.add_options()
      ("size", po::value<std::string>(), "figure size WxH in pixels (default 1280x720)")
      ("scale", po::value<double>(), "figure scale factor for PNG and JPG (default 1; 2 for sharp images)");
}

FigureSize figureSize(const po::variables_map& values) {
  FigureSize size;
  if (values.count("size")) {
    const std::string text = values["size"].as<std::string>();
    int width = 0, height = 0;
    char x = 0, extra = 0;
    std::istringstream in(text);
    if (!(in >> width >> x >> height) || x != 'x' || (in >> extra) || width < 16 ||
        height < 16 || width > 10000 || height > 10000)
      throw UsageError("--size: '" + text + "' is not WxH with each side in [16, 10000]");
    size.width = width;
    size.height = height;
  }
  if (values.count("scale")) {
    const double scale = values["scale"].as<double>();
    if (!(scale >= 0.25 && scale <= 8))
      throw UsageError("--scale: " + std::to_string(scale) + " is outside [0.25, 8]");
    size.scale = scale;
  }
  return size;
}

void writeFigures(const ui::FigureData& data, const std::filesystem::path& out,
                  const std::vector<std::string>& formats, const FigureSize& size) {
  // QCustomPlot draws with widgets, so a QApplication is needed; without a display it uses
  // Qt's offscreen platform.
  std::unique_ptr<QApplication> application;
  static int argc = 1;
  static char name[] = "genlab";
  static char* argv[] = {name, nullptr};
  if (QApplication::instance() == nullptr) {
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
      qputenv("QT_QPA_PLATFORM", "offscreen");
    application = std::make_unique<QApplication>(argc, argv);
  }
  for (const ui::Figure figure : ui::figuresFor(data))
    for (const auto& format : formats) {
      const QString path = QString::fromStdString((out / "").string()) + ui::figureName(figure) +
                           "." + QString::fromStdString(format);
      ui::exportFigure(data, figure, path, QString::fromStdString(format),
                       QSize(size.width, size.height), size.scale);
      std::cout << "figure: " << path.toStdString() << '\n';
    }
}

} // namespace genlab::app
