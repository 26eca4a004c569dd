#pragma once
/// The command line of genlab, parsed with Boost.Program_options.

#include "app/figure_options.h"
#include "core/train/experiment_spec.h"

#include <boost/program_options/positional_options.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace genlab::app {

/// A command line that cannot be used: unknown option, malformed value. The message names
/// the option and the problem.
class UsageError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Refuses (UsageError) an argument that holds one of Boost.Program_options' message
/// placeholders ("%original_token%", ...): Boost 1.74 puts an argument into its error message
/// until no placeholder is left, which never ends when the argument brings one. Call before
/// every parse of a command line.
void refuseParserPlaceholders(int argc, const char* const* argv);

/// Parses a command's words (`genlab runs ...`: argv after its first `skip` words, as Boost
/// skips a program's name), refusing parser placeholders first; a Boost error becomes a
/// UsageError, after `context` when one is given ("sweep run: ...").
boost::program_options::variables_map parseCommandWords(
    int argc, const char* const* argv, int skip, const boost::program_options::options_description& options,
    const boost::program_options::positional_options_description& positional, const std::string& context = "");

/// What genlab is asked to do.
enum class Mode {
  Help,          ///< print helpText
  Version,
  ListPresets,
  DescribeData,  ///< load the data set, apply each setting, print what it did
  Train,         ///< train `spec`: in the window when there is a display, else in the terminal
  Resume,        ///< continue the session in resumeFolder (its spec.json is `spec`), in the terminal
};

struct Options {
  Mode mode = Mode::Train;
  std::string helpText;  ///< filled for Help
  /// The experiment: the preset's spec (when --preset), then the --config file's keys, then
  /// the flags given on the command line, each overriding the one before.
  train::ExperimentSpec spec;
  std::string presetTitle;  ///< for the terminal's heading, when a preset was named
  std::string windowTitle;  ///< the preset's title or the config file's name, for the window
  /// Train in the terminal even when a display is available (without one, genlab always does).
  bool headless = false;
  /// In the window: press Start at once (for demonstrations and scripted screenshots).
  bool startNow = false;
  /// In the window: start in presentation mode (large text, thick lines, full screen).
  bool presentation = false;
  /// A preset, config file or experiment option was given (the window then shows that
  /// experiment instead of the last one).
  bool experimentNamed = false;
  /// --out: the results root; each session writes a new folder in it
  /// (results::createSessionFolder). Empty: the terminal writes none, the window its default.
  std::string out;
  std::vector<std::string> figureFormats;  ///< --export: png, jpg, pdf, svg, into each session's folder
  /// --open: results folders the window's runs panel shows (and follows while they grow).
  std::vector<std::string> openFolders;
  FigureOptions figure;  ///< --size, --scale, --title, --caption
  /// --resume DIR: the session folder to continue (spec: its spec.json, compute.* as given).
  std::string resumeFolder;
};

/// The preset that `genlab` trains when no experiment is named.
inline constexpr const char* kDefaultPreset = "figure1a-fashion-mnist";

/// Parses argv. Throws UsageError on anything malformed (a flag's value out of range
/// included) and InputError for a preset or config file that cannot be used.
Options parseOptions(int argc, const char* const* argv);

} // namespace genlab::app
