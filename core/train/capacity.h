#pragma once
/// The capacity measures of one run's network (train::CapacityMeasures, docs/measures.md):
/// norms of its weight matrices against their initial values, spectral norms by power
/// iteration, and the output margin over a fixed sample of the training set.

#include "core/models/network.h"
#include "core/train/metrics.h"

#include <torch/serialize/archive.h>
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace genlab::train {

class CapacityMeter {
public:
  /// Remembers `network`'s weight matrices as they are now (its initialization) and picks the
  /// margin's sample: at most kMarginExamples of `images`/`labels`, drawn with `seed`. Draws no
  /// number from any generator the training uses.
  CapacityMeter(models::Network& network, const torch::Tensor& images, const torch::Tensor& labels,
                uint64_t seed);

  /// Training examples the margin is measured on, at most: enough for its 10th percentile, few
  /// enough that the measures cost a few percent of an epoch (docs/BENCHMARKS.md).
  static constexpr int64_t kMarginExamples = 256;
  /// Power-iteration steps per measurement, each warm started from the last one's vectors; the
  /// first measurement takes kFirstPowerSteps. The iteration moves a block of kBlock vectors
  /// (subspace iteration): a single vector converges too slowly for a matrix near its random
  /// initialization, whose largest singular values lie close together.
  static constexpr int kPowerSteps = 2;
  static constexpr int kFirstPowerSteps = 10;
  static constexpr int64_t kBlock = 8;

  /// The measures now. The network is put into evaluation mode for the margin (no gradient).
  CapacityMeasures measure(models::Network& network);

  /// The power-iteration vectors, so that a resumed run measures as one that never stopped.
  void save(torch::serialize::OutputArchive& archive) const;
  void restore(torch::serialize::InputArchive& archive);

  /// Spectral norm of `matrix` (2-D) by `steps` steps of subspace iteration from the
  /// orthonormal columns of `basis` ([columns of matrix, k]), which it leaves at the new
  /// subspace; the estimate is the largest singular value of matrix x basis (Rayleigh-Ritz),
  /// never above the true norm.
  static double spectralNorm(const torch::Tensor& matrix, torch::Tensor& basis, int steps);
  /// The 10th percentile (the ceil(n/10)-th smallest value) of each example's margin: the
  /// logit of its label minus the largest other logit.
  static double marginPercentile(const torch::Tensor& logits, const torch::Tensor& labels);

private:
  std::vector<torch::Tensor> initial_;   ///< the weight matrices at initialization
  std::vector<torch::Tensor> singular_;  ///< per layer, the iteration's right subspace [in, k]
  torch::Tensor sampleImages_, sampleLabels_;
  bool measured_ = false;
};

/// The weight matrices the measures count, input to output: every parameter of two or more
/// dimensions, as a matrix [out, rest].
std::vector<torch::Tensor> weightMatrices(models::Network& network);

} // namespace genlab::train
