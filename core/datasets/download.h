#pragma once
/// One file over HTTP(S) with libcurl, continuing a partial download: the proxy variables
/// (https_proxy, no_proxy, ...) are honoured as libcurl honours them.

#include "core/errors.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace genlab::datasets {

/// Thrown when the caller's cancel flag stopped a download.
class Cancelled : public InputError {
public:
  using InputError::InputError;
};

/// Thrown when the connection dropped or stalled part-way: what arrived is kept and the next
/// download() continues from it.
class Interrupted : public InputError {
public:
  using InputError::InputError;
};

/// Where a download stands, for a progress display.
struct Transfer {
  uint64_t received = 0;           ///< bytes in the file so far, earlier attempts included
  std::optional<uint64_t> total;   ///< the whole file's size once the server has said it
  uint64_t resumedFrom = 0;        ///< bytes that were there before this attempt
  double seconds = 0;              ///< since this attempt started
};

struct DownloadOptions {
  long connectTimeoutSeconds = 30;
  /// Give up when less than a byte a second arrives for this long.
  long stallSeconds = 60;
  /// Set (from any thread) to stop the download; it then throws Cancelled.
  const std::atomic<bool>* cancel = nullptr;
  /// Called from the downloading thread as bytes arrive, at most about ten times a second.
  std::function<void(const Transfer&)> progress;
};

/// Downloads `url` to `part`, continuing after the bytes `part` already holds (an HTTP range
/// request; a server that ignores it sends the whole file, which then replaces them). Throws
/// InputError with one line naming the URL and the cause (no connection, a timeout, an HTTP
/// error status, a full disk); Interrupted when the connection dropped or stalled before the
/// end, keeping what arrived for the next call to continue from; Cancelled when
/// options.cancel was set.
void download(const std::string& url, const std::filesystem::path& part, const DownloadOptions& options);

} // namespace genlab::datasets
