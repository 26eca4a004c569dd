#include "ui/smoothing.h"

#include <algorithm>
#include <cmath>

namespace genlab::ui {

DebiasedSmoother::DebiasedSmoother(double weight)
    : weight_(std::isfinite(weight) ? std::clamp(weight, 0.0, 0.999) : 0.0) {}

double DebiasedSmoother::add(double y) {
  // A NaN or infinity would stay in `last_` for ever; show it where it is and go on.
  if (weight_ == 0 || !std::isfinite(y)) return y;
  last_ = last_ * weight_ + (1 - weight_) * y;
  weightPower_ *= weight_;
  return last_ / (1 - weightPower_);
}

void DebiasedSmoother::reset() {
  last_ = 0;
  weightPower_ = 1;
}

std::vector<double> smoothed(const std::vector<double>& y, double weight) {
  DebiasedSmoother smoother(weight);
  std::vector<double> out;
  out.reserve(y.size());
  for (double value : y) out.push_back(smoother.add(value));
  return out;
}

} // namespace genlab::ui
