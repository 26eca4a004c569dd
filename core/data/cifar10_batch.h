#pragma once
/// The record layout of CIFAR-10's binary batch files, checked without LibTorch.

#include <cstdint>
#include <string>
#include <vector>

namespace genlab::data {

/// Bytes in one CIFAR-10 record: one label byte, then 1024 red, 1024 green and 1024 blue
/// pixel bytes of a 32x32 image, row by row.
inline constexpr int64_t kCifarRecordBytes = 1 + 3 * 32 * 32;

/// Checks one batch file's bytes: a positive multiple of kCifarRecordBytes, every label in
/// [0, 10). `what` names the file in the InputError thrown otherwise.
void checkCifarBatch(const std::vector<uint8_t>& bytes, const std::string& what);

} // namespace genlab::data
