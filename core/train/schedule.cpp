#include "core/train/schedule.h"

#include <cmath>

namespace genlab::train {

double learningRateAt(const OptimizerSpec& spec, int64_t epoch) {
  const auto decays = [&]() -> double {
    switch (spec.schedule) {
    case Schedule::Constant:
      return 0.0;
    case Schedule::Exponential:
      return static_cast<double>(epoch - 1);
    case Schedule::Step:
      return static_cast<double>((epoch - 1) / spec.stepEpochs);
    }
    return 0.0;
  }();
  return spec.learningRate * std::pow(spec.decayFactor, decays);
}

} // namespace genlab::train
