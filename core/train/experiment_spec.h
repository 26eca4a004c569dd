#pragma once
/// ExperimentSpec: everything that defines an experiment, the single source of truth that the
/// window, the command line, JSON configs and presets all fill.

#include "core/corruption/setting.h"
#include "core/data/data_spec.h"
#include "core/models/model_spec.h"
#include "core/names.h"

#include <cstdint>
#include <string>
#include <vector>

namespace genlab::train {

enum class Optimizer { Sgd, Adam };
/// "sgd", "adam".
std::span<const NamedValue<Optimizer>> optimizerNames();

enum class Schedule {
  Constant,     ///< the learning rate never changes
  Exponential,  ///< multiplied by decayFactor after every epoch (paper: 0.95)
  Step,         ///< multiplied by decayFactor every stepEpochs epochs
};
/// "constant", "exponential", "step".
std::span<const NamedValue<Schedule>> scheduleNames();

struct OptimizerSpec {
  Optimizer kind = Optimizer::Sgd;
  double learningRate = 0.01;  ///< initial learning rate
  double momentum = 0.9;       ///< SGD only
  double weightDecay = 0.0;    ///< L2 penalty coefficient (an explicit regularizer of Table 1)
  Schedule schedule = Schedule::Constant;
  double decayFactor = 0.95;   ///< Exponential and Step
  int64_t stepEpochs = 30;     ///< Step: epochs between decays
  bool operator==(const OptimizerSpec&) const = default;
};

/// Explicit regularizers besides weight decay (in OptimizerSpec) and dropout and batch norm
/// (in ModelSpec).
struct RegularizerSpec {
  bool augment = false;         ///< data augmentation: random crops and horizontal flips
  int64_t cropPadding = 2;      ///< pixels of zero padding before the random crop
  bool horizontalFlip = true;   ///< flip half of each batch left-right (when augmenting)
  bool earlyStopping = false;   ///< stop when validation loss stops improving
  int64_t patience = 10;        ///< epochs without improvement before early stopping
  double validationFraction = 0.1;  ///< share of the training set held out when early stopping
  bool operator==(const RegularizerSpec&) const = default;
};

struct TrainingSpec {
  int64_t batchSize = 128;
  int64_t epochs = 100;         ///< at most this many epochs
  bool stopWhenFitted = true;   ///< end a run once training accuracy reaches fitThreshold
  double fitThreshold = 1.0;    ///< training accuracy that counts as fitted (1.0: zero error)
  bool operator==(const TrainingSpec&) const = default;
};

/// What is measured besides losses and accuracies. Each measure costs training time
/// (docs/BENCHMARKS.md); docs/measures.md defines them.
struct MeasureSpec {
  /// Memorization dynamics (Arpit et al. 2017): at the end of every epoch, an evaluation pass
  /// over the training set finds which examples the network predicts its training label for;
  /// metrics fitted_clean and fitted_corrupted are the fractions of clean examples (training
  /// label = true label) and of corrupted ones (training label changed) fitted.
  bool memorization = false;
  /// Capacity measures (Neyshabur et al. 2017; Bartlett et al. 2017): at the end of every
  /// epoch, the distance from initialization, the product of the layers' spectral norms, the sum
  /// of their squared Frobenius norms, the output margin and the margin-normalized spectral
  /// complexity (train::CapacityMeasures).
  bool capacity = false;
  bool operator==(const MeasureSpec&) const = default;
};

enum class DeviceChoice { Auto, Cpu, Cuda };
/// "auto", "cpu", "cuda".
std::span<const NamedValue<DeviceChoice>> deviceChoiceNames();

struct ComputeSpec {
  DeviceChoice device = DeviceChoice::Auto;  ///< Auto: CUDA when available, else CPU
  int threads = 0;                           ///< CPU threads; 0 uses every core
  bool interleaved = true;  ///< train runs a chunk at a time in turn (false: one after another)
  /// Interleaved runs on the CPU trained at the same time, each on its own thread
  /// (train::planRuns); 0: as many as cores.
  int concurrentRuns = 0;
  /// Each run saves its state (results/layout.h, checkpointFileName) every this many epochs;
  /// 0: only when the session is stopped or interrupted.
  int64_t checkpointEpochs = 1;
  bool operator==(const ComputeSpec&) const = default;
};

/// One experiment: a data set, the corruption settings to compare (one run each), and the
/// network and training shared by every run.
struct ExperimentSpec {
  std::string name = "experiment";
  data::DataSpec data;
  /// The settings compared side by side, one run each. Ignored when sweepLevels is set.
  std::vector<corruption::Setting> settings{corruption::Setting::trueLabels(),
                                            corruption::Setting::randomLabels()};
  /// A label-corruption sweep (Figures 1b and 1c): one run of partially corrupted labels per
  /// level, for example 0, 0.2, ..., 1.0. Empty: no sweep.
  std::vector<double> sweepLevels;
  models::ModelSpec model;
  OptimizerSpec optimizer;
  RegularizerSpec regularizers;
  TrainingSpec training;
  MeasureSpec measures;
  ComputeSpec compute;
  uint64_t seed = 0;  ///< subsets, corruptions, initial weights, batch order

  bool operator==(const ExperimentSpec&) const = default;
};

/// The settings that become runs: sweepLevels as partially corrupted labels when a sweep is
/// set, else `settings`.
std::vector<corruption::Setting> runSettings(const ExperimentSpec& spec);

/// The most epochs one run takes: training.epochs, or 1 for a closed-form model (one solve,
/// reported as one epoch).
int64_t epochsPerRun(const ExperimentSpec& spec);

/// The experiment in a few words, for titles, folder names and captions: "MLP 1x512, 5
/// settings, Fashion-MNIST", "small AlexNet, random labels, CIFAR-10", "MLP 3x512,
/// label-corruption sweep of 6 levels, Fashion-MNIST".
std::string describeExperiment(const ExperimentSpec& spec);

/// Table 1's regularizer column: "weight decay 0.0005, dropout 0.5, augmentation, early
/// stopping", or "none". Batch norm belongs to the model's name (models::describe).
std::string describeRegularizers(const ExperimentSpec& spec);

/// Throws InputError naming the first field that is out of range (e.g. "learning rate -1 must
/// be a positive number").
void validate(const ExperimentSpec& spec);

} // namespace genlab::train
