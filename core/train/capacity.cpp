#include "core/train/capacity.h"

#include "core/random.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace genlab::train {

std::vector<torch::Tensor> weightMatrices(models::Network& network) {
  std::vector<torch::Tensor> matrices;
  for (const torch::Tensor& parameter : network.parameters())
    if (parameter.dim() >= 2) matrices.push_back(parameter.detach().reshape({parameter.size(0), -1}));
  return matrices;
}

CapacityMeter::CapacityMeter(models::Network& network, const torch::Tensor& images, const torch::Tensor& labels,
                             uint64_t seed) {
  torch::NoGradGuard noGrad;
  at::Generator generator = makeGenerator(deriveSeed(seed, "capacity measures"));
  for (const torch::Tensor& w : weightMatrices(network)) {
    initial_.push_back(w.clone());
    const int64_t k = std::min({kBlock, w.size(0), w.size(1)});
    const torch::Tensor start = torch::randn({w.size(1), k}, generator, torch::kFloat64);
    singular_.push_back(std::get<0>(torch::linalg_qr(start)).to(w.device(), w.scalar_type()));
  }
  const int64_t n = images.size(0);
  if (n <= kMarginExamples) {
    sampleImages_ = images;
    sampleLabels_ = labels;
  } else {
    const torch::Tensor chosen = torch::randperm(n, generator, torch::kInt64).narrow(0, 0, kMarginExamples).to(images.device());
    sampleImages_ = images.index_select(0, chosen);
    sampleLabels_ = labels.index_select(0, chosen);
  }
}

double CapacityMeter::spectralNorm(const torch::Tensor& matrix, torch::Tensor& basis, int steps) {
  for (int i = 0; i < steps; ++i) basis = std::get<0>(torch::linalg_qr(matrix.t().mm(matrix.mm(basis))));
  return torch::linalg_svdvals(matrix.mm(basis))[0].item<double>();
}

double CapacityMeter::marginPercentile(const torch::Tensor& logits, const torch::Tensor& labels) {
  const torch::Tensor y = labels.view({-1, 1});
  const torch::Tensor own = logits.gather(1, y).squeeze(1);
  const torch::Tensor others = logits.scatter(1, y, -std::numeric_limits<float>::infinity()).amax(1);
  const torch::Tensor margins = (own - others).to(torch::kFloat64);
  const int64_t k = std::max<int64_t>(1, (margins.size(0) + 9) / 10);
  return std::get<0>(margins.kthvalue(k)).item<double>();
}

CapacityMeasures CapacityMeter::measure(models::Network& network) {
  torch::NoGradGuard noGrad;
  const std::vector<torch::Tensor> weights = weightMatrices(network);
  const int steps = measured_ ? kPowerSteps : kFirstPowerSteps;
  measured_ = true;
  CapacityMeasures c;
  double distanceSq = 0;
  double spectralLog = 0;
  double ratios = 0;  // sum over layers of (||W^T||_{2,1} / ||W||_2)^(2/3)
  for (size_t i = 0; i < weights.size(); ++i) {
    // In the weights' own precision: float64 would double the cost for digits nobody plots.
    const torch::Tensor& w = weights[i];
    const double distance = (w - initial_[i]).norm().item<double>();
    c.layerDistances.push_back(distance);
    distanceSq += distance * distance;
    c.frobeniusSq += w.square().sum().item<double>();
    // Weights that are no longer finite (a run about to diverge) have no singular values.
    const double sigma = std::isfinite(distance) ? spectralNorm(w, singular_[i], steps)
                                                 : std::numeric_limits<double>::quiet_NaN();
    spectralLog += std::log(sigma);
    // ||W^T||_{2,1}: the sum of the Euclidean norms of W's rows (each unit's incoming weights).
    const double rowNorms = w.norm(2, {1}).sum().item<double>();
    ratios += std::pow(rowNorms / sigma, 2.0 / 3.0);
  }
  c.distanceFromInit = std::sqrt(distanceSq);
  c.spectralProduct = std::exp(spectralLog);
  network.eval();
  c.margin = marginPercentile(network.forward(sampleImages_), sampleLabels_);
  // Bartlett, Foster and Telgarsky's R (reference matrices 0), normalized by the margin.
  if (c.margin > 0) c.spectralComplexity = c.spectralProduct * std::pow(ratios, 1.5) / c.margin;
  return c;
}

void CapacityMeter::save(torch::serialize::OutputArchive& archive) const {
  for (size_t i = 0; i < singular_.size(); ++i)
    archive.write("capacity_singular_" + std::to_string(i), singular_[i]);
  archive.write("capacity_measured", torch::tensor(measured_ ? 1 : 0));
}

void CapacityMeter::restore(torch::serialize::InputArchive& archive) {
  torch::Tensor measured;
  if (!archive.try_read("capacity_measured", measured)) return;  // saved without the measure
  measured_ = measured.item<int64_t>() != 0;
  for (size_t i = 0; i < singular_.size(); ++i) {
    torch::Tensor v;
    archive.read("capacity_singular_" + std::to_string(i), v);
    singular_[i] = v.to(singular_[i].device(), singular_[i].scalar_type());
  }
}

} // namespace genlab::train
