#include "core/sweep/sweep.h"

#include "core/errors.h"
#include "core/format.h"
#include "core/results/atomic_file.h"
#include "core/results/session_folder.h"
#include "core/results/spec_json.h"
#include "core/train/spec_fields.h"

#include <fstream>
#include <set>
#include <sstream>

namespace genlab::sweep {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

std::vector<std::string> splitPaths(const std::string& key) {
  std::vector<std::string> paths;
  std::string path;
  std::istringstream in(key);
  while (std::getline(in, path, ',')) {
    const auto first = path.find_first_not_of(' ');
    const auto last = path.find_last_not_of(' ');
    paths.push_back(first == std::string::npos ? std::string() : path.substr(first, last - first + 1));
  }
  return paths;
}

/// `value` for `path` in the form setField takes: numbers written as strings are parsed the
/// way --set parses them, so that "5e-4" works as well as 5e-4.
json normalized(const std::string& path, const json& value) {
  if (path == kSettingAxis || !value.is_string()) return value;
  const train::SpecField& field = train::requireSpecField(path);
  if (field.type == train::FieldType::Text || field.type == train::FieldType::Choice) return value;
  return train::parseFieldText(field, value.get<std::string>());
}

/// Sets one axis value into `spec`.
void apply(train::ExperimentSpec& spec, const std::string& path, const json& value,
           const std::string& source) {
  if (path == kSettingAxis) {
    if (!value.is_string())
      throw InputError(source + ": values of 'setting' must be strings such as \"random-labels\"");
    try {
      spec.settings = {corruption::parseSetting(value.get<std::string>())};
    } catch (const InputError& error) {
      throw InputError(source + ": " + error.what());
    }
    spec.sweepLevels.clear();
    return;
  }
  train::setField(spec, train::requireSpecField(path, source), normalized(path, value), source);
}

/// The value as a folder-name part: "random-labels", "alexnet", "width-512", "batch_norm-off".
std::string folderPart(const std::string& path, const json& value) {
  if (path == kSettingAxis) return value.get<std::string>();
  const train::SpecField& field = train::requireSpecField(path);
  const std::string shortName(field.shortName());
  if (field.type == train::FieldType::Choice) return value.get<std::string>();
  if (field.type == train::FieldType::Flag) return shortName + (value.get<bool>() ? "-on" : "-off");
  return shortName + "-" + train::fieldText(value);
}

/// The index's digit count, so that folders sort in task order.
int digits(int64_t count) {
  int n = 1;
  for (int64_t limit = 10; limit < count; limit *= 10) ++n;
  return std::max(n, 2);
}

} // namespace

std::string Axis::key() const { return join(paths, ","); }

Sweep parseSweep(const ordered_json& document, const std::string& source,
                 const std::vector<std::string>& overrides) {
  if (!document.is_object()) throw InputError(source + ": a sweep file must be a JSON object");
  for (const auto& [key, value] : document.items())
    if (key != "title" && key != "description" && key != "spec" && key != "axes")
      throw InputError(source + ": '" + key + "' is not a known key (title, description, spec, axes)");
  if (!document.contains("spec")) throw InputError(source + " needs a \"spec\" object");

  Sweep sweep;
  sweep.title = document.value("title", "");
  sweep.description = document.value("description", "");
  results::mergeJson(sweep.base, json::parse(document["spec"].dump()), source);
  for (const auto& assignment : overrides) train::applyAssignment(sweep.base, assignment);

  if (document.contains("axes")) {
    const ordered_json& axes = document["axes"];
    if (!axes.is_object())
      throw InputError(source + ": 'axes' must be an object of field paths and value lists");
    for (const auto& [key, list] : axes.items()) {
      Axis axis;
      axis.paths = splitPaths(key);
      const std::string where = source + ": axis '" + key + "'";
      for (const auto& path : axis.paths) {
        if (path != kSettingAxis) train::requireSpecField(path, where);
        for (const auto& assignment : overrides) {
          const std::string overridden = assignment.substr(0, assignment.find('='));
          if (overridden == path || (path == kSettingAxis && overridden == "settings"))
            throw InputError("--set " + overridden + " conflicts with the sweep's axis '" + key + "'");
        }
      }
      if (!list.is_array()) throw InputError(where + " must be a list of values");
      if (list.empty()) throw InputError(where + " is empty: an axis needs at least one value");
      std::set<std::string> seen;
      for (const auto& item : list) {
        std::vector<json> values;
        if (axis.paths.size() == 1) {
          values.push_back(json::parse(item.dump()));
        } else {
          if (!item.is_array() || item.size() != axis.paths.size())
            throw InputError(where + " must list [" + key + "] tuples of " +
                             std::to_string(axis.paths.size()) + " values, got " + item.dump());
          for (const auto& v : item) values.push_back(json::parse(v.dump()));
        }
        // Checked against the base, so that a bad value is named with its axis.
        train::ExperimentSpec probe = sweep.base;
        std::string shown;
        for (size_t j = 0; j < values.size(); ++j) {
          values[j] = normalized(axis.paths[j], values[j]);
          apply(probe, axis.paths[j], values[j], where);
          shown += (shown.empty() ? "" : ", ") + train::fieldText(values[j]);
        }
        if (!seen.insert(shown).second) throw InputError(where + " lists " + shown + " twice");
        axis.values.push_back(std::move(values));
      }
      sweep.axes.push_back(std::move(axis));
    }
  }

  int64_t count = 1;
  for (const auto& axis : sweep.axes) {
    const auto size = static_cast<int64_t>(axis.values.size());
    if (count > kMaxTasks / size)
      throw InputError(source + ": the axes make more than " + std::to_string(kMaxTasks) +
                       " tasks (" + [&] {
                         std::string sizes;
                         for (const auto& a : sweep.axes)
                           sizes += (sizes.empty() ? "" : " x ") + std::to_string(a.values.size());
                         return sizes;
                       }() + ")");
    count *= size;
  }
  // Every value within its field's range, each on top of the first task.
  train::ExperimentSpec first = task(sweep, 0).spec;
  for (const auto& axis : sweep.axes) {
    for (const auto& values : axis.values) {
      train::ExperimentSpec probe = first;
      for (size_t j = 0; j < values.size(); ++j) apply(probe, axis.paths[j], values[j], source);
      try {
        train::validate(probe);
      } catch (const InputError& error) {
        throw InputError(source + ": axis '" + axis.key() + "': " + error.what());
      }
    }
  }
  return sweep;
}

Sweep loadSweep(const std::filesystem::path& file, const std::vector<std::string>& overrides) {
  (void)results::readJsonFile(file);  // a missing or malformed file, worded as everywhere
  std::ifstream in(file);
  // Read again keeping the file's key order: the axes combine in the order written.
  std::string source(1, '\'');
  source.append(file.string()).push_back('\'');
  return parseSweep(ordered_json::parse(in), source, overrides);
}

ordered_json toJson(const Sweep& sweep) {
  ordered_json document;
  document["title"] = sweep.title;
  document["description"] = sweep.description;
  document["spec"] = ordered_json::parse(results::toJson(sweep.base).dump());
  ordered_json axes = ordered_json::object();
  for (const auto& axis : sweep.axes) {
    ordered_json list = ordered_json::array();
    for (const auto& values : axis.values) {
      if (values.size() == 1) {
        list.push_back(ordered_json::parse(values[0].dump()));
      } else {
        ordered_json tuple = ordered_json::array();
        for (const auto& v : values) tuple.push_back(ordered_json::parse(v.dump()));
        list.push_back(tuple);
      }
    }
    axes[axis.key()] = list;
  }
  document["axes"] = axes;
  return document;
}

int64_t taskCount(const Sweep& sweep) {
  int64_t count = 1;
  for (const auto& axis : sweep.axes) count *= static_cast<int64_t>(axis.values.size());
  return count;
}

Task task(const Sweep& sweep, int64_t index) {
  const int64_t count = taskCount(sweep);
  if (index < 0 || index >= count)
    throw InputError("task " + std::to_string(index) + " is out of range: the sweep has " +
                     std::to_string(count) + (count == 1 ? " task (0)" : " tasks (0 to " + std::to_string(count - 1) + ")"));
  Task t;
  t.index = index;
  t.spec = sweep.base;
  // Mixed radix, the last axis fastest.
  std::vector<size_t> choice(sweep.axes.size());
  int64_t rest = index;
  for (size_t a = sweep.axes.size(); a-- > 0;) {
    const auto size = static_cast<int64_t>(sweep.axes[a].values.size());
    choice[a] = static_cast<size_t>(rest % size);
    rest /= size;
  }
  std::string folder, label;
  for (size_t a = 0; a < sweep.axes.size(); ++a) {
    const Axis& axis = sweep.axes[a];
    const auto& values = axis.values[choice[a]];
    for (size_t j = 0; j < values.size(); ++j) {
      apply(t.spec, axis.paths[j], values[j], "task " + std::to_string(index));
      t.values.emplace_back(axis.paths[j], train::fieldText(values[j]));
      if (!folder.empty()) folder += '_';
      folder += folderPart(axis.paths[j], values[j]);
      if (!label.empty()) label += ", ";
      label.append(axis.paths[j]).append("=").append(train::fieldText(values[j]));
    }
  }
  std::string number = std::to_string(index);
  number.insert(0, static_cast<size_t>(std::max(0, digits(count) - static_cast<int>(number.size()))), '0');
  t.folder = results::folderSafeName(folder.empty() ? number + "-" + sweep.base.name : number + "-" + folder);
  if (!label.empty()) t.spec.name = sweep.base.name + " (" + label + ")";
  try {
    train::validate(t.spec);
  } catch (const InputError& error) {
    throw InputError("task " + std::to_string(index) + " (" + label + "): " + error.what());
  }
  return t;
}

std::vector<Task> tasks(const Sweep& sweep) {
  std::vector<Task> all;
  const int64_t count = taskCount(sweep);
  all.reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) all.push_back(task(sweep, i));
  return all;
}

bool sameTasks(const Sweep& a, const Sweep& b) {
  const auto withoutCompute = [](const Sweep& s) {
    json spec = results::toJson(s.base);
    spec.erase("compute");
    return spec;
  };
  if (withoutCompute(a) != withoutCompute(b) || a.axes.size() != b.axes.size()) return false;
  for (size_t i = 0; i < a.axes.size(); ++i)
    if (a.axes[i].paths != b.axes[i].paths || a.axes[i].values != b.axes[i].values) return false;
  return true;
}

std::filesystem::path prepareResultsFolder(const Sweep& sweep, const std::filesystem::path& out) {
  namespace fs = std::filesystem;
  results::prepareOutputFolder(out);
  const fs::path file = out / kSweepFile;
  std::error_code ec;
  if (fs::exists(file, ec)) {
    Sweep existing;
    try {
      existing = loadSweep(file);
    } catch (const InputError& error) {
      throw InputError("results folder '" + out.string() + "' holds a sweep file that cannot be read: " + error.what());
    }
    if (!sameTasks(existing, sweep))
      throw InputError("results folder '" + out.string() + "' holds another sweep (" + file.string() +
                       "): choose another folder, or run that sweep");
  } else {
    results::writeFileAtomically(file, toJson(sweep).dump(2) + "\n");
  }
  fs::create_directories(out / kLogFolder, ec);
  if (ec) throw InputError("cannot create '" + (out / kLogFolder).string() + "': " + ec.message());
  return file;
}

std::string axisValues(const Task& task) {
  std::string out;
  for (const auto& [path, value] : task.values) out += (out.empty() ? "" : "  ") + path + "=" + value;
  return out.empty() ? "(the base experiment)" : out;
}

std::vector<data::DataSpec> dataSpecs(const Sweep& sweep) {
  std::vector<data::DataSpec> specs;
  for (const Task& task : tasks(sweep)) specs.push_back(task.spec.data);
  return specs;
}

} // namespace genlab::sweep
