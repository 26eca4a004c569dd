// The transfers of a build without libcurl, OpenSSL or libarchive (GENLAB_TRANSFERS off,
// core/CMakeLists.txt): each throws a message that names what is missing, so that a fetch on
// such a build stops with it instead of failing to link.
#include "core/datasets/checksum.h"
#include "core/datasets/download.h"
#include "core/datasets/unpack.h"
#include "core/errors.h"

namespace genlab::datasets {

namespace {

[[noreturn]] void builtWithout(const std::string& library, const std::string& what) {
  throw InputError("this GenLab was built without " + library + ", so it cannot " + what +
                   " (install it and reconfigure)");
}

} // namespace

void download(const std::string& url, const std::filesystem::path&, const DownloadOptions&) {
  builtWithout("libcurl", "download " + url);
}

Checksum checksumOfFile(const std::filesystem::path& path, Checksum::Algorithm) {
  builtWithout("OpenSSL", "check '" + path.string() + "'");
}

void unpackTarGz(const std::filesystem::path& archive, const std::filesystem::path&, bool) {
  builtWithout("libarchive", "unpack '" + archive.string() + "'");
}

void checkTarGz(const std::filesystem::path& archive) { builtWithout("libarchive", "check '" + archive.string() + "'"); }

} // namespace genlab::datasets
