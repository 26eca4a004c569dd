#include "ui/window_actions.h"

#include <QAction>
#include <QCoreApplication>
#include <QKeySequence>
#include <QWidget>

namespace genlab::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("genlab::ui::WindowActions", text); }

QAction* make(QWidget* owner, const QString& text, const QKeySequence& key, const QString& tip = {}) {
  auto* action = new QAction(text, owner);
  if (!key.isEmpty()) action->setShortcut(key);
  QString toolTip = tip.isEmpty() ? text : tip;
  if (!key.isEmpty()) toolTip += QStringLiteral(" (") + key.toString(QKeySequence::NativeText) + QLatin1Char(')');
  action->setToolTip(toolTip);
  owner->addAction(action);  // shortcuts work wherever the focus is
  return action;
}

} // namespace

WindowActions WindowActions::create(QWidget* owner) {
  WindowActions a;
  a.start = make(owner, tr("Start"), QKeySequence(Qt::Key_F5), tr("Train one run per checked corruption setting"));
  a.pause = make(owner, tr("Pause"), QKeySequence(Qt::Key_F6));
  a.step = make(owner, tr("Step"), QKeySequence(Qt::Key_F10), tr("While paused: one optimization step of every run"));
  a.stop = make(owner, tr("Stop"), QKeySequence(Qt::SHIFT | Qt::Key_F5));
  a.resumeSession = make(owner, tr("Resume Session"), QKeySequence(Qt::CTRL | Qt::Key_F5),
                         tr("Continue the stopped session from its checkpoints, in its folder"));
  a.reset = make(owner, tr("Reset"), QKeySequence(Qt::CTRL | Qt::Key_R), tr("Stop and clear the plots"));
  a.open = make(owner, tr("Open Experiment…"), QKeySequence::Open);
  a.save = make(owner, tr("Save Experiment As…"), QKeySequence::Save);
  a.openRuns = make(owner, tr("Open Runs…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O),
                    tr("Show the runs of a results folder (any depth) beside this session's"));
  a.runAsSweep = make(owner, tr("Run as Sweep…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
                      tr("Run this experiment over axes of values, here or on a Slurm cluster"));
  a.exportFigure = make(owner, tr("Export Figure…"), QKeySequence(Qt::CTRL | Qt::Key_E));
  a.copy = make(owner, tr("Copy Plot"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
  a.csv = make(owner, tr("Export Metrics as CSV…"), {}, tr("The metrics of every run shown, as one tidy table"));
  a.json = make(owner, tr("Export Metrics as JSON…"), {});
  a.quit = make(owner, tr("Quit"), QKeySequence::Quit);
  a.presentation = make(owner, tr("Presentation Mode"), QKeySequence(Qt::Key_F11),
                        tr("Large text, thick lines and strong contrast for a projector"));
  a.presentation->setCheckable(true);
  a.fit = make(owner, tr("Fit All Plots"), QKeySequence(Qt::CTRL | Qt::Key_0));
  return a;
}

} // namespace genlab::ui
