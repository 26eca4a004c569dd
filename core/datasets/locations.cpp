#include "core/datasets/locations.h"

#include <cstdlib>
#include <string>

namespace genlab::datasets {

namespace fs = std::filesystem;

fs::path defaultDatasetsRoot() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg == '/')
    return fs::path(xdg) / "GenLab" / "datasets";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
    return fs::path(home) / ".local" / "share" / "GenLab" / "datasets";
  return {};
}

fs::path datasetFolder(const fs::path& root, data::DatasetKind kind) { return root / std::string(data::toString(kind)); }

bool isFetched(const fs::path& root, data::DatasetKind kind) {
  std::error_code ec;
  return !root.empty() && fs::is_regular_file(datasetFolder(root, kind) / kManifestName, ec);
}

} // namespace genlab::datasets
