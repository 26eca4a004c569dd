#include "core/train/trainer.h"

#include "core/errors.h"
#include "core/format.h"
#include "core/random.h"
#include "core/train/archive_check.h"
#include "core/train/augmentation.h"
#include "core/train/fused_sgd.h"
#include "core/train/schedule.h"

#include <c10/core/impl/VirtualGuardImpl.h>
#include <torch/torch.h>

#include <cmath>
#include <sstream>

namespace genlab::train {

namespace {

using Clock = std::chrono::steady_clock;

/// Evaluation batches are larger than training batches: no gradients are kept.
constexpr int64_t kEvaluationBatch = 500;

} // namespace

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const OptimizerSpec& spec,
                                                       std::vector<torch::Tensor> parameters) {
  if (spec.kind == Optimizer::Adam)
    return std::make_unique<torch::optim::Adam>(
        std::move(parameters),
        torch::optim::AdamOptions(spec.learningRate).weight_decay(spec.weightDecay));
  return std::make_unique<FusedSgd>(std::move(parameters), torch::optim::SGDOptions(spec.learningRate)
                                                                .momentum(spec.momentum)
                                                                .weight_decay(spec.weightDecay));
}

namespace {

void setLearningRate(torch::optim::Optimizer& optimizer, double rate) {
  for (auto& group : optimizer.param_groups()) {
    if (auto* sgd = dynamic_cast<torch::optim::SGDOptions*>(&group.options()))
      sgd->lr(rate);
    else if (auto* adam = dynamic_cast<torch::optim::AdamOptions*>(&group.options()))
      adam->lr(rate);
  }
}

} // namespace

Trainer::Trainer(int run, const ExperimentSpec& spec, const corruption::CorruptedDataset& data,
                 torch::Device device)
    : spec_(spec), device_(device),
      shuffle_(makeGenerator(deriveSeed(spec.seed, "batches:" + data.report.setting.key()))) {
  validate(spec_);
  summary_.run = run;
  summary_.setting = data.report.setting;
  if (!device_.is_cpu()) {
    // Runs trained at once on one GPU each queue their work on a stream of their own, so that
    // the device overlaps them. The data set's copies were queued on the current stream.
    const c10::impl::VirtualGuardImpl guards(device_.type());
    guards.getStream(device_).synchronize();
    stream_ = guards.getStreamFromGlobalPool(device_);
  }
  const auto ownStream = onOwnStream();

  const auto& d = data.dataset;
  torch::Tensor images = d.train.images, labels = d.train.labels;
  torch::Tensor changed = data.report.labelChanged.defined()
                              ? data.report.labelChanged
                              : torch::zeros({images.size(0)}, torch::kBool);
  torch::Tensor example = torch::arange(images.size(0), torch::kInt64);
  if (spec_.regularizers.earlyStopping) {
    // A seeded validation split, held out of the (corrupted) training set: early stopping
    // sees the labels the network is asked to fit.
    const int64_t n = images.size(0);
    const auto held = static_cast<int64_t>(std::llround(spec_.regularizers.validationFraction * n));
    if (held < 1 || held >= n)
      throw InputError("cannot hold out a validation split of " +
                       fixed(spec_.regularizers.validationFraction, 3) + " from " +
                       std::to_string(n) + " training images");
    at::Generator split = makeGenerator(deriveSeed(spec.seed, "validation"));
    const torch::Tensor order = torch::randperm(n, split, torch::kInt64);
    validationImages_ = images.index_select(0, order.narrow(0, 0, held)).to(device_);
    validationLabels_ = labels.index_select(0, order.narrow(0, 0, held)).to(device_);
    images = images.index_select(0, order.narrow(0, held, n - held));
    labels = labels.index_select(0, order.narrow(0, held, n - held));
    changed = changed.index_select(0, order.narrow(0, held, n - held));
    example = order.narrow(0, held, n - held);
  }
  trainImages_ = images.to(device_);
  trainLabels_ = labels.to(device_);
  trainChanged_ = changed.to(device_);
  epochTally_.misclassified = torch::zeros_like(trainChanged_);
  if (spec_.measures.memorization) {
    fittedSince_ = torch::zeros({images.size(0)}, torch::TensorOptions().dtype(torch::kInt64).device(device_));
    trainExample_ = example;
  }
  testImages_ = d.test.images.to(device_);
  testLabels_ = d.test.labels.to(device_);

  torch::manual_seed(deriveSeed(spec.seed, "initial weights"));
  network_ = models::makeNetwork(spec_.model, d.shape(), d.numClasses());
  network_->to(device_);
  // This run's own generator for dropout and augmentation, from (seed, setting).
  random_ =
      makeGenerator(deriveSeed(spec.seed, "dropout and augmentation:" + data.report.setting.key()), device_);
  optimizer_ = makeOptimizer(spec_.optimizer, network_->parameters());
  if (spec_.measures.capacity)
    capacity_ = std::make_unique<CapacityMeter>(*network_, trainImages_, trainLabels_,
                                                deriveSeed(spec.seed, data.report.setting.key()));
}

Trainer::~Trainer() = default;

int64_t Trainer::stepsPerEpoch() const {
  const int64_t batch = spec_.training.batchSize;
  return (trainImages_.size(0) + batch - 1) / batch;
}

double Trainer::wallSecondsPerStep() const {
  return summary_.steps > 0 ? summary_.wallSeconds / static_cast<double>(summary_.steps) : 0.0;
}

void Trainer::startEpoch() {
  ++epoch_;
  position_ = 0;
  epochTrainSeconds_ = 0;
  epochImages_ = 0;
  epochTally_.lossSum = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(device_));
  epochTally_.correct = torch::zeros({}, torch::TensorOptions().dtype(torch::kInt64).device(device_));
  learningRate_ = learningRateAt(spec_.optimizer, epoch_);
  setLearningRate(*optimizer_, learningRate_);
  order_ = torch::randperm(trainImages_.size(0), shuffle_, torch::kInt64).to(device_);
  epochTally_.misclassified.fill_(false);
}

void Trainer::advance(int64_t steps, SessionListener& listener) {
  if (done()) return;
  const auto ownStream = onOwnStream();
  const ThreadGeneratorScope own(random_);
  advanceSteps(steps, listener);
  // Nothing of this run stays queued: another thread, on another stream, may touch its
  // tensors next (the session's end, a checkpoint).
  if (stream_) stream_->synchronize();
}

void Trainer::advanceSteps(int64_t steps, SessionListener& listener) {
  summary_.status = RunStatus::Running;
  const int64_t n = trainImages_.size(0);
  const int64_t batch = spec_.training.batchSize;
  const auto& regularizers = spec_.regularizers;
  advancing_ = true;
  wallMark_ = Clock::now();
  trainMark_ = wallMark_;
  pendingFirstStep_ = summary_.steps + 1;

  for (int64_t s = 0; s < steps && !done(); ++s) {
    if (position_ == 0) startEpoch();
    const int64_t size = std::min(batch, n - position_);
    const torch::Tensor index = order_.narrow(0, position_, size);
    position_ += size;
    // Batch norm cannot normalize a batch of one in training mode; such a last batch is
    // skipped (its image is in the next epoch's batches, in another position).
    if (!(size == 1 && spec_.model.batchNorm)) {
      torch::Tensor x = trainImages_.index_select(0, index);
      if (regularizers.augment)
        x = randomCropAndFlip(x, regularizers.cropPadding, regularizers.horizontalFlip);
      const torch::Tensor y = trainLabels_.index_select(0, index);
      network_->train();
      std::optional<models::TrainingStep> step = network_->trainingStep(x, y);
      if (!step) {
        step = models::TrainingStep{};
        step->logits = network_->forward(x);
        step->loss = torch::nn::functional::cross_entropy(step->logits, y);
        step->loss.backward();
      }
      const torch::Tensor &loss = step->loss, &logits = step->logits;
      optimizer_->step();
      releaseGradients(*optimizer_);
      pendingLosses_.push_back(loss.detach());
      addBatch(epochTally_, loss, logits, y, index);
      ++summary_.steps;
      epochImages_ += size;
    }

    if (position_ >= n) {
      if (!flushLosses(listener)) break;
      finishEpoch(listener);
      trainMark_ = Clock::now();  // evaluation time is not training time
      pendingFirstStep_ = summary_.steps + 1;
    }
  }
  if (!done()) flushLosses(listener);
  tickWallClock();
  advancing_ = false;
}

void Trainer::tickWallClock() {
  if (!advancing_) return;
  const auto now = Clock::now();
  summary_.wallSeconds += std::chrono::duration<double>(now - wallMark_).count();
  wallMark_ = now;
}

bool Trainer::flushLosses(SessionListener& listener) {
  if (pendingLosses_.empty()) return true;
  // One device-to-host copy per flush instead of one per step. The copy waits for the device,
  // so the training time measured up to here is real on a GPU too, not just launch time.
  const torch::Tensor losses = torch::stack(pendingLosses_).to(torch::kCPU, torch::kFloat32);
  pendingLosses_.clear();
  const auto now = Clock::now();
  const double trained = std::chrono::duration<double>(now - trainMark_).count();
  epochTrainSeconds_ += trained;
  trainSeconds_ += trained;
  trainMark_ = now;
  tickWallClock();
  StepLosses batch{summary_.run, pendingFirstStep_, epoch_, summary_.wallSeconds, {}};
  const float* values = losses.data_ptr<float>();
  for (int64_t i = 0; i < losses.numel(); ++i) {
    if (!std::isfinite(values[i])) {
      if (!batch.losses.empty()) listener.onStepLosses(batch);
      const int64_t step = pendingFirstStep_ + i;
      finish(RunStatus::Diverged,
             "the training loss became " + std::string(std::isnan(values[i]) ? "NaN" : "infinite") +
                 " at step " + std::to_string(step) + " (epoch " + std::to_string(epoch_) +
                 "); a smaller learning rate may help",
             listener);
      return false;
    }
    batch.losses.push_back(values[i]);
  }
  listener.onStepLosses(batch);
  pendingFirstStep_ += losses.numel();
  return true;
}

Trainer::Evaluation Trainer::evaluate(const torch::Tensor& images, const torch::Tensor& labels,
                                      torch::Tensor* correctEach, std::optional<int64_t> errorsAllowed) {
  torch::NoGradGuard noGrad;
  network_->eval();
  const int64_t n = images.size(0);
  torch::Tensor lossSum = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(device_));
  torch::Tensor correct = torch::zeros({}, torch::TensorOptions().dtype(torch::kInt64).device(device_));
  std::vector<torch::Tensor> batches;
  int64_t evaluated = 0;
  while (evaluated < n) {
    const int64_t size = std::min(kEvaluationBatch, n - evaluated);
    const torch::Tensor logits = network_->forward(images.narrow(0, evaluated, size));
    const torch::Tensor y = labels.narrow(0, evaluated, size);
    evaluated += size;
    lossSum += torch::nn::functional::cross_entropy(
                   logits, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                   .to(torch::kFloat64);
    const torch::Tensor right = logits.argmax(1) == y;
    correct += right.sum();
    if (correctEach) batches.push_back(right);
    // A count from the device per batch: only for passes that may end early.
    if (errorsAllowed && evaluated < n && evaluated - correct.item<int64_t>() > *errorsAllowed) break;
  }
  if (correctEach) *correctEach = batches.empty() ? torch::zeros({0}, torch::kBool) : torch::cat(batches);
  const double count = static_cast<double>(std::max<int64_t>(1, evaluated));
  const int64_t right = correct.item<int64_t>();
  return {lossSum.item<double>() / count, static_cast<double>(right) / count, evaluated, evaluated - right,
          evaluated == n};
}

Trainer::Evaluation Trainer::evaluateMisclassifiedAsTrained(int64_t errorsAllowed) {
  const torch::Tensor suspects = epochTally_.misclassified.nonzero().squeeze(1);
  // Fewer of them than the threshold allows cannot rule a fit out.
  if (suspects.numel() <= errorsAllowed) return {0, 0, 0, 0, false};
  return evaluate(trainImages_.index_select(0, suspects), trainLabels_.index_select(0, suspects), nullptr,
                  errorsAllowed);
}

void Trainer::finishEpoch(SessionListener& listener) {
  const double trained = std::max<double>(1.0, static_cast<double>(epochImages_));
  Evaluation train{epochTally_.lossSum.item<double>() / trained,
                   static_cast<double>(epochTally_.correct.item<int64_t>()) / trained};
  const Evaluation test = evaluate(testImages_, testLabels_);

  EpochMetrics m;
  m.run = summary_.run;
  m.epoch = epoch_;
  m.step = summary_.steps;
  m.trainLoss = train.loss;
  m.trainAccuracy = train.accuracy;
  m.evaluatedImages = test.images;
  // The evaluation pass over the training set costs about a third of an epoch; it runs only
  // when a fit is within reach, and on the last epoch (and every epoch when measuring
  // memorization, which then shares it). Unless its figures are wanted whole, the images
  // misclassified as trained this epoch are evaluated first, alone: when more of them than the
  // threshold allows are still misclassified the run has not fitted, whatever the others give.
  // Otherwise the pass ends as soon as it has found too many misclassified images.
  const double threshold = spec_.training.fitThreshold;
  const bool lastEpoch = epoch_ >= spec_.training.epochs;
  const bool fitCheck = train.accuracy >= threshold - kFitCheckMargin || lastEpoch;
  const bool whole = lastEpoch || fittedSince_.defined();
  const int64_t errorsAllowed = fitCheckErrorsAllowed(trainImages_.size(0), threshold);
  bool fitRuledOut = false;
  if (fitCheck && !whole) {
    const Evaluation suspects = evaluateMisclassifiedAsTrained(errorsAllowed);
    m.evaluatedImages += suspects.images;
    fitRuledOut = suspects.errors > errorsAllowed;
  }
  if ((fitCheck && !fitRuledOut) || fittedSince_.defined()) {
    torch::Tensor correct;
    const Evaluation pass = evaluate(trainImages_, trainLabels_, fittedSince_.defined() ? &correct : nullptr,
                                     whole ? std::nullopt : std::optional(errorsAllowed));
    m.evaluatedImages += pass.images;
    if (fitCheck && pass.complete) {
      train = pass;
      m.fitCheckAccuracy = pass.accuracy;
    }
    if (correct.defined()) measureMemorization(correct, m);
  }
  if (capacity_) m.capacity = capacity_->measure(*network_);
  m.testLoss = test.loss;
  m.testAccuracy = test.accuracy;
  m.learningRate = learningRate_;
  m.imagesPerSecond = epochTrainSeconds_ > 0 ? static_cast<double>(epochImages_) / epochTrainSeconds_ : 0.0;
  trainedImages_ += epochImages_;
  epochImages_ = 0;
  position_ = 0;
  if (validationImages_.defined()) {
    const Evaluation validation = evaluate(validationImages_, validationLabels_);
    m.evaluatedImages += validation.images;
    m.validationLoss = validation.loss;
    m.validationAccuracy = validation.accuracy;
  }

  summary_.epochs = epoch_;
  summary_.trainLoss = train.loss;
  summary_.trainAccuracy = train.accuracy;
  summary_.testLoss = test.loss;
  summary_.testAccuracy = test.accuracy;
  tickWallClock();
  m.wallSeconds = summary_.wallSeconds;
  listener.onEpoch(m);
  if (fittedSince_.defined()) listener.onMemorization(memorizationRecord());

  const bool fitted = m.fitCheckAccuracy && *m.fitCheckAccuracy >= threshold;
  if (fitted && !summary_.fitEpoch) {
    summary_.fitEpoch = epoch_;
    summary_.fitStep = summary_.steps;
  }
  if (fitted && spec_.training.stopWhenFitted) return finish(RunStatus::Fitted, {}, listener);

  if (m.validationLoss) {
    if (!bestValidationLoss_ || *m.validationLoss < *bestValidationLoss_) {
      bestValidationLoss_ = m.validationLoss;
      bestValidationEpoch_ = epoch_;
    } else if (epoch_ - bestValidationEpoch_ >= spec_.regularizers.patience) {
      summary_.earlyStopEpoch = epoch_;
      if (!m.fitCheckAccuracy) {  // the summary reports the final weights' accuracy
        const Evaluation final = evaluate(trainImages_, trainLabels_);
        summary_.trainLoss = final.loss;
        summary_.trainAccuracy = final.accuracy;
      }
      return finish(RunStatus::EarlyStopped,
                    "validation loss has not improved since epoch " +
                        std::to_string(bestValidationEpoch_),
                    listener);
    }
  }
  if (lastEpoch) return finish(RunStatus::Finished, {}, listener);
  keepState(listener);
}

std::vector<int64_t> Trainer::fittedSince() const {
  if (!fittedSince_.defined()) return {};
  const auto ownStream = onOwnStream();
  const torch::Tensor since = fittedSince_.to(torch::kCPU).contiguous();
  return {since.data_ptr<int64_t>(), since.data_ptr<int64_t>() + since.numel()};
}

MemorizationRecord Trainer::memorizationRecord() const {
  MemorizationRecord record{summary_.run, epoch_, {}};
  const torch::Tensor example = trainExample_.contiguous();
  const torch::Tensor label = trainLabels_.to(torch::kCPU, torch::kInt64).contiguous();
  const torch::Tensor changed = trainChanged_.to(torch::kCPU).contiguous();
  const std::vector<int64_t> since = fittedSince();
  const auto* examples = example.data_ptr<int64_t>();
  const auto* labels = label.data_ptr<int64_t>();
  const auto* corrupted = changed.data_ptr<bool>();
  record.examples.reserve(since.size());
  for (size_t i = 0; i < since.size(); ++i)
    record.examples.push_back({examples[i], labels[i], corrupted[i], since[i]});
  return record;
}

void Trainer::measureMemorization(const torch::Tensor& correct, EpochMetrics& m) {
  // Fitted now: the epoch it has been fitted since (this one if it was not before); else 0.
  const torch::Tensor since = torch::where(fittedSince_ > 0, fittedSince_, torch::full_like(fittedSince_, epoch_));
  fittedSince_ = torch::where(correct, since, torch::zeros_like(fittedSince_));
  const auto fraction = [&](const torch::Tensor& among) -> std::optional<double> {
    const int64_t count = among.sum().item<int64_t>();
    if (count == 0) return std::nullopt;
    return static_cast<double>((correct & among).sum().item<int64_t>()) / static_cast<double>(count);
  };
  m.fittedClean = fraction(trainChanged_.logical_not());
  m.fittedCorrupted = fraction(trainChanged_);
}

void Trainer::end(RunStatus status, const std::string& message, SessionListener& listener) {
  if (done()) return;
  const auto ownStream = onOwnStream();  // after whatever a failed chunk left queued
  pendingLosses_.clear();
  std::string why = message;
  try {
    reportCheckpoint(listener);
  } catch (const std::exception& error) {
    if (why.empty()) why = "its checkpoint could not be saved: " + firstLine(error.what());
  }
  finish(status, why, listener);
}

void Trainer::keepState(SessionListener& listener) {
  // Kept in memory at every epoch's end, so that a stop in the middle of the next epoch can
  // still save this one (a checkpoint holds whole epochs only).
  lastState_ = saveState();
  lastStateEpoch_ = epoch_;
  const int64_t every = spec_.compute.checkpointEpochs;
  if (every > 0 && epoch_ % every == 0) reportCheckpoint(listener);
}

void Trainer::reportCheckpoint(SessionListener& listener) {
  if (lastState_.empty() || lastStateEpoch_ <= reportedEpoch_) return;
  reportedEpoch_ = lastStateEpoch_;
  listener.onCheckpoint({summary_.run, lastStateEpoch_, lastState_});
}

namespace {

constexpr int64_t kStateFormat = 1;

void put(torch::serialize::OutputArchive& archive, const char* key, c10::IValue value) {
  archive.write(key, value);
}

c10::IValue take(torch::serialize::InputArchive& archive, const char* key) {
  c10::IValue value;
  archive.read(key, value);
  return value;
}

template <class T>
void putOptional(torch::serialize::OutputArchive& archive, const char* key, const std::optional<T>& value) {
  if (value) put(archive, key, *value);
}

} // namespace

std::string Trainer::saveState() const {
  torch::serialize::OutputArchive archive;
  torch::serialize::OutputArchive model(archive.compilation_unit());
  torch::serialize::OutputArchive optimizer(archive.compilation_unit());
  network_->save(model);
  optimizer_->save(optimizer);
  archive.write("model", model);
  archive.write("optimizer", optimizer);
  archive.write("batch_order_generator", shuffle_.get_state());
  archive.write("random_generator", random_.get_state());
  put(archive, "format", kStateFormat);
  put(archive, "setting", summary_.setting.key());
  // The seed tells a checkpoint of another session of the same setting (copied in by hand).
  put(archive, "seed", std::to_string(spec_.seed));
  put(archive, "epoch", epoch_);
  put(archive, "steps", summary_.steps);
  put(archive, "learning_rate", learningRate_);
  put(archive, "train_seconds", trainSeconds_);
  put(archive, "trained_images", trainedImages_);
  put(archive, "wall_seconds", summary_.wallSeconds);
  put(archive, "train_loss", summary_.trainLoss);
  put(archive, "train_accuracy", summary_.trainAccuracy);
  put(archive, "test_loss", summary_.testLoss);
  put(archive, "test_accuracy", summary_.testAccuracy);
  putOptional(archive, "fit_epoch", summary_.fitEpoch);
  putOptional(archive, "fit_step", summary_.fitStep);
  putOptional(archive, "best_validation_loss", bestValidationLoss_);
  put(archive, "best_validation_epoch", bestValidationEpoch_);
  if (fittedSince_.defined()) archive.write("fitted_since", fittedSince_);
  if (capacity_) capacity_->save(archive);
  std::ostringstream out;
  archive.save_to(out);
  return std::move(out).str();
}

void Trainer::restoreState(const std::string& state) {
  const std::string run = "run " + std::to_string(summary_.run) + " (" + summary_.setting.name() + ")";
  const auto ownStream = onOwnStream();
  try {
    requireIntactArchive(state, "the checkpoint of " + run);
    torch::serialize::InputArchive archive;
    archive.load_from(state.data(), state.size(), device_);
    const int64_t format = take(archive, "format").toInt();
    if (format != kStateFormat)
      throw InputError("the checkpoint of " + run + " has format " + std::to_string(format) +
                       "; this GenLab reads format " + std::to_string(kStateFormat));
    const std::string setting = take(archive, "setting").toStringRef();
    if (setting != summary_.setting.key())
      throw InputError("the checkpoint of " + run + " belongs to the setting '" + setting + "'");
    if (c10::IValue seed; archive.try_read("seed", seed) && seed.toStringRef() != std::to_string(spec_.seed))
      throw InputError("the checkpoint of " + run + " belongs to a session of seed " + seed.toStringRef() +
                       ", this one's is " + std::to_string(spec_.seed));
    torch::serialize::InputArchive model, optimizer;
    archive.read("model", model);
    network_->load(model);
    archive.read("optimizer", optimizer);
    optimizer_->load(optimizer);
    torch::Tensor order, random;
    archive.read("batch_order_generator", order);
    archive.read("random_generator", random);
    shuffle_.set_state(order.to(torch::kCPU));  // generator states live on the host
    random_.set_state(random.to(torch::kCPU));

    epoch_ = take(archive, "epoch").toInt();
    position_ = 0;
    summary_.epochs = epoch_;
    summary_.steps = take(archive, "steps").toInt();
    learningRate_ = take(archive, "learning_rate").toDouble();
    trainSeconds_ = take(archive, "train_seconds").toDouble();
    trainedImages_ = take(archive, "trained_images").toInt();
    summary_.wallSeconds = take(archive, "wall_seconds").toDouble();
    summary_.trainLoss = take(archive, "train_loss").toDouble();
    summary_.trainAccuracy = take(archive, "train_accuracy").toDouble();
    summary_.testLoss = take(archive, "test_loss").toDouble();
    summary_.testAccuracy = take(archive, "test_accuracy").toDouble();
    c10::IValue value;
    summary_.fitEpoch = archive.try_read("fit_epoch", value) ? std::optional<int64_t>(value.toInt()) : std::nullopt;
    summary_.fitStep = archive.try_read("fit_step", value) ? std::optional<int64_t>(value.toInt()) : std::nullopt;
    bestValidationLoss_ =
        archive.try_read("best_validation_loss", value) ? std::optional<double>(value.toDouble()) : std::nullopt;
    bestValidationEpoch_ = take(archive, "best_validation_epoch").toInt();
    if (fittedSince_.defined()) {
      torch::Tensor since;
      if (!archive.try_read("fitted_since", since) || since.numel() != fittedSince_.numel())
        throw InputError("the checkpoint of " + run + " holds no memorization record of its " +
                         std::to_string(fittedSince_.numel()) + " training examples");
      fittedSince_ = since.to(device_);
    }
    if (capacity_) capacity_->restore(archive);
    summary_.status = RunStatus::Pending;
    lastState_ = state;
    lastStateEpoch_ = reportedEpoch_ = epoch_;
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& error) {
    throw InputError("the checkpoint of " + run + " cannot be read: " + firstLine(error.what()));
  }
}

void Trainer::finish(RunStatus status, const std::string& message, SessionListener& listener) {
  tickWallClock();
  summary_.status = status;
  summary_.message = message;
  summary_.imagesPerSecond =
      trainSeconds_ > 0 ? static_cast<double>(trainedImages_ + epochImages_) / trainSeconds_ : 0.0;
  listener.onRunEnded(summary_);
}

} // namespace genlab::train
