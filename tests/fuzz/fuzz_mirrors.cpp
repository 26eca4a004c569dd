// The mirrors file of $GENLAB_DATASET_MIRRORS (core/datasets/mirrors.h), the input, and the
// checksums in it (Checksum::parse).

#include "core/datasets/mirrors.h"
#include "core/errors.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace genlab;
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const char* name : {"cifar10", "mnist"}) {
    try {
      for (const datasets::RemoteFile& file : datasets::parseMirrors(text, name, "mirrors file")) {
        // A parsed checksum reads back as itself, in lower case with the algorithm's length.
        const datasets::Checksum again = datasets::Checksum::parse(file.checksum.toString());
        fuzz::require(again == file.checksum, "a checksum reads back as itself");
        fuzz::require(file.checksum.hex.size() == (file.checksum.algorithm == datasets::Checksum::Algorithm::Md5 ? 32u : 64u),
                      "a checksum has its algorithm's length");
      }
    } catch (const InputError& error) {
      fuzz::requireMessage(error);
    }
  }
  return 0;
}
