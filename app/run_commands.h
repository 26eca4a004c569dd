#pragma once
/// `genlab runs` and `genlab report`: results folders read back in the terminal, without
/// training (a cluster's results -> a table, figures for a paper).

namespace genlab::app {

/// True when argv names one of these commands ("runs", "report") as its first argument.
bool isRunCommand(int argc, const char* const* argv);

/// Runs the command named by argv[1] and returns the exit status. Throws UsageError for a bad
/// command line.
///   genlab runs DIR... [--filter TEXT] [--format text|md|tsv|csv|tex|json]
///   genlab report DIR... [--filter TEXT] --export png,jpg,pdf,svg,md,tsv,csv,tex,json --out DIR
///                 [--size WxH] [--scale S]
int runRunCommand(int argc, const char* const* argv);

} // namespace genlab::app
