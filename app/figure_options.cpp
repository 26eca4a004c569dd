#include "app/figure_options.h"

#include "app/options.h"
#include <sstream>

namespace genlab::app {

namespace po = boost::program_options;

void addFigureOptions(po::options_description& options) {
  options.add_options()
      ("size", po::value<std::string>(), "figure size WxH in pixels (default 1280x720)")
      ("scale", po::value<double>(), "figure scale factor for PNG and JPG (default 1; 2 for sharp images)")
      ("title", po::value<std::string>(), "a title above each figure written")
      ("caption", po::value<std::string>(), "one line below each figure written, e.g. what was trained");
}

FigureOptions figureOptions(const po::variables_map& values) {
  FigureOptions figure;
  if (values.count("size")) {
    const std::string text = values["size"].as<std::string>();
    int width = 0, height = 0;
    char x = 0, extra = 0;
    std::istringstream in(text);
    if (!(in >> width >> x >> height) || x != 'x' || (in >> extra) || width < 16 ||
        height < 16 || width > 10000 || height > 10000)
      throw UsageError("--size: '" + text + "' is not WxH with each side in [16, 10000]");
    figure.width = width;
    figure.height = height;
  }
  if (values.count("scale")) {
    const double scale = values["scale"].as<double>();
    if (!(scale >= 0.25 && scale <= 8)) {
      std::ostringstream message;
      message << "--scale: " << scale << " is outside [0.25, 8]";
      throw UsageError(message.str());
    }
    figure.scale = scale;
  }
  for (const char* option : {"title", "caption"}) {
    if (!values.count(option)) continue;
    const std::string text = values[option].as<std::string>();
    if (text.find('\n') != std::string::npos) throw UsageError(std::string("--") + option + ": one line only");
    (std::string(option) == "title" ? figure.title : figure.caption) = text;
  }
  return figure;
}

} // namespace genlab::app
