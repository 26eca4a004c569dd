#include "core/datasets/checksum.h"

#include "core/errors.h"

#include <openssl/evp.h>

#include <fstream>
#include <memory>
#include <vector>

namespace genlab::datasets {

Checksum checksumOfFile(const std::filesystem::path& path, Checksum::Algorithm algorithm) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot read '" + path.string() + "' to check it");
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  const EVP_MD* digest = algorithm == Checksum::Algorithm::Md5 ? EVP_md5() : EVP_sha256();
  if (!context || EVP_DigestInit_ex(context.get(), digest, nullptr) != 1)
    throw InputError("OpenSSL cannot compute " + Checksum{algorithm, {}}.toString() + " here");
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (in.gcount() > 0) EVP_DigestUpdate(context.get(), buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw InputError("cannot read '" + path.string() + "' to check it");
  unsigned char value[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(context.get(), value, &length);
  static constexpr char digits[] = "0123456789abcdef";
  Checksum checksum{algorithm, {}};
  for (unsigned int i = 0; i < length; ++i) {
    checksum.hex += digits[value[i] >> 4];
    checksum.hex += digits[value[i] & 0xF];
  }
  return checksum;
}

} // namespace genlab::datasets
