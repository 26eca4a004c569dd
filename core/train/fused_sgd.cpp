#include "core/train/fused_sgd.h"

#include "core/models/cpu_linear.h"
#include "core/models/row_parts.h"
#include "core/train/sgd_update.h"

#include <torch/torch.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>

namespace genlab::train {

namespace {

/// The fewest weights a thread updates: fewer cost more in the threads' start than they save.
constexpr int64_t kWeightsPerPart = 1 << 16;

/// The key under which torch::optim keeps a parameter's state: its TensorImpl's address, as
/// text in LibTorch 1.13; the key type is read off the state map, so a LibTorch that keys by
/// the pointer itself is served too.
template <class Key>
Key stateKey(const torch::Tensor& parameter) {
  if constexpr (std::is_same_v<Key, std::string>) {
    std::ostringstream text;
    text << parameter.unsafeGetTensorImpl();
    return text.str();
  } else {
    return static_cast<Key>(parameter.unsafeGetTensorImpl());
  }
}

/// sgdUpdate over [0, n) in parts on the threads of an MLP's products or LibTorch's, whichever
/// are more: each weight's update is its own, so the bits do not depend on the parts.
void update(float* w, const float* grad, float* b, int64_t n, const SgdRule& rule, bool first) {
  const int threads = std::max(models::productThreads(), at::get_num_threads());
  const int64_t parts = std::clamp<int64_t>(n / kWeightsPerPart, 1, threads);
  models::forEachPartOnOwnThreads(n, parts, [&](int64_t, int64_t begin, int64_t end) {
    sgdUpdate(w, grad, b, begin, end, rule, first);
  });
}

bool fusable(const torch::Tensor& t, const torch::Tensor& like) {
  return t.device().is_cpu() && t.scalar_type() == torch::kFloat32 && t.layout() == torch::kStrided &&
         t.is_non_overlapping_and_dense() && t.sizes() == like.sizes() && t.strides() == like.strides();
}

} // namespace

torch::Tensor FusedSgd::step(LossClosure closure) {
  torch::NoGradGuard noGrad;
  torch::Tensor loss;
  if (closure) {
    at::AutoGradMode enable(true);
    loss = closure();
  }
  using Key = typename std::decay_t<decltype(state())>::key_type;
  for (auto& group : param_groups()) {
    const auto& options = static_cast<const torch::optim::SGDOptions&>(group.options());
    const double momentum = options.momentum();
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      const torch::Tensor weights = p.detach();
      const torch::Tensor grad = p.grad().detach();
      // The momentum buffer (undefined before the first step), kept in LibTorch's state map.
      std::optional<Key> key;
      torch::Tensor buffer;
      if (momentum != 0) {
        key = stateKey<Key>(p);
        if (const auto found = state().find(*key); found != state().end())
          buffer = static_cast<torch::optim::SGDParamState&>(*found->second).momentum_buffer();
      }
      const auto keepBuffer = [&](const torch::Tensor& fresh) {
        auto kept = std::make_unique<torch::optim::SGDParamState>();
        kept->momentum_buffer(fresh);
        state()[*key] = std::move(kept);
      };
      if (momentum != 0 && fusable(weights, weights) && fusable(grad, weights) &&
          (!buffer.defined() || fusable(buffer, weights))) {
        const bool first = !buffer.defined();
        if (first) {
          buffer = torch::empty_like(weights);
          keepBuffer(buffer);
        }
        const SgdRule rule{static_cast<float>(options.lr()), static_cast<float>(momentum),
                           static_cast<float>(options.dampening()), static_cast<float>(options.weight_decay()),
                           options.nesterov()};
        update(weights.data_ptr<float>(), grad.data_ptr<float>(), buffer.data_ptr<float>(), weights.numel(),
               rule, first);
      } else {
        // LibTorch's rule, op by op: a GPU, another type or layout, no momentum.
        torch::Tensor d = grad;
        if (options.weight_decay() != 0) d = d.add(weights, options.weight_decay());
        if (momentum != 0) {
          if (!buffer.defined()) {
            buffer = d.clone();
            keepBuffer(buffer);
          } else {
            buffer.mul_(momentum).add_(d, 1 - options.dampening());
          }
          d = options.nesterov() ? d.add(buffer, momentum) : buffer;
        }
        weights.add_(d, -options.lr());
      }
      p.mutable_grad() = torch::Tensor();
    }
  }
  return loss;
}

void releaseGradients(torch::optim::Optimizer& optimizer) {
  for (auto& group : optimizer.param_groups())
    for (auto& parameter : group.params()) parameter.mutable_grad() = torch::Tensor();
}

} // namespace genlab::train
