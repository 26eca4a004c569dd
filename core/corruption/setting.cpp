#include "core/corruption/setting.h"

#include "core/errors.h"

#include <charconv>
#include <cmath>
#include <sstream>

namespace genlab::corruption {

namespace {

constexpr std::string_view kPartialPrefix = "labels:";

/// Shortest decimal text that reads back as the same double ("0.2", not "0.200000").
std::string formatLevel(double p) {
  std::ostringstream out;
  out.precision(15);
  out << p;
  return out.str();
}

} // namespace

std::span<const NamedValue<Kind>> kindKeys() {
  static constexpr NamedValue<Kind> table[] = {{Kind::TrueLabels, "true"},
                                               {Kind::RandomLabels, "random-labels"},
                                               {Kind::ShuffledPixels, "shuffled-pixels"},
                                               {Kind::RandomPixels, "random-pixels"},
                                               {Kind::GaussianInputs, "gaussian"}};
  return table;
}

double Setting::labelCorruptionProbability() const {
  switch (kind) {
  case Kind::PartialLabels:
    return level;
  case Kind::RandomLabels:
    return 1.0;
  default:
    return 0.0;
  }
}

bool Setting::corruptsImages() const {
  return kind == Kind::ShuffledPixels || kind == Kind::RandomPixels ||
         kind == Kind::GaussianInputs;
}

std::string Setting::name() const {
  switch (kind) {
  case Kind::TrueLabels:
    return "true labels";
  case Kind::PartialLabels:
    return "partially corrupted labels (p = " + formatLevel(level) + ")";
  case Kind::RandomLabels:
    return "random labels";
  case Kind::ShuffledPixels:
    return "shuffled pixels";
  case Kind::RandomPixels:
    return "random pixels";
  case Kind::GaussianInputs:
    return "Gaussian";
  }
  return "unknown";
}

std::string Setting::key() const {
  if (kind == Kind::PartialLabels) return std::string(kPartialPrefix) + formatLevel(level);
  return std::string(nameOf(kindKeys(), kind));
}

void validate(const Setting& setting) {
  if (setting.kind == Kind::PartialLabels && !(setting.level >= 0.0 && setting.level <= 1.0))
    throw InputError("label corruption level " + formatLevel(setting.level) +
                     " is outside [0, 1]");
}

Setting parseSetting(std::string_view text) {
  if (text.starts_with(kPartialPrefix)) {
    const std::string_view number = text.substr(kPartialPrefix.size());
    double p = 0.0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), p);
    if (number.empty() || error != std::errc() || end != number.data() + number.size() ||
        !std::isfinite(p))
      throw InputError("corruption setting '" + std::string(text) +
                       "': the label corruption level must be a number in [0, 1]");
    Setting setting = Setting::partialLabels(p);
    if (!(p >= 0.0 && p <= 1.0))
      throw InputError("corruption setting '" + std::string(text) + "': label corruption level " +
                       std::string(number) + " is outside [0, 1]");
    return setting;
  }
  if (const auto kind = valueNamed(kindKeys(), text)) return {*kind, *kind == Kind::RandomLabels ? 1.0 : 0.0};
  throw InputError("unknown corruption setting '" + std::string(text) + "' (expected one of " +
                   listNames(kindKeys()) + ", or labels:P with P in [0, 1])");
}

} // namespace genlab::corruption
