#include "core/results/session_folder.h"

#include "core/errors.h"

#include <cctype>
#include <ctime>
#include <system_error>

namespace genlab::results {

namespace fs = std::filesystem;

std::string folderSafeName(const std::string& name) {
  std::string safe;
  for (const char c : name) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
    if (keep) safe += c;
    else if (!safe.empty() && safe.back() != '-') safe += '-';
    if (safe.size() >= 80) break;
  }
  while (!safe.empty() && (safe.back() == '-' || safe.back() == '.')) safe.pop_back();
  while (!safe.empty() && safe.front() == '.') safe.erase(safe.begin());  // no hidden folders
  return safe.empty() ? "experiment" : safe;
}

fs::path createSessionFolder(const fs::path& root, const std::string& name,
                             std::chrono::system_clock::time_point when) {
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec || !fs::is_directory(root))
    throw InputError("cannot create results folder '" + root.string() + "'" +
                     (ec ? ": " + ec.message() : std::string(": a file of that name exists")));
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm local{};
  localtime_r(&seconds, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  const std::string base = std::string(stamp) + "-" + folderSafeName(name);
  for (int attempt = 1; attempt <= 1000; ++attempt) {
    const fs::path folder = root / (attempt == 1 ? base : base + "-" + std::to_string(attempt));
    if (fs::create_directory(folder, ec)) return folder;
    if (ec) throw InputError("cannot create results folder '" + folder.string() + "': " + ec.message());
  }
  throw InputError("cannot create a new results folder in '" + root.string() + "': '" + base +
                   "' and 999 numbered variants exist");
}

} // namespace genlab::results
