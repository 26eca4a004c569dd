// The reference for genlab's start-up time: a bare Qt Widgets program that shows an empty
// main window of the lab's size and, like genlab with GENLAB_STARTUP_PROBE set, prints
// "window shown" once the window has painted itself, then quits. What genlab takes beyond it
// is the cost of LibTorch, QCustomPlot and the lab's own window.

#include <QApplication>
#include <QEvent>
#include <QMainWindow>
#include <QTimer>

#include <cstdio>

namespace {

class FirstPaint : public QObject {
protected:
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (event->type() == QEvent::Paint && !reported_) {
      reported_ = true;
      QTimer::singleShot(0, qApp, [] {
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

} // namespace

int main(int argc, char** argv) {
  QApplication application(argc, argv);
  QMainWindow window;
  window.resize(1440, 900);  // the size genlab opens at
  FirstPaint probe;
  window.installEventFilter(&probe);
  window.show();
  return application.exec();
}
