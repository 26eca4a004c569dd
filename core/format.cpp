#include "core/format.h"

#include <torch/torch.h>

#include <cstdio>

namespace genlab {

std::string fixed(double value, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

std::string percent(double fraction) { return fixed(100.0 * fraction, 1) + "%"; }

std::string joinValues(const torch::Tensor& values, int digits) {
  const torch::Tensor flat = values.detach().cpu().to(torch::kFloat64).flatten();
  std::string out;
  for (int64_t i = 0; i < flat.numel(); ++i) {
    if (i > 0) out += ' ';
    out += fixed(flat[i].item<double>(), digits);
  }
  return out;
}

} // namespace genlab
