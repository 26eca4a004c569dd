#include "core/models/cpu_conv.h"

#include "core/models/conv_weight_gradient.h"
#include "core/models/network.h"
#include "core/models/row_parts.h"

#include <torch/torch.h>

#include <algorithm>
#include <tuple>
#include <utility>
#include <vector>

namespace genlab::models {

namespace {

namespace nn = torch::nn;
using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

/// The input's patches, one row per output pixel (n, y, x): input[n, c, y + i - padding,
/// x + j - padding] in (i, j, c) order, zero outside the image, then a 1 (its product with the
/// output gradient is the bias gradient). That is the order of a channels-last weight's numbers
/// for one output channel.
torch::Tensor gatherPatches(const torch::Tensor& input, int64_t kernel, int64_t padding) {
  // (One channel: any dense layout is this memory.)
  const torch::Tensor x = input.contiguous(torch::MemoryFormat::ChannelsLast);
  const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  const int64_t outH = h + 2 * padding - kernel + 1, outW = w + 2 * padding - kernel + 1;
  const int64_t width = kernel * kernel * c + 1;
  torch::Tensor patches = torch::empty({n * outH * outW, width}, x.options());
  const float* in = x.data_ptr<float>();
  float* rows = patches.data_ptr<float>();
  at::parallel_for(0, n * outH, 1, [&](int64_t begin, int64_t end) {
    for (int64_t line = begin; line < end; ++line) {  // output row y of image `image`
      const int64_t image = line / outH, y = line % outH;
      for (int64_t x0 = 0; x0 < outW; ++x0) {
        float* patch = rows + (line * outW + x0) * width;
        // Kernel columns [first, last) fall inside the image; each kernel row's are contiguous.
        const int64_t first = std::max<int64_t>(0, padding - x0);
        const int64_t last = std::min<int64_t>(kernel, w + padding - x0);
        for (int64_t i = 0; i < kernel; ++i, patch += kernel * c) {
          const int64_t yi = y + i - padding;
          if (yi < 0 || yi >= h || first >= last) {
            std::fill_n(patch, kernel * c, 0.0f);
            continue;
          }
          std::fill_n(patch, first * c, 0.0f);
          std::copy_n(in + ((image * h + yi) * w + x0 - padding + first) * c, (last - first) * c,
                      patch + first * c);
          std::fill_n(patch + last * c, (kernel - last) * c, 0.0f);
        }
        *patch = 1.0f;
      }
    }
  });
  return patches;
}

/// patches^T [width, rows] by gradient [rows, out], the sum over rows of their outer products.
/// The rows are split among LibTorch's threads (row_parts.h), each part one product on its own
/// BLAS thread (the convolutional networks' thread plan gives the BLAS one), and the parts
/// summed. (This way round the BLAS runs faster than the transposed product for these shapes.)
torch::Tensor productOverRows(const torch::Tensor& patches, const torch::Tensor& gradient) {
  const int64_t rows = gradient.size(0), parts = rowParts(rows, /*fewestRowsPerPart=*/4096);
  if (parts == 1) return torch::mm(patches.t(), gradient);
  std::vector<torch::Tensor> partial(static_cast<size_t>(parts));
  forEachPart(rows, parts, [&](int64_t part, int64_t first, int64_t last) {
    partial[static_cast<size_t>(part)] = torch::mm(patches.narrow(0, first, last - first).t(),
                                                   gradient.narrow(0, first, last - first));
  });
  for (size_t part = 1; part < partial.size(); ++part) partial[0].add_(partial[part]);
  return partial[0];
}

conv_weight::ConvShape shapeOf(const torch::Tensor& input, const torch::Tensor& weight,
                              int64_t stride, int64_t padding) {
  return {input.size(0),  input.size(2),  input.size(3), input.size(1),
          weight.size(0), weight.size(2), stride,        padding};
}

/// One convolution's parameters as a backward pass needs them.
struct Convolution {
  torch::Tensor weight;  ///< [out, in, k, k]
  bool bias;
  int64_t stride, padding;

  /// The routes of cpu_conv.h for stride 1 and padding less than the kernel.
  bool unitStride() const { return stride == 1 && padding < weight.size(2); }
  /// A 1x1 convolution whose patches are its input.
  bool inPlace() const { return weight.size(2) == 1 && padding == 0 && stride == 1; }
};

Convolution convolutionOf(const CpuConv2dImpl& conv) {
  return {conv.weight, conv.bias.defined(), conv.stride(), conv.padding()};
}

std::tuple<torch::Tensor, torch::Tensor, torch::Tensor> libTorchsGradients(
    const torch::Tensor& input, const torch::Tensor& gradient, const Convolution& conv,
    bool inputGradient, bool weightGradient) {
  const std::vector<int64_t> biasSizes{conv.weight.size(0)};
  return at::convolution_backward(
      gradient, input, conv.weight,
      conv.bias ? at::OptionalIntArrayRef(at::IntArrayRef(biasSizes)) : at::OptionalIntArrayRef{},
      {conv.stride, conv.stride}, {conv.padding, conv.padding}, /*dilation=*/{1, 1},
      /*transposed=*/false, /*output_padding=*/{0, 0}, /*groups=*/1,
      {inputGradient, weightGradient, weightGradient && conv.bias});
}

/// The input gradient: at unit stride the forward convolution of the (channels-last) output
/// gradient with the turned kernel, else LibTorch's.
torch::Tensor inputGradientOf(const torch::Tensor& input, const torch::Tensor& gradient,
                              const Convolution& conv) {
  if (!conv.unitStride()) return std::get<0>(libTorchsGradients(input, gradient, conv, true, false));
  const int64_t kernel = conv.weight.size(2);
  return torch::conv2d(gradient, channelsLast(conv.weight.flip({2, 3}).transpose(0, 1)),
                       /*bias=*/{}, /*stride=*/1, kernel - 1 - conv.padding);
}

/// Whether the weight gradient is one narrow product of patches (cpu_conv.h).
bool narrowPatches(const Convolution& conv) {
  const int64_t kernel = conv.weight.size(2), in = conv.weight.size(1);
  return conv.unitStride() && (conv.inPlace() || kernel * kernel * in <= kWidestGatheredPatch);
}

/// The weight and bias gradients of convolutions of one input by conv_weight::accumulate, in
/// one pass over it, its parts split among LibTorch's threads: the weight's in the layout of a
/// channels-last weight, the bias's undefined where `bias` is false. `gradients` dense
/// channels-last.
std::vector<std::pair<torch::Tensor, torch::Tensor>> ownGradients(
    const torch::Tensor& input, const std::vector<torch::Tensor>& gradients,
    const std::vector<conv_weight::ConvShape>& shapes, const std::vector<bool>& bias) {
  const torch::Tensor x = input.contiguous(torch::MemoryFormat::ChannelsLast);
  std::vector<std::pair<torch::Tensor, torch::Tensor>> results;
  std::vector<conv_weight::Gradients> convolutions;
  for (size_t i = 0; i < shapes.size(); ++i) {
    const conv_weight::ConvShape& shape = shapes[i];
    // Every element is written by accumulate: no zeros needed.
    torch::Tensor weight =
        torch::empty({shape.outChannels, shape.inChannels, shape.kernel, shape.kernel},
                     x.options().memory_format(torch::MemoryFormat::ChannelsLast));
    torch::Tensor biasGradient = bias[i] ? torch::empty({shape.outChannels}, x.options())
                                         : torch::Tensor();
    convolutions.push_back({shape, gradients[i].data_ptr<float>(), weight.data_ptr<float>(),
                            bias[i] ? biasGradient.data_ptr<float>() : nullptr});
    results.emplace_back(weight, biasGradient);
  }
  const float* xs = x.data_ptr<float>();
  at::parallel_for(0, conv_weight::parts(convolutions), 1, [&](int64_t first, int64_t last) {
    conv_weight::accumulate(xs, convolutions, first, last);
  });
  return results;
}

/// The weight and bias gradients of one convolution by the routes of cpu_conv.h.
std::pair<torch::Tensor, torch::Tensor> weightGradientOf(const torch::Tensor& input,
                                                         const torch::Tensor& gradient,
                                                         const Convolution& conv) {
  const int64_t out = conv.weight.size(0), in = conv.weight.size(1), kernel = conv.weight.size(2);
  const conv_weight::ConvShape shape = shapeOf(input, conv.weight, conv.stride, conv.padding);
  if (narrowPatches(conv)) {
    // Output pixels as rows: the gradient [N * H' * W', out] and the patches
    // [N * H' * W', k * k * in (+ 1 when gathered)].
    const torch::Tensor rows = gradient.permute({0, 2, 3, 1}).reshape({-1, out});
    const torch::Tensor patches = conv.inPlace() ? input.permute({0, 2, 3, 1}).reshape({-1, in})
                                                 : gatherPatches(input, kernel, conv.padding);
    const torch::Tensor product = productOverRows(patches, rows);  // [width, out]
    // [out, k * k * in] is the memory of a channels-last weight [out, in, k, k].
    const torch::Tensor weight = product.narrow(0, 0, kernel * kernel * in)
                                     .t()
                                     .contiguous()
                                     .view({out, kernel, kernel, in})
                                     .permute({0, 3, 1, 2});
    if (!conv.bias) return {weight, {}};
    return {weight, conv.inPlace() ? rows.sum(0) : product[kernel * kernel * in]};
  }
  if (conv_weight::fastRouteFor(shape))
    return ownGradients(input, {gradient.contiguous(torch::MemoryFormat::ChannelsLast)}, {shape},
                        {conv.bias})
        .front();
  const auto gradients = libTorchsGradients(input, gradient, conv, false, true);
  return {std::get<1>(gradients), std::get<2>(gradients)};
}

class CpuConvFunction : public torch::autograd::Function<CpuConvFunction> {
public:
  static torch::Tensor forward(AutogradContext* context, const torch::Tensor& input,
                               const torch::Tensor& weight, const torch::Tensor& bias,
                               int64_t stride, int64_t padding) {
    context->save_for_backward({input, weight});
    context->saved_data["stride"] = stride;
    context->saved_data["padding"] = padding;
    context->saved_data["bias"] = bias.defined();
    return torch::conv2d(input, weight, bias, stride, padding);
  }

  static tensor_list backward(AutogradContext* context, tensor_list gradients) {
    const tensor_list saved = context->get_saved_variables();
    const torch::Tensor& input = saved[0];
    const Convolution conv{saved[1], context->saved_data["bias"].toBool(),
                           context->saved_data["stride"].toInt(),
                           context->saved_data["padding"].toInt()};
    const torch::Tensor gradient = channelsLast(gradients[0]);
    torch::Tensor inputGradient;
    if (context->needs_input_grad(0)) inputGradient = inputGradientOf(input, gradient, conv);
    const auto [weightGradient, biasGradient] = weightGradientOf(input, gradient, conv);
    return {inputGradient, weightGradient, biasGradient, torch::Tensor(), torch::Tensor()};
  }
};

/// `into` [rows, in] += gradient [rows, out] by weight [out, in]: a 1x1 convolution's input
/// gradient added where it is formed. The rows are split among LibTorch's threads, each part
/// one product on its own BLAS thread.
void addProductOverRows(torch::Tensor& into, const torch::Tensor& gradient,
                        const torch::Tensor& weight) {
  const int64_t rows = into.size(0);
  forEachPart(rows, rowParts(rows, /*fewestRowsPerPart=*/4096),
              [&](int64_t, int64_t first, int64_t last) {
                // (LibTorch's worker threads are in grad mode; this is a backward pass.)
                const torch::NoGradGuard backward;
                torch::Tensor part = into.narrow(0, first, last - first);
                part.addmm_(gradient.narrow(0, first, last - first), weight);
              });
}

/// An Inception module's two convolutions of one input, a 1x1 (`narrow`) and a wider one at unit
/// stride (`wide`), as one node of the backward pass (convolveBoth).
class ConvPairFunction : public torch::autograd::Function<ConvPairFunction> {
public:
  static tensor_list forward(AutogradContext* context, const torch::Tensor& input,
                             const torch::Tensor& narrowWeight, const torch::Tensor& narrowBias,
                             const torch::Tensor& wideWeight, const torch::Tensor& wideBias,
                             int64_t widePadding) {
    context->save_for_backward({input, narrowWeight, wideWeight});
    context->saved_data["padding"] = widePadding;
    context->saved_data["narrowBias"] = narrowBias.defined();
    context->saved_data["wideBias"] = wideBias.defined();
    return {torch::conv2d(input, narrowWeight, narrowBias),
            torch::conv2d(input, wideWeight, wideBias, /*stride=*/1, widePadding)};
  }

  static tensor_list backward(AutogradContext* context, tensor_list gradients) {
    const tensor_list saved = context->get_saved_variables();
    const torch::Tensor& input = saved[0];
    const Convolution narrow{saved[1], context->saved_data["narrowBias"].toBool(), 1, 0};
    const Convolution wide{saved[2], context->saved_data["wideBias"].toBool(), 1,
                           context->saved_data["padding"].toInt()};
    // (Autograd hands an output that got no gradient zeros of its shape.)
    const torch::Tensor narrowGradient = gradients[0].contiguous(torch::MemoryFormat::ChannelsLast);
    const torch::Tensor wideGradient = gradients[1].contiguous(torch::MemoryFormat::ChannelsLast);
    const conv_weight::ConvShape narrowShape = shapeOf(input, narrow.weight, 1, 0);
    const conv_weight::ConvShape wideShape = shapeOf(input, wide.weight, 1, wide.padding);

    torch::Tensor inputGradient;
    if (context->needs_input_grad(0)) {
      // The wide convolution's input gradient, dense channels-last, and the 1x1's added to it
      // as pixel rows: [pixels, in] += [pixels, a] by the weight [a, in].
      inputGradient = inputGradientOf(input, wideGradient, wide)
                          .contiguous(torch::MemoryFormat::ChannelsLast);
      const int64_t in = input.size(1), a = narrow.weight.size(0);
      torch::Tensor rows = inputGradient.permute({0, 2, 3, 1}).view({-1, in});
      addProductOverRows(rows, narrowGradient.permute({0, 2, 3, 1}).view({-1, a}),
                         narrow.weight.reshape({a, in}));
    }

    torch::Tensor narrowWeightGradient, narrowBiasGradient, wideWeightGradient, wideBiasGradient;
    if (conv_weight::fastRouteFor(narrowShape) && conv_weight::fastRouteFor(wideShape) &&
        !narrowPatches(wide)) {
      const auto both = ownGradients(input, {narrowGradient, wideGradient},
                                     {narrowShape, wideShape}, {narrow.bias, wide.bias});
      std::tie(narrowWeightGradient, narrowBiasGradient) = both[0];
      std::tie(wideWeightGradient, wideBiasGradient) = both[1];
    } else {
      std::tie(narrowWeightGradient, narrowBiasGradient) =
          weightGradientOf(input, narrowGradient, narrow);
      std::tie(wideWeightGradient, wideBiasGradient) = weightGradientOf(input, wideGradient, wide);
    }
    return {inputGradient,      narrowWeightGradient, narrowBiasGradient,
            wideWeightGradient, wideBiasGradient,     torch::Tensor()};
  }
};

} // namespace

CpuConv2dImpl::CpuConv2dImpl(int64_t inChannels, int64_t outChannels, int64_t kernel,
                             int64_t stride, int64_t padding)
    : nn::Conv2dImpl(
          nn::Conv2dOptions(inChannels, outChannels, kernel).stride(stride).padding(padding)),
      stride_(stride), padding_(padding) {}

bool CpuConv2dImpl::takesOwnRoutes(const torch::Tensor& input) const {
  if (!onCpuRows(input) || weight.scalar_type() != torch::kFloat) return false;
  return convolutionOf(*this).unitStride() ||
         conv_weight::fastRouteFor(shapeOf(input, weight, stride_, padding_));
}

torch::Tensor CpuConv2dImpl::forward(const torch::Tensor& input) {
  if (!takesOwnRoutes(input)) return nn::Conv2dImpl::forward(input);
  return CpuConvFunction::apply(input, weight, bias, stride_, padding_);
}

std::pair<torch::Tensor, torch::Tensor> convolveBoth(CpuConv2dImpl& narrow, CpuConv2dImpl& wide,
                                                     const torch::Tensor& input) {
  const bool pair = convolutionOf(narrow).inPlace() && convolutionOf(wide).unitStride() &&
                    narrow.takesOwnRoutes(input) && wide.takesOwnRoutes(input);
  if (!pair) return {narrow.forward(input), wide.forward(input)};
  const tensor_list outputs = ConvPairFunction::apply(input, narrow.weight, narrow.bias,
                                                      wide.weight, wide.bias, wide.padding());
  return {outputs[0], outputs[1]};
}

} // namespace genlab::models
