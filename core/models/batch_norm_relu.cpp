#include "core/models/batch_norm_relu.h"

#include "core/models/batch_norm_rows.h"
#include "core/models/network.h"
#include "core/models/row_parts.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace genlab::models {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

/// sum(first, last, partial) over the parts of rows [0, rows) in parallel (row_parts.h), each
/// part's `partial` holding `width` doubles of its own; returns their totals.
template <class Sum>
std::vector<double> sumOverParts(int64_t rows, int64_t width, Sum&& sum) {
  const int64_t parts = rowParts(rows, /*fewestRowsPerPart=*/1024);
  std::vector<double> partial(static_cast<size_t>(parts * width), 0.0);
  forEachPart(rows, parts, [&](int64_t part, int64_t first, int64_t last) {
    sum(first, last, partial.data() + part * width);
  });
  for (int64_t part = 1; part < parts; ++part)
    for (int64_t i = 0; i < width; ++i) partial[i] += partial[part * width + i];
  partial.resize(static_cast<size_t>(width));
  return partial;
}

/// How many floats apart the pixels' rows of C channels of `t` [N, C, H, W] are, when they are
/// evenly spaced rows of contiguous channels (channels-last, or a channel slice of a
/// channels-last concatenation); 0 otherwise.
int64_t rowStride(const torch::Tensor& t) {
  const int64_t s = t.stride(3);
  const bool rows = t.stride(1) == 1 && s >= t.size(1) && t.stride(2) == t.size(3) * s &&
                    t.stride(0) == t.size(2) * t.stride(2);
  return rows ? s : 0;
}

/// The batch's mean and 1 / sqrt(variance + eps) per channel of x (dense channels-last), the
/// running statistics moved by `factor`, and relu(norm(x)) written to `out`, its rows
/// `outStride` floats apart (a channel slice of a concatenation).
std::pair<torch::Tensor, torch::Tensor> normalizeInto(const torch::Tensor& x,
                                                      const torch::Tensor& runningMean,
                                                      const torch::Tensor& runningVar,
                                                      double factor, double eps, float* out,
                                                      int64_t outStride) {
  const int64_t channels = x.size(1), rows = x.numel() / channels;
  const float* xs = x.data_ptr<float>();
  const std::vector<double> sums =
      sumOverParts(rows, 2 * channels, [&](int64_t first, int64_t last, double* partial) {
        batch_norm::sumRows(xs, channels, first, last, partial, partial + channels);
      });
  torch::Tensor mean = torch::empty({channels}, x.options());
  torch::Tensor invstd = torch::empty({channels}, x.options());
  float *m = mean.data_ptr<float>(), *r = invstd.data_ptr<float>();
  float *rm = runningMean.data_ptr<float>(), *rv = runningVar.data_ptr<float>();
  for (int64_t c = 0; c < channels; ++c) {
    const double mu = sums[c] / double(rows);
    const double var = std::max(0.0, sums[channels + c] / double(rows) - mu * mu);
    m[c] = float(mu);
    r[c] = float(1.0 / std::sqrt(var + eps));
    // As LibTorch's batch norm: the running variance is the unbiased one.
    rm[c] = float((1.0 - factor) * rm[c] + factor * mu);
    rv[c] = float((1.0 - factor) * rv[c] + factor * var * double(rows) / double(rows - 1));
  }
  forRowChunks(rows, channels, [&](int64_t begin, int64_t end) {
    batch_norm::normalizeReLURows(xs, out, outStride, m, r, channels, begin, end);
  });
  return {mean, invstd};
}

/// The gradient with respect to x of relu(norm(x)), given the output's gradient `dy` (read in
/// place when it is a channel slice of a channels-last concatenation).
torch::Tensor gradientOf(torch::Tensor dy, const torch::Tensor& x, const torch::Tensor& mean,
                         const torch::Tensor& invstd) {
  const int64_t channels = x.size(1), rows = x.numel() / channels;
  int64_t stride = rowStride(dy);
  if (stride == 0) {
    dy = dy.contiguous(torch::MemoryFormat::ChannelsLast);
    stride = channels;
  }
  const float *g = dy.data_ptr<float>(), *xs = x.data_ptr<float>();
  const float *m = mean.data_ptr<float>(), *r = invstd.data_ptr<float>();
  const std::vector<double> sums =
      sumOverParts(rows, 2 * channels, [&](int64_t first, int64_t last, double* partial) {
        batch_norm::sumGradientRows(g, stride, xs, m, channels, first, last, partial,
                                    partial + channels);
      });
  std::vector<float> a(static_cast<size_t>(channels)), b(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c) {
    a[c] = float(sums[c] / double(rows));
    b[c] = float(double(r[c]) * r[c] * sums[channels + c] / double(rows));
  }
  torch::Tensor dx = torch::empty_like(x, torch::MemoryFormat::ChannelsLast);
  float* out = dx.data_ptr<float>();
  forRowChunks(rows, channels, [&](int64_t begin, int64_t end) {
    batch_norm::gradientRows(g, stride, xs, m, r, a.data(), b.data(), out, channels, begin, end);
  });
  return dx;
}

class BatchNormReLUFunction : public torch::autograd::Function<BatchNormReLUFunction> {
public:
  static torch::Tensor forward(AutogradContext* context, const torch::Tensor& input,
                               const torch::Tensor& runningMean, const torch::Tensor& runningVar,
                               double factor, double eps) {
    // (One channel or one pixel: any dense layout is this memory.)
    const torch::Tensor x = input.contiguous(torch::MemoryFormat::ChannelsLast);
    torch::Tensor y = torch::empty_like(x, torch::MemoryFormat::ChannelsLast);
    const auto [mean, invstd] =
        normalizeInto(x, runningMean, runningVar, factor, eps, y.data_ptr<float>(), x.size(1));
    context->save_for_backward({x, mean, invstd});
    return y;
  }

  static tensor_list backward(AutogradContext* context, tensor_list gradients) {
    const tensor_list saved = context->get_saved_variables();
    return {gradientOf(gradients[0], saved[0], saved[1], saved[2]), torch::Tensor(),
            torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

/// Two batch norms then ReLUs, written side by side into one channels-last output.
class BatchNormReLUConcatFunction
    : public torch::autograd::Function<BatchNormReLUConcatFunction> {
public:
  static torch::Tensor forward(AutogradContext* context, const torch::Tensor& first,
                               const torch::Tensor& firstMean, const torch::Tensor& firstVar,
                               double firstFactor, const torch::Tensor& second,
                               const torch::Tensor& secondMean, const torch::Tensor& secondVar,
                               double secondFactor, double eps) {
    const torch::Tensor a = first.contiguous(torch::MemoryFormat::ChannelsLast);
    const torch::Tensor b = second.contiguous(torch::MemoryFormat::ChannelsLast);
    const int64_t channels = a.size(1) + b.size(1);
    torch::Tensor y = torch::empty({a.size(0), channels, a.size(2), a.size(3)},
                                   a.options().memory_format(torch::MemoryFormat::ChannelsLast));
    float* out = y.data_ptr<float>();
    const auto [aMean, aInvstd] =
        normalizeInto(a, firstMean, firstVar, firstFactor, eps, out, channels);
    const auto [bMean, bInvstd] =
        normalizeInto(b, secondMean, secondVar, secondFactor, eps, out + a.size(1), channels);
    context->save_for_backward({a, aMean, aInvstd, b, bMean, bInvstd});
    return y;
  }

  static tensor_list backward(AutogradContext* context, tensor_list gradients) {
    const tensor_list saved = context->get_saved_variables();
    const torch::Tensor& dy = gradients[0];
    const int64_t split = saved[0].size(1);
    return {gradientOf(dy.narrow(1, 0, split), saved[0], saved[1], saved[2]),
            torch::Tensor(),
            torch::Tensor(),
            torch::Tensor(),
            gradientOf(dy.narrow(1, split, dy.size(1) - split), saved[3], saved[4], saved[5]),
            torch::Tensor(),
            torch::Tensor(),
            torch::Tensor(),
            torch::Tensor()};
  }
};

/// Whether relu(norm(input)) takes the lab's loops: training, running statistics without scale
/// and shift, float channels-last rows on the CPU.
bool takesOwnLoops(const torch::nn::BatchNorm2dImpl& norm, const torch::Tensor& input) {
  const auto& options = norm.options;
  return norm.is_training() && options.track_running_stats() && !options.affine() &&
         onCpuRows(input) && input.numel() > input.size(1) &&  // LibTorch's error for one value
         norm.running_mean.scalar_type() == torch::kFloat && norm.running_mean.is_contiguous() &&
         norm.running_var.is_contiguous();
}

/// Counts the batch, as the norm's own forward pass does in training, and returns the factor
/// by which it moves the running statistics.
double countBatch(torch::nn::BatchNorm2dImpl& norm) {
  {
    torch::NoGradGuard counting;
    norm.num_batches_tracked += 1;
  }
  const auto& momentum = norm.options.momentum();
  return momentum.has_value() ? *momentum
                              : 1.0 / double(norm.num_batches_tracked.item<int64_t>());
}

} // namespace

torch::Tensor batchNormReLU(torch::nn::BatchNorm2dImpl& norm, const torch::Tensor& input) {
  if (!takesOwnLoops(norm, input)) return torch::relu(norm.forward(input));
  const double factor = countBatch(norm);
  return BatchNormReLUFunction::apply(input, norm.running_mean, norm.running_var, factor,
                                      norm.options.eps());
}

torch::Tensor batchNormReLUConcat(torch::nn::BatchNorm2dImpl& first, const torch::Tensor& a,
                                  torch::nn::BatchNorm2dImpl& second, const torch::Tensor& b) {
  if (!takesOwnLoops(first, a) || !takesOwnLoops(second, b) || a.size(0) != b.size(0) ||
      a.size(2) != b.size(2) || a.size(3) != b.size(3) || first.options.eps() != second.options.eps())
    return torch::cat({batchNormReLU(first, a), batchNormReLU(second, b)}, 1);
  const double firstFactor = countBatch(first);
  const double secondFactor = countBatch(second);
  return BatchNormReLUConcatFunction::apply(a, first.running_mean, first.running_var, firstFactor,
                                            b, second.running_mean, second.running_var,
                                            secondFactor, first.options.eps());
}

} // namespace genlab::models
