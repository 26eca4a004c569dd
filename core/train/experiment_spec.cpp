#include "core/train/experiment_spec.h"

#include "core/errors.h"
#include "core/format.h"
#include "core/train/spec_fields.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace genlab::train {

std::span<const NamedValue<Optimizer>> optimizerNames() {
  static constexpr NamedValue<Optimizer> table[] = {{Optimizer::Sgd, "sgd"},
                                                    {Optimizer::Adam, "adam"}};
  return table;
}

std::span<const NamedValue<Schedule>> scheduleNames() {
  static constexpr NamedValue<Schedule> table[] = {{Schedule::Constant, "constant"},
                                                   {Schedule::Exponential, "exponential"},
                                                   {Schedule::Step, "step"}};
  return table;
}

std::span<const NamedValue<DeviceChoice>> deviceChoiceNames() {
  static constexpr NamedValue<DeviceChoice> table[] = {{DeviceChoice::Auto, "auto"},
                                                       {DeviceChoice::Cpu, "cpu"},
                                                       {DeviceChoice::Cuda, "cuda"}};
  return table;
}

std::vector<corruption::Setting> runSettings(const ExperimentSpec& spec) {
  if (spec.sweepLevels.empty()) return spec.settings;
  std::vector<corruption::Setting> settings;
  for (const double level : spec.sweepLevels)
    settings.push_back(corruption::Setting::partialLabels(level));
  return settings;
}

int64_t epochsPerRun(const ExperimentSpec& spec) {
  return models::isClosedForm(spec.model.architecture) ? 1 : spec.training.epochs;
}

namespace {

void require(bool ok, const std::string& message) {
  if (!ok) throw InputError(message);
}

} // namespace

std::string describeExperiment(const ExperimentSpec& spec) {
  std::string runs;
  if (!spec.sweepLevels.empty())
    runs = "label-corruption sweep of " + std::to_string(spec.sweepLevels.size()) + " levels";
  else if (spec.settings.size() == 1)
    runs = spec.settings.front().name();
  else
    runs = std::to_string(spec.settings.size()) + " settings";
  const std::string regularizers = describeRegularizers(spec);
  models::ModelSpec network = spec.model;
  network.dropout = 0;  // named once, among the regularizers
  return models::describe(network) + ", " + runs + ", " + data::displayName(spec.data.kind) +
         (regularizers == "none" ? std::string() : ", " + regularizers);
}

std::string describeRegularizers(const ExperimentSpec& spec) {
  std::string out;
  const auto add = [&](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
  std::ostringstream decay;
  decay << spec.optimizer.weightDecay;
  if (spec.optimizer.weightDecay > 0) add("weight decay " + decay.str());
  if (spec.model.dropout > 0) add("dropout " + fixed(spec.model.dropout, 2));
  if (spec.regularizers.augment) add("augmentation");
  if (spec.regularizers.earlyStopping) add("early stopping");
  return out.empty() ? "none" : out;
}

namespace {

/// The most bytes a synthetic data set may take as float32 images: a bound on what generating
/// it may ask of memory.
constexpr double kMaxSyntheticBytes = 8.0 * (uint64_t{1} << 30);

/// The most bytes of float64 matrices a closed-form run may ask for: the n x n kernel matrix
/// (about 23,000 training images), or the random features with their SVD. A few times this is
/// what a desktop has to spare.
constexpr double kMaxClosedFormBytes = 4.0 * (uint64_t{1} << 30);

/// Three significant digits: "1.07e+12", "6.5".
std::string approx(double value) {
  std::ostringstream out;
  out << std::setprecision(3) << value;
  return out.str();
}

/// What fits each field's range may still not fit the machine: the network's parameters and a
/// synthetic data set's images, estimated before anything is allocated.
void checkMemory(const ExperimentSpec& spec) {
  const data::DataFormat format = data::expectedFormat(spec.data);
  const auto values = static_cast<double>(format.shape.values());  // sides are at most 2048
  if (spec.data.kind == data::DatasetKind::Synthetic) {
    const double images = static_cast<double>(spec.data.synthetic.trainSize) +
                          static_cast<double>(spec.data.synthetic.testSize);
    const double bytes = images * values * 4;
    require(bytes <= kMaxSyntheticBytes,
            "a synthetic data set of " + approx(images) + " images of " +
                format.shape.toString() + " takes " + approx(bytes / (1 << 30)) +
                " GiB; the most is " + approx(kMaxSyntheticBytes / (1 << 30)) +
                " GiB (data.synthetic.train_size, data.synthetic.test_size, data.synthetic.shape)");
  }
  if (spec.model.architecture == models::Architecture::Mlp) {
    const double parameters = models::mlpParameterCount(
        spec.model, static_cast<int64_t>(values), format.numClasses);
    require(parameters <= models::kMaxParameters,
            "an MLP of depth " + std::to_string(spec.model.depth) + " and width " +
                std::to_string(spec.model.width) + " on " + format.shape.toString() +
                " images has " + approx(parameters) + " parameters; the most is " +
                approx(models::kMaxParameters) + " (model.depth, model.width)");
  }
}

std::string gib(double bytes) { return approx(bytes / double(uint64_t{1} << 30)) + " GiB"; }

/// The closed-form models (models::isClosedForm) solve once for the minimum-norm fit: what
/// regularizes or measures a network trained by steps has no meaning for them, and their
/// float64 matrices must fit in memory.
void checkClosedForm(const ExperimentSpec& spec) {
  const bool kernel = spec.model.architecture == models::Architecture::Kernel;
  const std::string model = kernel ? "kernel interpolation" : "random-feature regression";
  // One message per field: what it is for, and what this model has instead.
  const auto refuse = [&](bool given, const std::string& what, const std::string& instead,
                          const char* path) {
    require(!given, what + "; " + model + " " + instead + " (" + path + ")");
  };
  refuse(spec.model.dropout > 0, "dropout applies to networks", "has none", "model.dropout");
  refuse(spec.model.batchNorm, "batch norm applies to networks", "has none", "model.batch_norm");
  refuse(spec.optimizer.weightDecay > 0, "weight decay applies to networks trained by steps",
         "is the minimum-norm solution, with no penalty", "optimizer.weight_decay");
  refuse(spec.regularizers.augment, "augmentation applies to networks trained by steps",
         "has none", "regularizers.augment");
  refuse(spec.regularizers.earlyStopping, "early stopping applies to networks trained by steps",
         "is one solve", "regularizers.early_stopping");
  refuse(spec.measures.memorization, "memorization is measured on networks trained by steps",
         "is one solve", "measures.memorization");
  refuse(spec.measures.capacity, "capacity measures apply to a network's layers",
         "has none; its norm is in summary.json", "measures.capacity");

  const int64_t images = data::expectedFormat(spec.data).trainImages;
  const auto n = static_cast<double>(images);
  const std::string count = std::to_string(images);
  if (kernel) {
    const double bytes = 8 * n * n;
    require(bytes <= kMaxClosedFormBytes,
            "kernel interpolation of " + count + " training images builds a " + count + " x " +
                count + " kernel matrix of float64 numbers, " + gib(bytes) + "; the most is " +
                gib(kMaxClosedFormBytes) + ", " +
                std::to_string(static_cast<int64_t>(std::sqrt(kMaxClosedFormBytes / 8))) +
                " images (data.train_size)");
  } else {
    const auto features = static_cast<double>(spec.model.features);
    // The features of the training images, the SVD's copy of them and its two factors.
    const double bytes = 8 * (2 * n * features + (n + features) * std::min(n, features));
    require(bytes <= kMaxClosedFormBytes,
            "random-feature regression of " + count + " training images on " +
                std::to_string(spec.model.features) + " features needs about " + gib(bytes) +
                " for the features and their SVD; the most is " + gib(kMaxClosedFormBytes) +
                " (data.train_size, model.features)");
  }
}

} // namespace

void validate(const ExperimentSpec& spec) {
  checkBounds(spec);
  models::validate(spec.model);
  if (models::isClosedForm(spec.model.architecture)) checkClosedForm(spec);
  checkMemory(spec);

  const auto settings = runSettings(spec);
  require(!settings.empty(), "no corruption setting chosen: an experiment needs at least one run");
  for (const auto& setting : settings) corruption::validate(setting);
}

} // namespace genlab::train
