#include "core/results/spec_json.h"

#include "core/errors.h"
#include "core/format.h"
#include "core/train/spec_fields.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace genlab::results {

using nlohmann::json;
using namespace genlab::train;

namespace {

/// "/model/width" for "model.width".
json::json_pointer pointerTo(std::string_view path) {
  std::string pointer = "/";
  for (const char c : path) pointer += c == '.' ? '/' : c;
  return json::json_pointer(pointer);
}

/// True when some field lies below `prefix` ("data" for "data.synthetic.noise").
bool isGroup(const std::string& prefix) {
  for (const auto& field : specFields())
    if (field.path.size() > prefix.size() && field.path.substr(0, prefix.size()) == prefix &&
        field.path[prefix.size()] == '.')
      return true;
  return false;
}

void mergeObject(ExperimentSpec& spec, const json& object, const std::string& prefix,
                 const std::string& source) {
  const auto fail = [&](const std::string& key, const std::string& problem) {
    throw InputError(source + ": '" + key + "' " + problem);
  };
  if (!object.is_object()) fail(prefix.empty() ? "the document" : prefix, "must be an object");
  for (const auto& [key, value] : object.items()) {
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    if (const SpecField* field = findSpecField(path)) setField(spec, *field, value, source);
    else if (isGroup(path)) mergeObject(spec, value, path, source);
    else fail(path, "is not a known key");
  }
}

} // namespace

json toJson(const ExperimentSpec& spec) {
  json document = json::object();
  for (const auto& field : specFields()) document[pointerTo(field.path)] = field.get(spec);
  return document;
}

void mergeJson(ExperimentSpec& spec, const json& document, const std::string& source) {
  mergeObject(spec, document, "", source);
}

json readJsonFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
    throw InputError("JSON file '" + path.string() + "' is not a file");
  std::ifstream in(path);
  if (!in) throw InputError("cannot read JSON file '" + path.string() + "'");
  try {
    return json::parse(in);
  } catch (const json::parse_error& error) {
    throw InputError("JSON file '" + path.string() + "' is malformed at byte " +
                     std::to_string(error.byte) + ": " + error.what());
  } catch (const std::exception& error) {
    // libstdc++ reports a read error (EIO, a file that vanished) by throwing from the stream.
    throw InputError("cannot read JSON file '" + path.string() + "': " + firstLine(error.what()));
  }
}

namespace {

/// `spec` after validation; an InputError names the file it came from.
ExperimentSpec checked(ExperimentSpec spec, const std::filesystem::path& path) {
  try {
    validate(spec);
  } catch (const InputError& error) {
    throw InputError(quoted(path) + ": " + error.what());
  }
  return spec;
}

} // namespace

ExperimentSpec loadSpecFile(const std::filesystem::path& path, ExperimentSpec base) {
  mergeJson(base, readJsonFile(path), quoted(path));
  return checked(std::move(base), path);
}

} // namespace genlab::results

namespace genlab::results {

ExperimentSpec loadSpecFile(const std::filesystem::path& path) {
  ExperimentSpec defaults;
  mergeJson(defaults, readJsonFile(path), quoted(path));
  return checked(std::move(defaults), path);
}

} // namespace genlab::results
