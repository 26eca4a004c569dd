#pragma once
/// Value types a training session reports: plain data, safe to copy across threads.

#include "core/corruption/setting.h"
#include "core/names.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace genlab::train {

/// Where a run stands. The ones after Running are final.
enum class RunStatus {
  Pending,       ///< not started yet
  Running,
  Fitted,        ///< reached the fit threshold and stopped there (stop when fitted)
  Finished,      ///< trained all its epochs
  EarlyStopped,  ///< validation loss stopped improving (early stopping)
  Diverged,      ///< the loss became NaN or infinite
  Stopped,       ///< the user stopped the session
  Interrupted,   ///< the process was interrupted (Ctrl-C)
  Failed,        ///< an error ended it; see the message
  /// Read back from a results folder only: the process writing it ended without recording the
  /// run's end (killed, crashed, out of time on a cluster).
  Incomplete,
};
/// "pending", "running", "fitted", "finished", "early-stopped", "diverged", "stopped",
/// "interrupted", "failed", "incomplete".
std::span<const NamedValue<RunStatus>> runStatusNames();
bool isFinal(RunStatus status);
/// Fitted, finished, early-stopped or diverged: the run has its answer and is never resumed.
/// (Stopped, interrupted, failed and incomplete runs are resumed from their last checkpoint.)
bool reachedOutcome(RunStatus status);

/// Training losses of consecutive optimization steps of one run (sent in batches).
struct StepLosses {
  int run = 0;
  int64_t firstStep = 0;  ///< global step number (1-based) of losses[0]
  int64_t epoch = 0;      ///< 1-based epoch the steps belong to
  double wallSeconds = 0; ///< the run's training wall time after the last of these steps
  std::vector<float> losses;
};

/// measures.capacity (docs/measures.md): measures of a network's capacity at an epoch's end,
/// after Neyshabur et al. 2017 and Bartlett, Foster and Telgarsky 2017. "Layers" are the weight
/// matrices (a convolution's kernel as a matrix [out, in x kh x kw]); biases and batch
/// normalization are left out.
struct CapacityMeasures {
  double distanceFromInit = 0;         ///< Frobenius norm of (weights - initial weights), all layers
  std::vector<double> layerDistances;  ///< the same per layer, input to output
  double spectralProduct = 0;          ///< product of the layers' spectral norms
  double frobeniusSq = 0;              ///< sum of the layers' squared Frobenius norms
  /// 10th percentile over training examples of (logit of the training label - largest other
  /// logit), in evaluation mode, over a fixed sample of the training set.
  double margin = 0;
  /// Bartlett et al.'s spectral complexity R divided by the margin; absent while the margin is
  /// not positive (the network does not fit most of its sample).
  std::optional<double> spectralComplexity;
};

/// The capacity measures' metric names in metrics.csv. Per layer: "distance_from_init_layer1", ...
inline constexpr const char* kDistanceFromInit = "distance_from_init";
inline constexpr const char* kSpectralProduct = "spectral_product";
inline constexpr const char* kFrobeniusSq = "frobenius_sq";
inline constexpr const char* kMargin = "margin";
inline constexpr const char* kSpectralComplexity = "spectral_complexity";
/// Every metric of `c`, named as in metrics.csv, in that order.
std::vector<std::pair<std::string, double>> capacityMetrics(const CapacityMeasures& c);
/// Stores the metric `name` (as capacityMetrics names it) into `c`; false for another name.
bool storeCapacityMetric(CapacityMeasures& c, std::string_view name, double value);

/// Measurements at the end of an epoch. trainLoss and trainAccuracy are measured as the epoch
/// trains (each example counted when its batch is trained on, before the update), the
/// convention of TensorFlow and Keras, at no extra cost. Once that accuracy comes within
/// kFitCheckMargin of the fit threshold, an evaluation pass over the training set in
/// evaluation mode decides whether the run has fitted. The pass stops once it has found more
/// misclassified images than the threshold allows (fitCheckErrorsAllowed), looking first at
/// the images misclassified as trained this epoch (Trainer): fitCheckAccuracy is
/// reported for passes that went through the whole set (the epoch that fitted, the last epoch,
/// and every check under measures.memorization). Test figures come from an evaluation pass over
/// the test set, with its clean labels.
struct EpochMetrics {
  int run = 0;
  int64_t epoch = 0;  ///< 1-based
  int64_t step = 0;   ///< global steps done at the end of this epoch
  double trainLoss = 0;
  double trainAccuracy = 0;
  std::optional<double> fitCheckAccuracy;  ///< evaluation-mode training accuracy, of a whole pass
  double testLoss = 0;
  double testAccuracy = 0;
  std::optional<double> validationLoss;  ///< when early stopping holds out a validation split
  std::optional<double> validationAccuracy;
  /// With measures.memorization: the fraction of clean training examples (label = true label)
  /// and of corrupted ones (label changed) the network predicts its training label for, in
  /// evaluation mode at the epoch's end; absent when the run has no example of the kind.
  std::optional<double> fittedClean;
  std::optional<double> fittedCorrupted;
  std::optional<CapacityMeasures> capacity;  ///< with measures.capacity
  double learningRate = 0;     ///< the rate used during this epoch
  double imagesPerSecond = 0;  ///< training throughput of this epoch
  double wallSeconds = 0;      ///< seconds this run has trained so far
  /// Images that this epoch's evaluation passes went through (test, training, validation): the
  /// work they cost, for benchmarks; not saved.
  int64_t evaluatedImages = 0;
};

/// How close the in-epoch training accuracy must come to the fit threshold before an
/// evaluation pass over the training set checks for a fit. Near the end of memorization the
/// in-epoch accuracy trails the end-of-epoch accuracy by well under this.
inline constexpr double kFitCheckMargin = 0.05;

/// The most images of `images` that may be misclassified with the accuracy still at
/// `threshold` or above (the test that decides a fit); -1 when none of them may be.
int64_t fitCheckErrorsAllowed(int64_t images, double threshold);

/// Where a run ended and what it reached. trainAccuracy and trainLoss are those of an
/// evaluation pass over the training set with the final weights when the run fitted, finished
/// or stopped early; for a stopped, diverged or failed run they are the last epoch's in-epoch
/// figures.
struct RunSummary {
  int run = 0;
  corruption::Setting setting;
  RunStatus status = RunStatus::Pending;
  std::string message;  ///< why it ended, for diverged and failed runs
  int64_t epochs = 0;   ///< epochs completed
  int64_t steps = 0;    ///< optimization steps done
  double trainAccuracy = 0;
  double testAccuracy = 0;
  double trainLoss = 0;
  double testLoss = 0;
  std::optional<int64_t> fitEpoch;  ///< first epoch at whose end the fit threshold was reached
  std::optional<int64_t> fitStep;   ///< steps done by then: the paper's "time to overfit"
  std::optional<int64_t> earlyStopEpoch;
  double wallSeconds = 0;
  double imagesPerSecond = 0;  ///< mean over the run
  /// Closed-form runs (models::isClosedForm), what the fit is besides its errors. Kernel
  /// interpolation: its RKHS norm sqrt(trace(a^T K a)), which grows with the label noise.
  std::optional<double> rkhsNorm;
  /// Random-feature regression: the coefficients' Frobenius norm ||beta||_F (it peaks with the
  /// test error at N = n).
  std::optional<double> coefficientNorm;
  /// The bandwidth in use (given, or the default from the run's training images), for the RBF
  /// kernel and Fourier features; absent for the others.
  std::optional<double> bandwidth;
};

/// One level of a label-corruption sweep: Figure 1b (time to fit relative to level 0) and
/// Figure 1c (test error).
struct SweepPoint {
  double level = 0;
  std::optional<double> relativeTimeToFit;  ///< fitStep / fitStep at the lowest level
  double testError = 0;                     ///< 1 - final test accuracy
  bool operator==(const SweepPoint&) const = default;
};

/// Figure 1b and 1c from the runs of a sweep, in level order: a point for each run that was
/// fitted, finished or early-stopped (not for diverged, stopped or unfinished runs). The
/// reference is the run with the lowest level (0 in the paper); a level whose run did not fit,
/// or a reference that did not fit, has no relative time.
std::vector<SweepPoint> sweepPoints(const std::vector<RunSummary>& runs);

} // namespace genlab::train
