#include "core/format.h"

#include <cstdio>

namespace genlab {

std::string fixed(double value, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

std::string percent(double fraction) { return fixed(100.0 * fraction, 1) + "%"; }

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string mebibytes(double bytes) { return fixed(bytes / (1024.0 * 1024.0), 1) + " MiB"; }

std::string quoted(const std::filesystem::path& path) {
  // Built by appending: GCC 12 at -O3 warns falsely about "'" + path.string() + "'".
  std::string text(1, '\'');
  text += path.string();
  text += '\'';
  return text;
}

} // namespace genlab
