#include "ui/runs_panel.h"

#include "ui/runs_model.h"

#include <QDesktopServices>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

#include <set>

namespace genlab::ui {

namespace {

/// A session that no process writes, with a run that has not reached its outcome.
bool resumable(const results::SessionRecord* session) {
  if (session == nullptr || session->live || session->spec.is_null()) return false;
  for (const results::RunRecord& run : session->runs)
    if (!train::reachedOutcome(run.status)) return true;
  return false;
}

} // namespace

RunsPanel::RunsPanel(RunsModel* model, QWidget* parent)
    : QWidget(parent), model_(model), proxy_(new RunsFilter(this)), filter_(new QLineEdit), view_(new QTreeView) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* top = new QHBoxLayout;
  filter_->setPlaceholderText(tr("Filter: setting, network, session, any spec value (width=2048)"));
  filter_->setClearButtonEnabled(true);
  top->addWidget(filter_, 1);
  auto* open = new QPushButton(tr("Open Runs…"));
  open->setToolTip(tr("Add a results folder; every run under it (any depth) is listed and followed"));
  top->addWidget(open);
  layout->addLayout(top);

  proxy_->setSourceModel(model_);
  view_->setModel(proxy_);
  view_->setSortingEnabled(true);
  view_->sortByColumn(RunsModel::Name, Qt::DescendingOrder);
  view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  view_->setContextMenuPolicy(Qt::CustomContextMenu);
  view_->setUniformRowHeights(true);
  view_->header()->setSectionResizeMode(QHeaderView::Interactive);
  view_->header()->resizeSection(RunsModel::Name, 260);
  layout->addWidget(view_, 1);

  connect(filter_, &QLineEdit::textChanged, proxy_, [this](const QString& text) {
    proxy_->setText(text);
    if (!text.isEmpty()) view_->expandAll();
  });
  connect(open, &QPushButton::clicked, this, &RunsPanel::openRunsRequested);
  // A session that arrives checked shows its runs.
  connect(proxy_, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex& parent, int first, int last) {
    if (parent.isValid()) return;
    for (int row = first; row <= last; ++row) {
      const QModelIndex index = proxy_->index(row, 0);
      if (model_->hasChecked(index.data(RunsModel::kFolderRole).toString())) view_->expand(index);
    }
  });
  connect(view_, &QTreeView::customContextMenuRequested, this, &RunsPanel::showMenu);
}

QStringList RunsPanel::selectedFolders() const {
  std::set<QString> folders;
  for (const QModelIndex& index : view_->selectionModel()->selectedRows())
    folders.insert(index.data(RunsModel::kFolderRole).toString());
  return QStringList(folders.begin(), folders.end());
}

void RunsPanel::showMenu(const QPoint& position) {
  const QModelIndex at = view_->indexAt(position);
  if (!at.isValid()) return;
  QStringList folders = selectedFolders();
  const QString folder = at.data(RunsModel::kFolderRole).toString();
  if (!folders.contains(folder)) folders = {folder};
  QMenu menu(this);
  menu.addAction(tr("Check"), this, [this, folders] {
    for (const QString& f : folders) model_->setChecked(f, true);
  });
  menu.addAction(tr("Uncheck"), this, [this, folders] {
    for (const QString& f : folders) model_->setChecked(f, false);
  });
  menu.addSeparator();
  QAction* resume = menu.addAction(tr("Resume"), this, [this, folder] { Q_EMIT resumeRequested(folder); });
  resume->setToolTip(tr("Continue its unfinished runs from their checkpoints, in its folder"));
  resume->setEnabled(resumable(model_->session(folder).get()));
  menu.addAction(tr("Open Folder"), this, [folder] { QDesktopServices::openUrl(QUrl::fromLocalFile(folder)); });
  menu.addAction(tr("Stop Showing This Root"), this, [this, folder] { Q_EMIT removeRootRequested(folder); });
  menu.addSeparator();
  menu.addAction(tr("Move to Trash…"), this, [this, folders] {
    const auto answer = QMessageBox::question(
        this, tr("Move to Trash?"),
        tr("Move %n session folder(s) and every file in them to the trash?\n%1", nullptr, static_cast<int>(folders.size()))
            .arg(folders.join(QLatin1Char('\n'))),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes) Q_EMIT trashRequested(folders);
  });
  menu.exec(view_->viewport()->mapToGlobal(position));
}

} // namespace genlab::ui
