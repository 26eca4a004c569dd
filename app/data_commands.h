#pragma once
/// `genlab data`: the data sets GenLab can fetch, fetched into the shared folder
/// (core/datasets), listed and verified.

#include "core/data/data_spec.h"

#include <vector>

namespace genlab::app {

/// True when argv names this command ("data") as its first argument.
bool isDataCommand(int argc, const char* const* argv);

/// Runs `genlab data VERB ...` and returns the exit status. Throws UsageError for a bad
/// command line.
///   genlab data list [--in DIR]
///   genlab data fetch NAME [--to DIR] [--url URL --checksum md5:HEX|sha256:HEX]...
///   genlab data verify NAME [--in DIR]
int runDataCommand(int argc, const char* const* argv);

/// Fetches, once each and with a progress line, the data sets among `specs` that GenLab can
/// fetch and that none of the places resolveDataDirectory looks in holds (what a sweep does
/// before its tasks start, so that they do not each fetch it). Throws InputError when a fetch
/// fails.
void fetchMissingDataSets(const std::vector<data::DataSpec>& specs);

} // namespace genlab::app
