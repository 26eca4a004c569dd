#pragma once
/// QCustomPlot 2.1's header spells Qt's keywords (signals:, slots:, emit, foreach), which the project's
/// QT_NO_KEYWORDS (needed by LibTorch) removes; they are defined for that header alone.
/// Include QCustomPlot through this file only, and never from a file that includes LibTorch.

#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
