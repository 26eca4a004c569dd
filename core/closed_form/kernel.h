#pragma once
/// The kernels of the paper's Section 5 and their Gram matrices.

#include "core/closed_form/kernel_kind.h"

#include <torch/types.h>


namespace genlab::closed_form {

/// One kernel with its parameter.
///
/// Rbf: k(x, z) = exp(-gamma ||x - z||^2), gamma = 1 / (2 bandwidth^2).
/// ArcCos: k(x, z) = (1/pi) ||x|| ||z|| (sin t + (pi - t) cos t), t the angle between x and z
/// (0 when x or z is 0). It equals 2 E[relu(w.x) relu(w.z)] over w ~ N(0, I), the kernel of
/// an infinitely wide ReLU layer; k(x, x) = ||x||^2 and k(x, z) = ||x|| ||z|| / pi for
/// orthogonal x and z. It has no parameter, is not translation invariant (centre the data)
/// and is positive definite on inputs no two of which are parallel.
struct Kernel {
  KernelKind kind = KernelKind::Rbf;
  double bandwidth = 1.0;  ///< Rbf only: sigma, > 0; ArcCos ignores it

  double gamma() const { return 1.0 / (2.0 * bandwidth * bandwidth); }
};

/// Throws InputError when the kernel's parameter is out of range (an Rbf bandwidth that is not
/// a positive finite number).
void validate(const Kernel& kernel);

/// The lab's default RBF bandwidth for the training inputs `rows` [N, d] (float64): sigma^2 =
/// totalVariance(rows), i.e. gamma = 1 / (2 x total pixel variance), as in the lab's check of
/// Section 5 on centred Fashion-MNIST (paper.md). With it a typical pair of inputs, whose
/// squared distance is about twice the total variance, has k about exp(-1). Throws
/// InputError when the rows do not vary (a single input, or all equal).
double defaultBandwidth(const torch::Tensor& rows);

/// Writes k(a_i, b_j) into out[i][j], for a [m, d] and b [n, d] float64: one matrix product
/// for all pairs, then elementwise work in place. `out` is float64 [m, n] whose rows are
/// contiguous (stride(1) == 1); it may be a block of a larger matrix. Temporaries stay below
/// a few times 8 MB whatever m and n. Expects a validated kernel.
void gramInto(const Kernel& kernel, const torch::Tensor& a, const torch::Tensor& b,
              const torch::Tensor& out);

/// The Gram matrix k(a_i, b_j), float64 [m, n] (gramInto into a new matrix).
torch::Tensor gram(const Kernel& kernel, const torch::Tensor& a, const torch::Tensor& b);

} // namespace genlab::closed_form
