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
};

/// The Open Recent menu: at most kMax files, newest first; choosing one emits chosen(path).
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
