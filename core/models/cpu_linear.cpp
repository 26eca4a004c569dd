#include "core/models/cpu_linear.h"

#include "core/models/dense_weight_gradient.h"
#include "core/models/row_parts.h"

#include <torch/torch.h>

#include <algorithm>

namespace genlab::models {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

thread_local int threadsForProducts = 1;

/// productBlocks' smallest block, in multiply-adds (cpu_linear.h says why).
constexpr double kSmallestBlock = 4.0 * 1024 * 1024;

class LinearFunction : public torch::autograd::Function<LinearFunction> {
public:
  static torch::Tensor forward(AutogradContext* context, const torch::Tensor& input,
                               const torch::Tensor& weight, const torch::Tensor& bias) {
    context->save_for_backward({input, weight});
    return splitProduct(input, weight.t(), bias);
  }

  static tensor_list backward(AutogradContext* context, tensor_list gradients) {
    const tensor_list saved = context->get_saved_variables();
    const torch::Tensor &input = saved[0], &weight = saved[1];
    const torch::Tensor gradient = gradients[0].contiguous();
    torch::Tensor inputGradient, weightGradient, biasGradient;
    if (context->needs_input_grad(0)) inputGradient = splitProduct(gradient, weight, {});
    // [out, in] in the weight's own layout, so that nothing copies it on its way to .grad.
    if (context->needs_input_grad(1)) weightGradient = models::weightGradient(gradient.t(), input);
    if (context->needs_input_grad(2)) biasGradient = gradient.sum(0);
    return {inputGradient, weightGradient, biasGradient};
  }
};

} // namespace

torch::Tensor productInBlocks(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& bias,
                              int64_t blocks, bool byColumns) {
  torch::Tensor out = torch::empty({a.size(0), b.size(1)}, a.options());
  const int dim = byColumns ? 1 : 0;
  forEachPartOnOwnThreads(out.size(dim), blocks, [&](int64_t, int64_t first, int64_t last) {
    // Grad mode is a setting of each thread: the helper threads' own is on.
    const torch::NoGradGuard noGrad;
    torch::Tensor part = out.narrow(dim, first, last - first);
    const torch::Tensor left = byColumns ? a : a.narrow(0, first, last - first);
    const torch::Tensor right = byColumns ? b.narrow(1, first, last - first) : b;
    if (bias.defined())
      at::addmm_out(part, byColumns ? bias.narrow(0, first, last - first) : bias, left, right);
    else
      at::mm_out(part, left, right);
  });
  return out;
}

torch::Tensor splitProduct(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& bias) {
  const int64_t m = a.size(0), n = b.size(1);
  const int64_t blocks = productBlocks(m, a.size(1), n);
  if (blocks == 1) return bias.defined() ? at::addmm(bias, a, b) : at::mm(a, b);
  // Each block reads the undivided operand whole, so that one is the smaller.
  return productInBlocks(a, b, bias, blocks, /*byColumns=*/m <= n);
}

torch::Tensor weightGradient(const torch::Tensor& g, const torch::Tensor& x) {
  static const bool fast = dense_weight::fastRoute();
  if (!fast || !x.is_contiguous() || g.scalar_type() != torch::kFloat || x.scalar_type() != torch::kFloat ||
      !g.device().is_cpu() || !x.device().is_cpu())
    return splitProduct(g, x, {});
  TORCH_CHECK(g.dim() == 2 && x.dim() == 2 && g.size(1) == x.size(0), "weightGradient: g ", g.sizes(),
              " and x ", x.sizes(), " do not chain");
  torch::Tensor w = torch::empty({g.size(0), x.size(1)}, x.options());
  const dense_weight::Product product{g.data_ptr<float>(), g.stride(0), g.stride(1), x.data_ptr<float>(),
                                      w.data_ptr<float>(),  g.size(0),   g.size(1),   x.size(1)};
  forEachPartOnOwnThreads(dense_weight::parts(product), productBlocks(g.size(0), g.size(1), x.size(1)),
                          [&](int64_t, int64_t first, int64_t last) { dense_weight::accumulate(product, first, last); });
  return w;
}

void setProductThreads(int threads) { threadsForProducts = std::max(1, threads); }
int productThreads() { return threadsForProducts; }

int64_t productBlocks(int64_t m, int64_t k, int64_t n) {
  const auto largest = static_cast<int64_t>(double(m) * double(n) * double(k) / kSmallestBlock);
  return std::clamp<int64_t>(std::min<int64_t>(largest, std::max(m, n)), 1, threadsForProducts);
}

CpuLinearImpl::CpuLinearImpl(int64_t inFeatures, int64_t outFeatures)
    : torch::nn::LinearImpl(inFeatures, outFeatures) {}

bool CpuLinearImpl::takesOwnRoutes(const torch::Tensor& input) const {
  return input.dim() == 2 && input.device().is_cpu() && input.scalar_type() == torch::kFloat &&
         weight.device().is_cpu() && weight.scalar_type() == torch::kFloat;
}

torch::Tensor CpuLinearImpl::forward(const torch::Tensor& input) {
  if (!takesOwnRoutes(input)) return torch::nn::LinearImpl::forward(input);
  return LinearFunction::apply(input, weight, bias);
}

} // namespace genlab::models
