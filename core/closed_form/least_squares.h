#pragma once
/// Minimum-norm least squares, the solver of random-feature regression.

#include <torch/types.h>

namespace genlab::closed_form {

/// X = A^+ B for A [n, N] and B [n, c] (float64): of the minimizers of ||A X - B||_F the one
/// of least ||X||_F. For N >= n and A of full rank it interpolates (A X = B): the minimum-norm
/// interpolant. Computed from the thin SVD A = U S V^T as V S^+ U^T B, where singular values
/// at or below max(n, N) x eps x s_max count as zero (the rcond of numpy's pinv and LAPACK's
/// gelsd): sound for square, badly conditioned A near the interpolation threshold N = n, where
/// normal equations would lose every digit. Memory: A's SVD, about 8 (n + N) min(n, N) bytes.
torch::Tensor minimumNormSolution(const torch::Tensor& a, const torch::Tensor& b);

} // namespace genlab::closed_form
