#include "core/datasets/checksum.h"

#include "core/errors.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <memory>
#include <vector>

namespace genlab::datasets {

namespace {

const char* nameOf(Checksum::Algorithm algorithm) {
  return algorithm == Checksum::Algorithm::Md5 ? "md5" : "sha256";
}

std::size_t hexDigits(Checksum::Algorithm algorithm) {
  return algorithm == Checksum::Algorithm::Md5 ? 32 : 64;
}

} // namespace

Checksum Checksum::parse(const std::string& text) {
  const auto colon = text.find(':');
  const std::string name = colon == std::string::npos ? "" : text.substr(0, colon);
  Checksum checksum;
  if (name == "md5") checksum.algorithm = Algorithm::Md5;
  else if (name == "sha256") checksum.algorithm = Algorithm::Sha256;
  else throw InputError("checksum '" + text + "' is not md5:HEX or sha256:HEX");
  checksum.hex = text.substr(colon + 1);
  std::transform(checksum.hex.begin(), checksum.hex.end(), checksum.hex.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool hex = std::all_of(checksum.hex.begin(), checksum.hex.end(),
                               [](unsigned char c) { return std::isxdigit(c) != 0; });
  if (!hex || checksum.hex.size() != hexDigits(checksum.algorithm))
    throw InputError("checksum '" + text + "' needs " + std::to_string(hexDigits(checksum.algorithm)) +
                     " hexadecimal digits after '" + name + ":'");
  return checksum;
}

std::string Checksum::toString() const { return std::string(nameOf(algorithm)) + ":" + hex; }

Checksum checksumOfFile(const std::filesystem::path& path, Checksum::Algorithm algorithm) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot read '" + path.string() + "' to check it");
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  const EVP_MD* digest = algorithm == Checksum::Algorithm::Md5 ? EVP_md5() : EVP_sha256();
  if (!context || EVP_DigestInit_ex(context.get(), digest, nullptr) != 1)
    throw InputError(std::string("OpenSSL cannot compute ") + nameOf(algorithm) + " here");
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
