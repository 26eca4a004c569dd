#include "core/train/experiment_spec.h"

#include "core/errors.h"
#include "core/format.h"
#include "core/train/spec_fields.h"

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

} // namespace

void validate(const ExperimentSpec& spec) {
  checkBounds(spec);
  models::validate(spec.model);
  checkMemory(spec);

  const auto settings = runSettings(spec);
  require(!settings.empty(), "no corruption setting chosen: an experiment needs at least one run");
  for (const auto& setting : settings) corruption::validate(setting);
}

} // namespace genlab::train
