#pragma once
/// The runs panel (a dock beside the plots): every session folder under the roots the user
/// added, as a tree of sessions and runs with a text filter; check boxes choose the runs whose
/// curves the plots draw. Removing a root or unchecking a run never changes anything on disk;
/// "Move to Trash" (asked first) is the one action that does.

#include <QWidget>

class QLineEdit;
class QTreeView;

namespace genlab::ui {

class RunsFilter;
class RunsModel;

class RunsPanel : public QWidget {
  Q_OBJECT

public:
  explicit RunsPanel(RunsModel* model, QWidget* parent = nullptr);

  QLineEdit* filter() const { return filter_; }
  QTreeView* view() const { return view_; }
  RunsFilter* proxy() const { return proxy_; }
  /// The session folders of the selected rows.
  QStringList selectedFolders() const;
  QSize sizeHint() const override { return {480, 400}; }

Q_SIGNALS:
  void openRunsRequested();
  /// The user asked to move these session folders to the trash (and confirmed).
  void trashRequested(const QStringList& folders);
  /// The user asked to stop showing the root these folders were found under.
  void removeRootRequested(const QString& folder);
  /// The user asked to continue this session (stopped, interrupted, failed or incomplete).
  void resumeRequested(const QString& folder);

private:
  void showMenu(const QPoint& position);

  RunsModel* model_;
  RunsFilter* proxy_;
  QLineEdit* filter_;
  QTreeView* view_;
};

} // namespace genlab::ui
