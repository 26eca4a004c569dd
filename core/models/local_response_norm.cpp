#include "core/models/local_response_norm.h"

#include "core/models/network.h"

#include <torch/torch.h>

#include <algorithm>

namespace genlab::models {

namespace {

/// The window sums of float rows of `channels` values, rows [begin, end) of `in` into `out`.
void sumWindows(const float* in, float* out, int64_t channels, int64_t before, int64_t after,
                int64_t begin, int64_t end) {
  for (int64_t row = begin; row < end; ++row) {
    const float* x = in + row * channels;
    float* y = out + row * channels;
    std::fill(y, y + channels, 0.0f);
    // One pass per offset, each over contiguous channels, so that the compiler vectorizes it.
    for (int64_t offset = -before; offset <= after; ++offset) {
      const int64_t first = std::max<int64_t>(0, -offset);
      const int64_t last = std::min(channels, channels - offset);
      for (int64_t c = first; c < last; ++c) y[c] += x[c + offset];
    }
  }
}

torch::Tensor windowSums(const torch::Tensor& input, int64_t before, int64_t after) {
  if (!input.device().is_cpu() || input.scalar_type() != torch::kFloat || input.dim() != 4) {
    // As torch::nn::functional::local_response_norm: pad the channels, average, rescale.
    const int64_t size = before + after + 1;
    torch::Tensor padded =
        torch::constant_pad_nd(input.unsqueeze(1), {0, 0, 0, 0, before, after});
    return torch::avg_pool3d(padded, {size, 1, 1}, 1).squeeze(1).mul_(double(size));
  }
  const torch::Tensor rows = input.contiguous(torch::MemoryFormat::ChannelsLast);
  torch::Tensor sums = torch::empty_like(rows, torch::MemoryFormat::ChannelsLast);
  const int64_t channels = rows.size(1);
  const int64_t count = rows.numel() / std::max<int64_t>(1, channels);
  const float* in = rows.data_ptr<float>();
  float* out = sums.data_ptr<float>();
  at::parallel_for(0, count, 256, [&](int64_t begin, int64_t end) {
    sumWindows(in, out, channels, before, after, begin, end);
  });
  return sums;
}

/// LRN with its gradient written out, so that d^-beta (the costly power) is taken once per step:
/// with d = k + alpha / size * S and S the window sums of x^2, y = x * d^-beta and
/// dx_j = g_j * d_j^-beta - 2 * alpha * beta / size * x_j * sum over the windows c holding j
/// of g_c * y_c / d_c.
class LocalResponseNormFunction : public torch::autograd::Function<LocalResponseNormFunction> {
public:
  static torch::Tensor forward(torch::autograd::AutogradContext* context, const torch::Tensor& x,
                               int64_t size, double alpha, double beta, double k) {
    const int64_t before = size / 2, after = (size - 1) / 2;
    const torch::Tensor d = windowSums(x * x, before, after).mul_(alpha / double(size)).add_(k);
    torch::Tensor scale;
    if (beta == 0.75) {  // AlexNet's: d^-3/4 = d^-1/2 * (d^-1/2)^1/2, far cheaper than a power
      scale = d.rsqrt();
      scale.mul_(scale.sqrt());
    } else {
      scale = d.pow(-beta);
    }
    torch::Tensor y = x * scale;
    context->save_for_backward({x, y, d, scale});
    context->saved_data["size"] = size;
    context->saved_data["alpha"] = alpha;
    context->saved_data["beta"] = beta;
    return y;
  }

  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* context,
                                               torch::autograd::tensor_list gradients) {
    const auto saved = context->get_saved_variables();
    const torch::Tensor &x = saved[0], &y = saved[1], &d = saved[2], &scale = saved[3];
    const int64_t size = context->saved_data["size"].toInt();
    const double alpha = context->saved_data["alpha"].toDouble();
    const double beta = context->saved_data["beta"].toDouble();
    // Channels-last like the rest, so that no layer before converts it (after a flatten it is not).
    const torch::Tensor g = channelsLast(gradients[0]);
    // Channel j lies in the windows of channels j - after .. j + before.
    const torch::Tensor spread = windowSums(g * y / d, (size - 1) / 2, size / 2);
    torch::Tensor dx = torch::addcmul(g * scale, x, spread, -2.0 * alpha * beta / double(size));
    return {dx, torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

} // namespace

torch::Tensor LocalResponseNormImpl::forward(const torch::Tensor& input) {
  return LocalResponseNormFunction::apply(input, size_, alpha_, beta_, k_);
}

} // namespace genlab::models
