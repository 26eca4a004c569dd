#include "core/train/speed_probe.h"

#include "core/data/data_spec.h"
#include "core/models/network.h"
#include "core/random.h"
#include "core/train/device.h"
#include "core/train/fused_sgd.h"
#include "core/train/trainer.h"

#include <torch/torch.h>

#include <chrono>

namespace genlab::train {

double probeTrainingSpeed(const ExperimentSpec& spec, int steps) {
  const GlobalGeneratorGuard restore;
  const data::DataFormat format = data::expectedFormat(spec.data);
  const c10::Device device = chooseDevice(spec.compute.device);
  const RunPlan plan = planRuns(spec);
  useThreads(plan.perRun);
  const std::shared_ptr<models::Network> network = models::makeNetwork(spec.model, format.shape, format.numClasses);
  network->to(device);
  network->train();
  const auto optimizer = makeOptimizer(spec.optimizer, network->parameters());
  const int64_t batch = spec.training.batchSize;
  const torch::Tensor images =
      torch::randn({batch, format.shape.channels, format.shape.height, format.shape.width}).to(device);
  const torch::Tensor labels = torch::randint(format.numClasses, {batch}, torch::kLong).to(device);
  const auto step = [&] {
    torch::nn::functional::cross_entropy(network->forward(images), labels).backward();
    optimizer->step();
    releaseGradients(*optimizer);
  };
  const auto finish = [&] {
    if (device.is_cuda()) torch::cuda::synchronize();
  };
  step();
  finish();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < steps; ++i) step();
  finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Runs at once share a GPU, which they do not multiply as they do CPU cores: one run's rate
  // is what the probe can vouch for there.
  const int runs = device.is_cpu() ? plan.concurrentRuns : 1;
  return seconds > 0 ? runs * static_cast<double>(batch * steps) / seconds : 0.0;
}

std::string speedKey(const ExperimentSpec& spec) {
  const data::DataFormat format = data::expectedFormat(spec.data);
  return std::string(nameOf(deviceChoiceNames(), spec.compute.device)) + "/" +
         std::to_string(spec.compute.threads) + "/" +
         std::to_string(spec.compute.interleaved ? spec.compute.concurrentRuns : 1) + "/" +
         std::to_string(runSettings(spec).size()) + "/" + models::describe(spec.model) + "/" +
         format.shape.toString() + "/" + std::to_string(spec.training.batchSize) + "/" +
         std::string(nameOf(optimizerNames(), spec.optimizer.kind));
}

double estimatedSeconds(const ExperimentSpec& spec, double imagesPerSecond) {
  if (!(imagesPerSecond > 0)) return 0;
  const data::DataFormat format = data::expectedFormat(spec.data);
  double train = static_cast<double>(format.trainImages);
  if (spec.regularizers.earlyStopping) train *= 1.0 - spec.regularizers.validationFraction;
  const double test = static_cast<double>(format.testImages);
  const double runs = static_cast<double>(runSettings(spec).size());
  // Evaluation passes (the test set, and the training set when measuring memorization) run
  // at about three times the training rate.
  const double evaluated = test + (spec.measures.memorization ? train : 0.0);
  const double perEpoch = (train + evaluated / 3.0) / imagesPerSecond;
  return runs * static_cast<double>(spec.training.epochs) * perEpoch;
}

} // namespace genlab::train
