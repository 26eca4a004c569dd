#pragma once
/// Loader for CIFAR-10 in its binary version.

#include "core/data/cifar10_batch.h"
#include "core/data/dataset.h"

#include <filesystem>

namespace genlab::data {

/// Loads data_batch_1.bin .. data_batch_5.bin (training) and test_batch.bin (test) from
/// `folder`. Images become float32 [N, 3, 32, 32] in [0, 1] (or stay bytes: `values`). Throws
/// InputError on a missing file, a file whose size is not a positive multiple of 3073 bytes, or
/// a label outside [0, 10).
Dataset loadCifar10(const std::filesystem::path& folder, ImageValues values = ImageValues::UnitFloat);

const std::vector<std::string>& cifar10ClassNames();

} // namespace genlab::data
