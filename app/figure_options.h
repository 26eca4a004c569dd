#pragma once
/// The figure options every genlab command that writes figures takes (--size, --scale, --title,
/// --caption): one description for the training command line and `genlab report`. Qt-free, so
/// that the command line parses without the renderer (figure_writing.h draws).

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>

#include <string>

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

} // namespace genlab::app
