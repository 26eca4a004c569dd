#pragma once
/// Every command of the lab's window as a typed QAction: text, shortcut and tooltip in one
/// place. The window connects them and puts them in its menus and tool bar.

class QAction;
class QWidget;

namespace genlab::ui {

struct WindowActions {
  // The transport.
  QAction* start = nullptr;
  QAction* pause = nullptr;  ///< "Pause" / "Resume"
  QAction* step = nullptr;
  QAction* stop = nullptr;
  QAction* resumeSession = nullptr;  ///< continues the last stopped session from its checkpoints
  QAction* reset = nullptr;
  // Files.
  QAction* open = nullptr;       ///< an experiment (.json)
  QAction* save = nullptr;
  QAction* openRuns = nullptr;   ///< results folders into the runs panel
  QAction* runAsSweep = nullptr;  ///< the form's experiment as the base of a grid (sweep_dialog.h)
  QAction* exportFigure = nullptr;
  QAction* copy = nullptr;       ///< the current plot to the clipboard
  QAction* csv = nullptr;        ///< metrics of the runs shown
  QAction* json = nullptr;
  QAction* quit = nullptr;
  // View.
  QAction* presentation = nullptr;  ///< checkable
  QAction* fit = nullptr;
  QAction* runsPanel = nullptr;     ///< shows or hides the runs panel (its dock's toggle)

  /// The actions of the window `owner`, which owns them; their shortcuts work wherever the
  /// focus is in it. runsPanel is left for the dock to provide.
  static WindowActions create(QWidget* owner);
};

} // namespace genlab::ui
