#include "app/options.h"

#include "app/exit_codes.h"
#include "core/errors.h"
#include "core/results/presets.h"
#include "core/results/spec_json.h"

#include <boost/program_options.hpp>

#include <filesystem>
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

bool parseSwitch(const std::string& text, const std::string& option) {
  if (text == "on" || text == "true" || text == "yes" || text == "1") return true;
  if (text == "off" || text == "false" || text == "no" || text == "0") return false;
  throw UsageError("--" + option + ": '" + text + "' is not on or off");
}

std::vector<double> parseLevels(const std::string& text) {
  std::vector<double> levels;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    try {
      size_t used = 0;
      levels.push_back(std::stod(item, &used));
      if (used != item.size()) throw std::invalid_argument(item);
    } catch (const std::exception&) {
      throw UsageError("--sweep-levels: '" + item + "' is not a number (write 0,0.2,0.4)");
    }
  }
  if (levels.empty()) throw UsageError("--sweep-levels: no level given (write 0,0.2,0.4)");
  return levels;
}

std::string exitStatusHelp() {
  std::ostringstream out;
  out << "Exit status: " << kExitSuccess << " success, " << kExitRuntimeFailure
      << " the work failed (for example a missing or malformed data set or config file), "
      << kExitUsageError << " the command line is wrong, " << kExitInterrupted
      << " interrupted by Ctrl-C (results written so far are kept).\n";
  return out.str();
}

std::string runCommandsHelp() {
  return "Results folders read back, without training (each takes --help):\n"
         "  genlab runs DIR... [--filter TEXT] [--format text|md|tsv|csv|tex|json]\n"
         "      the runs of the session folders under DIR (any depth) as a table\n"
         "  genlab report DIR... [--filter TEXT] --export png,pdf,svg,md,tex,... --out DIR\n"
         "      their figures and run table, drawn as the window draws them\n";
}

/// Troff needs its backslashes doubled and a leading dot or quote escaped.
std::string troff(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

/// The man page, from the same option descriptions as --help.
std::string manPage(const po::options_description& description) {
  std::ostringstream out;
  out << ".TH GENLAB 1 \"\" \"genlab " << GENLAB_VERSION << "\" \"GenLab\"\n"
      << ".SH NAME\ngenlab \\- rethinking generalization lab: networks fitting random labels\n"
      << ".SH SYNOPSIS\n.B genlab\n[\\fIoptions\\fR]\n"
      << ".SH DESCRIPTION\nTrains the randomization tests of Zhang, Bengio, Hardt, Recht and "
         "Vinyals, \"Understanding deep learning requires rethinking generalization\" (ICLR "
         "2017): the same network under true labels, random labels, shuffled pixels, random "
         "pixels and Gaussian inputs. The experiment is a preset, then a JSON config file, then "
         "the options below, each overriding the one before. With a display genlab opens the lab's "
         "window with that experiment in its form (Start trains it, with live plots); without a "
         "display, or with --headless, it trains in the terminal. Without options the terminal "
         "trains the Figure 1a preset on Fashion-MNIST and the window shows the last experiment.\n"
      << ".SH OPTIONS\n";
  for (const auto& option : description.options()) {
    out << ".TP\n.B " << troff(option->format_name());
    const std::string parameter = option->format_parameter();
    if (!parameter.empty()) out << " \\fI" << troff(parameter) << "\\fR";
    out << "\n" << troff(option->description()) << "\n";
  }
  out << ".SH COMMANDS\n" << troff(runCommandsHelp()) << "\n"
      << ".SH EXIT STATUS\n" << troff(exitStatusHelp())
      << ".SH FILES\nresources/presets or /usr/share/genlab/presets: the presets; "
         "$GENLAB_PRESET_DIR replaces them. $GENLAB_DATA_DIR names the data folder.\n";
  return out.str();
}

po::options_description describeOptions() {
  const train::ExperimentSpec d;
  const auto text = [](const std::string& s) { return s; };
  const auto number = [](double value) {
    std::ostringstream out;
    out << value;
    return out.str();
  };
  po::options_description general("General");
  general.add_options()
      ("help,h", "show this help and exit")
      ("man", "print this help as a troff man page (the build installs it as genlab.1)")
      ("version", "print the version and exit")
      ("list-presets", "list the presets and exit")
      ("headless", "train in the terminal even when a display is available (without a display "
       "genlab always does)")
      ("start", "in the window: start training the experiment at once")
      ("presentation", "in the window: presentation mode (full screen, large text, thick lines, "
       "strong contrast) for a projector; F11 toggles it")
      ("preset", po::value<std::string>(),
       (text("start from this preset (default when nothing else is named: ") + kDefaultPreset + ")").c_str())
      ("config", po::value<std::string>(), "JSON experiment file (the format of presets and of "
       "spec.json); overrides the preset, and the options below override it")
      ("out", po::value<std::string>(), "results root: each session writes a new folder in it "
       "(<date>-<time>-<name>: spec.json, metrics.csv, summary.json, written as training goes); "
       "the window's default is the user's data folder")
      ("open", po::value<std::vector<std::string>>()->composing(), "in the window: show the runs "
       "of this results folder (any depth) in the runs panel, following those still being "
       "written; repeatable")
      ("describe-data", "only load the data set and print what each corruption does to it")
      ("export", po::value<std::string>(), "what each session's folder receives besides the "
       "results files: figures as png, jpg, pdf, svg (and csv, json: the results files, always "
       "written), e.g. png,svg");
  addFigureOptions(general);

  po::options_description experiment(
      "Experiment (each overrides the preset and config; defaults apply when neither is given)");
  experiment.add_options()
      ("dataset", po::value<std::string>(), ("data set: " + listNames(data::datasetKindNames()) + " (default " + std::string(data::toString(d.data.kind)) + ")").c_str())
      ("data-dir", po::value<std::string>(), "folder of the data set files (default: "
       "$GENLAB_DATA_DIR, else the dataset-fashion-mnist package folder)")
      ("train-size", po::value<int64_t>(), "training images to use, 0 for all (default 0)")
      ("test-size", po::value<int64_t>(), "test images to use, 0 for all (default 0)")
      ("subset", po::value<std::string>(), ("how a subset is chosen: " + listNames(data::subsetMethodNames()) + " (default balanced)").c_str())
      ("preprocess", po::value<std::string>(), ("preprocessing: " + listNames(data::preprocessingNames()) + " (default standardize)").c_str())
      ("corruption", po::value<std::vector<std::string>>()->composing(),
       ("corruption setting, repeatable: " + listNames(corruption::kindKeys()) +
        ", or labels:P with P in [0, 1] (default true and random-labels)").c_str())
      ("sweep-levels", po::value<std::string>(), "label-corruption sweep, e.g. 0,0.2,0.4,0.6,0.8,1 "
       "(one run per level; replaces --corruption)")
      ("arch", po::value<std::string>(), ("network: " + listNames(models::architectureNames()) + " (default mlp)").c_str())
      ("width", po::value<int64_t>(), ("MLP units per hidden layer (default " + std::to_string(d.model.width) + ")").c_str())
      ("depth", po::value<int64_t>(), ("MLP hidden layers (default " + std::to_string(d.model.depth) + ")").c_str())
      ("batchnorm", po::value<std::string>(), "batch normalization: on or off (default off)")
      ("dropout", po::value<double>(), "dropout probability after hidden layers, in [0, 1) (default 0)")
      ("weight-decay", po::value<double>(), "L2 weight decay coefficient (default 0)")
      ("augment", po::value<std::string>(), "data augmentation (random crops, flips): on or off (default off)")
      ("early-stop", po::value<int64_t>(), "stop a run after this many epochs without a lower "
       "validation loss (0: off, the default)")
      ("optimizer", po::value<std::string>(), ("optimizer: " + listNames(train::optimizerNames()) + " (default sgd)").c_str())
      ("lr", po::value<double>(), ("initial learning rate (default " + number(d.optimizer.learningRate) + ")").c_str())
      ("momentum", po::value<double>(), ("SGD momentum (default " + number(d.optimizer.momentum) + ")").c_str())
      ("schedule", po::value<std::string>(), ("learning-rate schedule: " + listNames(train::scheduleNames()) + " (default constant)").c_str())
      ("decay", po::value<double>(), ("decay factor of the exponential (per epoch) and step schedules (default " + number(d.optimizer.decayFactor) + ")").c_str())
      ("step-epochs", po::value<int64_t>(), ("epochs between decays of the step schedule (default " + std::to_string(d.optimizer.stepEpochs) + ")").c_str())
      ("batch-size", po::value<int64_t>(), ("images per SGD step (default " + std::to_string(d.training.batchSize) + ")").c_str())
      ("epochs", po::value<int64_t>(), ("at most this many epochs per run (default " + std::to_string(d.training.epochs) + ")").c_str())
      ("stop-when-fitted", po::value<std::string>(), "end a run at 100% training accuracy: on or off (default on)")
      ("device", po::value<std::string>(), ("where to train: " + listNames(train::deviceChoiceNames()) + " (default auto: CUDA when present)").c_str())
      ("threads", po::value<int>(), "CPU cores to use, 0 for all (default 0)")
      ("seed", po::value<uint64_t>(), "seed of subsets, corruptions, weights and batch order (default 0)");
  general.add(experiment);
  return general;
}

/// Writes the flags the user gave into `spec`; untouched fields keep their earlier values.
void applyFlags(const po::variables_map& v, train::ExperimentSpec& spec) {
  const auto given = [&](const char* name) { return v.count(name) > 0; };
  const auto str = [&](const char* name) { return v[name].as<std::string>(); };
  if (given("dataset")) spec.data.kind = parseNamed(data::datasetKindNames(), str("dataset"), "dataset");
  if (given("data-dir")) spec.data.directory = str("data-dir");
  if (given("train-size")) spec.data.trainSize = v["train-size"].as<int64_t>();
  if (given("test-size")) spec.data.testSize = v["test-size"].as<int64_t>();
  if (given("subset")) spec.data.subset = parseNamed(data::subsetMethodNames(), str("subset"), "subset");
  if (given("preprocess"))
    spec.data.preprocessing = parseNamed(data::preprocessingNames(), str("preprocess"), "preprocess");
  if (given("corruption")) {
    spec.settings.clear();
    spec.sweepLevels.clear();
    for (const auto& text : v["corruption"].as<std::vector<std::string>>()) {
      try {
        spec.settings.push_back(corruption::parseSetting(text));
      } catch (const InputError& error) {
        throw UsageError(std::string("--corruption: ") + error.what());
      }
    }
  }
  if (given("sweep-levels")) spec.sweepLevels = parseLevels(str("sweep-levels"));
  if (given("arch")) spec.model.architecture = parseNamed(models::architectureNames(), str("arch"), "arch");
  if (given("width")) spec.model.width = v["width"].as<int64_t>();
  if (given("depth")) spec.model.depth = v["depth"].as<int64_t>();
  if (given("batchnorm")) spec.model.batchNorm = parseSwitch(str("batchnorm"), "batchnorm");
  if (given("dropout")) spec.model.dropout = v["dropout"].as<double>();
  if (given("weight-decay")) spec.optimizer.weightDecay = v["weight-decay"].as<double>();
  if (given("augment")) spec.regularizers.augment = parseSwitch(str("augment"), "augment");
  if (given("early-stop")) {
    const int64_t patience = v["early-stop"].as<int64_t>();
    if (patience < 0) throw UsageError("--early-stop: " + std::to_string(patience) + " is negative");
    spec.regularizers.earlyStopping = patience > 0;
    if (patience > 0) spec.regularizers.patience = patience;
  }
  if (given("optimizer")) spec.optimizer.kind = parseNamed(train::optimizerNames(), str("optimizer"), "optimizer");
  if (given("lr")) spec.optimizer.learningRate = v["lr"].as<double>();
  if (given("momentum")) spec.optimizer.momentum = v["momentum"].as<double>();
  if (given("schedule")) spec.optimizer.schedule = parseNamed(train::scheduleNames(), str("schedule"), "schedule");
  if (given("decay")) spec.optimizer.decayFactor = v["decay"].as<double>();
  if (given("step-epochs")) spec.optimizer.stepEpochs = v["step-epochs"].as<int64_t>();
  if (given("batch-size")) spec.training.batchSize = v["batch-size"].as<int64_t>();
  if (given("epochs")) spec.training.epochs = v["epochs"].as<int64_t>();
  if (given("stop-when-fitted"))
    spec.training.stopWhenFitted = parseSwitch(str("stop-when-fitted"), "stop-when-fitted");
  if (given("device")) spec.compute.device = parseNamed(train::deviceChoiceNames(), str("device"), "device");
  if (given("threads")) spec.compute.threads = v["threads"].as<int>();
  if (given("seed")) spec.seed = v["seed"].as<uint64_t>();
  if (spec.data.trainSize < 0 || spec.data.testSize < 0)
    throw UsageError("--train-size and --test-size must not be negative");
}

void applyFigureOptions(const po::variables_map& v, Options& options) {
  if (v.count("export")) {
    std::stringstream in(v["export"].as<std::string>());
    for (std::string format; std::getline(in, format, ',');) {
      if (format == "png" || format == "jpg" || format == "pdf" || format == "svg")
        options.figureFormats.push_back(format);
      else if (format != "csv" && format != "json")
        throw UsageError("--export: '" + format + "' is not one of png, jpg, pdf, svg, csv, json");
    }
    if (options.out.empty()) throw UsageError("--export needs --out DIR to write into");
  }
  options.figure = figureOptions(v);
}

} // namespace

Options parseOptions(int argc, const char* const* argv) {
  const po::options_description description = describeOptions();
  po::variables_map values;
  try {
    po::store(po::command_line_parser(argc, argv).options(description).run(), values);
    po::notify(values);
  } catch (const po::error& error) {
    throw UsageError(error.what());
  }

  Options options;
  if (values.count("man")) {
    options.mode = Mode::Help;
    options.helpText = manPage(description);
    return options;
  }
  if (values.count("help")) {
    std::ostringstream out;
    out << "Usage: genlab [options]\n"
        << "The randomization tests of Zhang et al. (ICLR 2017). With a display, opens the lab's\n"
        << "window showing the experiment; without one (or with --headless), trains it in the\n"
        << "terminal. The experiment: a preset, a config file and options, each overriding the\n"
        << "one before.\n\n"
        << description << '\n'
        << runCommandsHelp() << '\n'
        << exitStatusHelp();
    options.mode = Mode::Help;
    options.helpText = out.str();
    return options;
  }
  if (values.count("version")) {
    options.mode = Mode::Version;
    return options;
  }
  if (values.count("list-presets")) {
    options.mode = Mode::ListPresets;
    return options;
  }
  if (values.count("describe-data")) options.mode = Mode::DescribeData;

  // Without a preset or config, the options modify the default preset only when nothing
  // else at all is named; otherwise they modify the built-in defaults.
  const bool onlyOutput =
      values.size() == values.count("out") + values.count("describe-data") +
                           values.count("export") + values.count("size") + values.count("scale") +
                           values.count("headless") + values.count("start") +
                           values.count("presentation") + values.count("open");
  options.headless = values.count("headless") > 0;
  options.startNow = values.count("start") > 0;
  options.presentation = values.count("presentation") > 0;
  options.experimentNamed = !onlyOutput;
  std::string presetId;
  if (values.count("preset")) presetId = values["preset"].as<std::string>();
  else if (onlyOutput && options.mode == Mode::Train) presetId = kDefaultPreset;
  if (!presetId.empty()) {
    results::Preset preset = results::findPreset(presetId);
    options.spec = std::move(preset.spec);
    options.presetTitle = preset.title + "\n" + preset.description;
    options.windowTitle = preset.title;
  }
  if (values.count("config")) {
    const std::string config = values["config"].as<std::string>();
    options.spec = results::loadSpecFile(config, options.spec);
    options.windowTitle = std::filesystem::path(config).stem().string();
  }
  if (values.count("out")) options.out = values["out"].as<std::string>();
  if (values.count("open")) options.openFolders = values["open"].as<std::vector<std::string>>();
  applyFigureOptions(values, options);
  applyFlags(values, options.spec);
  try {
    train::validate(options.spec);
  } catch (const InputError& error) {
    throw UsageError(error.what());
  }
  return options;
}

} // namespace genlab::app
