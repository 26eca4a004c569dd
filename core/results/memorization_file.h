#pragma once
/// A run's memorization record as a file of its session folder (layout.h,
/// memorizationFileName): one row per training example, "example,label,corrupted,fitted_epoch",
/// fitted_epoch empty for an example the network does not fit now. Written and read here only.

#include "core/train/listener.h"

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace genlab::results {

inline constexpr const char* kMemorizationHeader = "example,label,corrupted,fitted_epoch";

/// The file's content for `record`.
std::string memorizationCsv(const train::MemorizationRecord& record);

/// Reads a file memorizationCsv wrote. Throws InputError naming the file (and the line) when it
/// is missing, unreadable or not such a file.
std::vector<train::MemorizedExample> readMemorization(const std::filesystem::path& path);

/// The examples a network learned last, of the corrupted ones or of the clean ones: those it
/// does not fit now first, then by the epoch they were fitted from, latest first (ties in
/// training-set order); at most `count`. The corrupted ones learned last are those the network
/// "resists"; the clean ones learned last are the hard ones.
std::vector<train::MemorizedExample> learnedLast(const std::vector<train::MemorizedExample>& examples,
                                                 bool corrupted, size_t count);

} // namespace genlab::results
