#include "core/closed_form/inputs.h"

#include "core/errors.h"

#include <torch/torch.h>

#include <cmath>

namespace genlab::closed_form {

torch::Tensor asRows(const torch::Tensor& images, const std::string& what) {
  if (!images.defined() || images.dim() < 1 || images.size(0) == 0)
    throw InputError(what + ": there are none");
  if (!images.is_floating_point())
    throw InputError(what + ": expected floating-point values, got " +
                     std::string(c10::toString(images.scalar_type())));
  const torch::Tensor rows = images.reshape({images.size(0), -1});
  if (rows.size(1) == 0) throw InputError(what + ": each image has no value");
  torch::Tensor copy = rows.to(torch::kCPU, torch::kFloat64, /*non_blocking=*/false, /*copy=*/true)
                           .contiguous();
  // The sum is NaN or infinite when a value is (or, harmlessly, when values near 1e308 overflow).
  if (!std::isfinite(copy.sum().item<double>()))
    throw InputError(what + ": values must be finite numbers");
  return copy;
}

void checkLabelled(const torch::Tensor& rows, const torch::Tensor& labels, int64_t numClasses,
                   const std::string& what) {
  if (numClasses < 2)
    throw InputError(what + ": need at least 2 classes, got " + std::to_string(numClasses));
  if (!labels.defined() || labels.dim() != 1 || labels.scalar_type() != torch::kInt64)
    throw InputError(what + ": labels must be a vector of int64");
  if (labels.size(0) != rows.size(0))
    throw InputError(what + ": " + std::to_string(rows.size(0)) + " inputs but " +
                     std::to_string(labels.size(0)) + " labels");
  if (labels.numel() > 0 && (labels.min().item<int64_t>() < 0 ||
                             labels.max().item<int64_t>() >= numClasses))
    throw InputError(what + ": labels must lie in [0, " + std::to_string(numClasses) + ")");
}

double totalVariance(const torch::Tensor& rows) {
  return rows.var(0, /*unbiased=*/false).sum().item<double>();
}

const torch::Tensor& Centring::operator()(const torch::Tensor& rows) const {
  if (mean.defined()) rows.sub_(mean);
  return rows;
}

Centring centringOf(const torch::Tensor& trainRows, bool centre) {
  return centre ? Centring{trainRows.mean(0)} : Centring{};
}

torch::Tensor oneHot(const torch::Tensor& labels, int64_t numClasses) {
  return torch::one_hot(labels.to(torch::kCPU), numClasses).to(torch::kFloat64);
}

double errorRate(const torch::Tensor& scores, const torch::Tensor& labels) {
  if (scores.dim() != 2 || scores.size(0) != labels.size(0))
    throw InputError("error rate: " + std::to_string(labels.size(0)) +
                     " labels for scores of shape " + c10::str(scores.sizes()));
  if (labels.numel() == 0) return 0.0;
  const torch::Tensor wrong = scores.argmax(1).ne(labels.to(scores.device()));
  return wrong.to(torch::kFloat64).mean().item<double>();
}

} // namespace genlab::closed_form
