// IDX files as the loaders read them (core/data/idx.h readIdx and readIdxInto through
// file_bytes.h): the input is the file, gzip-compressed or raw, written to a scratch folder in
// memory.

#include "core/data/file_bytes.h"
#include "core/data/idx.h"
#include "core/errors.h"
#include "fuzz_support.h"

#include <optional>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace genlab;
  static const std::filesystem::path file = fuzz::scratchFolder("idx-file") / "train-images-idx3-ubyte";
  fuzz::writeFile(file, data, size);
  for (const int expectedDims : {1, 3}) {
    std::optional<data::IdxArray> whole;
    try {
      const data::IdxArray array = data::readIdx(file, expectedDims);
      uint64_t count = 1;
      for (const int64_t extent : array.dims) count *= static_cast<uint64_t>(extent);
      fuzz::require(array.dims.size() == static_cast<size_t>(expectedDims), "as many dimensions as expected");
      fuzz::require(array.values.size() == count, "the values fill the dimensions");
      whole = array;
    } catch (const InputError& error) {
      fuzz::requireMessage(error);
    }
    // Read in place (as the images are), the file is accepted or refused as by readIdx, with the
    // same values. A destination sized by a hostile header is only reserved, never filled; here
    // it is kept small, as the cap below.
    std::vector<uint8_t> values;
    try {
      const data::IdxHeader header = data::readIdxInto(file, expectedDims, [&](const data::IdxHeader& declared) {
        values.resize(std::min<uint64_t>(declared.count, 1 << 16));
        if (declared.count > values.size()) throw InputError("fuzz: a declared size past the fuzz cap");
        return values.data();
      });
      fuzz::require(whole.has_value() && whole->dims == header.dims && whole->values == values,
                    "readIdxInto reads what readIdx reads");
    } catch (const InputError& error) {
      fuzz::requireMessage(error);
      fuzz::require(!whole || whole->values.size() > (1 << 16), "readIdxInto refuses only what readIdx refuses");
    }
  }
  // The whole file decompressed up to a cap (a small one: reading allocates up to the cap), and
  // its first bytes, agree with each other.
  constexpr uint64_t kCap = 1 << 16;
  try {
    const std::vector<uint8_t> whole = data::readFileBytes(file, kCap);
    fuzz::require(whole.size() <= kCap, "no more bytes than the cap");
    const std::vector<uint8_t> prefix = data::readFilePrefix(file, 16);
    fuzz::require(prefix.size() == std::min<size_t>(16, whole.size()), "the prefix is as long as asked or the file");
    fuzz::require(std::equal(prefix.begin(), prefix.end(), whole.begin()), "the prefix starts the file");
  } catch (const InputError& error) {
    fuzz::requireMessage(error);
  }
  return 0;
}
