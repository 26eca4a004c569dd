#pragma once
/// Error types of the GenLab core.

#include <stdexcept>
#include <string>

namespace genlab {

/// Input the lab cannot use: a missing or malformed file, a value out of range, an
/// inconsistent data set. The message names the offending file or value and the problem
/// in one line, ready to be shown to a user as it is. Loaders throw it before any partial
/// result escapes, so a caller never sees a half-built data set.
class InputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// An InputError about the data set itself: its folder or a file missing, unreadable or
/// malformed. What to do about it differs (install or choose the data), so callers can tell.
class DataError : public InputError {
public:
  using InputError::InputError;
};

/// The first line of an error message. LibTorch's messages carry a backtrace after their
/// first line; a user needs the first.
inline std::string firstLine(const std::string& message) {
  return message.substr(0, message.find('\n'));
}

} // namespace genlab
