#include "core/models/network.h"

#include "core/errors.h"
#include "core/models/alexnet.h"
#include "core/models/inception.h"
#include "core/models/mlp.h"
#include "core/random.h"

#include <torch/torch.h>

namespace genlab::models {

std::shared_ptr<Network> makeNetwork(const ModelSpec& spec, const data::ImageShape& shape,
                                     int64_t numClasses) {
  validate(spec);
  if (shape.channels < 1 || shape.height < 1 || shape.width < 1)
    throw InputError("image shape " + shape.toString() + " has an empty dimension");
  if (numClasses < 1)
    throw InputError("number of classes " + std::to_string(numClasses) +
                     " must be at least 1");
  // Each network checks the image size it needs itself: the limits follow from its layers.
  switch (spec.architecture) {
  case Architecture::Mlp:
    return std::make_shared<MlpImpl>(spec, shape, numClasses);
  case Architecture::AlexNet:
    return std::make_shared<AlexNetImpl>(spec, shape, numClasses);
  case Architecture::Inception:
    return std::make_shared<InceptionImpl>(spec, shape, numClasses);
  case Architecture::Kernel:
  case Architecture::RandomFeatures:
    throw InputError(describe(spec) + " is fitted in closed form, not a network: it has no " +
                     "layers to build (a session solves it; its coefficients are " +
                     "closedFormParameterCount's)");
  }
  // Unreachable: validate() has rejected any value outside the enum.
  throw InputError("unknown architecture " + std::to_string(static_cast<int>(spec.architecture)));
}

torch::Tensor channelsLast(const torch::Tensor& tensor) {
  if (tensor.suggest_memory_format() == torch::MemoryFormat::ChannelsLast) return tensor;
  return torch::empty_like(tensor, torch::MemoryFormat::ChannelsLast).copy_(tensor);
}

bool onCpuRows(const torch::Tensor& tensor) {
  return tensor.device().is_cpu() && tensor.scalar_type() == torch::kFloat && tensor.dim() == 4;
}

void storeChannelsLast(torch::nn::Module& module) {
  torch::NoGradGuard noGrad;
  for (torch::Tensor& parameter : module.parameters())
    if (parameter.dim() == 4) parameter.set_data(channelsLast(parameter));
}

int64_t countParameters(const torch::nn::Module& module) {
  int64_t count = 0;
  for (const torch::Tensor& parameter : module.parameters()) count += parameter.numel();
  return count;
}

int64_t parameterCount(const ModelSpec& spec, const data::ImageShape& shape, int64_t numClasses) {
  const GlobalGeneratorGuard restore;  // however the build ends (an invalid spec throws)
  torch::NoGradGuard noGrad;
  return countParameters(*makeNetwork(spec, shape, numClasses));
}

} // namespace genlab::models
