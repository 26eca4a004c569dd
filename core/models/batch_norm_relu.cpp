#include "core/models/batch_norm_relu.h"

#include "core/models/batch_norm_rows.h"
#include "core/models/network.h"
#include "core/models/row_parts.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
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

class BatchNormReLUFunction : public torch::autograd::Function<BatchNormReLUFunction> {
public:
  static torch::Tensor forward(AutogradContext* context, const torch::Tensor& input,
                               const torch::Tensor& runningMean, const torch::Tensor& runningVar,
                               double factor, double eps) {
    // (One channel or one pixel: any dense layout is this memory.)
    const torch::Tensor x = input.contiguous(torch::MemoryFormat::ChannelsLast);
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
    torch::Tensor y = torch::empty_like(x, torch::MemoryFormat::ChannelsLast);
    float* ys = y.data_ptr<float>();
    forRowChunks(rows, channels, [&](int64_t begin, int64_t end) {
      batch_norm::normalizeReLURows(xs, ys, m, r, channels, begin, end);
    });
    context->save_for_backward({x, mean, invstd});
    return y;
  }

  static tensor_list backward(AutogradContext* context, tensor_list gradients) {
    const tensor_list saved = context->get_saved_variables();
    const torch::Tensor &x = saved[0], &mean = saved[1], &invstd = saved[2];
    const int64_t channels = x.size(1), rows = x.numel() / channels;
    torch::Tensor dy = gradients[0];
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
    return {dx, torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

} // namespace

torch::Tensor batchNormReLU(torch::nn::BatchNorm2dImpl& norm, const torch::Tensor& input) {
  const auto& options = norm.options;
  const bool ownLoops = norm.is_training() && options.track_running_stats() &&
                        !options.affine() && onCpuRows(input) &&
                        input.numel() > input.size(1) &&  // LibTorch's error for one value
                        norm.running_mean.scalar_type() == torch::kFloat &&
                        norm.running_mean.is_contiguous() && norm.running_var.is_contiguous();
  if (!ownLoops) return torch::relu(norm.forward(input));
  {
    torch::NoGradGuard counting;
    norm.num_batches_tracked += 1;
  }
  const double factor = options.momentum().has_value()
                            ? *options.momentum()
                            : 1.0 / double(norm.num_batches_tracked.item<int64_t>());
  return BatchNormReLUFunction::apply(input, norm.running_mean, norm.running_var, factor,
                                      options.eps());
}

} // namespace genlab::models
