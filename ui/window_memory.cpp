#include "ui/window_memory.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace genlab::ui {

namespace {

const QString kGeometry = QStringLiteral("window/geometry");
const QString kState = QStringLiteral("window/state");
const QString kSplitter = QStringLiteral("window/splitter");
const QString kSmoothing = QStringLiteral("view/smoothing");
const QString kLogScale = QStringLiteral("view/logScale");
const QString kRecent = QStringLiteral("files/recent");
const QString kLastFolder = QStringLiteral("files/lastFolder");
const QString kLastExperiment = QStringLiteral("experiment/last");
const QString kRunRoots = QStringLiteral("runs/roots");
const QString kSpeeds = QStringLiteral("speeds");  // one key per train::speedKey, hex

} // namespace

WindowMemory WindowMemory::load() {
  QSettings settings;
  WindowMemory memory;
  memory.geometry = settings.value(kGeometry).toByteArray();
  memory.state = settings.value(kState).toByteArray();
  memory.splitter = settings.value(kSplitter).toByteArray();
  memory.smoothing = settings.value(kSmoothing, 0).toInt();
  memory.logScale = settings.value(kLogScale, false).toBool();
  memory.recent = settings.value(kRecent).toStringList();
  memory.lastFolder = settings.value(kLastFolder).toString();
  memory.lastExperiment = settings.value(kLastExperiment).toString();
  memory.runRoots = settings.value(kRunRoots).toStringList();
  return memory;
}

void WindowMemory::save() const {
  QSettings settings;
  settings.setValue(kGeometry, geometry);
  settings.setValue(kState, state);
  settings.setValue(kSplitter, splitter);
  settings.setValue(kSmoothing, smoothing);
  settings.setValue(kLogScale, logScale);
  settings.setValue(kRecent, recent);
  settings.setValue(kLastFolder, lastFolder);
  settings.setValue(kLastExperiment, lastExperiment);
  settings.setValue(kRunRoots, runRoots);
}

QString experimentFileTitle(const QString& path) {
  const QFileInfo file(path);
  if (file.fileName() == QLatin1String("spec.json") && !file.absoluteDir().dirName().isEmpty())
    return file.absoluteDir().dirName();
  return file.completeBaseName();
}

double WindowMemory::speed(const QString& key) {
  return QSettings().value(kSpeeds + QLatin1Char('/') + QString::fromLatin1(key.toUtf8().toHex()), 0.0).toDouble();
}

void WindowMemory::rememberSpeed(const QString& key, double imagesPerSecond) {
  QSettings().setValue(kSpeeds + QLatin1Char('/') + QString::fromLatin1(key.toUtf8().toHex()), imagesPerSecond);
}

RecentFiles::RecentFiles(QMenu* menu, QObject* parent) : QObject(parent), menu_(menu) { rebuild(); }

void RecentFiles::set(const QStringList& paths) {
  paths_ = paths.mid(0, kMax);
  rebuild();
}

void RecentFiles::add(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  paths_.removeAll(absolute);
  paths_.prepend(absolute);
  while (paths_.size() > kMax) paths_.removeLast();
  rebuild();
}

void RecentFiles::rebuild() {
  menu_->clear();
  for (const QString& path : paths_) {
    QAction* item = menu_->addAction(experimentFileTitle(path));
    item->setToolTip(path);
    connect(item, &QAction::triggered, this, [this, path] { Q_EMIT chosen(path); });
  }
  menu_->setEnabled(!paths_.isEmpty());
}

} // namespace genlab::ui
