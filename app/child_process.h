#pragma once
/// Starting other programs from the terminal commands: Slurm's clients and genlab's own sweep
/// tasks. POSIX only, like the rest of the command line.

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace genlab::app {

/// The program `name` as found in PATH (or `name` itself when it holds a '/' and exists).
std::optional<std::filesystem::path> findProgram(const std::string& name);

/// The running genlab's own executable.
std::filesystem::path selfExecutable();

struct ProgramOutput {
  int exitCode = 0;  ///< 128 + the signal when a signal ended it
  std::string out;
  std::string err;
};

/// Runs argv (argv[0] looked up in PATH), waits for it and returns what it printed. Throws
/// InputError when it cannot be started.
ProgramOutput runProgram(const std::vector<std::string>& argv);

/// Starts argv with its output (stdout and stderr) appended to `log` and `environment`
/// ("NAME=value") added; returns its pid. Throws InputError when it cannot be started.
pid_t startProgram(const std::vector<std::string>& argv, const std::filesystem::path& log,
                   const std::vector<std::string>& environment = {});

} // namespace genlab::app
