#include "core/results/spec_json.h"

#include "core/errors.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <initializer_list>
#include <sstream>

namespace genlab::results {

using nlohmann::json;
using namespace genlab::train;

namespace {

/// Reads one JSON object into fields, with error messages that say where the problem is.
class ObjectReader {
public:
  ObjectReader(const json& object, std::string path, const std::string& source,
               std::initializer_list<const char*> keys)
      : object_(object), path_(std::move(path)), source_(source) {
    if (!object_.is_object()) fail(path_.empty() ? "the document" : path_, "must be an object");
    for (const auto& [key, value] : object_.items()) {
      bool known = false;
      for (const char* k : keys) known = known || key == k;
      if (!known) fail(where(key), "is not a known key");
    }
  }

  bool has(const char* key) const { return object_.contains(key); }
  const json& at(const char* key) const { return object_.at(key); }
  std::string where(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
    throw InputError(source_ + ": '" + key + "' " + problem);
  }

  void read(const char* key, int64_t& target) const {
    if (!has(key)) return;
    if (!at(key).is_number_integer()) fail(where(key), "must be an integer");
    target = at(key).get<int64_t>();
  }
  void read(const char* key, int& target) const {
    int64_t wide = target;
    read(key, wide);
    target = static_cast<int>(wide);
  }
  void read(const char* key, uint64_t& target) const {
    if (!has(key)) return;
    if (!at(key).is_number_unsigned()) fail(where(key), "must be a non-negative integer");
    target = at(key).get<uint64_t>();
  }
  void read(const char* key, double& target) const {
    if (!has(key)) return;
    if (!at(key).is_number()) fail(where(key), "must be a number");
    target = at(key).get<double>();
  }
  void read(const char* key, bool& target) const {
    if (!has(key)) return;
    if (!at(key).is_boolean()) fail(where(key), "must be true or false");
    target = at(key).get<bool>();
  }
  void read(const char* key, std::string& target) const {
    if (!has(key)) return;
    if (!at(key).is_string()) fail(where(key), "must be a string");
    target = at(key).get<std::string>();
  }
  template <class Enum>
  void read(const char* key, Enum& target, std::span<const NamedValue<Enum>> names) const {
    if (!has(key)) return;
    std::string text;
    read(key, text);
    const auto value = valueNamed(names, text);
    if (!value) fail(where(key), "is '" + text + "', not one of " + listNames(names));
    target = *value;
  }
  ObjectReader child(const char* key, std::initializer_list<const char*> keys) const {
    return {at(key), where(key), source_, keys};
  }

private:
  const json& object_;
  std::string path_;
  const std::string& source_;
};

template <class Enum>
std::string name(std::span<const NamedValue<Enum>> names, Enum value) {
  return std::string(nameOf(names, value));
}

} // namespace

json toJson(const ExperimentSpec& spec) {
  json settings = json::array();
  for (const auto& s : spec.settings) settings.push_back(s.key());
  const auto& d = spec.data;
  const auto& m = spec.model;
  const auto& o = spec.optimizer;
  const auto& r = spec.regularizers;
  const auto& t = spec.training;
  return {
      {"name", spec.name},
      {"data",
       {{"dataset", std::string(data::toString(d.kind))},
        {"directory", d.directory},
        {"train_size", d.trainSize},
        {"test_size", d.testSize},
        {"subset", name(data::subsetMethodNames(), d.subset)},
        {"preprocessing", name(data::preprocessingNames(), d.preprocessing)},
        {"synthetic",
         {{"train_size", d.synthetic.trainSize},
          {"test_size", d.synthetic.testSize},
          {"shape", {d.synthetic.shape.channels, d.synthetic.shape.height, d.synthetic.shape.width}},
          {"classes", d.synthetic.numClasses},
          {"noise", d.synthetic.noise},
          {"seed", d.synthetic.seed}}}}},
      {"settings", settings},
      {"sweep_levels", spec.sweepLevels},
      {"model",
       {{"architecture", name(models::architectureNames(), m.architecture)},
        {"depth", m.depth},
        {"width", m.width},
        {"batch_norm", m.batchNorm},
        {"dropout", m.dropout}}},
      {"optimizer",
       {{"kind", name(optimizerNames(), o.kind)},
        {"learning_rate", o.learningRate},
        {"momentum", o.momentum},
        {"weight_decay", o.weightDecay},
        {"schedule", name(scheduleNames(), o.schedule)},
        {"decay_factor", o.decayFactor},
        {"step_epochs", o.stepEpochs}}},
      {"regularizers",
       {{"augment", r.augment},
        {"crop_padding", r.cropPadding},
        {"horizontal_flip", r.horizontalFlip},
        {"early_stopping", r.earlyStopping},
        {"patience", r.patience},
        {"validation_fraction", r.validationFraction}}},
      {"training",
       {{"batch_size", t.batchSize},
        {"epochs", t.epochs},
        {"stop_when_fitted", t.stopWhenFitted},
        {"fit_threshold", t.fitThreshold}}},
      {"compute",
       {{"device", name(deviceChoiceNames(), spec.compute.device)},
        {"threads", spec.compute.threads},
        {"interleaved", spec.compute.interleaved}}},
      {"seed", spec.seed}};
}

void mergeJson(ExperimentSpec& spec, const json& document, const std::string& source) {
  const ObjectReader top(document, "", source,
                         {"name", "data", "settings", "sweep_levels", "model", "optimizer",
                          "regularizers", "training", "compute", "seed"});
  top.read("name", spec.name);
  top.read("seed", spec.seed);

  if (top.has("data")) {
    const auto d = top.child("data", {"dataset", "directory", "train_size", "test_size", "subset",
                                      "preprocessing", "synthetic"});
    d.read("dataset", spec.data.kind, data::datasetKindNames());
    d.read("directory", spec.data.directory);
    d.read("train_size", spec.data.trainSize);
    d.read("test_size", spec.data.testSize);
    d.read("subset", spec.data.subset, data::subsetMethodNames());
    d.read("preprocessing", spec.data.preprocessing, data::preprocessingNames());
    if (d.has("synthetic")) {
      auto& syn = spec.data.synthetic;
      const auto s = d.child("synthetic", {"train_size", "test_size", "shape", "classes", "noise", "seed"});
      s.read("train_size", syn.trainSize);
      s.read("test_size", syn.testSize);
      s.read("classes", syn.numClasses);
      s.read("noise", syn.noise);
      s.read("seed", syn.seed);
      if (s.has("shape")) {
        const json& shape = s.at("shape");
        if (!shape.is_array() || shape.size() != 3 ||
            !std::all_of(shape.begin(), shape.end(), [](const json& v) { return v.is_number_integer(); }))
          s.fail(s.where("shape"), "must be [channels, height, width]");
        syn.shape = {shape[0].get<int64_t>(), shape[1].get<int64_t>(), shape[2].get<int64_t>()};
      }
    }
  }

  if (top.has("settings")) {
    const json& list = top.at("settings");
    if (!list.is_array()) top.fail("settings", "must be a list such as [\"true\", \"random-labels\"]");
    spec.settings.clear();
    for (const auto& item : list) {
      if (!item.is_string()) top.fail("settings", "must hold strings");
      try {
        spec.settings.push_back(corruption::parseSetting(item.get<std::string>()));
      } catch (const InputError& error) {
        top.fail("settings", std::string("holds a bad setting: ") + error.what());
      }
    }
  }
  if (top.has("sweep_levels")) {
    const json& list = top.at("sweep_levels");
    if (!list.is_array()) top.fail("sweep_levels", "must be a list of numbers");
    spec.sweepLevels.clear();
    for (const auto& item : list) {
      if (!item.is_number()) top.fail("sweep_levels", "must hold numbers");
      spec.sweepLevels.push_back(item.get<double>());
    }
  }

  if (top.has("model")) {
    const auto m = top.child("model", {"architecture", "depth", "width", "batch_norm", "dropout"});
    m.read("architecture", spec.model.architecture, models::architectureNames());
    m.read("depth", spec.model.depth);
    m.read("width", spec.model.width);
    m.read("batch_norm", spec.model.batchNorm);
    m.read("dropout", spec.model.dropout);
  }
  if (top.has("optimizer")) {
    auto& o = spec.optimizer;
    const auto r = top.child("optimizer", {"kind", "learning_rate", "momentum", "weight_decay",
                                           "schedule", "decay_factor", "step_epochs"});
    r.read("kind", o.kind, optimizerNames());
    r.read("learning_rate", o.learningRate);
    r.read("momentum", o.momentum);
    r.read("weight_decay", o.weightDecay);
    r.read("schedule", o.schedule, scheduleNames());
    r.read("decay_factor", o.decayFactor);
    r.read("step_epochs", o.stepEpochs);
  }
  if (top.has("regularizers")) {
    auto& g = spec.regularizers;
    const auto r = top.child("regularizers", {"augment", "crop_padding", "horizontal_flip",
                                              "early_stopping", "patience", "validation_fraction"});
    r.read("augment", g.augment);
    r.read("crop_padding", g.cropPadding);
    r.read("horizontal_flip", g.horizontalFlip);
    r.read("early_stopping", g.earlyStopping);
    r.read("patience", g.patience);
    r.read("validation_fraction", g.validationFraction);
  }
  if (top.has("training")) {
    auto& t = spec.training;
    const auto r = top.child("training", {"batch_size", "epochs", "stop_when_fitted", "fit_threshold"});
    r.read("batch_size", t.batchSize);
    r.read("epochs", t.epochs);
    r.read("stop_when_fitted", t.stopWhenFitted);
    r.read("fit_threshold", t.fitThreshold);
  }
  if (top.has("compute")) {
    const auto r = top.child("compute", {"device", "threads", "interleaved"});
    r.read("device", spec.compute.device, deviceChoiceNames());
    r.read("threads", spec.compute.threads);
    r.read("interleaved", spec.compute.interleaved);
  }
}

json readJsonFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
    throw InputError("JSON file '" + path.string() + "' is not a file");
  std::ifstream in(path);
  if (!in) throw InputError("cannot read JSON file '" + path.string() + "'");
  try {
    return json::parse(in);
  } catch (const json::parse_error& error) {
    throw InputError("JSON file '" + path.string() + "' is malformed at byte " +
                     std::to_string(error.byte) + ": " + error.what());
  } catch (const std::exception& error) {
    // libstdc++ reports a read error (EIO, a file that vanished) by throwing from the stream.
    throw InputError("cannot read JSON file '" + path.string() + "': " + firstLine(error.what()));
  }
}

namespace {

/// 'path' in quotes, for messages. (Built by appending: GCC 12 at -O3 warns falsely about
/// "'" + path.string() + "'".)
std::string quoted(const std::filesystem::path& path) {
  std::string text(1, '\'');
  text += path.string();
  text += '\'';
  return text;
}

/// `spec` after validation; an InputError names the file it came from.
ExperimentSpec checked(ExperimentSpec spec, const std::filesystem::path& path) {
  try {
    validate(spec);
  } catch (const InputError& error) {
    throw InputError(quoted(path) + ": " + error.what());
  }
  return spec;
}

} // namespace

ExperimentSpec loadSpecFile(const std::filesystem::path& path, ExperimentSpec base) {
  mergeJson(base, readJsonFile(path), quoted(path));
  return checked(std::move(base), path);
}

} // namespace genlab::results

namespace genlab::results {

ExperimentSpec loadSpecFile(const std::filesystem::path& path) {
  ExperimentSpec defaults;
  mergeJson(defaults, readJsonFile(path), quoted(path));
  return checked(std::move(defaults), path);
}

} // namespace genlab::results
