#include "app/window_run.h"

#include "app/exit_codes.h"
#include "app/qt_start.h"
#include "app/startup_probe.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QIcon>
#include <QTimer>

#include <xcb/xcb.h>

namespace genlab::app {

bool displayAvailable() {
  if (!qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) return true;
  if (qEnvironmentVariableIsEmpty("DISPLAY")) return false;
  // Qt aborts when the X server named by DISPLAY cannot be reached (a stale DISPLAY over ssh,
  // a stopped Xvfb); asking first lets genlab fall back to the terminal instead.
  xcb_connection_t* connection = xcb_connect(nullptr, nullptr);
  const bool reachable = xcb_connection_has_error(connection) == 0;
  xcb_disconnect(connection);
  return reachable;
}

int runWindow(int argc, char** argv, const Options& options) {
  const std::unique_ptr<QApplication> application = startApplication(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("GenLab"));
  QApplication::setApplicationName(QStringLiteral("genlab"));
  QApplication::setApplicationDisplayName(QStringLiteral("GenLab"));
  QApplication::setApplicationVersion(QStringLiteral(GENLAB_VERSION));
  // Ties the window to the installed .desktop file (taskbar icon and name on Wayland).
  QGuiApplication::setDesktopFileName(QStringLiteral(GENLAB_APP_ID));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/genlab/genlab.svg")));

  ui::WindowOptions windowOptions;
  windowOptions.resultsRoot = QString::fromStdString(options.out);
  for (const auto& format : options.figureFormats) windowOptions.exportFormats << QString::fromStdString(format);
  windowOptions.exportSize = QSize(options.figure.width, options.figure.height);
  windowOptions.exportScale = options.figure.scale;
  windowOptions.exportText = {QString::fromStdString(options.figure.title), QString::fromStdString(options.figure.caption)};
  for (const auto& folder : options.openFolders) windowOptions.openFolders << QString::fromStdString(folder);
  ui::MainWindow window(windowOptions);
  // What the command line named; else the last experiment; at the very first start, the
  // default preset (Figure 1a), as the terminal would train.
  if (options.experimentNamed || !window.restoredExperiment())
    window.setSpec(options.spec, QString::fromStdString(options.windowTitle));
  StartupProbe probe;
  if (qEnvironmentVariableIsSet("GENLAB_STARTUP_PROBE")) window.installEventFilter(&probe);
  window.show();
  if (options.presentation) window.setPresentationMode(true);
  if (options.startNow) QTimer::singleShot(0, &window, [&window] { window.start(); });
  return QApplication::exec() == 0 ? kExitSuccess : kExitRuntimeFailure;
}

} // namespace genlab::app
