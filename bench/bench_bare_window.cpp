// The reference for genlab's start-up time: a bare Qt Widgets program that shows an empty
// main window of the lab's size and, like genlab with GENLAB_STARTUP_PROBE set, prints
// "window shown" once the window has painted itself (app/startup_probe.h), then quits. What
// genlab takes beyond it is the cost of LibTorch, QCustomPlot and the lab's own window.

#include "app/startup_probe.h"

#include <QApplication>
#include <QMainWindow>

int main(int argc, char** argv) {
  QApplication application(argc, argv);
  QMainWindow window;
  window.resize(1440, 900);  // the size genlab opens at
  genlab::app::StartupProbe probe;
  window.installEventFilter(&probe);
  window.show();
  return application.exec();
}
