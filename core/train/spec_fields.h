#pragma once
/// Every field of ExperimentSpec described once: its path in the spec JSON ("model.width"),
/// type, range, unit and help. JSON reading and writing, the command line's --set and its
/// friendly options, validation messages, the man page, the form's ranges and tooltips and the
/// axes of sweeps all derive from this one table.

#include "core/train/experiment_spec.h"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace genlab::train {

enum class FieldType {
  Integer,      ///< a signed whole number
  Natural,      ///< an unsigned whole number (seeds)
  Number,       ///< a finite real number
  Flag,         ///< true or false
  Text,         ///< any string
  Choice,       ///< one name of a fixed list ("sgd", "adam")
  SettingList,  ///< corruption settings ("true", "labels:0.2", "random-labels")
  NumberList,   ///< real numbers (label-corruption levels)
  Shape,        ///< channels x height x width
};

/// The values a numeric field accepts; a missing bound is unbounded, an open one excludes
/// its value.
struct Bounds {
  std::optional<double> min, max;
  bool minOpen = false, maxOpen = false;
};

struct SpecField {
  std::string_view path;   ///< key path in the spec JSON, dots between levels
  FieldType type = FieldType::Text;
  std::string_view label;  ///< in messages and forms: "learning rate"
  std::string_view unit;   ///< "epochs", "images", ... or empty
  std::string_view help;   ///< one sentence
  Bounds bounds;           ///< Integer, Natural, Number and each NumberList item
  std::vector<std::string> (*choices)() = nullptr;  ///< Choice: the accepted names
  nlohmann::json (*get)(const ExperimentSpec&) = nullptr;
  /// Stores a value already checked by setField (type, names, bounds are not its concern).
  void (*set)(ExperimentSpec&, const nlohmann::json&) = nullptr;

  /// The last component of the path ("width" for "model.width"), for folder names.
  std::string_view shortName() const;
};

/// The table, in the order of the spec JSON.
std::span<const SpecField> specFields();

/// The field at `path`, or nullptr.
const SpecField* findSpecField(std::string_view path);

/// Throws InputError "'<path>' is not a field of the experiment" with the nearest path as a
/// suggestion when `path` names no field; returns the field otherwise. (`source` a view: GCC 14
/// takes a reference returned beside a temporary string for a dangling one.)
const SpecField& requireSpecField(std::string_view path, std::string_view source = {});

/// Stores `value` into the field after checking its JSON type and, for choices and settings,
/// its names. Bounds are checked by validate (so that a config may pass through an invalid
/// intermediate state). Throws InputError "<source>: '<path>' must be an integer" and the like.
void setField(ExperimentSpec& spec, const SpecField& field, const nlohmann::json& value,
              const std::string& source);

/// Command-line text for a field as its JSON value: "1024", "5e-4", "adam", "true", "on",
/// "true,random-labels" (lists: comma-separated or a JSON array), "3x32x32". Throws InputError
/// "<where>: '<text>' is not an integer" (where: "'<path>'" when empty) when the text is not a
/// value of the field's type or not one of its choices.
nlohmann::json parseFieldText(const SpecField& field, const std::string& text,
                              const std::string& where = {});

/// Applies "PATH=VALUE" (the command line's --set). Throws InputError naming the assignment.
void applyAssignment(ExperimentSpec& spec, const std::string& assignment);

/// A value as users write it: 512, 0.0005, adam, true, labels:0.2, 1x28x28, [0,0.5,1].
std::string fieldText(const nlohmann::json& value);

/// "at least 1", "in [0, 1)", "a positive number": the field's bounds in words, for help.
std::string describeBounds(const SpecField& field);

/// Throws InputError for the first field outside its bounds: "learning rate -1 must be a
/// positive number (optimizer.learning_rate)", "dropout 1.2 is outside [0, 1) (model.dropout)".
void checkBounds(const ExperimentSpec& spec);

} // namespace genlab::train
