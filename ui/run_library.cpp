#include "ui/run_library.h"

#include "core/results/layout.h"
#include "core/results/session_reader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QSemaphore>
#include <QTimer>

#include <algorithm>
#include <set>

namespace genlab::ui {

/// Lives on the library's thread: owns the readers, the watcher and the poll timers, and sends
/// copies of what changed to the library on the GUI thread.
class RunScanner : public QObject {
public:
  explicit RunScanner(RunLibrary* library) : library_(library) {}

  /// Called on the scanner's thread once it runs there.
  void begin() {
    watcher_ = new QFileSystemWatcher(this);
    connect(watcher_, &QFileSystemWatcher::fileChanged, this, [this](const QString& path) { touched(path); });
    connect(watcher_, &QFileSystemWatcher::directoryChanged, this, [this](const QString& path) { touched(path); });
    settle_ = new QTimer(this);
    settle_->setSingleShot(true);
    settle_->setInterval(50);  // coalesces a burst of notifications (a rename is several)
    connect(settle_, &QTimer::timeout, this, &RunScanner::handleTouched);
    poll_ = new QTimer(this);
    connect(poll_, &QTimer::timeout, this, &RunScanner::poll);
    setPollInterval(1000);
  }

  void setPollInterval(int milliseconds) {
    poll_->start(std::max(10, milliseconds));
    rescanEvery_ = 5;
  }

  void addRoot(const QString& root) {
    if (std::find(roots_.begin(), roots_.end(), root) == roots_.end()) roots_.push_back(root);
    scanRoot(root);
  }

  void removeRoot(const QString& root) {
    std::erase(roots_, root);
    std::vector<QString> gone;
    for (const auto& [folder, reader] : readers_)
      if (rootOf_[folder] == root && !underAnotherRoot(folder)) gone.push_back(folder);
    for (const QString& folder : gone) forget(folder);
    const QStringList watched = watcher_->directories();
    for (const QString& path : watched)
      if (path == root || path.startsWith(root + QLatin1Char('/'))) watcher_->removePath(path);
  }

  void forget(const QString& folder) {
    readers_.erase(folder);
    rootOf_.erase(folder);
    for (const QString& path : {folder, folder + QLatin1Char('/') + QString::fromLatin1(results::kMetricsFile)})
      watcher_->removePath(path);
    QMetaObject::invokeMethod(library_, [library = library_, folder] { library->deliverRemoved(folder); });
  }

  void setCurves(const QString& folder, bool on) {
    if (on) wanted_.insert(folder);
    else wanted_.erase(folder);
    const auto found = readers_.find(folder);
    if (found == readers_.end() || found->second->curves() == on) return;
    found->second->setCurves(on);
    refresh(folder, true);
  }

  void rescan() {
    for (const QString& root : roots_) scanRoot(root);
    for (auto& [folder, reader] : readers_) refresh(folder, false);
  }

private:
  bool underAnotherRoot(const QString& folder) const {
    return std::any_of(roots_.begin(), roots_.end(), [&](const QString& root) {
      return folder == root || folder.startsWith(root + QLatin1Char('/'));
    });
  }

  void scanRoot(const QString& root) {
    const results::FoundFolders found = results::findSessionFolders(root.toStdString());
    QStringList problems;
    for (const auto& problem : found.problems) problems << QString::fromStdString(problem);
    if (!QFileInfo(root).isDir()) problems.prepend(QObject::tr("no such folder"));
    else if (found.folders.empty()) problems.prepend(QObject::tr("no GenLab results here yet"));
    QMetaObject::invokeMethod(library_, [library = library_, root, problems] { Q_EMIT library->rootProblems(root, problems); });
    watchTree(root, found);
    // Sessions deleted outside the window leave the panel, and memory.
    std::vector<QString> vanished;
    for (const auto& [folder, reader] : readers_)
      if (rootOf_[folder] == root && !QFileInfo::exists(folder)) vanished.push_back(folder);
    for (const QString& folder : vanished) forget(folder);
    // Newest first: session folders are named by their start.
    for (auto folder = found.folders.rbegin(); folder != found.folders.rend(); ++folder) {
      const QString path = QString::fromStdString(folder->string());
      if (readers_.count(path)) continue;
      readers_[path] = std::make_unique<results::SessionReader>(*folder, wanted_.count(path) > 0);
      rootOf_[path] = root;
      watcher_->addPath(path);
      refresh(path, true);
    }
  }

  /// Watches the root and the folders between it and its sessions, where new sessions appear.
  void watchTree(const QString& root, const results::FoundFolders& found) {
    std::set<QString> folders{root};
    for (const auto& folder : found.folders)
      for (auto parent = folder.parent_path(); parent.string().size() > static_cast<size_t>(root.size()); parent = parent.parent_path())
        folders.insert(QString::fromStdString(parent.string()));
    for (const QString& folder : folders)
      if (QFileInfo(folder).isDir() && !watcher_->directories().contains(folder)) watcher_->addPath(folder);
  }

  void refresh(const QString& folder, bool force) {
    const auto found = readers_.find(folder);
    if (found == readers_.end()) return;
    results::SessionReader& reader = *found->second;
    const bool changed = reader.refresh();
    // A growing table is watched as a file; the folder itself tells of renames (summary.json).
    const QString metrics = folder + QLatin1Char('/') + QString::fromLatin1(results::kMetricsFile);
    if (reader.open() && reader.curves() && !watcher_->files().contains(metrics) && QFileInfo::exists(metrics))
      watcher_->addPath(metrics);
    if (!reader.open() && watcher_->files().contains(metrics)) watcher_->removePath(metrics);
    if (!changed && !force) return;
    auto copy = std::make_shared<const results::SessionRecord>(reader.record());
    const QString root = rootOf_[folder];
    QMetaObject::invokeMethod(library_, [library = library_, copy, root] { library->deliver(copy, root); });
  }

  void touched(const QString& path) {
    touched_.insert(path);
    if (!settle_->isActive()) settle_->start();
  }

  void handleTouched() {
    std::set<QString> paths;
    std::swap(paths, touched_);
    std::set<QString> roots;
    for (const QString& path : paths) {
      QString folder = path;
      if (!readers_.count(folder)) folder = QFileInfo(path).absolutePath();
      if (readers_.count(folder)) {
        refresh(folder, false);
        continue;
      }
      // A root or a folder on the way to sessions: a session may have appeared (or gone).
      for (const QString& root : roots_)
        if (path == root || path.startsWith(root + QLatin1Char('/'))) roots.insert(root);
    }
    for (const QString& root : roots) scanRoot(root);
  }

  void poll() {
    // Network file systems do not notify: open sessions are read again (a stat when nothing
    // changed), and now and then the roots are searched for new sessions.
    std::vector<QString> open;
    for (const auto& [folder, reader] : readers_)
      if (reader->open()) open.push_back(folder);
    for (const QString& folder : open) refresh(folder, false);
    if (++polls_ % rescanEvery_ == 0)
      for (const QString& root : roots_) scanRoot(root);
  }

  RunLibrary* library_;
  QFileSystemWatcher* watcher_ = nullptr;
  QTimer* settle_ = nullptr;
  QTimer* poll_ = nullptr;
  int polls_ = 0;
  int rescanEvery_ = 5;
  std::vector<QString> roots_;
  std::map<QString, std::unique_ptr<results::SessionReader>> readers_;
  std::map<QString, QString> rootOf_;
  std::set<QString> wanted_;
  std::set<QString> touched_;
};

QString normalizedFolder(const QString& folder) { return QDir::cleanPath(QFileInfo(folder).absoluteFilePath()); }

RunLibrary::RunLibrary(QObject* parent) : QObject(parent), scanner_(new RunScanner(this)) {
  scanner_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, scanner_, &QObject::deleteLater);
  thread_.setObjectName(QStringLiteral("genlab runs"));
  thread_.start(QThread::LowPriority);
  QMetaObject::invokeMethod(scanner_, [scanner = scanner_] { scanner->begin(); });
}

RunLibrary::~RunLibrary() {
  thread_.quit();
  thread_.wait();
}

void RunLibrary::addRoot(const QString& folder) {
  const QString root = normalizedFolder(folder);
  if (!roots_.contains(root)) roots_ << root;
  QMetaObject::invokeMethod(scanner_, [scanner = scanner_, root] { scanner->addRoot(root); });
}

void RunLibrary::removeRoot(const QString& folder) {
  const QString root = normalizedFolder(folder);
  roots_.removeAll(root);
  QMetaObject::invokeMethod(scanner_, [scanner = scanner_, root] { scanner->removeRoot(root); });
}

void RunLibrary::forget(const QString& folder) {
  QMetaObject::invokeMethod(scanner_, [scanner = scanner_, folder] { scanner->forget(folder); });
}

void RunLibrary::setCurves(const QString& folder, bool on) {
  QMetaObject::invokeMethod(scanner_, [scanner = scanner_, folder, on] { scanner->setCurves(folder, on); });
}

void RunLibrary::rescan() {
  QMetaObject::invokeMethod(scanner_, [scanner = scanner_] { scanner->rescan(); });
}

void RunLibrary::setPollInterval(int milliseconds) {
  QMetaObject::invokeMethod(scanner_, [scanner = scanner_, milliseconds] { scanner->setPollInterval(milliseconds); });
}

QString RunLibrary::rootOf(const QString& folder) const {
  const auto found = rootOf_.find(folder);
  return found == rootOf_.end() ? QString() : found->second;
}

void RunLibrary::waitUntilIdle() {
  // A request queued behind everything asked so far; its answer comes behind everything read.
  QSemaphore done;
  QMetaObject::invokeMethod(scanner_, [&done] { done.release(); });
  done.acquire();
  QCoreApplication::sendPostedEvents(this);
}

void RunLibrary::deliver(std::shared_ptr<const results::SessionRecord> record, const QString& root) {
  const QString folder = QString::fromStdString(record->folder.string());
  sessions_[folder] = std::move(record);
  rootOf_[folder] = root;
  Q_EMIT sessionUpdated(folder);
}

void RunLibrary::deliverRemoved(const QString& folder) {
  if (sessions_.erase(folder) == 0) return;
  rootOf_.erase(folder);
  Q_EMIT sessionRemoved(folder);
}

} // namespace genlab::ui
