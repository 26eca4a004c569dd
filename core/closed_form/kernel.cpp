#include "core/closed_form/kernel.h"

#include "core/closed_form/inputs.h"
#include "core/errors.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace genlab::closed_form {

namespace {

// Rows per slice of the elementwise work: temporaries of about 1 M values (8 MB), which
// malloc keeps on its heap for the next slice instead of mapping fresh pages each time.
int64_t sliceRows(int64_t columns) {
  return std::max<int64_t>(1, (int64_t(1) << 20) / std::max<int64_t>(1, columns));
}

// out holds a.b; exp(-gamma (|a|^2 + |b|^2 - 2 a.b)), clamped at distance 0 against rounding.
void rbfInPlace(double gamma, const torch::Tensor& aSquares, const torch::Tensor& bSquares,
                const torch::Tensor& out) {
  out.mul_(-2.0).add_(aSquares.unsqueeze(1)).add_(bSquares.unsqueeze(0)).clamp_min_(0.0);
  out.mul_(-gamma).exp_();
}

// out holds a.b; (1/pi) |a| |b| J(t) with cos t = a.b / (|a| |b|), J(t) = sin t + (pi - t) cos t.
void arcCosInPlace(const torch::Tensor& aNorms, const torch::Tensor& bNorms, const torch::Tensor& out) {
  // A zero input has kernel 0 with everything: its inverse norm 0 makes cos t = 0, and the
  // factor |a| |b| = 0 does the rest.
  const auto inverse = [](const torch::Tensor& norms) {
    return torch::where(norms > 0, norms.reciprocal(), torch::zeros_like(norms));
  };
  const torch::Tensor cosine = out.mul_(inverse(aNorms).unsqueeze(1)).mul_(inverse(bNorms).unsqueeze(0)).clamp_(-1.0, 1.0);
  torch::Tensor j = torch::acos(cosine).neg_().add_(std::numbers::pi).mul_(cosine);
  j.add_(cosine.square().neg_().add_(1.0).sqrt_());
  out.copy_(j).mul_(aNorms.unsqueeze(1)).mul_(bNorms.unsqueeze(0)).mul_(1.0 / std::numbers::pi);
}

} // namespace

void validate(const Kernel& kernel) {
  if (kernel.kind == KernelKind::Rbf && !(std::isfinite(kernel.bandwidth) && kernel.bandwidth > 0.0))
    throw InputError("RBF kernel bandwidth " + std::to_string(kernel.bandwidth) +
                     " must be a positive number");
}

double defaultBandwidth(const torch::Tensor& rows) {
  const double variance = totalVariance(rows);
  if (!(variance > 0.0))
    throw InputError("the RBF kernel's default bandwidth needs inputs that vary (their total "
                     "variance is " + std::to_string(variance) + "); give a bandwidth");
  return std::sqrt(variance);
}

void gramInto(const Kernel& kernel, const torch::Tensor& a, const torch::Tensor& b,
              const torch::Tensor& out) {
  torch::Tensor result = out;  // mm_out takes a non-const reference to its handle
  torch::mm_out(result, a, b.t());
  // Norms by reduction: a.square() would be a temporary as large as the inputs.
  const torch::Tensor aNorms = a.norm(2, 1), bNorms = b.norm(2, 1);
  const int64_t step = sliceRows(b.size(0));
  for (int64_t first = 0; first < a.size(0); first += step) {
    const int64_t last = std::min(a.size(0), first + step);
    const torch::Tensor slice = out.slice(0, first, last);
    if (kernel.kind == KernelKind::Rbf)
      rbfInPlace(kernel.gamma(), aNorms.slice(0, first, last).square(), bNorms.square(), slice);
    else
      arcCosInPlace(aNorms.slice(0, first, last), bNorms, slice);
  }
}

torch::Tensor gram(const Kernel& kernel, const torch::Tensor& a, const torch::Tensor& b) {
  const torch::Tensor out = torch::empty({a.size(0), b.size(0)}, a.options().dtype(torch::kFloat64));
  gramInto(kernel, a, b, out);
  return out;
}

} // namespace genlab::closed_form
