#pragma once
/// Writing figures offscreen, for the training command line and `genlab report`.

#include "app/figure_options.h"
#include "ui/figure_data.h"

#include <filesystem>
#include <string>
#include <vector>

namespace genlab::app {

/// Draws each figure `data` fills (Figure 1a loss, accuracy; 1b and 1c with a sweep) offscreen
/// with the window's renderer and writes it into `out` once per format (png, jpg, pdf, svg),
/// printing each path. Makes a QApplication (Qt's offscreen platform without a display) when
/// there is none.
void writeFigures(const ui::FigureData& data, const std::filesystem::path& out,
                  const std::vector<std::string>& formats, const FigureOptions& figure);

} // namespace genlab::app
