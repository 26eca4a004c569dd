#include "core/datasets/mirrors.h"

#include "core/errors.h"

#include <nlohmann/json.hpp>

namespace genlab::datasets {

using nlohmann::json;

std::vector<RemoteFile> parseMirrors(const std::string& text, const std::string& name, const std::string& where) {
  const json mirrors = json::parse(text, nullptr, false);
  if (!mirrors.is_object()) throw InputError("the " + where + " is not a JSON object");
  if (!mirrors.contains(name)) return {};
  const json& list = mirrors[name];
  if (!list.is_array()) throw InputError("the " + where + ": '" + name + "' is not a list of files");
  std::vector<RemoteFile> files;
  for (const json& file : list) {
    if (!file.is_object() || !file.contains("url") || !file["url"].is_string() || !file.contains("checksum") ||
        !file["checksum"].is_string())
      throw InputError("the " + where + ": each file of '" + name + "' needs \"url\" and \"checksum\"");
    files.push_back({file["url"].get<std::string>(), Checksum::parse(file["checksum"].get<std::string>()), 0});
  }
  return files;
}

} // namespace genlab::datasets
