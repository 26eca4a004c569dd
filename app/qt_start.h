#pragma once
/// Starting a QApplication without a line of noise in the terminal.

#include <QApplication>

#include <memory>

namespace genlab::app {

/// A QApplication for `argc` and `argv` (which must outlive it). Qt looks for a Wayland socket
/// in XDG_RUNTIME_DIR as it starts and warns when that is unset, as it is in root shells,
/// containers and cluster jobs; nothing of GenLab uses the runtime directory, so that one
/// warning is left out (every other message passes).
std::unique_ptr<QApplication> startApplication(int& argc, char** argv);

} // namespace genlab::app
