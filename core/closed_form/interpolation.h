#pragma once
/// The minimum-norm kernel interpolant of the paper's Section 5: solving K a = Y exactly fits
/// any labelling, and its RKHS norm tells true labels from random ones.

#include "core/closed_form/inputs.h"
#include "core/closed_form/kernel.h"

#include <torch/types.h>

#include <cstdint>
#include <optional>

namespace genlab::closed_form {

/// How to build the interpolant.
struct InterpolationSpec {
  KernelKind kernel = KernelKind::Rbf;
  /// Rbf only: the bandwidth sigma; nullopt: defaultBandwidth() of the (centred) training
  /// inputs, i.e. gamma = 1 / (2 x total pixel variance). Ignored by ArcCos.
  std::optional<double> bandwidth;
  /// Subtract the training inputs' mean from every input (training, test, predicted) first.
  /// The RBF kernel does not change; the arc-cosine kernel needs it on images.
  bool centre = true;
};

/// f(x) = sum_i a_i k(x_i, x) with K a = Y, K the training Gram matrix and Y the one-hot
/// targets [n, classes]: of all functions in the kernel's RKHS that fit the training labels
/// exactly, the one of least norm. Everything is float64 on the CPU.
///
/// Construction computes K by blocks of rows with matrix products, factors it in place by
/// Cholesky (K = L L^T) and solves with two triangular solves: its memory is K (8 n^2 bytes,
/// 800 MB for n = 10,000) plus the inputs and blocks of a few tens of MB; K is released
/// afterwards. If K is not numerically positive definite (duplicate inputs, for ArcCos
/// parallel ones, or an RBF bandwidth so large that K is singular in float64), construction
/// throws InputError instead of adding a jitter: a jittered solution no longer interpolates,
/// which is what Section 5 is about.
class KernelInterpolant {
public:
  /// images [n, ...] floating point, labels [n] int64 in [0, numClasses). Throws InputError on
  /// bad input (none, mismatched sizes, labels out of range, non-finite values, a bad
  /// bandwidth) and when K is not positive definite.
  KernelInterpolant(const torch::Tensor& images, const torch::Tensor& labels, int64_t numClasses,
                    const InterpolationSpec& spec = {});

  /// Class scores f(x), float64 [m, numClasses], for images [m, ...] of the training images'
  /// size, computed by blocks (no m x n matrix is held). On the training images they are Y
  /// up to rounding. Throws InputError on images of another size.
  torch::Tensor predict(const torch::Tensor& images) const;

  /// The RKHS norm of f: sqrt(trace(a^T K a)) = sqrt(trace(Y^T K^-1 Y)), computed as
  /// ||L^-1 Y||_F from the Cholesky factor.
  double rkhsNorm() const { return rkhsNorm_; }
  /// The kernel, with the bandwidth in use (0 for ArcCos, which has none).
  const Kernel& kernel() const { return kernel_; }
  /// a, float64 [n, numClasses].
  const torch::Tensor& coefficients() const { return coefficients_; }

private:
  Kernel kernel_;
  Centring centring_;
  torch::Tensor trainRows_;     ///< centred training inputs, float64 [n, d]
  torch::Tensor coefficients_;  ///< a
  double rkhsNorm_ = 0.0;
};

} // namespace genlab::closed_form
