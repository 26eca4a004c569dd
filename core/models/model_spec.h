#pragma once
/// Which network a run trains: the architectures of Zhang et al. (ICLR 2017), Section 2 and
/// Appendix A.

#include "core/data/data_spec.h"
#include "core/names.h"

#include <cstdint>
#include <string>

namespace genlab::models {

enum class Architecture {
  Mlp,        ///< multi-layer perceptron: `depth` hidden layers of `width` ReLU units
  AlexNet,    ///< the paper's small AlexNet (two conv + pool + LRN blocks, three dense layers)
  Inception,  ///< the paper's small Inception (Figure 3 of the paper's appendix)
};

/// "mlp", "alexnet", "inception".
std::span<const NamedValue<Architecture>> architectureNames();

/// Hyperparameters of a network. One struct that the window, the command line and JSON fill.
struct ModelSpec {
  Architecture architecture = Architecture::Mlp;
  int64_t depth = 1;     ///< MLP: number of hidden layers (paper: 1 or 3)
  int64_t width = 512;   ///< MLP: units per hidden layer (paper: 512)
  /// Batch normalization. Inception: after every convolution, without learnable scale and
  /// shift (so on and off have the same parameter count, as in Table 1). MLP and AlexNet:
  /// after every hidden dense (and AlexNet conv) layer, with scale and shift.
  bool batchNorm = false;
  double dropout = 0.0;  ///< dropout probability after each hidden dense layer, in [0, 1)

  bool operator==(const ModelSpec&) const = default;
};

/// "MLP 1x512", "MLP 3x512", "small AlexNet", "small Inception", "small Inception w/o
/// BatchNorm"; batch norm and dropout appended when they differ from the paper's network.
std::string describe(const ModelSpec& spec);

/// Throws InputError when depth or width is below 1 or dropout lies outside [0, 1).
void validate(const ModelSpec& spec);

/// The most parameters an experiment's network may have: with its gradients and SGD's momentum
/// about 6 GB of float32, a bound on what one run may ask of memory.
inline constexpr double kMaxParameters = 5e8;

/// The parameters of the MLP `spec` describes on images of `inputs` values with `classes`
/// classes, computed without building it; a double, since it may be far beyond memory.
double mlpParameterCount(const ModelSpec& spec, int64_t inputs, int64_t classes);

/// The number of learnable parameters of the network `spec` would build, for a form that shows
/// it while the user edits. Builds the network and throws it away; the global CPU generator's
/// state is restored afterwards, so the count leaves no trace in any seeded stream. Because
/// that generator is global, call it on the thread that trains (between steps) or while no
/// training runs. Throws InputError as makeNetwork does.
int64_t parameterCount(const ModelSpec& spec, const data::ImageShape& shape, int64_t numClasses);

} // namespace genlab::models
