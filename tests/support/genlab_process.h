#pragma once
// Running the genlab program from a test, for the command-line tests.

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include "support/time_scale.h"

namespace genlab::test {

struct GenlabResult {
  int exitCode = -1;  ///< -1: did not finish within a minute (scaled); -2: ended by a signal
  QString out;
  QString err;
};

/// The test's environment with "NAME=VALUE" entries put over it.
inline QProcessEnvironment environmentWith(const QStringList& entries) {
  QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
  for (const QString& entry : entries) environment.insert(entry.section('=', 0, 0), entry.section('=', 1));
  return environment;
}

/// Runs $GENLAB_EXECUTABLE with `arguments` and waits for it (at most a minute, scaledMs).
inline GenlabResult runGenlab(const QStringList& arguments,
                              const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment()) {
  QProcess process;
  process.setProcessEnvironment(environment);
  process.start(qEnvironmentVariable("GENLAB_EXECUTABLE"), arguments);
  if (!process.waitForFinished(scaledMs(60000))) return {};
  // A crash (signal) is a failure of its own, never an acceptable way to report bad input.
  if (process.exitStatus() != QProcess::NormalExit) return {-2, {}, {}};
  return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
          QString::fromUtf8(process.readAllStandardError())};
}

} // namespace genlab::test
