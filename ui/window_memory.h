#pragma once
/// What the window remembers between starts, with every QSettings key in one place; and the
/// Open Recent menu it keeps.

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>

class QMenu;

namespace genlab::ui {

struct WindowMemory {
  QByteArray geometry;
  QByteArray state;
  QByteArray splitter;
  int smoothing = 0;        ///< the slider's value, 0..99
  bool logScale = false;
  QStringList recent;       ///< experiment files, newest first
  QString lastFolder;       ///< where file dialogs open
  QString lastExperiment;   ///< the form's experiment as JSON
  QStringList runRoots;     ///< folders the user added to the runs panel

  static WindowMemory load();
  void save() const;

  /// A training speed measured on this machine (train::speedKey), images per second; 0 when
  /// none is remembered.
  static double speed(const QString& key);
  static void rememberSpeed(const QString& key, double imagesPerSecond);
};

/// What an experiment file is called in titles and menus: its name without ".json", or for a
/// session's spec.json the session's folder ("20261201-101500-figure1a").
QString experimentFileTitle(const QString& path);

/// The Open Recent menu: at most kMax files, newest first, each by its title (the path in its
/// tooltip); choosing one emits chosen(path).
class RecentFiles : public QObject {
  Q_OBJECT

public:
  static constexpr int kMax = 8;
  RecentFiles(QMenu* menu, QObject* parent = nullptr);

  void set(const QStringList& paths);
  void add(const QString& path);
  const QStringList& paths() const { return paths_; }

Q_SIGNALS:
  void chosen(const QString& path);

private:
  void rebuild();
  QMenu* menu_;
  QStringList paths_;
};

} // namespace genlab::ui
