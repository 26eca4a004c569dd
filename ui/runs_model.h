#pragma once
/// The runs panel's model: session folders, newest first, each with its runs: setting,
/// network, status, epochs, accuracies, the epoch it fitted, and what is wrong where something
/// is. A check box per run decides whether its curves are drawn.

#include "core/results/run_record.h"

#include <QAbstractItemModel>
#include <QSortFilterProxyModel>

#include <memory>
#include <set>
#include <vector>

namespace genlab::ui {

class RunsModel : public QAbstractItemModel {
  Q_OBJECT

public:
  enum Column { Name, Model, Status, Epochs, TrainAccuracy, TestAccuracy, Fitted, Note, ColumnCount };
  /// Sorting role: numbers as numbers, sessions by name.
  static constexpr int kSortRole = Qt::UserRole + 1;
  /// The session folder of any row.
  static constexpr int kFolderRole = Qt::UserRole + 2;

  explicit RunsModel(QObject* parent = nullptr);

  /// Adds or replaces a session (keeps its check marks). `checked`: the runs of a session seen
  /// for the first time start checked.
  void updateSession(std::shared_ptr<const results::SessionRecord> record, bool checked);
  void removeSession(const QString& folder);
  /// The session the window trains now: marked "(this session)"; its check marks govern the
  /// live curves.
  void setCurrentSession(const QString& folder);
  QString currentSession() const { return current_; }

  /// Checks or unchecks every run of a session (or one run: run >= 0).
  void setChecked(const QString& folder, bool on, int run = -1);
  /// The checked runs, by session, in the model's order.
  struct Checked {
    std::shared_ptr<const results::SessionRecord> record;
    std::vector<int> runs;
  };
  std::vector<Checked> checked() const;
  bool isChecked(const QString& folder, int run) const;
  /// Whether any run of the session is checked.
  bool hasChecked(const QString& folder) const;
  std::shared_ptr<const results::SessionRecord> session(const QString& folder) const;
  int sessionCount() const { return static_cast<int>(sessions_.size()); }

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role) override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  /// The session and run (-1 for a session row) of a source index.
  std::pair<const results::SessionRecord*, const results::RunRecord*> recordsOf(const QModelIndex& index) const;

Q_SIGNALS:
  /// Check marks changed (by the user or setChecked).
  void checkedChanged();

private:
  struct Item {
    QString folder;
    std::shared_ptr<const results::SessionRecord> record;
    std::set<int> checked;
    bool checkNewRuns = false;  ///< runs that appear later (a session still starting) get checked
  };
  int rowOf(const QString& folder) const;
  QVariant sessionData(const Item& item, int column, int role) const;
  QVariant runData(const Item& item, const results::RunRecord& run, int column, int role) const;

  std::vector<Item> sessions_;  ///< newest first (by folder name)
  QString current_;
};

/// The text filter: keeps runs that results::runMatches, and the sessions that hold them (a
/// session without runs by its name and problems).
class RunsFilter : public QSortFilterProxyModel {
  Q_OBJECT

public:
  explicit RunsFilter(QObject* parent = nullptr);
  void setText(const QString& text);

protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
  /// Sessions sort by the column clicked; a session's runs by the column too, except by name,
  /// where they keep their order (run 0 first) whichever way the sessions go.
  bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
  std::string text_;
};

} // namespace genlab::ui
