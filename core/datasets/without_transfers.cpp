// The transfers of a build without libcurl, OpenSSL or libarchive (GENLAB_TRANSFERS off,
// core/CMakeLists.txt, which names the missing ones): each throws a message saying so, so that
// a fetch on such a build stops with it instead of failing to link.
#include "core/datasets/checksum.h"
#include "core/datasets/download.h"
#include "core/datasets/unpack.h"
#include "core/errors.h"

// The g++ build of bench/gpu-check.sh leaves all three out and defines no list.
#ifndef GENLAB_MISSING_TRANSFER_LIBRARIES
#define GENLAB_MISSING_TRANSFER_LIBRARIES "libcurl, OpenSSL and libarchive"
#endif

namespace genlab::datasets {

namespace {

[[noreturn]] void builtWithout(const std::string& what) {
  throw InputError("this GenLab was built without " GENLAB_MISSING_TRANSFER_LIBRARIES ", so it cannot " + what +
                   " (install their development files and configure it again)");
}

} // namespace

void download(const std::string& url, const std::filesystem::path&, const DownloadOptions&) {
  builtWithout("download " + url);
}

Checksum checksumOfFile(const std::filesystem::path& path, Checksum::Algorithm) {
  builtWithout("check '" + path.string() + "'");
}

void unpackTarGz(const std::filesystem::path& archive, const std::filesystem::path&, bool) {
  builtWithout("unpack '" + archive.string() + "'");
}

void checkTarGz(const std::filesystem::path& archive) { builtWithout("check '" + archive.string() + "'"); }

} // namespace genlab::datasets
