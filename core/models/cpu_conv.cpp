#include "core/models/cpu_conv.h"

#include "core/models/conv_weight_gradient.h"
#include "core/models/network.h"
#include "core/models/row_parts.h"

#include <torch/torch.h>

#include <algorithm>
#include <tuple>
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

/// The weight gradient by conv_weight::accumulate, its parts split among LibTorch's threads, in
/// the layout of a channels-last weight.
torch::Tensor ownWeightGradient(const conv_weight::ConvShape& shape, const torch::Tensor& input,
                                const torch::Tensor& gradient) {
  const torch::Tensor x = input.contiguous(torch::MemoryFormat::ChannelsLast);
  const torch::Tensor g = gradient.contiguous(torch::MemoryFormat::ChannelsLast);
  // (torch::zeros would drop the memory format.)
  torch::Tensor weight =
      torch::empty({shape.outChannels, shape.inChannels, shape.kernel, shape.kernel},
                   x.options().memory_format(torch::MemoryFormat::ChannelsLast))
          .zero_();
  const float *xs = x.data_ptr<float>(), *gs = g.data_ptr<float>();
  float* ws = weight.data_ptr<float>();
  at::parallel_for(0, conv_weight::parts(shape), 1, [&](int64_t first, int64_t last) {
    conv_weight::accumulate(shape, xs, gs, ws, first, last);
  });
  return weight;
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
    const torch::Tensor &input = saved[0], &weight = saved[1];
    const int64_t stride = context->saved_data["stride"].toInt();
    const int64_t padding = context->saved_data["padding"].toInt();
    const bool bias = context->saved_data["bias"].toBool();
    const int64_t out = weight.size(0), in = weight.size(1), kernel = weight.size(2);
    const torch::Tensor gradient = channelsLast(gradients[0]);
    const std::vector<int64_t> biasSizes{out};
    const auto libTorchs = [&](bool inputGradient, bool weightGradient) {
      return at::convolution_backward(
          gradient, input, weight,
          bias ? at::OptionalIntArrayRef(at::IntArrayRef(biasSizes)) : at::OptionalIntArrayRef{},
          {stride, stride}, {padding, padding}, /*dilation=*/{1, 1}, /*transposed=*/false,
          /*output_padding=*/{0, 0}, /*groups=*/1, {inputGradient, weightGradient, weightGradient && bias});
    };

    torch::Tensor inputGradient;
    if (context->needs_input_grad(0))
      inputGradient = stride == 1 ? torch::conv2d(gradient,
                                                  channelsLast(weight.flip({2, 3}).transpose(0, 1)),
                                                  /*bias=*/{}, /*stride=*/1, kernel - 1 - padding)
                                  : std::get<0>(libTorchs(true, false));

    torch::Tensor weightGradient, biasGradient;
    const bool inPlace = kernel == 1 && padding == 0 && stride == 1;
    const conv_weight::ConvShape shape = shapeOf(input, weight, stride, padding);
    if (stride == 1 && (inPlace || kernel * kernel * in <= kWidestGatheredPatch)) {
      // Output pixels as rows: the gradient [N * H' * W', out] and the patches
      // [N * H' * W', k * k * in (+ 1 when gathered)].
      const torch::Tensor rows = gradient.permute({0, 2, 3, 1}).reshape({-1, out});
      const torch::Tensor patches = inPlace ? input.permute({0, 2, 3, 1}).reshape({-1, in})
                                            : gatherPatches(input, kernel, padding);
      const torch::Tensor product = productOverRows(patches, rows);  // [width, out]
      // [out, k * k * in] is the memory of a channels-last weight [out, in, k, k].
      weightGradient = product.narrow(0, 0, kernel * kernel * in)
                           .t()
                           .contiguous()
                           .view({out, kernel, kernel, in})
                           .permute({0, 3, 1, 2});
      if (bias) biasGradient = inPlace ? rows.sum(0) : product[kernel * kernel * in];
    } else if (conv_weight::fastRouteFor(shape)) {
      weightGradient = ownWeightGradient(shape, input, gradient);
      if (bias) biasGradient = gradient.sum({0, 2, 3});
    } else {
      std::tie(std::ignore, weightGradient, biasGradient) = libTorchs(false, true);
    }
    return {inputGradient, weightGradient, biasGradient, torch::Tensor(), torch::Tensor()};
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
  return (stride_ == 1 && padding_ < weight.size(2)) ||
         conv_weight::fastRouteFor(shapeOf(input, weight, stride_, padding_));
}

torch::Tensor CpuConv2dImpl::forward(const torch::Tensor& input) {
  if (!takesOwnRoutes(input)) return nn::Conv2dImpl::forward(input);
  return CpuConvFunction::apply(input, weight, bias, stride_, padding_);
}

} // namespace genlab::models
