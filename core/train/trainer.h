#pragma once
/// Trainer: one run, a network trained with SGD (or Adam) on one corrupted data set.

#include "core/corruption/corrupt.h"
#include "core/models/network.h"
#include "core/train/batch_tally.h"
#include "core/train/capacity.h"
#include "core/train/experiment_spec.h"
#include "core/train/listener.h"

#include <c10/core/StreamGuard.h>
#include <torch/types.h>

#include <chrono>
#include <memory>
#include <optional>

namespace torch::optim {
class Optimizer;
}

namespace genlab::train {

/// The optimizer `spec` names (SGD with momentum and weight decay, as FusedSgd, or Adam) over
/// `parameters`.
std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const OptimizerSpec& spec,
                                                       std::vector<torch::Tensor> parameters);

class Trainer {
public:
  /// Moves the data set to `device` once, holds out a validation split when early stopping,
  /// builds the network (initial weights drawn from the spec's seed, so every run of a session
  /// starts from the same weights) and the optimizer. Throws InputError for an invalid spec.
  Trainer(int run, const ExperimentSpec& spec, const corruption::CorruptedDataset& data,
          torch::Device device);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  /// Does up to `steps` optimization steps and reports them to `listener`: step losses, the
  /// metrics of every epoch that ends, and the run's end. Returns early when the run ends
  /// (fitted, finished, early-stopped, diverged). Does nothing once the run has ended.
  void advance(int64_t steps, SessionListener& listener);

  /// Ends the run from outside (stopped, interrupted, failed) and reports it, after reporting
  /// the checkpoint of its last completed epoch when that was not reported yet.
  void end(RunStatus status, const std::string& message, SessionListener& listener);

  /// Continues the run from `state` (a Checkpoint of a run of the same spec and setting) as if
  /// it had never stopped: every later step and epoch is what an uninterrupted run computes, to
  /// the last bit on the same device. Call before the first advance(). Throws InputError when
  /// `state` cannot be read or belongs to another run.
  void restoreState(const std::string& state);

  bool done() const { return isFinal(summary_.status); }
  const RunSummary& summary() const { return summary_; }
  /// Mean wall seconds per optimization step so far, evaluations included (0 before the
  /// first step), for sizing chunks.
  double wallSecondsPerStep() const;
  int64_t stepsPerEpoch() const;
  int64_t trainImages() const { return trainImages_.size(0); }
  models::Network& network() { return *network_; }
  /// measures.memorization: for each training example (in the order of the training set, the
  /// validation split held out), the epoch since which the network has predicted its training
  /// label without a break; 0 where it does not now. Empty without the measure.
  std::vector<int64_t> fittedSince() const;

private:
  struct Evaluation {
    double loss = 0;
    double accuracy = 0;  ///< of the images evaluated
    int64_t images = 0;   ///< evaluated: all of them unless the error budget ran out
    int64_t errors = 0;   ///< of the images evaluated, those misclassified
    bool complete = true;
  };
  void advanceSteps(int64_t steps, SessionListener& listener);
  void startEpoch();
  void finishEpoch(SessionListener& listener);
  /// Reports the losses gathered since the last flush; false when one of them is not finite.
  bool flushLosses(SessionListener& listener);
  /// Loss and accuracy of the network in evaluation mode; with `correct`, also which examples
  /// it classifies right (bool [N]). With `errorsAllowed`, the pass ends (incomplete) at the
  /// first batch after which more images than that are misclassified.
  Evaluation evaluate(const torch::Tensor& images, const torch::Tensor& labels, torch::Tensor* correct = nullptr,
                      std::optional<int64_t> errorsAllowed = std::nullopt);
  /// The training images misclassified as trained this epoch, evaluated now, ending at the
  /// first batch with more than `errorsAllowed` still misclassified; nothing is evaluated when
  /// there are no more of them than that.
  Evaluation evaluateMisclassifiedAsTrained(int64_t errorsAllowed);
  /// Memorization (measures.memorization): updates fittedSince_ from this epoch's `correct`
  /// and puts the clean and corrupted fractions fitted into `m`.
  void measureMemorization(const torch::Tensor& correct, EpochMetrics& m);
  /// Every training example's record (listener.h), from fittedSince_.
  MemorizationRecord memorizationRecord() const;
  void finish(RunStatus status, const std::string& message, SessionListener& listener);
  /// At the end of an epoch the run goes on from: keeps its state, reports it when due.
  void keepState(SessionListener& listener);
  void reportCheckpoint(SessionListener& listener);
  /// The run's state now (at an epoch boundary) as LibTorch archive bytes.
  std::string saveState() const;
  /// Makes this run's stream the current one for the scope (on the CPU: does nothing).
  c10::OptionalStreamGuard onOwnStream() const { return c10::OptionalStreamGuard(stream_); }
  /// Adds the time since the last tick to the run's wall time, while advance() runs.
  void tickWallClock();

  ExperimentSpec spec_;
  torch::Device device_;
  torch::Tensor trainImages_, trainLabels_;
  torch::Tensor validationImages_, validationLabels_;
  torch::Tensor testImages_, testLabels_;
  torch::Tensor trainChanged_;  ///< bool [N]: the training label differs from the true one
  torch::Tensor trainExample_;  ///< int64 [N]: the index in the training set before any hold-out
  /// measures.memorization: int64 [N], the epoch since which each training example has been
  /// predicted its training label without a break (0: not predicted now).
  torch::Tensor fittedSince_;
  std::shared_ptr<models::Network> network_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  std::unique_ptr<CapacityMeter> capacity_;  ///< measures.capacity
  at::Generator shuffle_;
  /// This run's own generator of the device for dropout and augmentation, installed as the
  /// thread's generator (genlab::threadGenerator) for each advance(), so that a run's draws do
  /// not depend on which runs train beside it, on this thread or another.
  at::Generator random_;
  /// On a GPU: the stream that all of this run's work is queued on (see onOwnStream).
  c10::optional<c10::Stream> stream_;

  RunSummary summary_;
  int64_t epoch_ = 0;     ///< the epoch in progress (1-based), 0 before the first
  int64_t position_ = 0;  ///< next example of the epoch's permutation
  torch::Tensor order_;   ///< the epoch's permutation of the training set (on the device)
  double learningRate_ = 0;
  std::vector<torch::Tensor> pendingLosses_;  ///< on the device, fetched once per flush
  int64_t pendingFirstStep_ = 1;
  double epochTrainSeconds_ = 0;
  int64_t epochImages_ = 0;
  /// On the device: this epoch's training loss, right answers and the examples misclassified
  /// as trained (the first suspects of a fit check).
  EpochTally epochTally_;
  double trainSeconds_ = 0;  ///< all optimization time of the run
  int64_t trainedImages_ = 0;
  std::optional<double> bestValidationLoss_;
  int64_t bestValidationEpoch_ = 0;
  bool advancing_ = false;
  std::string lastState_;      ///< saveState() at the end of the last completed epoch
  int64_t lastStateEpoch_ = 0;
  int64_t reportedEpoch_ = 0;  ///< the epoch of the last checkpoint reported
  std::chrono::steady_clock::time_point wallMark_;
  std::chrono::steady_clock::time_point trainMark_;  ///< start of unmeasured training time
};

} // namespace genlab::train
