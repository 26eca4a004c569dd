#pragma once
/// Checking a run's saved state (a checkpoint) before it is loaded. LibTorch writes its archive
/// as a zip file with a CRC-32 of every record but reads it back without checking them, so a
/// damaged checkpoint would resume a network with garbage weights; this checks them instead.

#include <cstdint>
#include <string>
#include <string_view>

namespace genlab::train {

/// Throws InputError naming `what` ("the checkpoint of run 1 (random labels)") unless `archive`
/// is a whole zip file whose stored records (LibTorch stores its tensors so) have the CRC-32
/// its directory gives.
void requireIntactArchive(std::string_view archive, const std::string& what);

/// CRC-32 (IEEE 802.3, zip's and zlib's), computed here: zlib is optional.
uint32_t crc32(std::string_view bytes);

} // namespace genlab::train
