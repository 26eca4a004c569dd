#include "core/train/experiment_spec.h"

#include "core/errors.h"
#include "core/format.h"

#include <cmath>
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

std::string text(double value) {
  std::string s = fixed(value, 6);
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
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
  return models::describe(spec.model) + ", " + runs + ", " + data::displayName(spec.data.kind) +
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

void validate(const ExperimentSpec& spec) {
  const auto& o = spec.optimizer;
  require(std::isfinite(o.learningRate) && o.learningRate > 0,
          "learning rate " + text(o.learningRate) + " must be a positive number");
  require(o.momentum >= 0 && o.momentum < 1, "momentum " + text(o.momentum) + " is outside [0, 1)");
  require(std::isfinite(o.weightDecay) && o.weightDecay >= 0,
          "weight decay " + text(o.weightDecay) + " must not be negative");
  require(o.decayFactor > 0 && o.decayFactor <= 1,
          "learning-rate decay factor " + text(o.decayFactor) + " is outside (0, 1]");
  require(o.stepEpochs >= 1, "learning-rate step of " + std::to_string(o.stepEpochs) +
                                 " epochs must be at least 1");

  const auto& r = spec.regularizers;
  require(r.cropPadding >= 0, "crop padding " + std::to_string(r.cropPadding) + " is negative");
  require(r.patience >= 1, "early-stopping patience " + std::to_string(r.patience) +
                               " must be at least 1 epoch");
  require(r.validationFraction > 0 && r.validationFraction < 1,
          "validation fraction " + text(r.validationFraction) + " is outside (0, 1)");

  const auto& t = spec.training;
  require(t.batchSize >= 1, "batch size " + std::to_string(t.batchSize) + " must be at least 1");
  require(t.epochs >= 1, "epochs " + std::to_string(t.epochs) + " must be at least 1");
  require(t.fitThreshold > 0 && t.fitThreshold <= 1,
          "fit threshold " + text(t.fitThreshold) + " is outside (0, 1]");

  require(spec.compute.threads >= 0,
          "thread count " + std::to_string(spec.compute.threads) + " is negative");
  models::validate(spec.model);

  const auto settings = runSettings(spec);
  require(!settings.empty(), "no corruption setting chosen: an experiment needs at least one run");
  for (const auto& setting : settings) corruption::validate(setting);
}

} // namespace genlab::train
