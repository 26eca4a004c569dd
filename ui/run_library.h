#pragma once
/// The session folders under the roots the user opened, read on a thread of their own and
/// followed while other processes write them: a file-system watcher says when a file changes,
/// and a poll every second covers file systems that do not say (network shares). Each folder
/// is read incrementally (core/results/session_reader.h); the GUI thread gets finished copies.

#include "core/results/run_record.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>

#include <map>
#include <memory>

namespace genlab::ui {

/// `folder` as an absolute path without "." or "..": the key a root is known by.
QString normalizedFolder(const QString& folder);

class RunScanner;

class RunLibrary : public QObject {
  Q_OBJECT

public:
  explicit RunLibrary(QObject* parent = nullptr);
  /// Stops the reading thread (a read in progress ends first).
  ~RunLibrary() override;

  /// Reads every session folder under `folder` (any depth) and watches it for new ones.
  /// Sessions arrive newest first (their names start with the date and time).
  void addRoot(const QString& folder);
  /// Forgets the root's sessions (nothing on disk changes).
  void removeRoot(const QString& folder);
  QStringList roots() const { return roots_; }
  /// Forgets one session folder (after it was moved to the trash).
  void forget(const QString& folder);
  /// Whether `folder`'s curves are read (and followed while it grows); its summary always is.
  void setCurves(const QString& folder, bool on);
  /// Looks at every root and open session again now.
  void rescan();
  /// How often open sessions are polled, in ms (default 1000), and roots rescanned (5x that).
  void setPollInterval(int milliseconds);

  /// The latest record of each session folder, by folder path.
  const std::map<QString, std::shared_ptr<const results::SessionRecord>>& sessions() const { return sessions_; }
  /// The root a session folder was found under.
  QString rootOf(const QString& folder) const;
  /// Blocks until the reading thread has handled every request made so far and delivered what
  /// it read (for tests and benchmarks; the window never waits).
  void waitUntilIdle();

Q_SIGNALS:
  /// A session's record is new or changed: sessions().at(folder) holds it.
  void sessionUpdated(const QString& folder);
  void sessionRemoved(const QString& folder);
  /// What kept a root from being read in full (a missing folder, one without results, a
  /// subfolder that cannot be listed); empty when nothing is wrong.
  void rootProblems(const QString& root, const QStringList& problems);

private:
  friend class RunScanner;
  void deliver(std::shared_ptr<const results::SessionRecord> record, const QString& root);
  void deliverRemoved(const QString& folder);

  QThread thread_;
  RunScanner* scanner_ = nullptr;
  QStringList roots_;
  std::map<QString, std::shared_ptr<const results::SessionRecord>> sessions_;
  std::map<QString, QString> rootOf_;
};

} // namespace genlab::ui
