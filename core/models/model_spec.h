#pragma once
/// Which model a run fits: the networks of Zhang et al. (ICLR 2017), Section 2 and Appendix A,
/// or the linear models of its Section 5 in closed form.

#include "core/closed_form/kernel_kind.h"
#include "core/data/data_spec.h"
#include "core/names.h"

#include <cstdint>
#include <string>

namespace genlab::models {

enum class Architecture {
  Mlp,        ///< multi-layer perceptron: `depth` hidden layers of `width` ReLU units
  AlexNet,    ///< the paper's small AlexNet (two conv + pool + LRN blocks, three dense layers)
  Inception,  ///< the paper's small Inception (Figure 3 of the paper's appendix)
  /// The paper's Section 5, closed form (core/closed_form): the minimum-norm interpolant of
  /// the kernel `kernel` (solve K a = Y), fitted in one solve, no training steps.
  Kernel,
  /// Minimum-norm least squares on `features` random features (ReLU for the arccos kernel,
  /// Fourier for rbf): the double-descent model (Belkin et al. 2019), one solve.
  RandomFeatures,
};

/// "mlp", "alexnet", "inception", "kernel", "random-features".
std::span<const NamedValue<Architecture>> architectureNames();

/// Kernel and RandomFeatures: models fitted in closed form (one solve per run, on the CPU in
/// float64), not networks trained by steps. They take no optimizer or regularizer
/// (train::validate refuses them) and makeNetwork refuses them.
bool isClosedForm(Architecture architecture);

/// Hyperparameters of a model. One struct that the window, the command line and JSON fill.
struct ModelSpec {
  Architecture architecture = Architecture::Mlp;
  int64_t depth = 1;     ///< MLP: number of hidden layers (paper: 1 or 3)
  int64_t width = 512;   ///< MLP: units per hidden layer (paper: 512)
  /// Batch normalization. Inception: after every convolution, without learnable scale and
  /// shift (so on and off have the same parameter count, as in Table 1). MLP and AlexNet:
  /// after every hidden dense (and AlexNet conv) layer, with scale and shift.
  bool batchNorm = false;
  double dropout = 0.0;  ///< dropout probability after each hidden dense layer, in [0, 1)
  /// Kernel: the kernel interpolated. RandomFeatures: the kernel the features stand for,
  /// arccos -> random ReLU features, rbf -> random Fourier features.
  closed_form::KernelKind kernel = closed_form::KernelKind::Rbf;
  /// The RBF kernel's (and Fourier features') bandwidth sigma, k = exp(-|x - z|^2 / (2 sigma^2));
  /// 0: from the training images, sigma^2 = their total pixel variance (the sum over pixels of
  /// each pixel's variance), i.e. gamma = 1 / (2 x total variance). The arc-cosine kernel and
  /// ReLU features have none.
  double bandwidth = 0.0;
  int64_t features = 1000;  ///< RandomFeatures: N, the number of random features

  bool operator==(const ModelSpec&) const = default;
};

/// True when `spec` uses `bandwidth`: an RBF kernel, or Fourier features.
bool usesBandwidth(const ModelSpec& spec);

/// "MLP 1x512", "MLP 3x512", "small AlexNet", "small Inception", "small Inception w/o
/// BatchNorm"; batch norm and dropout appended when they differ from the paper's network.
/// Closed-form models: "RBF kernel interpolation (bandwidth 9.87)" (without a bandwidth:
/// "(bandwidth from the data)"), "arc-cosine kernel interpolation", "random ReLU features,
/// N = 1000", "random Fourier features, N = 1000 (bandwidth 9.87)".
std::string describe(const ModelSpec& spec);

/// Throws InputError when depth or width is below 1, dropout lies outside [0, 1), the
/// bandwidth is negative or not finite, or features are below 1.
void validate(const ModelSpec& spec);

/// The coefficients a closed-form model fits, its counterpart of a network's parameters:
/// kernel interpolation n x classes (one per training image and class), random features
/// N x classes. 0 for a network (parameterCount counts those).
int64_t closedFormParameterCount(const ModelSpec& spec, int64_t trainImages, int64_t classes);

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
/// training runs. Throws InputError as makeNetwork does (closed-form models included: their
/// count is closedFormParameterCount's).
int64_t parameterCount(const ModelSpec& spec, const data::ImageShape& shape, int64_t numClasses);

} // namespace genlab::models
