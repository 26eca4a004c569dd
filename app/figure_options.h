#pragma once
/// The figure options every genlab command that writes figures takes (--size, --scale), and the
/// writing itself: one description for the training command line and `genlab report`.

#include "ui/figure_data.h"

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace genlab::app {

struct FigureOptions {
  int width = 1280;   ///< --size WxH: a 16:9 slide
  int height = 720;
  double scale = 1.0; ///< --scale: 2 for sharp PNGs on high-density screens
  std::string title;    ///< --title: above each figure
  std::string caption;  ///< --caption: one line below each figure
};

/// Adds --size, --scale, --title and --caption to `options`.
void addFigureOptions(boost::program_options::options_description& options);
/// What the options ask for. Throws UsageError for a size outside [16, 10000] pixels a side, a
/// scale outside [0.25, 8], or a title or caption of more than one line.
FigureOptions figureOptions(const boost::program_options::variables_map& values);

/// Draws each figure `data` fills (Figure 1a loss, accuracy; 1b and 1c with a sweep) offscreen
/// with the window's renderer and writes it into `out` once per format (png, jpg, pdf, svg),
/// printing each path. Makes a QApplication (Qt's offscreen platform without a display) when
/// there is none.
void writeFigures(const ui::FigureData& data, const std::filesystem::path& out,
                  const std::vector<std::string>& formats, const FigureOptions& figure);

} // namespace genlab::app
