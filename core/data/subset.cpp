#include "core/data/subset.h"

#include "core/errors.h"
#include "core/random.h"

#include <torch/torch.h>

namespace genlab::data {

namespace {

LabelledImages select(const LabelledImages& part, const torch::Tensor& indices) {
  return {part.images.index_select(0, indices), part.labels.index_select(0, indices)};
}

} // namespace

LabelledImages takeSubset(const LabelledImages& part, int64_t n, SubsetMethod method,
                          int64_t numClasses, uint64_t seed, const std::string& what) {
  if (n < 0) throw InputError(what + " subset size " + std::to_string(n) + " is negative");
  if (n > part.size())
    throw InputError("asked for " + std::to_string(n) + " " + what + " images but the " + what +
                     " set has only " + std::to_string(part.size()));
  if (n == 0 || n == part.size()) return part;
  if (method == SubsetMethod::First)
    return {part.images.narrow(0, 0, n).clone(), part.labels.narrow(0, 0, n).clone()};

  at::Generator generator = makeGenerator(deriveSeed(seed, "subset:" + what));
  std::vector<torch::Tensor> chosen;
  for (int64_t c = 0; c < numClasses; ++c) {
    const int64_t share = n / numClasses + (c < n % numClasses ? 1 : 0);
    if (share == 0) continue;
    const torch::Tensor members = torch::nonzero(part.labels == c).flatten();
    if (members.size(0) < share)
      throw InputError("cannot take a class-balanced " + what + " subset of " +
                       std::to_string(n) + ": class " + std::to_string(c) + " has only " +
                       std::to_string(members.size(0)) + " images, " + std::to_string(share) +
                       " needed");
    const torch::Tensor pick =
        torch::randperm(members.size(0), generator, torch::kInt64).narrow(0, 0, share);
    chosen.push_back(members.index_select(0, pick));
  }
  const torch::Tensor indices = std::get<0>(torch::cat(chosen).sort());
  return select(part, indices);
}

} // namespace genlab::data
