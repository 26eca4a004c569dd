#pragma once
/// Inputs and targets of the closed-form linear models (Section 5 of the paper): images as rows
/// of float64, their centring, the one-hot targets and the classification error of scores.

#include <torch/types.h>

#include <cstdint>
#include <string>

namespace genlab::closed_form {

/// images [N, ...] of any floating type -> float64 [N, d] (d values per image): a contiguous
/// copy on the CPU that never shares the caller's memory (models centre it in place).
/// Throws InputError when `images` is undefined, holds no image, an image holds no value, or a
/// value is not a finite number;
/// `what` names the set in the message ("training images").
torch::Tensor asRows(const torch::Tensor& images, const std::string& what);

/// Throws InputError unless `rows` [N, d] and `labels` [N] (int64, each in [0, numClasses))
/// belong together, with numClasses >= 2.
void checkLabelled(const torch::Tensor& rows, const torch::Tensor& labels, int64_t numClasses,
                   const std::string& what);

/// The total pixel variance of `rows` [N, d]: the mean over rows of ||x - mean||^2, which is
/// the sum of the per-value variances (divided by N, not N - 1).
double totalVariance(const torch::Tensor& rows);

/// The training inputs' mean, subtracted from every input of a model that centres its data.
struct Centring {
  torch::Tensor mean;  ///< float64 [d]; undefined: no centring

  /// Subtracts the mean from rows [N, d] float64 in place (nothing without centring), and
  /// returns them. No copy: the rows of the lab's data sets fill tens of MB.
  const torch::Tensor& operator()(const torch::Tensor& rows) const;
};

/// The centring of `trainRows` when `centre` is true, else none.
Centring centringOf(const torch::Tensor& trainRows, bool centre);

/// labels [N] int64 -> the regression targets Y, float64 [N, numClasses], one-hot.
torch::Tensor oneHot(const torch::Tensor& labels, int64_t numClasses);

/// The fraction of rows of `scores` [N, classes] whose largest score is not at the label
/// (ties go to the first class, as argmax).
double errorRate(const torch::Tensor& scores, const torch::Tensor& labels);

} // namespace genlab::closed_form
