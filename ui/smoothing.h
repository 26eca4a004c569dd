#pragma once
/// Smoothing of noisy curves (per-step training loss) for display, as TensorBoard smooths its
/// scalars: an exponential moving average, debiased so that the first points are not pulled
/// towards zero.

#include <cstdint>
#include <vector>

namespace genlab::ui {

/// TensorBoard's debiased exponential moving average, fed one point at a time, so that a live
/// curve can be smoothed as it grows without going over the old points again:
///   last = last * w + (1 - w) * y;   value = last / (1 - w^n)   (n finite points so far).
/// Non-finite inputs (NaN, infinity) are passed through as they are and leave the state alone.
class DebiasedSmoother {
public:
  /// `weight` in [0, 1): 0 turns smoothing off (every value is returned as it is); values
  /// outside are clamped into [0, 0.999].
  explicit DebiasedSmoother(double weight);

  /// The smoothed value at `y`, the newest point.
  double add(double y);
  /// Forgets every point seen, as for a new curve.
  void reset();

  double weight() const { return weight_; }

private:
  double weight_;
  double last_ = 0;
  double weightPower_ = 1;  ///< w^n, kept as a product so that add() costs no pow()
};

/// `y` smoothed with DebiasedSmoother(weight), point by point.
std::vector<double> smoothed(const std::vector<double>& y, double weight);

} // namespace genlab::ui
