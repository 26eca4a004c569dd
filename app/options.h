#pragma once
/// The command line of genlab, parsed with Boost.Program_options.

#include "core/corruption/setting.h"
#include "core/data/load.h"

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

struct Options {
  bool help = false;
  bool version = false;
  std::string helpText;  ///< filled for --help
  data::DataSpec data;
  std::vector<corruption::Setting> settings;
  uint64_t seed = 0;
  std::string preset;     ///< train this preset headless (empty: only summarize the data)
  bool listPresets = false;
  std::string out;        ///< results folder of a preset run (empty: none)
};

/// Parses argv. Throws UsageError on anything malformed.
Options parseOptions(int argc, const char* const* argv);

} // namespace genlab::app
