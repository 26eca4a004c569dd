// Sweep files (core/sweep/sweep.h), as `genlab sweep` reads them. The input is the file,
// optionally preceded by lines "--set PATH=VALUE" that become the command line's overrides.

#include "core/errors.h"
#include "core/sweep/sweep.h"
#include "fuzz_support.h"

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace genlab;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> overrides;
  constexpr std::string_view kSet = "--set ";
  while (text.substr(0, kSet.size()) == kSet) {
    const size_t end = std::min(text.find('\n'), text.size());
    overrides.emplace_back(text.substr(kSet.size(), end - kSet.size()));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  static const std::filesystem::path folder = fuzz::scratchFolder("sweep");
  const std::filesystem::path file = folder / "sweep.json";
  fuzz::writeFile(file, reinterpret_cast<const uint8_t*>(text.data()), text.size());

  sweep::Sweep read;
  try {
    read = sweep::loadSweep(file, overrides);
  } catch (const InputError& error) {
    fuzz::requireMessage(error);
    return 0;
  }
  const int64_t count = sweep::taskCount(read);
  fuzz::require(count >= 1 && count <= sweep::kMaxTasks, "between 1 and kMaxTasks tasks");
  for (int64_t i = 0; i < std::min<int64_t>(count, 4); ++i) {
    for (const int64_t index : {i, count - 1 - i}) {
      try {
        const sweep::Task task = sweep::task(read, index);
        fuzz::require(task.index == index, "task i is the i-th");
        fuzz::require(!task.folder.empty() && task.folder.find('/') == std::string::npos,
                      "a task's folder is one name");
      } catch (const InputError& error) {
        fuzz::requireMessage(error);
      }
    }
  }
  // The resolved sweep, as written into the results folder, reads back to the same tasks.
  const std::string written = sweep::toJson(read).dump(2);
  fuzz::writeFile(file, reinterpret_cast<const uint8_t*>(written.data()), written.size());
  const sweep::Sweep again = sweep::loadSweep(file);
  fuzz::require(sweep::sameTasks(read, again), "sweep.json reads back to the same tasks");
  fuzz::require(sweep::taskCount(again) == count, "sweep.json reads back to as many tasks");
  return 0;
}
