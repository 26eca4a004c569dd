#pragma once
/// Published checksums of downloaded files ("md5:HEX" or "sha256:HEX"): the text here, the
/// computation with OpenSSL in file_checksum.cpp.

#include <filesystem>
#include <string>

namespace genlab::datasets {

struct Checksum {
  enum class Algorithm { Md5, Sha256 };
  Algorithm algorithm = Algorithm::Sha256;
  std::string hex;  ///< lower-case hexadecimal digits

  /// "md5:HEX" or "sha256:HEX"; throws InputError naming the text when it is neither, or when
  /// HEX is not the algorithm's length in hexadecimal digits.
  static Checksum parse(const std::string& text);
  std::string toString() const;  ///< the form parse() reads
  bool operator==(const Checksum&) const = default;
};

/// The checksum of a file's bytes with `algorithm`. Throws InputError when it cannot be read.
Checksum checksumOfFile(const std::filesystem::path& path, Checksum::Algorithm algorithm);

} // namespace genlab::datasets
