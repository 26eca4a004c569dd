#include "ui/runs_model.h"

#include "core/results/run_table.h"

#include <QBrush>
#include <QColor>
#include <QFont>

#include <algorithm>

namespace genlab::ui {

namespace {

using results::RunRecord;
using results::SessionRecord;

QString percent(const std::optional<double>& value) {
  return value ? QString::number(100.0 * *value, 'f', 1) + QLatin1Char('%') : QString();
}

QString statusText(train::RunStatus status) {
  return QString::fromUtf8(nameOf(train::runStatusNames(), status).data());
}

/// What a session as a whole is doing: being written, ended, or left unfinished.
QString sessionStatus(const SessionRecord& record) {
  if (record.runs.empty()) return record.problems.empty() ? QString() : QObject::tr("unreadable");
  if (record.live) return QObject::tr("running");
  if (std::any_of(record.runs.begin(), record.runs.end(),
                  [](const RunRecord& run) { return run.status == train::RunStatus::Incomplete; }))
    return QObject::tr("incomplete");
  return QObject::tr("ended");
}

} // namespace

RunsModel::RunsModel(QObject* parent) : QAbstractItemModel(parent) {}

int RunsModel::rowOf(const QString& folder) const {
  for (size_t i = 0; i < sessions_.size(); ++i)
    if (sessions_[i].folder == folder) return static_cast<int>(i);
  return -1;
}

void RunsModel::updateSession(std::shared_ptr<const SessionRecord> record, bool checked) {
  const QString folder = QString::fromStdString(record->folder.string());
  const int row = rowOf(folder);
  if (row >= 0) {
    Item& item = sessions_[static_cast<size_t>(row)];
    const int oldRuns = static_cast<int>(item.record->runs.size());
    const int newRuns = static_cast<int>(record->runs.size());
    const QModelIndex parent = index(row, 0);
    if (newRuns > oldRuns) beginInsertRows(parent, oldRuns, newRuns - 1);
    if (newRuns < oldRuns) beginRemoveRows(parent, newRuns, oldRuns - 1);
    item.record = std::move(record);
    if (newRuns > oldRuns) {
      if (item.checkNewRuns)
        for (const RunRecord& run : item.record->runs) item.checked.insert(run.run);
      endInsertRows();
      if (item.checkNewRuns) Q_EMIT checkedChanged();
    }
    if (newRuns < oldRuns) endRemoveRows();
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    if (newRuns > 0) Q_EMIT dataChanged(index(0, 0, parent), index(newRuns - 1, ColumnCount - 1, parent));
    return;
  }
  // Newest first: folder names begin with the date and time.
  const QString name = QString::fromStdString(record->name);
  const auto at = std::find_if(sessions_.begin(), sessions_.end(), [&](const Item& item) {
    return QString::fromStdString(item.record->name) < name;
  });
  const int position = static_cast<int>(at - sessions_.begin());
  beginInsertRows({}, position, position);
  Item item{folder, std::move(record), {}, checked};
  if (checked)
    for (const RunRecord& run : item.record->runs) item.checked.insert(run.run);
  sessions_.insert(sessions_.begin() + position, std::move(item));
  endInsertRows();
  if (checked) Q_EMIT checkedChanged();
}

void RunsModel::removeSession(const QString& folder) {
  const int row = rowOf(folder);
  if (row < 0) return;
  const bool hadChecks = !sessions_[static_cast<size_t>(row)].checked.empty();
  beginRemoveRows({}, row, row);
  sessions_.erase(sessions_.begin() + row);
  endRemoveRows();
  if (hadChecks) Q_EMIT checkedChanged();
}

void RunsModel::setCurrentSession(const QString& folder) {
  const QString previous = current_;
  current_ = folder;
  for (const QString& changed : {previous, folder})
    if (const int row = rowOf(changed); row >= 0) Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void RunsModel::setChecked(const QString& folder, bool on, int run) {
  const int row = rowOf(folder);
  if (row < 0) return;
  Item& item = sessions_[static_cast<size_t>(row)];
  const std::set<int> before = item.checked;
  item.checkNewRuns = on && (run < 0 || item.checkNewRuns);
  if (run >= 0) {
    if (on) item.checked.insert(run);
    else item.checked.erase(run);
  } else {
    item.checked.clear();
    if (on)
      for (const RunRecord& r : item.record->runs) item.checked.insert(r.run);
  }
  if (item.checked == before) return;
  const QModelIndex parent = index(row, 0);
  Q_EMIT dataChanged(parent, parent, {Qt::CheckStateRole});
  const int runs = rowCount(parent);
  if (runs > 0) Q_EMIT dataChanged(index(0, 0, parent), index(runs - 1, 0, parent), {Qt::CheckStateRole});
  Q_EMIT checkedChanged();
}

std::vector<RunsModel::Checked> RunsModel::checked() const {
  std::vector<Checked> out;
  for (const Item& item : sessions_) {
    if (item.checked.empty()) continue;
    Checked entry{item.record, {}};
    for (const RunRecord& run : item.record->runs)
      if (item.checked.count(run.run)) entry.runs.push_back(run.run);
    if (!entry.runs.empty()) out.push_back(std::move(entry));
  }
  return out;
}

bool RunsModel::isChecked(const QString& folder, int run) const {
  const int row = rowOf(folder);
  return row >= 0 && sessions_[static_cast<size_t>(row)].checked.count(run) > 0;
}

bool RunsModel::hasChecked(const QString& folder) const {
  const int row = rowOf(folder);
  return row >= 0 && !sessions_[static_cast<size_t>(row)].checked.empty();
}

std::shared_ptr<const SessionRecord> RunsModel::session(const QString& folder) const {
  const int row = rowOf(folder);
  return row < 0 ? nullptr : sessions_[static_cast<size_t>(row)].record;
}

QModelIndex RunsModel::index(int row, int column, const QModelIndex& parent) const {
  if (row < 0 || column < 0 || column >= ColumnCount) return {};
  if (!parent.isValid()) return row < static_cast<int>(sessions_.size()) ? createIndex(row, column, quintptr(0)) : QModelIndex();
  if (parent.internalId() != 0) return {};
  const Item& item = sessions_[static_cast<size_t>(parent.row())];
  if (row >= static_cast<int>(item.record->runs.size())) return {};
  return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex RunsModel::parent(const QModelIndex& child) const {
  if (!child.isValid() || child.internalId() == 0) return {};
  return createIndex(static_cast<int>(child.internalId() - 1), 0, quintptr(0));
}

int RunsModel::rowCount(const QModelIndex& parent) const {
  if (!parent.isValid()) return static_cast<int>(sessions_.size());
  if (parent.internalId() != 0 || parent.column() != 0) return 0;
  return static_cast<int>(sessions_[static_cast<size_t>(parent.row())].record->runs.size());
}

int RunsModel::columnCount(const QModelIndex&) const { return ColumnCount; }

std::pair<const SessionRecord*, const RunRecord*> RunsModel::recordsOf(const QModelIndex& index) const {
  if (!index.isValid()) return {nullptr, nullptr};
  if (index.internalId() == 0) return {sessions_[static_cast<size_t>(index.row())].record.get(), nullptr};
  const Item& item = sessions_[static_cast<size_t>(index.internalId() - 1)];
  return {item.record.get(), &item.record->runs[static_cast<size_t>(index.row())]};
}

QVariant RunsModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  if (index.internalId() == 0) return sessionData(sessions_[static_cast<size_t>(index.row())], index.column(), role);
  const Item& item = sessions_[static_cast<size_t>(index.internalId() - 1)];
  return runData(item, item.record->runs[static_cast<size_t>(index.row())], index.column(), role);
}

QVariant RunsModel::sessionData(const Item& item, int column, int role) const {
  const SessionRecord& r = *item.record;
  const bool current = item.folder == current_;
  if (role == kFolderRole) return item.folder;
  if (role == Qt::CheckStateRole && column == Name && !r.runs.empty()) {
    if (item.checked.empty()) return Qt::Unchecked;
    return item.checked.size() >= r.runs.size() ? Qt::Checked : Qt::PartiallyChecked;
  }
  if (role == Qt::ToolTipRole) {
    QString tip = item.folder;
    for (const std::string& problem : r.problems) tip += QStringLiteral("\n• ") + QString::fromStdString(problem);
    return tip;
  }
  if (role == Qt::FontRole && current) {
    QFont font;
    font.setBold(true);
    return font;
  }
  if (role == Qt::ForegroundRole && column == Note && !r.problems.empty()) return QBrush(QColor(160, 70, 0));
  if (role != Qt::DisplayRole && role != kSortRole) return {};
  switch (column) {
  case Name:
    return QString::fromStdString(r.name) + (current ? tr(" (this session)") : QString());
  case Model:
    return QString::fromStdString(r.model);
  case Status:
    return sessionStatus(r);
  case Epochs: {
    int64_t most = 0;
    for (const RunRecord& run : r.runs) most = std::max(most, run.epochs);
    return role == kSortRole ? QVariant(qint64(most)) : QVariant(r.runs.empty() ? QString() : QString::number(most));
  }
  case Note:
    return r.problems.empty() ? QString() : QString::fromStdString(r.problems.front());
  default:
    return role == kSortRole ? QVariant() : QVariant(QString());
  }
}

QVariant RunsModel::runData(const Item& item, const RunRecord& run, int column, int role) const {
  if (role == kFolderRole) return item.folder;
  if (role == Qt::CheckStateRole && column == Name) return item.checked.count(run.run) ? Qt::Checked : Qt::Unchecked;
  if (role == Qt::ToolTipRole)
    return QString::fromStdString(run.corruption.empty() ? run.name : run.name + ": " + run.corruption) +
           (run.message.empty() ? QString() : QStringLiteral("\n") + QString::fromStdString(run.message));
  if (role == Qt::ForegroundRole && column == Status &&
      (run.status == train::RunStatus::Incomplete || run.status == train::RunStatus::Diverged ||
       run.status == train::RunStatus::Failed))
    return QBrush(QColor(160, 70, 0));
  const bool sort = role == kSortRole;
  if (role != Qt::DisplayRole && !sort) return {};
  switch (column) {
  case Name:
    return sort ? QVariant(run.run) : QVariant(QString::fromStdString(run.name));
  case Model:
    return QString::fromStdString(item.record->model);
  case Status:
    return statusText(run.status);
  case Epochs:
    return sort ? QVariant(qint64(run.epochs)) : QVariant(QString::number(run.epochs));
  case TrainAccuracy:
    return sort ? QVariant(run.trainAccuracy.value_or(-1)) : QVariant(percent(run.trainAccuracy));
  case TestAccuracy:
    return sort ? QVariant(run.testAccuracy.value_or(-1)) : QVariant(percent(run.testAccuracy));
  case Fitted:
    return sort ? QVariant(qint64(run.fitEpoch.value_or(-1)))
                : QVariant(run.fitEpoch ? QString::number(*run.fitEpoch) : QString());
  case Note:
    return QString::fromStdString(run.message);
  default:
    return {};
  }
}

bool RunsModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (!index.isValid() || role != Qt::CheckStateRole || index.column() != Name) return false;
  const bool on = value.toInt() != Qt::Unchecked;
  if (index.internalId() == 0) {
    setChecked(sessions_[static_cast<size_t>(index.row())].folder, on);
  } else {
    const Item& item = sessions_[static_cast<size_t>(index.internalId() - 1)];
    setChecked(item.folder, on, item.record->runs[static_cast<size_t>(index.row())].run);
  }
  return true;
}

Qt::ItemFlags RunsModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::NoItemFlags;
  Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
  if (index.column() == Name) {
    const bool session = index.internalId() == 0;
    if (!session || !sessions_[static_cast<size_t>(index.row())].record->runs.empty()) flags |= Qt::ItemIsUserCheckable;
  }
  return flags;
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
  case Name: return tr("Session / run");
  case Model: return tr("Network");
  case Status: return tr("Status");
  case Epochs: return tr("Epochs");
  case TrainAccuracy: return tr("Train");
  case TestAccuracy: return tr("Test");
  case Fitted: return tr("Fitted at");
  case Note: return tr("Note");
  default: return {};
  }
}

RunsFilter::RunsFilter(QObject* parent) : QSortFilterProxyModel(parent) {
  setRecursiveFilteringEnabled(true);
  setSortRole(RunsModel::kSortRole);
}

void RunsFilter::setText(const QString& text) {
  text_ = text.trimmed().toStdString();
  invalidateFilter();
}

bool RunsFilter::lessThan(const QModelIndex& left, const QModelIndex& right) const {
  const bool runs = left.parent().isValid();
  if (runs && left.column() == RunsModel::Name) {
    const bool before = left.data(RunsModel::kSortRole).toInt() < right.data(RunsModel::kSortRole).toInt();
    return sortOrder() == Qt::AscendingOrder ? before : !before;
  }
  return QSortFilterProxyModel::lessThan(left, right);
}

bool RunsFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  if (text_.empty()) return true;
  const auto* model = static_cast<const RunsModel*>(sourceModel());
  const auto [session, run] = model->recordsOf(model->index(sourceRow, 0, sourceParent));
  if (session == nullptr) return false;
  if (run != nullptr) return results::runMatches(*session, *run, text_);
  // A session row on its own (recursive filtering keeps those with a matching run): one without
  // runs matches by its name and problems.
  if (!session->runs.empty()) return false;
  std::string all = session->name;
  for (const std::string& problem : session->problems) all += " " + problem;
  std::string lowered = all, needle = text_;
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::transform(needle.begin(), needle.end(), needle.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lowered.find(needle) != std::string::npos;
}

} // namespace genlab::ui
