#include "core/datasets/checksum.h"

#include "core/errors.h"

#include <algorithm>
#include <cctype>

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

} // namespace genlab::datasets
