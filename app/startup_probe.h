#pragma once
/// Measuring start-up: the time from starting a program to its window's first paint.

#include <QCoreApplication>
#include <QEvent>
#include <QObject>
#include <QTimer>

#include <cstdio>

namespace genlab::app {

/// Installed as an event filter on a top-level window: once the window has painted itself,
/// prints "window shown" on standard output and quits the application. genlab installs it when
/// GENLAB_STARTUP_PROBE is set; bench/bench_bare_window.cpp, the reference, always does.
/// bench/measure_process.py times the line. Header-only, so that the reference program
/// needs nothing but Qt Widgets.
class StartupProbe : public QObject {
public:
  using QObject::QObject;

protected:
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (event->type() == QEvent::Paint && !reported_) {
      reported_ = true;
      // After this paint event has been handled: the frame is drawn.
      QTimer::singleShot(0, QCoreApplication::instance(), [] {
        std::puts("window shown");
        std::fflush(stdout);
        QCoreApplication::quit();
      });
    }
    return QObject::eventFilter(watched, event);
  }

private:
  bool reported_ = false;
};

} // namespace genlab::app
