#pragma once
/// A training batch's share of its epoch's figures: the loss summed over its examples, how many
/// it classified right, and which it misclassified (the first suspects of a fit check).

#include <torch/types.h>

namespace genlab::train {

/// The epoch's running figures, on the run's device.
struct EpochTally {
  torch::Tensor lossSum;        ///< float64 scalar: sum of per-example losses
  torch::Tensor correct;        ///< int64 scalar: examples classified right as trained
  torch::Tensor misclassified;  ///< bool [N]: misclassified when its batch was trained on
};

/// Adds a batch: `loss` its mean loss (a scalar), `logits` [images, classes], `labels` [images],
/// `index` the batch's positions in the training set. On the CPU, one pass of plain C++ instead
/// of LibTorch's per-step operations (argmax, comparisons, sums, index_copy_), with the same
/// results: ties go to the first class, a NaN counts as the largest score.
void addBatch(EpochTally& tally, const torch::Tensor& loss, const torch::Tensor& logits,
              const torch::Tensor& labels, const torch::Tensor& index);

} // namespace genlab::train
