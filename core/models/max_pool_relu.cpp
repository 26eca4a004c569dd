#include "core/models/max_pool_relu.h"

#include "core/models/network.h"
#include "core/models/pool_rows.h"

#include <torch/torch.h>

namespace genlab::models {

namespace {

class MaxPoolReLUFunction : public torch::autograd::Function<MaxPoolReLUFunction> {
public:
  static torch::Tensor forward(torch::autograd::AutogradContext* context, const torch::Tensor& input,
                               int64_t window, int64_t stride, int64_t padding) {
    const torch::Tensor x = input.contiguous(torch::MemoryFormat::ChannelsLast);
    const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    const pool::Geometry geometry{h, w, c, (h + 2 * padding - window) / stride + 1,
                                  (w + 2 * padding - window) / stride + 1, window, stride, padding};
    torch::Tensor y = torch::empty({n, c, geometry.outHeight, geometry.outWidth},
                                   x.options().memory_format(torch::MemoryFormat::ChannelsLast));
    // Which window position each output took, in the output's layout.
    const torch::Tensor chosen =
        torch::empty({n, geometry.outHeight, geometry.outWidth, c}, x.options().dtype(torch::kInt));
    at::parallel_for(0, n, 1, [&](int64_t begin, int64_t end) {
      pool::forwardImages(x.data_ptr<float>(), y.data_ptr<float>(), chosen.data_ptr<int32_t>(), geometry, begin,
                          end);
    });
    context->saved_data["chosen"] = chosen;
    context->saved_data["geometry"] =
        std::vector<int64_t>{h, w, c, geometry.outHeight, geometry.outWidth, window, stride, padding};
    return y;
  }

  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* context,
                                               torch::autograd::tensor_list gradients) {
    const torch::Tensor chosen = context->saved_data["chosen"].toTensor();
    const std::vector<int64_t> g = context->saved_data["geometry"].toIntVector();
    const pool::Geometry geometry{g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7]};
    const torch::Tensor dy = gradients[0].contiguous(torch::MemoryFormat::ChannelsLast);
    const int64_t n = chosen.size(0);
    // (torch::zeros would drop the memory format.)
    torch::Tensor dx = torch::empty({n, geometry.channels, geometry.height, geometry.width},
                                    dy.options().memory_format(torch::MemoryFormat::ChannelsLast))
                           .zero_();
    at::parallel_for(0, n, 1, [&](int64_t begin, int64_t end) {
      pool::backwardImages(dy.data_ptr<float>(), chosen.data_ptr<int32_t>(), dx.data_ptr<float>(), geometry, begin,
                           end);
    });
    return {dx, torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

} // namespace

torch::Tensor MaxPoolReLUImpl::forward(const torch::Tensor& input) {
  if (onCpuRows(input))
    return MaxPoolReLUFunction::apply(input, window_, stride_, padding_);
  return torch::relu(torch::max_pool2d(input, window_, stride_, padding_));
}

} // namespace genlab::models
