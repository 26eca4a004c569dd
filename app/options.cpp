#include "app/options.h"

#include "app/exit_codes.h"
#include "core/errors.h"

#include <boost/program_options.hpp>

#include <sstream>

namespace genlab::app {

namespace po = boost::program_options;

namespace {

template <class Enum>
Enum parseNamed(std::span<const NamedValue<Enum>> table, const std::string& text,
                const std::string& option) {
  if (const auto value = valueNamed(table, text)) return *value;
  throw UsageError("--" + option + ": '" + text + "' is not one of " + listNames(table));
}

int64_t nonNegative(int64_t value, const std::string& option) {
  if (value < 0) throw UsageError("--" + option + ": " + std::to_string(value) + " is negative");
  return value;
}

std::string exitStatusHelp() {
  std::ostringstream out;
  out << "Exit status: " << kExitSuccess << " success, " << kExitRuntimeFailure
      << " the work failed (for example a missing or malformed data set), " << kExitUsageError
      << " the command line is wrong, " << kExitInterrupted
      << " interrupted by Ctrl-C (results written so far are kept).\n";
  return out.str();
}

} // namespace

Options parseOptions(int argc, const char* const* argv) {
  std::string dataset, subset, preprocessing;
  std::vector<std::string> corruptions;
  int64_t trainSize = 0, testSize = 0;

  Options options;
  po::options_description description("Options");
  description.add_options()
      ("help,h", "show this help and exit")
      ("version", "print the version and exit")
      ("dataset", po::value(&dataset)->default_value("fashion-mnist"),
       ("data set: " + listNames(data::datasetKindNames())).c_str())
      ("data-dir", po::value<std::string>(),
       "folder holding the data set files (default: $GENLAB_DATA_DIR, else the "
       "dataset-fashion-mnist package folder)")
      ("train-size", po::value(&trainSize)->default_value(0),
       "training images to use, 0 for all")
      ("test-size", po::value(&testSize)->default_value(0), "test images to use, 0 for all")
      ("subset", po::value(&subset)->default_value("balanced"),
       ("how a subset is chosen: " + listNames(data::subsetMethodNames())).c_str())
      ("preprocess", po::value(&preprocessing)->default_value("standardize"),
       ("preprocessing: " + listNames(data::preprocessingNames())).c_str())
      ("corruption", po::value(&corruptions)->composing(),
       ("corruption setting, repeatable: " + listNames(corruption::kindKeys()) +
        ", or labels:P with P in [0, 1] (default: all five of Figure 1a)").c_str())
      ("seed", po::value<uint64_t>()->default_value(0), "seed for subsets and corruptions")
      ("preset", po::value(&options.preset),
       "train this preset in the terminal (see --list-presets); the data options above then "
       "do not apply")
      ("list-presets", po::bool_switch(&options.listPresets), "list the presets and exit")
      ("out", po::value(&options.out), "results folder of a --preset run (spec.json, "
       "metrics.csv, summary.json, written as training goes)");

  po::variables_map values;
  try {
    po::store(po::command_line_parser(argc, argv).options(description).run(), values);
    po::notify(values);
  } catch (const po::error& error) {
    throw UsageError(error.what());
  }

  options.help = values.count("help") > 0;
  options.version = values.count("version") > 0;
  if (options.help) {
    std::ostringstream out;
    out << "Usage: genlab [options]\n"
        << "Without --preset: loads a data set, applies the randomization tests of Zhang et al. "
           "(ICLR 2017) and prints what each did.\nWith --preset: trains that experiment in the "
           "terminal.\n\n"
        << description << '\n'
        << exitStatusHelp();
    options.helpText = out.str();
    return options;
  }

  options.data.kind = parseNamed(data::datasetKindNames(), dataset, "dataset");
  if (values.count("data-dir")) options.data.directory = values["data-dir"].as<std::string>();
  options.data.trainSize = nonNegative(trainSize, "train-size");
  options.data.testSize = nonNegative(testSize, "test-size");
  options.data.subset = parseNamed(data::subsetMethodNames(), subset, "subset");
  options.data.preprocessing =
      parseNamed(data::preprocessingNames(), preprocessing, "preprocess");
  options.seed = values["seed"].as<uint64_t>();
  options.data.seed = options.seed;
  options.data.synthetic.seed = options.seed;

  if (corruptions.empty())
    corruptions = {"true", "random-labels", "shuffled-pixels", "random-pixels", "gaussian"};
  for (const auto& text : corruptions) {
    try {
      options.settings.push_back(corruption::parseSetting(text));
    } catch (const InputError& error) {
      throw UsageError(std::string("--corruption: ") + error.what());
    }
  }
  return options;
}

} // namespace genlab::app
