#include "core/data/cifar10_batch.h"

#include "core/errors.h"

namespace genlab::data {

void checkCifarBatch(const std::vector<uint8_t>& bytes, const std::string& what) {
  if (bytes.empty() || bytes.size() % kCifarRecordBytes != 0)
    throw DataError(what + " has " + std::to_string(bytes.size()) +
                     " bytes, which is not a positive multiple of the record size " +
                     std::to_string(kCifarRecordBytes));
  for (size_t at = 0, record = 0; at < bytes.size(); at += kCifarRecordBytes, ++record)
    if (bytes[at] >= 10)
      throw DataError("label " + std::to_string(bytes[at]) + " of record " +
                       std::to_string(record) + " in " + what + " is out of range [0, 10)");
}

} // namespace genlab::data
