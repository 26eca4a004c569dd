#include "core/train/batch_tally.h"

#include <torch/torch.h>

#include <cmath>

namespace genlab::train {

namespace {

bool onCpuAsExpected(const EpochTally& tally, const torch::Tensor& loss, const torch::Tensor& logits,
                     const torch::Tensor& labels, const torch::Tensor& index) {
  const auto cpu = [](const torch::Tensor& t) { return t.device().is_cpu(); };
  return cpu(loss) && cpu(logits) && cpu(labels) && cpu(index) && cpu(tally.misclassified) &&
         cpu(tally.lossSum) && cpu(tally.correct) && loss.numel() == 1 && loss.scalar_type() == torch::kFloat &&
         logits.scalar_type() == torch::kFloat && logits.dim() == 2 && labels.numel() == logits.size(0) &&
         index.numel() == logits.size(0) && labels.scalar_type() == torch::kInt64 &&
         index.scalar_type() == torch::kInt64 && tally.misclassified.scalar_type() == torch::kBool &&
         tally.misclassified.is_contiguous() && tally.lossSum.scalar_type() == torch::kFloat64 &&
         tally.correct.scalar_type() == torch::kInt64;
}

} // namespace

void addBatch(EpochTally& tally, const torch::Tensor& loss, const torch::Tensor& logits,
              const torch::Tensor& labels, const torch::Tensor& index) {
  const int64_t images = logits.size(0);
  if (!onCpuAsExpected(tally, loss, logits, labels, index)) {
    tally.lossSum += loss.detach().to(torch::kFloat64) * static_cast<double>(images);
    const torch::Tensor right = logits.detach().argmax(1) == labels;
    tally.correct += right.sum();
    tally.misclassified.index_copy_(0, index, right.logical_not());
    return;
  }
  // The same arithmetic as above: the float loss widened, times the count, added in double.
  *tally.lossSum.data_ptr<double>() +=
      static_cast<double>(*loss.data_ptr<float>()) * static_cast<double>(images);
  const torch::Tensor labelsHere = labels.contiguous(), indexHere = index.contiguous();
  const float* scores = logits.data_ptr<float>();
  const int64_t imageStride = logits.stride(0), classStride = logits.stride(1), classes = logits.size(1);
  const int64_t* label = labelsHere.data_ptr<int64_t>();
  const int64_t* position = indexHere.data_ptr<int64_t>();
  bool* misclassified = tally.misclassified.data_ptr<bool>();
  int64_t right = 0;
  for (int64_t n = 0; n < images; ++n) {
    const float* row = scores + n * imageStride;
    int64_t best = 0;
    for (int64_t c = 1; c < classes && !std::isnan(row[best * classStride]); ++c) {
      const float value = row[c * classStride];
      if (value > row[best * classStride] || std::isnan(value)) best = c;
    }
    const bool isRight = best == label[n];
    right += isRight;
    misclassified[position[n]] = !isRight;
  }
  *tally.correct.data_ptr<int64_t>() += right;
}

} // namespace genlab::train
