#include "app/options.h"

#include "app/exit_codes.h"
#include "core/errors.h"
#include "core/results/presets.h"
#include "core/results/session_resume.h"
#include "core/results/spec_json.h"
#include "core/format.h"
#include "core/train/spec_fields.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>

namespace genlab::app {

namespace po = boost::program_options;

namespace {

/// The friendly options: each sets one field of the spec table (core/train/spec_fields.h),
/// whose help, default and range its --help line shows.
struct Alias {
  const char* option;
  const char* path;
};
constexpr Alias kAliases[] = {
    {"dataset", "data.dataset"},           {"data-dir", "data.directory"},
    {"train-size", "data.train_size"},     {"test-size", "data.test_size"},
    {"subset", "data.subset"},             {"preprocess", "data.preprocessing"},
    {"arch", "model.architecture"},        {"width", "model.width"},
    {"depth", "model.depth"},              {"batchnorm", "model.batch_norm"},
    {"dropout", "model.dropout"},          {"kernel", "model.kernel"},
    {"bandwidth", "model.bandwidth"},      {"features", "model.features"},
    {"weight-decay", "optimizer.weight_decay"},
    {"augment", "regularizers.augment"},   {"optimizer", "optimizer.kind"},
    {"lr", "optimizer.learning_rate"},     {"momentum", "optimizer.momentum"},
    {"schedule", "optimizer.schedule"},    {"decay", "optimizer.decay_factor"},
    {"step-epochs", "optimizer.step_epochs"}, {"batch-size", "training.batch_size"},
    {"epochs", "training.epochs"},         {"stop-when-fitted", "training.stop_when_fitted"},
    {"memorization", "measures.memorization"}, {"capacity", "measures.capacity"},
    {"device", "compute.device"},          {"threads", "compute.threads"},
    {"runs-at-once", "compute.concurrent_runs"},
    {"seed", "seed"},
};

/// "initial learning rate (default 0.01; optimizer.learning_rate)", with the choices, the
/// bounds and the unit where the field has them.
std::string fieldHelp(const train::SpecField& field, const train::ExperimentSpec& defaults,
                      bool withPath = true) {
  std::string text(field.help);
  if (field.type == train::FieldType::Choice) text += ": " + join(field.choices(), ", ");
  else if (field.type == train::FieldType::Flag) text += ": on or off";
  std::string notes = field.type == train::FieldType::NumberList ? "" : train::describeBounds(field);
  if (!field.unit.empty() && field.type != train::FieldType::Flag)
    notes += (notes.empty() ? "" : ", ") + std::string(field.unit);
  std::string shown = train::fieldText(field.get(defaults));
  if (shown.empty()) shown = "none";
  notes += (notes.empty() ? "" : "; ") + std::string("default ") + shown;
  if (withPath) notes += "; " + std::string(field.path);
  return text + " (" + notes + ")";
}

/// Every field of the experiment, for --help-fields and the man page.
std::string fieldsHelp() {
  const train::ExperimentSpec defaults;
  std::ostringstream out;
  out << "Experiment fields (JSON keys of presets, configs and spec.json; genlab --set PATH=VALUE\n"
         "and sweep axes name them):\n";
  for (const auto& field : train::specFields())
    out << "  " << field.path << "\n      " << fieldHelp(field, defaults, false) << "\n";
  return out.str();
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
      << " interrupted by Ctrl-C, SIGTERM or SIGUSR1 (results written so far and each run's last "
         "checkpoint are kept; --resume DIR continues).\n";
  return out.str();
}

std::string runCommandsHelp() {
  return "Results folders read back, without training (each takes --help):\n"
         "  genlab runs DIR... [--filter TEXT] [--format text|md|tsv|csv|tex|json]\n"
         "      the runs of the session folders under DIR (any depth) as a table\n"
         "  genlab report DIR... [--filter TEXT] --export png,pdf,svg,md,tex,... --out DIR\n"
         "      their figures and run table, drawn as the window draws them\n"
         "Grids of experiments (genlab sweep --help):\n"
         "  genlab sweep plan|run|submit|status FILE ...\n";
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
         "pixels and Gaussian inputs; and the linear models of its Section 5, kernel interpolation "
         "and random features, fitted in closed form (--arch kernel, --arch random-features). "
         "The experiment is a preset, then a JSON config file, then "
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
  out << ".SH EXPERIMENT FIELDS\n";
  const train::ExperimentSpec defaults;
  for (const auto& field : train::specFields())
    out << ".TP\n.B " << troff(std::string(field.path)) << "\n" << troff(fieldHelp(field, defaults, false)) << "\n";
  out << ".SH COMMANDS\n" << troff(runCommandsHelp()) << "\n"
      << ".SH EXIT STATUS\n" << troff(exitStatusHelp())
      << ".SH FILES\nresources/presets or /usr/share/genlab/presets: the presets; "
         "$GENLAB_PRESET_DIR replaces them. $GENLAB_DATA_DIR names the data folder.\n";
  return out.str();
}

po::options_description describeOptions() {
  const auto text = [](const std::string& s) { return s; };
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
      ("resume", po::value<std::string>(), "continue the session in this folder (written by genlab) "
       "in the terminal: runs that reached their outcome stay, the others go on from their last "
       "checkpoint; only compute fields (--device, --threads) may change")
      ("export", po::value<std::string>(), "what each session's folder receives besides the "
       "results files: figures as png, jpg, pdf, svg (and csv, json: the results files, always "
       "written), e.g. png,svg");
  addFigureOptions(general);

  po::options_description experiment(
      "Experiment (each overrides the preset and config; defaults apply when neither is given)");
  experiment.add_options()
      ("set", po::value<std::vector<std::string>>()->composing(), "PATH=VALUE: set any field of "
       "the experiment, e.g. model.width=1024 or settings=true,random-labels; repeatable, applied "
       "after every other option (genlab --help-fields lists the fields)")
      ("help-fields", "list every experiment field with its default, range and help, and exit")
      ("corruption", po::value<std::vector<std::string>>()->composing(),
       ("corruption setting, repeatable: " + listNames(corruption::kindKeys()) +
        ", or labels:P with P in [0, 1] (default true and random-labels; settings)").c_str())
      ("sweep-levels", po::value<std::string>(), "label-corruption sweep, e.g. 0,0.2,0.4,0.6,0.8,1 "
       "(one run per level; replaces --corruption; sweep_levels)")
      ("early-stop", po::value<int64_t>(), "stop a run after this many epochs without a lower "
       "validation loss (0: off, the default; regularizers.early_stopping and .patience)");
  const train::ExperimentSpec defaults;
  for (const Alias& alias : kAliases) {
    const train::SpecField& field = train::requireSpecField(alias.path);
    experiment.add_options()(alias.option, po::value<std::string>(), fieldHelp(field, defaults).c_str());
  }
  general.add(experiment);
  return general;
}

/// Writes the flags the user gave into `spec`; untouched fields keep their earlier values.
/// --set comes last, so that it overrides everything.
void applyFlags(const po::variables_map& v, train::ExperimentSpec& spec) {
  const auto given = [&](const char* name) { return v.count(name) > 0; };
  for (const Alias& alias : kAliases) {
    if (!given(alias.option)) continue;
    const train::SpecField& field = train::requireSpecField(alias.path);
    const std::string option = std::string("--") + alias.option;
    try {
      train::setField(spec, field, train::parseFieldText(field, v[alias.option].as<std::string>(), option),
                      option);
    } catch (const InputError& error) {
      throw UsageError(error.what());
    }
  }
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
  if (given("sweep-levels")) spec.sweepLevels = parseLevels(v["sweep-levels"].as<std::string>());
  if (given("early-stop")) {
    const int64_t patience = v["early-stop"].as<int64_t>();
    if (patience < 0) throw UsageError("--early-stop: " + std::to_string(patience) + " is negative");
    spec.regularizers.earlyStopping = patience > 0;
    if (patience > 0) spec.regularizers.patience = patience;
  }
  if (given("set")) {
    for (const auto& assignment : v["set"].as<std::vector<std::string>>()) {
      try {
        train::applyAssignment(spec, assignment);
      } catch (const InputError& error) {
        throw UsageError(error.what());
      }
    }
  }
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

/// --resume DIR: the experiment is DIR's spec.json; options may change how it is computed
/// (compute.*) and which figures it draws, nothing else.
Options resumeOptions(const po::variables_map& values) {
  for (const char* other : {"preset", "config", "out", "open", "describe-data", "start", "presentation"})
    if (values.count(other))
      throw UsageError(std::string("--resume continues the session in its folder; --") + other +
                       " does not go with it");
  Options options;
  options.mode = Mode::Resume;
  options.headless = true;
  options.resumeFolder = values["resume"].as<std::string>();
  options.out = options.resumeFolder;  // --export draws the figures there
  const train::ExperimentSpec saved = results::readSessionSpec(options.resumeFolder);
  options.spec = saved;
  applyFigureOptions(values, options);
  applyFlags(values, options.spec);
  train::ExperimentSpec changed = options.spec;
  changed.compute = saved.compute;
  if (!(changed == saved))
    throw UsageError("--resume continues the experiment of " + options.resumeFolder +
                     "/spec.json: only compute fields (--device, --threads) may change");
  try {
    train::validate(options.spec);
  } catch (const InputError& error) {
    throw UsageError(error.what());
  }
  return options;
}

} // namespace

void refuseParserPlaceholders(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i] != nullptr ? argv[i] : "";
    for (const char* placeholder :
         {"%option%", "%canonical_option%", "%original_token%", "%prefix%", "%value%"})
      if (argument.find(placeholder) != std::string_view::npos)
        throw UsageError("argument " + std::to_string(i) + " holds '" + placeholder +
                         "', which the option parser cannot report on; leave it out");
  }
}

po::variables_map parseCommandWords(int argc, const char* const* argv, int skip, const po::options_description& options,
                                    const po::positional_options_description& positional, const std::string& context) {
  refuseParserPlaceholders(argc, argv);
  po::variables_map values;
  try {
    po::store(po::command_line_parser(argc - skip, argv + skip).options(options).positional(positional).run(), values);
    po::notify(values);
  } catch (const po::too_many_positional_options_error& error) {
    // Boost does not say which word is one too many: the first past those the command takes.
    std::vector<std::string> words;
    try {
      for (const po::option& option : po::command_line_parser(argc - skip, argv + skip).options(options).run().options)
        if (option.position_key >= 0 && !option.original_tokens.empty()) words.push_back(option.original_tokens.front());
    } catch (const po::error&) {
    }
    const unsigned taken = positional.max_total_count();
    if (taken < words.size()) throw UsageError(context + "unexpected argument '" + words[taken] + "'");
    throw UsageError(context + error.what());
  } catch (const po::error& error) {
    throw UsageError(context + error.what());
  }
  return values;
}

Options parseOptions(int argc, const char* const* argv) {
  const po::options_description description = describeOptions();
  po::variables_map values;
  refuseParserPlaceholders(argc, argv);
  try {
    const po::parsed_options parsed = po::command_line_parser(argc, argv).options(description).run();
    // Words that are no option's value would be dropped by store: a missing option name
    // ("--epochs 50 0.01") or a command out of place ("--headless runs DIR") must not be.
    for (const po::option& option : parsed.options)
      if (option.position_key >= 0 && !option.original_tokens.empty())
        throw UsageError("unexpected argument '" + option.original_tokens.front() +
                         "': every option begins with --, and a command (genlab runs, report, data, sweep) comes first");
    po::store(parsed, values);
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
  if (values.count("help-fields")) {
    options.mode = Mode::Help;
    options.helpText = fieldsHelp();
    return options;
  }
  if (values.count("list-presets")) {
    options.mode = Mode::ListPresets;
    return options;
  }
  if (values.count("resume")) return resumeOptions(values);
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
    if (preset.grid)
      options.presetTitle += "\nThis trains the sweep's base experiment; `genlab sweep run " + preset.id +
                             " --out DIR` trains all of its tasks.";
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
