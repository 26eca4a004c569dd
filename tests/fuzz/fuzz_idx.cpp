// IDX decoding from bytes (core/data/idx.h), as labels (1 dimension) and as images (3).

#include "core/data/idx.h"
#include "core/errors.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace genlab;
  for (const int expectedDims : {1, 3}) {
    try {
      const data::IdxArray array = data::decodeIdx(std::vector<uint8_t>(data, data + size), "fuzz input", expectedDims);
      // What decodes is exactly what the header declares, and the values are the bytes after it.
      fuzz::require(array.dims.size() == static_cast<size_t>(expectedDims), "as many dimensions as expected");
      uint64_t count = 1;
      for (const int64_t extent : array.dims) {
        fuzz::require(extent > 0, "every dimension is positive");
        count *= static_cast<uint64_t>(extent);
      }
      fuzz::require(array.values.size() == count, "the values fill the dimensions");
      const size_t header = 4 + 4 * static_cast<size_t>(expectedDims);
      fuzz::require(size == header + count, "the file is the header and the values, nothing more");
      fuzz::require(std::equal(array.values.begin(), array.values.end(), data + header), "values kept as read");
    } catch (const InputError& error) {
      fuzz::requireMessage(error);
    }
  }
  return 0;
}
