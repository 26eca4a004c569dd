#pragma once
/// Opening the lab's window from the command line.

#include "app/options.h"

namespace genlab::app {

/// True when a Wayland display is named or the X11 display named by DISPLAY answers.
bool displayAvailable();

/// Runs the window until it is closed and returns the exit status. The window shows
/// `options.spec` when the command line named an experiment, else the last one (QSettings);
/// sessions write their results under `options.out` when given.
int runWindow(int argc, char** argv, const Options& options);

} // namespace genlab::app
