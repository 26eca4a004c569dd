#include "core/closed_form/interpolation.h"

#include "core/errors.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <limits>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace genlab::closed_form {

namespace {

// Rows per block of a Gram matrix against n training inputs: blocks of about 2 M values (16 MB).
int64_t blockRows(int64_t n) { return std::max<int64_t>(1, (int64_t(1) << 21) / n); }

// A new n x n matrix. Touched for the first time, it would be given memory one 4 KB page
// fault at a time, 200,000 of them for n = 10,000: 2.4 s on the lab's 2-core virtual machine,
// a third of the time of the Cholesky factorization itself (0.1 s with huge pages). Where Linux
// lends transparent huge pages on request (THP mode "madvise"), ask for them: 2 MB per fault.
// A hint only: where it is refused nothing changes.
torch::Tensor squareMatrix(int64_t n, const torch::TensorOptions& options) {
  torch::Tensor matrix = torch::empty({n, n}, options);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  const auto start = reinterpret_cast<uintptr_t>(matrix.data_ptr());
  const uintptr_t page = 4096;
  const uintptr_t first = (start + page - 1) & ~(page - 1), end = (start + matrix.nbytes()) & ~(page - 1);
  if (end > first) madvise(reinterpret_cast<void*>(first), end - first, MADV_HUGEPAGE);
#endif
  return matrix;
}

// K's lower triangle, and the factor L, live in a column-major (Fortran) matrix, the layout
// LAPACK works in: no copy is made on the way to potrf and the triangular solves. Its lower
// triangle is the upper triangle of the row-major `storage`, filled by blocks of rows, each
// from its diagonal on: with at least 8 blocks little more than half of K is computed.
torch::Tensor lowerGram(const Kernel& kernel, const torch::Tensor& rows) {
  const int64_t n = rows.size(0);
  const torch::Tensor storage = squareMatrix(n, rows.options());
  const int64_t step = std::min(std::max<int64_t>(256, n / 8), std::max<int64_t>(64, blockRows(n)));
  for (int64_t first = 0; first < n; first += step) {
    const int64_t last = std::min(n, first + step);
    gramInto(kernel, rows.slice(0, first, last), rows.slice(0, first, n),
             storage.slice(0, first, last).slice(1, first, n));
  }
  return storage.mT();
}

} // namespace

KernelInterpolant::KernelInterpolant(const torch::Tensor& images, const torch::Tensor& labels,
                                     int64_t numClasses, const InterpolationSpec& spec) {
  const torch::Tensor rows = asRows(images, "kernel interpolation: training images");
  checkLabelled(rows, labels, numClasses, "kernel interpolation");
  centring_ = centringOf(rows, spec.centre);
  trainRows_ = centring_(rows).contiguous();
  kernel_.kind = spec.kernel;
  kernel_.bandwidth = spec.kernel != KernelKind::Rbf ? 0.0
                      : spec.bandwidth             ? *spec.bandwidth
                                                   : defaultBandwidth(trainRows_);
  validate(kernel_);

  torch::Tensor factor = lowerGram(kernel_, trainRows_);
  const double largestDiagonal = factor.diagonal().max().item<double>();
  torch::Tensor info = torch::empty({}, torch::kInt32);
  // In place: the Gram matrix becomes its Cholesky factor without a second n x n matrix.
  torch::linalg_cholesky_ex_out(factor, info, factor, /*upper=*/false, /*check_errors=*/false);
  int64_t pivot = info.item<int>();  // 1-based; 0: every pivot positive
  if (pivot == 0) {
    // A pivot at rounding level is a singular matrix that rounding let through, and whether it
    // does depends on the BLAS (duplicate inputs pass on some): refused alike.
    const torch::Tensor squared = factor.diagonal().square();
    const int64_t smallest = squared.argmin().item<int64_t>();
    const double roundingLevel = double(rows.size(0)) * std::numeric_limits<double>::epsilon() * largestDiagonal;
    if (squared[smallest].item<double>() <= roundingLevel) pivot = smallest + 1;
  }
  if (pivot > 0)
    throw InputError("kernel interpolation: the " + std::string(toString(kernel_.kind)) +
                     " kernel matrix of the " + std::to_string(rows.size(0)) +
                     " training inputs is not positive definite in float64 (Cholesky's pivot at "
                     "row " + std::to_string(pivot) + " is not above rounding): duplicate inputs" +
                     (kernel_.kind == KernelKind::ArcCos ? " or parallel ones"
                                                         : " or a bandwidth too large for the data") +
                     "? The exact interpolant needs an invertible kernel matrix");
  const torch::Tensor whitened =
      torch::linalg_solve_triangular(factor, oneHot(labels, numClasses), /*upper=*/false);
  coefficients_ = torch::linalg_solve_triangular(factor.mT(), whitened, /*upper=*/true);
  rkhsNorm_ = whitened.norm().item<double>();
}

torch::Tensor KernelInterpolant::predict(const torch::Tensor& images) const {
  const torch::Tensor given = asRows(images, "kernel interpolation: images to predict");
  if (given.size(1) != trainRows_.size(1))
    throw InputError("kernel interpolation: images of " + std::to_string(given.size(1)) +
                     " values each, the training images had " + std::to_string(trainRows_.size(1)));
  const torch::Tensor rows = centring_(given);
  const int64_t m = rows.size(0), n = trainRows_.size(0);
  torch::Tensor scores = torch::empty({m, coefficients_.size(1)}, coefficients_.options());
  const int64_t step = std::min(m, blockRows(n));
  const torch::Tensor block = torch::empty({step, n}, rows.options());
  for (int64_t first = 0; first < m; first += step) {
    const int64_t last = std::min(m, first + step);
    const torch::Tensor gramBlock = block.slice(0, 0, last - first);
    gramInto(kernel_, rows.slice(0, first, last), trainRows_, gramBlock);
    torch::Tensor out = scores.slice(0, first, last);
    torch::mm_out(out, gramBlock, coefficients_);
  }
  return scores;
}

} // namespace genlab::closed_form
