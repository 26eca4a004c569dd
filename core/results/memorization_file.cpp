#include "core/results/memorization_file.h"

#include "core/errors.h"
#include "core/format.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <limits>

namespace genlab::results {

namespace {

bool parseInteger(std::string_view text, int64_t& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() && value >= 0;
}

/// Parses one row; an empty string, or what is wrong with it.
std::string parseRow(std::string_view line, train::MemorizedExample& row) {
  std::string_view fields[4];
  size_t count = 0;
  for (size_t start = 0;;) {
    const size_t comma = line.find(',', start);
    if (count == 4) return "more than 4 fields";
    fields[count++] = line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (count != 4) return std::to_string(count) + " fields, not 4";
  int64_t corrupted = 0;
  if (!parseInteger(fields[0], row.example)) return "example is not a count";
  if (!parseInteger(fields[1], row.label)) return "label is not a class number";
  if (!parseInteger(fields[2], corrupted) || corrupted > 1) return "corrupted is not 0 or 1";
  row.corrupted = corrupted == 1;
  row.fittedSince = 0;
  if (!fields[3].empty() && (!parseInteger(fields[3], row.fittedSince) || row.fittedSince == 0))
    return "fitted_epoch is not an epoch";
  return {};
}

} // namespace

std::string memorizationCsv(const train::MemorizationRecord& record) {
  std::string text = std::string(kMemorizationHeader) + '\n';
  text.reserve(text.size() + record.examples.size() * 16);
  for (const train::MemorizedExample& e : record.examples) {
    text += std::to_string(e.example);
    text += ',';
    text += std::to_string(e.label);
    text += e.corrupted ? ",1," : ",0,";
    if (e.fittedSince > 0) text += std::to_string(e.fittedSince);
    text += '\n';
  }
  return text;
}

std::vector<train::MemorizedExample> readMemorization(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot read the memorization record " + quoted(path));
  std::string line;
  if (!std::getline(in, line) || line != kMemorizationHeader)
    throw InputError(quoted(path) + " is not a memorization record: its first line is not \"" +
                     kMemorizationHeader + "\"");
  std::vector<train::MemorizedExample> examples;
  for (int64_t number = 2; std::getline(in, line); ++number) {
    train::MemorizedExample row;
    if (const std::string problem = parseRow(line, row); !problem.empty())
      throw InputError(quoted(path) + ", line " + std::to_string(number) + ": " + problem);
    examples.push_back(row);
  }
  if (in.bad()) throw InputError("cannot read the memorization record " + quoted(path));
  return examples;
}

std::vector<train::MemorizedExample> learnedLast(const std::vector<train::MemorizedExample>& examples,
                                                 bool corrupted, size_t count) {
  std::vector<train::MemorizedExample> chosen;
  std::copy_if(examples.begin(), examples.end(), std::back_inserter(chosen),
               [&](const train::MemorizedExample& e) { return e.corrupted == corrupted; });
  // Not fitted now (0) sorts as later than any epoch.
  const auto lateness = [](const train::MemorizedExample& e) {
    return e.fittedSince == 0 ? std::numeric_limits<int64_t>::max() : e.fittedSince;
  };
  std::stable_sort(chosen.begin(), chosen.end(), [&](const auto& a, const auto& b) { return lateness(a) > lateness(b); });
  if (chosen.size() > count) chosen.resize(count);
  return chosen;
}

} // namespace genlab::results
