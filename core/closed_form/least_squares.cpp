#include "core/closed_form/least_squares.h"

#include <torch/torch.h>

#include <algorithm>
#include <limits>

namespace genlab::closed_form {

torch::Tensor minimumNormSolution(const torch::Tensor& a, const torch::Tensor& b) {
  const auto [u, s, vh] = torch::linalg_svd(a, /*full_matrices=*/false);
  const double cutoff = static_cast<double>(std::max(a.size(0), a.size(1))) *
                        std::numeric_limits<double>::epsilon() * s.max().item<double>();
  const torch::Tensor inverse = torch::where(s > cutoff, s.reciprocal(), torch::zeros_like(s));
  return vh.mT().mm(u.mT().mm(b).mul_(inverse.unsqueeze(1)));
}

} // namespace genlab::closed_form
