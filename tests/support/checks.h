#pragma once
/// Checks shared by the Qt Test executables: near-equality of numbers, messages of exceptions.

#include <QtTest>

#include <cmath>
#include <functional>
#include <string>

namespace genlab::test {

/// |actual - expected| <= tolerance, with both values in the failure message.
#define GENLAB_COMPARE_NEAR(actual, expected, tolerance)                                        \
  do {                                                                                         \
    const double genlabActual = (actual);                                                      \
    const double genlabExpected = (expected);                                                  \
    if (!(std::abs(genlabActual - genlabExpected) <= (tolerance)))                             \
      QFAIL(qPrintable(QStringLiteral("%1 = %2, expected %3 within %4")                        \
                           .arg(QStringLiteral(#actual))                                       \
                           .arg(genlabActual, 0, 'g', 10)                                      \
                           .arg(genlabExpected, 0, 'g', 10)                                    \
                           .arg(double(tolerance))));                                          \
  } while (false)

/// Runs `action` and returns the message of the exception of type E it throws, or an empty
/// string with a test failure if it throws nothing (or something else).
template <class E>
std::string messageOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const E& error) {
    return error.what();
  } catch (const std::exception& other) {
    return std::string("wrong exception type: ") + other.what();
  }
  return "no exception";
}

} // namespace genlab::test
