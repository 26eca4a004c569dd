#include "app/figure_writing.h"

#include "app/qt_start.h"
#include "ui/figure_renderer.h"

#include <QApplication>

#include <iostream>
#include <memory>

namespace genlab::app {

void writeFigures(const ui::FigureData& data, const std::filesystem::path& out,
                  const std::vector<std::string>& formats, const FigureOptions& figure) {
  // QCustomPlot draws with widgets, so a QApplication is needed; without a display it uses
  // Qt's offscreen platform.
  std::unique_ptr<QApplication> application;
  static int argc = 1;
  static char name[] = "genlab";
  static char* argv[] = {name, nullptr};
  if (QApplication::instance() == nullptr) {
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
      qputenv("QT_QPA_PLATFORM", "offscreen");
    application = startApplication(argc, argv);
  }
  for (const ui::Figure which : ui::figuresFor(data))
    for (const auto& format : formats) {
      const QString path = QString::fromStdString((out / "").string()) + ui::figureName(which) +
                           "." + QString::fromStdString(format);
      ui::exportFigure(data, which, path, QString::fromStdString(format), QSize(figure.width, figure.height),
                       figure.scale, {}, {QString::fromStdString(figure.title), QString::fromStdString(figure.caption)});
      std::cout << "figure: " << path.toStdString() << '\n';
    }
}

} // namespace genlab::app
