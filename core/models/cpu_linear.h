#pragma once
/// A fully connected layer whose matrix products on the CPU use several threads without
/// changing a bit of their results.
///
/// On OpenBLAS's AVX-512 kernels, a product computed in blocks of output rows or columns, each
/// block a BLAS product on one thread, has the bits of the whole product on one thread; its
/// Haswell (and Zen) kernels do not keep them, and OpenBLAS's own threads change them too.
/// train::splitProductsKeepBits finds out which holds, and the thread plans give an MLP's cores
/// to these products only where they keep their bits (the BLAS then runs on one thread). There
/// an MLP's numbers follow from its seed alone, whatever the threads, and a session can lend a
/// run the cores that its ended runs left free (core/train/session.cpp). Other devices and
/// dtypes are LibTorch's Linear.

#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

namespace genlab::models {

/// The threads that CpuLinear's products may use on the calling thread (default 1). A setting of
/// the calling thread, so that runs trained at once, each on a thread of its own, have theirs.
void setProductThreads(int threads);
int productThreads();

/// How many blocks a product [m, k] by [k, n] is formed in on the calling thread: one per
/// product thread, but none of fewer than about four million multiply-adds (OpenBLAS hands
/// small products to other kernels, whose sums need not match the large kernel's).
int64_t productBlocks(int64_t m, int64_t k, int64_t n);

/// a [m, k] by b [k, n] (plus `bias` [n] on every row when defined) as `blocks` blocks of output
/// columns (`byColumns`) or rows, each a BLAS product on a thread of its own: what CpuLinear does
/// with productBlocks' count, and what train::splitProductsKeepBits compares with whole products.
torch::Tensor productInBlocks(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& bias,
                              int64_t blocks, bool byColumns);

/// a [m, k] by b [k, n], plus `bias` [n] on every row when it is defined: in productBlocks'
/// blocks, of output columns, or of rows when there are more rows than columns. CpuLinear's
/// products, forward and backward.
torch::Tensor splitProduct(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& bias);

/// A layer's weight gradient g [out, N] by x [N, in] (g of any strides, x dense and row-major):
/// by the lab's loop where it runs (dense_weight_gradient.h), whose bits do not depend on the
/// threads, in productBlocks' count of parts; else as splitProduct.
torch::Tensor weightGradient(const torch::Tensor& g, const torch::Tensor& x);

/// torch::nn::Linear (same parameters, names and initialization) whose forward product and
/// gradients on the CPU are split as above among productThreads() threads.
class CpuLinearImpl : public torch::nn::LinearImpl {
public:
  CpuLinearImpl(int64_t inFeatures, int64_t outFeatures);
  torch::Tensor forward(const torch::Tensor& input);

  /// Whether forward(input) takes the split products: float [N, in] on the CPU.
  bool takesOwnRoutes(const torch::Tensor& input) const;
};
TORCH_MODULE(CpuLinear);

} // namespace genlab::models
