#include "core/models/local_response_norm.h"

#include "core/models/lrn_rows.h"
#include "core/models/network.h"
#include "core/models/row_parts.h"

#include <torch/torch.h>

#include <algorithm>
#include <vector>

namespace genlab::models {

namespace {

/// Runs `loop(begin, end, work)` over the rows of `t` in parallel chunks (row_parts.h), each
/// chunk with a work buffer of one row.
template <class Loop>
void overRows(const torch::Tensor& t, Loop&& loop) {
  const int64_t channels = t.size(1), rows = t.numel() / std::max<int64_t>(1, channels);
  forRowChunks(rows, channels, [&](int64_t begin, int64_t end) {
    std::vector<float> work(static_cast<size_t>(channels));
    loop(begin, end, work.data());
  });
}

lrn::Constants constantsOf(int64_t size, double alpha, double beta, double k) {
  return {size / 2, (size - 1) / 2, float(alpha / double(size)), float(beta), float(k)};
}

/// The window sums by composed operators, as torch::nn::functional::local_response_norm does
/// them: pad the channels, average, rescale.
torch::Tensor windowSums(const torch::Tensor& input, int64_t before, int64_t after) {
  const int64_t size = before + after + 1;
  torch::Tensor padded = torch::constant_pad_nd(input.unsqueeze(1), {0, 0, 0, 0, before, after});
  return torch::avg_pool3d(padded, {size, 1, 1}, 1).squeeze(1).mul_(double(size));
}

/// LRN with its gradient written out, so that d^-beta (the costly power) is taken once per step.
class LocalResponseNormFunction : public torch::autograd::Function<LocalResponseNormFunction> {
public:
  static torch::Tensor forward(torch::autograd::AutogradContext* context, const torch::Tensor& input,
                               int64_t size, double alpha, double beta, double k) {
    const lrn::Constants constants = constantsOf(size, alpha, beta, k);
    context->saved_data["size"] = size;
    context->saved_data["alpha"] = alpha;
    context->saved_data["beta"] = beta;
    context->saved_data["k"] = k;
    if (!onCpuRows(input)) {
      const torch::Tensor d =
          windowSums(input * input, constants.before, constants.after).mul_(alpha / double(size)).add_(k);
      const torch::Tensor scale = d.pow(-beta);
      context->save_for_backward({input, d, scale});
      return input * scale;
    }
    const torch::Tensor x = input.contiguous(torch::MemoryFormat::ChannelsLast);
    torch::Tensor y = torch::empty_like(x, torch::MemoryFormat::ChannelsLast);
    torch::Tensor d = torch::empty_like(y), scale = torch::empty_like(y);
    overRows(x, [&](int64_t begin, int64_t end, float* work) {
      lrn::forwardRows(x.data_ptr<float>(), y.data_ptr<float>(), d.data_ptr<float>(), scale.data_ptr<float>(),
                       x.size(1), constants, begin, end, work);
    });
    context->save_for_backward({x, d, scale});
    return y;
  }

  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* context,
                                               torch::autograd::tensor_list gradients) {
    const auto saved = context->get_saved_variables();
    const torch::Tensor &x = saved[0], &d = saved[1], &scale = saved[2];
    const int64_t size = context->saved_data["size"].toInt();
    const double alpha = context->saved_data["alpha"].toDouble();
    const double beta = context->saved_data["beta"].toDouble();
    const lrn::Constants constants = constantsOf(size, alpha, beta, context->saved_data["k"].toDouble());
    torch::Tensor dx;
    if (!onCpuRows(x)) {
      const torch::Tensor& g = gradients[0];
      const torch::Tensor spread = windowSums(g * x * scale / d, constants.after, constants.before);
      dx = torch::addcmul(g * scale, x, spread, -2.0 * alpha * beta / double(size));
    } else {
      // Channels-last like the rest, so that no layer before converts it (after a flatten it is not).
      const torch::Tensor g = gradients[0].contiguous(torch::MemoryFormat::ChannelsLast);
      dx = torch::empty_like(x, torch::MemoryFormat::ChannelsLast);
      overRows(x, [&](int64_t begin, int64_t end, float* work) {
        lrn::backwardRows(g.data_ptr<float>(), x.data_ptr<float>(), d.data_ptr<float>(), scale.data_ptr<float>(),
                          dx.data_ptr<float>(), x.size(1), constants, begin, end, work);
      });
    }
    return {dx, torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

} // namespace

torch::Tensor LocalResponseNormImpl::forward(const torch::Tensor& input) {
  return LocalResponseNormFunction::apply(input, size_, alpha_, beta_, k_);
}

} // namespace genlab::models
