#include "app/qt_start.h"

namespace genlab::app {

namespace {

QtMessageHandler previousHandler = nullptr;

void withoutRuntimeDirWarning(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  if (type == QtWarningMsg && message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR not set"))) return;
  if (previousHandler != nullptr) previousHandler(type, context, message);
}

} // namespace

std::unique_ptr<QApplication> startApplication(int& argc, char** argv) {
  previousHandler = qInstallMessageHandler(withoutRuntimeDirWarning);
  auto application = std::make_unique<QApplication>(argc, argv);
  qInstallMessageHandler(previousHandler);
  return application;
}

} // namespace genlab::app
