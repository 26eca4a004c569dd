#pragma once
/// Choosing and loading a data set: the one entry point the UI, the command line and the
/// training engine use.

#include "core/data/data_spec.h"
#include "core/data/dataset.h"

#include <string>

namespace genlab::data {

/// A prepared data set and what was done to it.
struct LoadedDataset {
  Dataset dataset;
  std::string preprocessing;  ///< the line preprocess() returned
  double loadSeconds = 0.0;   ///< reading and decoding the files (or generating)
};

/// Loads, takes subsets, and preprocesses. Throws InputError on any bad input; nothing
/// partial is returned.
LoadedDataset loadDataset(const DataSpec& spec);

} // namespace genlab::data
