#pragma once
/// Building the networks of ModelSpec for a given input shape.

#include "core/data/dataset.h"
#include "core/models/model_spec.h"

#include <torch/nn/module.h>

#include <memory>
#include <optional>

namespace genlab::models {

/// A training step's mean cross-entropy over the batch (0-dim) and the batch's logits.
struct TrainingStep {
  torch::Tensor loss;
  torch::Tensor logits;
};

/// A classifier: images [N, C, H, W] in, class scores (logits) [N, classes] out. All networks
/// of the lab derive from it, so the trainer needs no knowledge of architectures.
class Network : public torch::nn::Module {
public:
  virtual torch::Tensor forward(torch::Tensor images) = 0;

  /// One training step's loss and logits on `images` and `labels` [N] (int64), with every
  /// parameter's gradient set, where the network computes them itself, without autograd (an
  /// MLP on the CPU: MlpImpl); nullopt where it does not, and the trainer runs forward, loss and
  /// backward through autograd.
  virtual std::optional<TrainingStep> trainingStep(const torch::Tensor& images, const torch::Tensor& labels) {
    (void)images;
    (void)labels;
    return std::nullopt;
  }
};

/// The network of `spec` for images of `shape` and `numClasses` classes, with LibTorch's
/// default initialization drawn from the global generator (seed it with torch::manual_seed
/// first for reproducible weights). Throws InputError for an invalid spec or images too small
/// for the architecture.
std::shared_ptr<Network> makeNetwork(const ModelSpec& spec, const data::ImageShape& shape,
                                     int64_t numClasses);

/// Stores the module's 4-D parameters (convolution weights) channels-last. The convolutional
/// networks keep their activations in that layout too: oneDNN's convolutions and LibTorch's
/// pooling are faster on it on the CPU (docs/BENCHMARKS.md, "Convolutional networks").
void storeChannelsLast(torch::nn::Module& module);

/// `tensor` [N, C, H, W] with channels-last strides: itself when LibTorch already takes it for
/// channels-last, a copy otherwise. Unlike Tensor::contiguous(ChannelsLast) this also restrides
/// tensors of one channel or 1x1 pixels, which are contiguous in both layouts but which LibTorch
/// then treats as channels-first, handing that layout on to every layer after them.
torch::Tensor channelsLast(const torch::Tensor& tensor);

/// Whether the lab's own CPU routes of a layer (the LRN, MaxPoolReLU, batchNormReLU, CpuConv2d)
/// take `tensor`: float [N, C, H, W] on the CPU. Other tensors (a GPU's, other dtypes) go to
/// LibTorch's operators.
bool onCpuRows(const torch::Tensor& tensor);

/// Number of learnable parameters (buffers such as batch-norm running statistics excluded).
int64_t countParameters(const torch::nn::Module& module);

} // namespace genlab::models
