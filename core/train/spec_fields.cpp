#include "core/train/spec_fields.h"

#include "core/errors.h"
#include "core/format.h"
#include "core/utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <type_traits>

namespace genlab::train {

using nlohmann::json;

namespace {

// ---- Access to a member of ExperimentSpec through a chain of member pointers -------------

template <auto... Members>
auto& member(ExperimentSpec& spec) {
  return (spec .* ... .* Members);
}
template <auto... Members>
const auto& member(const ExperimentSpec& spec) {
  return (spec .* ... .* Members);
}

template <class T>
constexpr FieldType typeOf() {
  if constexpr (std::is_same_v<T, bool>) return FieldType::Flag;
  else if constexpr (std::is_same_v<T, uint64_t>) return FieldType::Natural;
  else if constexpr (std::is_integral_v<T>) return FieldType::Integer;
  else if constexpr (std::is_floating_point_v<T>) return FieldType::Number;
  else return FieldType::Text;
}

template <auto... Members>
json getPlain(const ExperimentSpec& spec) {
  return member<Members...>(spec);
}
template <auto... Members>
void setPlain(ExperimentSpec& spec, const json& value) {
  auto& target = member<Members...>(spec);
  target = value.get<std::remove_reference_t<decltype(target)>>();
}

/// A field stored as it is in the spec: numbers, flags, text.
template <auto... Members>
SpecField plain(std::string_view path, std::string_view label, std::string_view unit,
                Bounds bounds, std::string_view help) {
  using T = std::remove_cvref_t<decltype(member<Members...>(std::declval<const ExperimentSpec&>()))>;
  SpecField field;
  field.path = path;
  field.type = typeOf<T>();
  field.label = label;
  field.unit = unit;
  field.help = help;
  field.bounds = bounds;
  field.get = &getPlain<Members...>;
  field.set = &setPlain<Members...>;
  return field;
}

template <auto Names>
std::vector<std::string> namesOf() {
  std::vector<std::string> out;
  for (const auto& entry : Names()) out.emplace_back(entry.name);
  return out;
}
template <auto Names, auto... Members>
json getChoice(const ExperimentSpec& spec) {
  return std::string(nameOf(Names(), member<Members...>(spec)));
}
template <auto Names, auto... Members>
void setChoice(ExperimentSpec& spec, const json& value) {
  member<Members...>(spec) = *valueNamed(Names(), value.get<std::string>());
}

/// A field that holds one name of an enum's table.
template <auto Names, auto... Members>
SpecField choice(std::string_view path, std::string_view label, std::string_view help) {
  SpecField field;
  field.path = path;
  field.type = FieldType::Choice;
  field.label = label;
  field.help = help;
  field.choices = &namesOf<Names>;
  field.get = &getChoice<Names, Members...>;
  field.set = &setChoice<Names, Members...>;
  return field;
}

Bounds atLeast(double min) { return {min, std::nullopt, false, false}; }
Bounds above(double min) { return {min, std::nullopt, true, false}; }
Bounds within(double min, double max, bool minOpen = false, bool maxOpen = false) {
  return {min, max, minOpen, maxOpen};
}
const Bounds kAny{};

std::vector<SpecField> makeTable() {
  using E = ExperimentSpec;
  using D = data::DataSpec;
  using S = data::SyntheticSpec;
  using M = models::ModelSpec;
  using O = OptimizerSpec;
  using R = RegularizerSpec;
  using T = TrainingSpec;
  using Me = MeasureSpec;
  using C = ComputeSpec;
  std::vector<SpecField> table;
  table.push_back(plain<&E::name>("name", "name", "", kAny,
      "the experiment's name, for titles and results folders"));

  table.push_back(choice<&data::datasetKindNames, &E::data, &D::kind>("data.dataset", "data set",
      "the data set"));
  table.push_back(plain<&E::data, &D::directory>("data.directory", "data folder", "", kAny,
      "folder of the data set files (empty: $GENLAB_DATA_DIR, else the dataset-fashion-mnist "
      "package folder)"));
  table.push_back(plain<&E::data, &D::trainSize>("data.train_size", "training-set size", "images",
      atLeast(0), "training images to use, 0 for all"));
  table.push_back(plain<&E::data, &D::testSize>("data.test_size", "test-set size", "images",
      atLeast(0), "test images to use, 0 for all"));
  table.push_back(choice<&data::subsetMethodNames, &E::data, &D::subset>("data.subset",
      "subset method", "how a subset is chosen"));
  table.push_back(choice<&data::preprocessingNames, &E::data, &D::preprocessing>(
      "data.preprocessing", "preprocessing", "how images are prepared"));
  table.push_back(plain<&E::data, &D::synthetic, &S::trainSize>("data.synthetic.train_size",
      "synthetic training-set size", "images", within(1, 1e7), "images of the synthetic training set"));
  table.push_back(plain<&E::data, &D::synthetic, &S::testSize>("data.synthetic.test_size",
      "synthetic test-set size", "images", within(1, 1e7), "images of the synthetic test set"));
  {
    SpecField shape;
    shape.path = "data.synthetic.shape";
    shape.type = FieldType::Shape;
    shape.label = "synthetic image shape";
    shape.help = "channels x height x width of the synthetic images";
    shape.bounds = within(1, 2048);
    shape.get = [](const E& spec) -> json {
      const auto& s = spec.data.synthetic.shape;
      return json::array({s.channels, s.height, s.width});
    };
    shape.set = [](E& spec, const json& value) {
      spec.data.synthetic.shape = {value[0].get<int64_t>(), value[1].get<int64_t>(),
                                   value[2].get<int64_t>()};
    };
    table.push_back(shape);
  }
  table.push_back(plain<&E::data, &D::synthetic, &S::numClasses>("data.synthetic.classes",
      "synthetic class count", "classes", within(2, 1000), "classes of the synthetic data set"));
  table.push_back(plain<&E::data, &D::synthetic, &S::noise>("data.synthetic.noise",
      "synthetic noise level", "", atLeast(0),
      "standard deviation of the pixel noise around each class's prototype"));
  table.push_back(plain<&E::data, &D::synthetic, &S::seed>("data.synthetic.seed",
      "synthetic data seed", "", kAny, "seed of the synthetic prototypes and noise"));

  {
    SpecField settings;
    settings.path = "settings";
    settings.type = FieldType::SettingList;
    settings.label = "corruption settings";
    settings.help = "the settings compared side by side, one run each: true, random-labels, "
                    "shuffled-pixels, random-pixels, gaussian, or labels:P with P in [0, 1]";
    settings.get = [](const E& spec) -> json {
      json list = json::array();
      for (const auto& s : spec.settings) list.push_back(s.key());
      return list;
    };
    settings.set = [](E& spec, const json& value) {
      spec.settings.clear();
      for (const auto& item : value) spec.settings.push_back(corruption::parseSetting(item.get<std::string>()));
    };
    table.push_back(settings);
  }
  {
    SpecField levels;
    levels.path = "sweep_levels";
    levels.type = FieldType::NumberList;
    levels.label = "label-corruption levels";
    levels.help = "a label-corruption sweep, one run per level (replaces settings); empty: none";
    levels.bounds = within(0, 1);
    levels.get = [](const E& spec) -> json { return spec.sweepLevels; };
    levels.set = [](E& spec, const json& value) { spec.sweepLevels = value.get<std::vector<double>>(); };
    table.push_back(levels);
  }

  table.push_back(choice<&models::architectureNames, &E::model, &M::architecture>(
      "model.architecture", "architecture",
      "the network, or a linear model fitted in closed form (the paper's Section 5)"));
  table.push_back(plain<&E::model, &M::depth>("model.depth", "MLP depth", "layers", within(1, 1000),
      "MLP: hidden layers"));
  table.push_back(plain<&E::model, &M::width>("model.width", "MLP width", "units", within(1, 1e6),
      "MLP: units per hidden layer"));
  table.push_back(plain<&E::model, &M::batchNorm>("model.batch_norm", "batch norm", "", kAny,
      "batch normalization"));
  table.push_back(plain<&E::model, &M::dropout>("model.dropout", "dropout", "", within(0, 1, false, true),
      "dropout probability after each hidden dense layer"));
  table.push_back(choice<&closed_form::kernelKindNames, &E::model, &M::kernel>("model.kernel",
      "kernel", "the kernel of kernel interpolation, or the one random-features stand for "
      "(arccos: ReLU features, rbf: Fourier features)"));
  table.push_back(plain<&E::model, &M::bandwidth>("model.bandwidth", "bandwidth", "", atLeast(0),
      "rbf kernel and Fourier features: sigma in exp(-|x - z|^2 / (2 sigma^2)); 0: from the "
      "training images, sigma^2 = their total pixel variance"));
  table.push_back(plain<&E::model, &M::features>("model.features", "random features", "features",
      within(1, 1e6), "random-features: N, the number of random features"));

  table.push_back(choice<&optimizerNames, &E::optimizer, &O::kind>("optimizer.kind", "optimizer",
      "the optimizer"));
  table.push_back(plain<&E::optimizer, &O::learningRate>("optimizer.learning_rate",
      "learning rate", "", above(0), "initial learning rate"));
  table.push_back(plain<&E::optimizer, &O::momentum>("optimizer.momentum", "momentum", "",
      within(0, 1, false, true), "SGD momentum"));
  table.push_back(plain<&E::optimizer, &O::weightDecay>("optimizer.weight_decay", "weight decay",
      "", atLeast(0), "L2 weight decay coefficient (an explicit regularizer)"));
  table.push_back(choice<&scheduleNames, &E::optimizer, &O::schedule>("optimizer.schedule",
      "learning-rate schedule", "how the learning rate changes over epochs"));
  table.push_back(plain<&E::optimizer, &O::decayFactor>("optimizer.decay_factor",
      "learning-rate decay factor", "", within(0, 1, true, false),
      "factor of the exponential (per epoch) and step schedules"));
  table.push_back(plain<&E::optimizer, &O::stepEpochs>("optimizer.step_epochs",
      "learning-rate step", "epochs", within(1, 1e6), "epochs between decays of the step schedule"));

  table.push_back(plain<&E::regularizers, &R::augment>("regularizers.augment", "augmentation", "",
      kAny, "data augmentation: random crops and horizontal flips"));
  table.push_back(plain<&E::regularizers, &R::cropPadding>("regularizers.crop_padding",
      "crop padding", "pixels", within(0, 64), "zero padding before the random crop"));
  table.push_back(plain<&E::regularizers, &R::horizontalFlip>("regularizers.horizontal_flip",
      "horizontal flip", "", kAny, "flip half of each batch left-right when augmenting"));
  table.push_back(plain<&E::regularizers, &R::earlyStopping>("regularizers.early_stopping",
      "early stopping", "", kAny, "stop a run when the validation loss stops improving"));
  table.push_back(plain<&E::regularizers, &R::patience>("regularizers.patience",
      "early-stopping patience", "epochs", atLeast(1),
      "epochs without a lower validation loss before early stopping"));
  table.push_back(plain<&E::regularizers, &R::validationFraction>(
      "regularizers.validation_fraction", "validation fraction", "", within(0, 1, true, true),
      "share of the training set held out when early stopping"));

  table.push_back(plain<&E::training, &T::batchSize>("training.batch_size", "batch size",
      "images", within(1, 65536), "images per SGD step"));
  table.push_back(plain<&E::training, &T::epochs>("training.epochs", "epochs", "epochs",
      within(1, 1e6), "at most this many epochs per run"));
  table.push_back(plain<&E::training, &T::stopWhenFitted>("training.stop_when_fitted",
      "stop when fitted", "", kAny, "end a run once its training accuracy reaches the fit threshold"));
  table.push_back(plain<&E::training, &T::fitThreshold>("training.fit_threshold", "fit threshold",
      "", within(0, 1, true, false), "training accuracy that counts as fitted (1: zero error)"));

  table.push_back(plain<&E::measures, &Me::memorization>("measures.memorization", "memorization",
      "", kAny, "per epoch, the fractions of clean and of corrupted training examples fitted "
      "(an evaluation pass over the training set each epoch)"));
  table.push_back(plain<&E::measures, &Me::capacity>("measures.capacity", "capacity measures",
      "", kAny, "per epoch, distance from initialization, product of spectral norms, sum of squared "
      "Frobenius norms, output margin and margin-normalized spectral complexity"));

  table.push_back(choice<&deviceChoiceNames, &E::compute, &C::device>("compute.device", "device",
      "where to train (auto: CUDA when present)"));
  table.push_back(plain<&E::compute, &C::threads>("compute.threads", "thread count", "threads",
      within(0, 1024), "CPU threads, 0 for OMP_NUM_THREADS when set, else every core"));
  table.push_back(plain<&E::compute, &C::interleaved>("compute.interleaved", "interleaved", "",
      kAny, "train the runs a chunk at a time in turn (false: one after another)"));
  table.push_back(plain<&E::compute, &C::concurrentRuns>("compute.concurrent_runs",
      "runs at once", "runs", within(0, 1024),
      "interleaved runs trained at the same time, each on its own CPU cores (on a GPU: its own "
      "thread and stream); 0 for as many as cores"));
  table.push_back(plain<&E::compute, &C::checkpointEpochs>("compute.checkpoint_epochs",
      "checkpoint interval", "epochs", atLeast(0),
      "save each run's state every this many epochs (0: only when stopped or interrupted)"));

  table.push_back(plain<&E::seed>("seed", "seed", "", kAny,
      "seed of subsets, corruptions, initial weights and batch order"));
  return table;
}

// ---- Values in words ----------------------------------------------------------------------

std::string number(double value) {
  if (std::isfinite(value) && value == std::round(value) && std::abs(value) < 1e15)
    return std::to_string(static_cast<int64_t>(value));
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string typeName(const SpecField& field) {
  switch (field.type) {
  case FieldType::Integer: return "an integer";
  case FieldType::Natural: return "a non-negative integer";
  case FieldType::Number: return "a number";
  case FieldType::Flag: return "true or false";
  case FieldType::Text: return "a string";
  case FieldType::Choice: return "one of " + join(field.choices(), ", ");
  case FieldType::SettingList: return "a list of corruption settings such as [\"true\", \"random-labels\"]";
  case FieldType::NumberList: return "a list of numbers";
  case FieldType::Shape: return "[channels, height, width]";
  }
  return "a value";
}

std::string intervalText(const Bounds& b) {
  return std::string(b.minOpen ? "(" : "[") + number(*b.min) + ", " + number(*b.max) +
         (b.maxOpen ? ")" : "]");
}

/// "must be a positive number", "is outside [0, 1)", or empty when `value` is in bounds.
std::string boundsProblem(const Bounds& b, double value) {
  const bool low = b.min && (b.minOpen ? !(value > *b.min) : !(value >= *b.min));
  const bool high = b.max && (b.maxOpen ? !(value < *b.max) : !(value <= *b.max));
  if (!low && !high && std::isfinite(value)) return {};
  if (b.min && b.max) return "is outside " + intervalText(b);
  if (b.min && *b.min == 0) return b.minOpen ? "must be a positive number" : "must not be negative";
  if (b.min) return (b.minOpen ? "must be greater than " : "must be at least ") + number(*b.min);
  if (b.max) return (b.maxOpen ? "must be less than " : "must be at most ") + number(*b.max);
  return "must be a finite number";
}

std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string> splitList(const std::string& text, const char* separators) {
  std::vector<std::string> items;
  std::string item;
  for (const char c : text) {
    if (std::string_view(separators).find(c) != std::string_view::npos) {
      items.push_back(trimmed(item));
      item.clear();
    } else {
      item += c;
    }
  }
  items.push_back(trimmed(item));
  return items;
}

} // namespace

std::string_view SpecField::shortName() const {
  const auto dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

std::span<const SpecField> specFields() {
  static const std::vector<SpecField> table = makeTable();
  return table;
}

const SpecField* findSpecField(std::string_view path) {
  for (const auto& field : specFields())
    if (field.path == path) return &field;
  return nullptr;
}

const SpecField& requireSpecField(std::string_view path, std::string_view source) {
  if (const SpecField* field = findSpecField(path)) return *field;
  const SpecField* nearest = nullptr;
  std::size_t best = 0;
  for (const auto& field : specFields()) {
    const std::size_t distance = std::min(editDistance(path, field.path), editDistance(path, field.shortName()));
    if (!nearest || distance < best) {
      nearest = &field;
      best = distance;
    }
  }
  std::string message = (source.empty() ? "" : std::string(source) + ": ") + "'" + std::string(path) +
                        "' is not a field of the experiment";
  if (nearest && best <= std::max<std::size_t>(2, path.size() / 3))
    message += " (did you mean " + std::string(nearest->path) + "?)";
  throw InputError(message);
}

void setField(ExperimentSpec& spec, const SpecField& field, const json& value,
              const std::string& source) {
  const auto fail = [&](const std::string& problem) -> void {
    throw InputError((source.empty() ? "" : source + ": ") + "'" + std::string(field.path) + "' " + problem);
  };
  bool ok = false;
  switch (field.type) {
  case FieldType::Integer: ok = value.is_number_integer(); break;
  case FieldType::Natural: ok = value.is_number_unsigned(); break;
  case FieldType::Number: ok = value.is_number(); break;
  case FieldType::Flag: ok = value.is_boolean(); break;
  case FieldType::Text: ok = value.is_string(); break;
  case FieldType::Choice:
    ok = value.is_string();
    if (ok) {
      const auto names = field.choices();
      if (std::find(names.begin(), names.end(), value.get<std::string>()) == names.end())
        fail("is '" + value.get<std::string>() + "', not one of " + join(names, ", "));
    }
    break;
  case FieldType::SettingList:
    ok = value.is_array() && std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); });
    if (ok) {
      for (const auto& item : value) {
        try {
          corruption::parseSetting(item.get<std::string>());
        } catch (const InputError& error) {
          fail(std::string("holds a bad setting: ") + error.what());
        }
      }
    }
    break;
  case FieldType::NumberList:
    ok = value.is_array() && std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_number(); });
    break;
  case FieldType::Shape:
    ok = value.is_array() && value.size() == 3 &&
         std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_number_integer(); });
    break;
  }
  if (!ok) fail("must be " + typeName(field));
  // A spec is written as JSON (spec.json, presets), which holds UTF-8 text only.
  if (field.type == FieldType::Text && !isUtf8(value.get<std::string>())) fail("must be UTF-8 text");
  if (field.type == FieldType::Integer) {
    // Narrow fields (int) must not wrap around.
    const json back = [&] {
      ExperimentSpec probe = spec;
      field.set(probe, value);
      return field.get(probe);
    }();
    if (back != value) fail("is " + value.dump() + ", too large");
  }
  field.set(spec, value);
}

json parseFieldText(const SpecField& field, const std::string& raw, const std::string& where) {
  const std::string text = trimmed(raw);
  const auto fail = [&](const std::string& problem) -> void {
    throw InputError((where.empty() ? "'" + std::string(field.path) + "'" : where) + ": '" + raw +
                     "' " + problem);
  };
  const auto parseNumber = [&](const std::string& item) -> double {
    try {
      std::size_t used = 0;
      const double value = std::stod(item, &used);
      if (used == item.size() && std::isfinite(value)) return value;
    } catch (const std::exception&) {
    }
    fail("is not a number");
    return 0;
  };
  switch (field.type) {
  case FieldType::Integer:
  case FieldType::Natural: {
    const bool natural = field.type == FieldType::Natural;
    try {
      std::size_t used = 0;
      if (natural && !text.empty() && text[0] == '-') throw std::invalid_argument(text);
      if (natural) {
        const unsigned long long value = std::stoull(text, &used);
        if (used == text.size()) return json(static_cast<uint64_t>(value));
      } else {
        const long long value = std::stoll(text, &used);
        if (used == text.size()) return json(static_cast<int64_t>(value));
      }
    } catch (const std::exception&) {
    }
    fail(natural ? "is not a non-negative integer" : "is not an integer");
    break;
  }
  case FieldType::Number: return parseNumber(text);
  case FieldType::Flag:
    if (text == "true" || text == "on" || text == "yes" || text == "1") return true;
    if (text == "false" || text == "off" || text == "no" || text == "0") return false;
    fail("is not on or off");
    break;
  case FieldType::Text: return raw;
  case FieldType::Choice: {
    const auto names = field.choices();
    if (std::find(names.begin(), names.end(), text) == names.end())
      fail("is not one of " + join(names, ", "));
    return text;
  }
  case FieldType::SettingList:
  case FieldType::NumberList: {
    if (!text.empty() && text.front() == '[') {
      json parsed = json::parse(text, nullptr, false);
      if (parsed.is_discarded()) fail("is not a JSON list");
      return parsed;
    }
    json list = json::array();
    if (text.empty()) return list;
    for (const auto& item : splitList(text, ",")) {
      if (field.type == FieldType::NumberList) list.push_back(parseNumber(item));
      else list.push_back(item);
    }
    return list;
  }
  case FieldType::Shape: {
    const auto parts = splitList(text, "x,");
    if (parts.size() != 3) fail("is not a shape such as 3x32x32");
    json shape = json::array();
    for (const auto& part : parts) {
      try {
        std::size_t used = 0;
        const long long value = std::stoll(part, &used);
        if (used != part.size()) throw std::invalid_argument(part);
        shape.push_back(static_cast<int64_t>(value));
      } catch (const std::exception&) {
        fail("is not a shape such as 3x32x32");
      }
    }
    return shape;
  }
  }
  return {};
}

void applyAssignment(ExperimentSpec& spec, const std::string& assignment) {
  const auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0)
    throw InputError("--set '" + assignment + "' is not PATH=VALUE (e.g. model.width=1024)");
  const SpecField& field = requireSpecField(trimmed(assignment.substr(0, equals)), "--set");
  setField(spec, field, parseFieldText(field, assignment.substr(equals + 1), "--set " + std::string(field.path)),
           "--set");
}

std::string fieldText(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) return number(value.get<double>());
  if (value.is_array() && value.size() == 3 &&
      std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_number_integer(); }))
    return value[0].dump() + "x" + value[1].dump() + "x" + value[2].dump();
  if (value.is_array()) {
    std::string out = "[";
    for (const auto& item : value) {
      if (out.size() > 1) out += ',';
      out += fieldText(item);
    }
    return out += ']';
  }
  return value.dump();
}

std::string describeBounds(const SpecField& field) {
  const Bounds& b = field.bounds;
  if (b.min && b.max) return "in " + intervalText(b);
  if (b.min && *b.min == 0) return b.minOpen ? "a positive number" : "not negative";
  if (b.min) return (b.minOpen ? "greater than " : "at least ") + number(*b.min);
  if (b.max) return (b.maxOpen ? "less than " : "at most ") + number(*b.max);
  return {};
}

void checkBounds(const ExperimentSpec& spec) {
  for (const auto& field : specFields()) {
    if (field.type != FieldType::Integer && field.type != FieldType::Natural &&
        field.type != FieldType::Number && field.type != FieldType::Shape)
      continue;
    const json value = field.get(spec);
    const auto check = [&](double number, const std::string& shown) {
      const std::string problem = boundsProblem(field.bounds, number);
      if (!problem.empty())
        throw InputError(std::string(field.label) + " " + shown + " " + problem + " (" +
                         std::string(field.path) + ")");
    };
    if (field.type == FieldType::Shape) {
      for (const auto& side : value) check(side.get<double>(), fieldText(value));
    } else if (field.type == FieldType::Number) {
      check(value.get<double>(), number(value.get<double>()));
    } else {
      check(value.get<double>(), value.dump());
    }
  }
}

} // namespace genlab::train
