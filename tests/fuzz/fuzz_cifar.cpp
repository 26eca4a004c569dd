// CIFAR-10 batch files (core/data/cifar10_batch.h): the input is one batch file's bytes.

#include "core/data/cifar10_batch.h"
#include "core/errors.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace genlab;
  const std::vector<uint8_t> bytes(data, data + size);
  bool labelsInRange = true;
  for (size_t at = 0; at < size; at += data::kCifarRecordBytes) labelsInRange = labelsInRange && data[at] < 10;
  const bool valid = size > 0 && size % data::kCifarRecordBytes == 0 && labelsInRange;
  try {
    data::checkCifarBatch(bytes, "CIFAR-10 fuzz input");
    fuzz::require(valid, "only whole records with labels in [0, 10) pass");
  } catch (const InputError& error) {
    fuzz::requireMessage(error);
    fuzz::require(!valid, "whole records with labels in [0, 10) pass");
  }
  return 0;
}
