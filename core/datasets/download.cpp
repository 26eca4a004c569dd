#include "core/datasets/download.h"

#include <curl/curl.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>

namespace genlab::datasets {

namespace fs = std::filesystem;

namespace {

struct State {
  std::FILE* file = nullptr;
  int writeErrno = 0;
  const DownloadOptions* options = nullptr;
  Transfer transfer;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point lastReport{};
  bool cancelled = false;
};

size_t writeBytes(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<State*>(user);
  const size_t bytes = size * count;
  const size_t written = std::fwrite(data, 1, bytes, state->file);
  if (written != bytes) {
    state->writeErrno = errno;
    return 0;
  }
  state->transfer.received += bytes;
  return bytes;
}

int onProgress(void* user, curl_off_t total, curl_off_t /*now*/, curl_off_t, curl_off_t) {
  auto* state = static_cast<State*>(user);
  if (state->options->cancel != nullptr && state->options->cancel->load()) {
    state->cancelled = true;
    return 1;
  }
  if (total > 0) state->transfer.total = state->transfer.resumedFrom + static_cast<uint64_t>(total);
  const auto now = std::chrono::steady_clock::now();
  if (state->options->progress && now - state->lastReport >= std::chrono::milliseconds(100)) {
    state->lastReport = now;
    state->transfer.seconds = std::chrono::duration<double>(now - state->started).count();
    state->options->progress(state->transfer);
  }
  return 0;
}

void initialiseCurl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

/// Closes a file (its flush is checked before); a type, not &std::fclose, whose attributes GCC 14
/// warns that a template argument drops.
struct CloseFile {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

/// One attempt from `offset`; returns the curl result and the HTTP status.
std::pair<CURLcode, long> attempt(const std::string& url, const fs::path& part, uint64_t offset,
                                  const DownloadOptions& options, State& state, char* errors) {
  const std::unique_ptr<std::FILE, CloseFile> file(std::fopen(part.c_str(), offset > 0 ? "ab" : "wb"));
  if (!file) throw InputError("cannot write '" + part.string() + "': " + std::strerror(errno));
  state.file = file.get();
  state.transfer.received = offset;
  state.transfer.resumedFrom = offset;
  const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw InputError("libcurl could not start a download");
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(curl.get(), CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "genlab/" GENLAB_VERSION);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, options.connectTimeoutSeconds);
  curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_TIME, options.stallSeconds);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, errors);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, writeBytes);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(curl.get(), CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFOFUNCTION, onProgress);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFODATA, &state);
  if (offset > 0) curl_easy_setopt(curl.get(), CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(offset));
  errors[0] = '\0';
  const CURLcode result = curl_easy_perform(curl.get());
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (std::fflush(file.get()) != 0 && state.writeErrno == 0) state.writeErrno = errno;
  return {result, status};
}

std::string withoutTrailingDot(std::string text) {
  while (!text.empty() && (text.back() == '.' || text.back() == '\n')) text.pop_back();
  return text;
}

} // namespace

void download(const std::string& url, const fs::path& part, const DownloadOptions& options) {
  initialiseCurl();
  std::error_code ec;
  uint64_t offset = fs::is_regular_file(part, ec) ? fs::file_size(part, ec) : 0;
  for (int tries = 0;; ++tries) {
    State state;
    state.options = &options;
    char errors[CURL_ERROR_SIZE];
    const auto [result, status] = attempt(url, part, offset, options, state, errors);
    if (state.writeErrno != 0)
      throw InputError("cannot write '" + part.string() + "': " + std::strerror(state.writeErrno));
    if (result == CURLE_OK) {
      if (options.progress) {
        state.transfer.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - state.started).count();
        if (!state.transfer.total) state.transfer.total = state.transfer.received;
        options.progress(state.transfer);
      }
      return;
    }
    const std::string cause = withoutTrailingDot(errors[0] != '\0' ? errors : curl_easy_strerror(result));
    switch (result) {
    case CURLE_ABORTED_BY_CALLBACK:
      if (state.cancelled) throw Cancelled("download of " + url + " cancelled");
      break;
    case CURLE_RANGE_ERROR:
      // The server cannot continue a partial file: start it again, once.
      if (tries == 0 && offset > 0) {
        offset = 0;
        continue;
      }
      break;
    case CURLE_HTTP_RETURNED_ERROR:
      // 416: the partial file already holds every byte; its checksum decides.
      if (status == 416 && offset > 0) return;
      throw InputError("the server answered HTTP " + std::to_string(status) + " for " + url);
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      throw InputError("cannot reach " + url + " (" + cause + "): no network, or a proxy needed (https_proxy)");
    case CURLE_OPERATION_TIMEDOUT:
      if (state.transfer.received == offset)
        throw InputError("cannot reach " + url + ": no answer within " +
                         std::to_string(options.connectTimeoutSeconds) + " s (" + cause +
                         "): no network, or a proxy needed (https_proxy)");
      throw Interrupted("download of " + url + " timed out after " + std::to_string(state.transfer.received) +
                       " bytes (" + cause + "); run it again to continue");
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
      throw Interrupted("download of " + url + " broke off after " + std::to_string(state.transfer.received) +
                       " bytes (" + cause + "); run it again to continue");
    default:
      break;
    }
    throw InputError("download of " + url + " failed: " + cause);
  }
}

} // namespace genlab::datasets
