#include "app/terminal_progress.h"

#include "core/format.h"

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace genlab::app {

namespace {

std::string bar(int64_t done, int64_t total, int width) {
  const int64_t filled = total > 0 ? width * std::clamp<int64_t>(done, 0, total) / total : 0;
  std::string text(static_cast<size_t>(width) + 2, '.');
  text.front() = '[';
  text.back() = ']';
  for (int64_t i = 1; i <= filled; ++i) text[static_cast<size_t>(i)] = '#';
  return text;
}

/// "RKHS norm 55.6", "coefficient norm 12.3", or empty for a run without a norm.
std::string normText(const train::RunSummary& run) {
  const auto shown = [](const char* name, double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%s %.4g", name, value);
    return std::string(text);
  };
  if (run.rkhsNorm) return shown("RKHS norm", *run.rkhsNorm);
  if (run.coefficientNorm) return shown("coefficient norm", *run.coefficientNorm);
  return {};
}

} // namespace

void TerminalProgress::onSessionStarted(const train::SessionInfo& info) {
  std::cout << info.dataset << "  " << info.preprocessing << "\n  " << info.model << ", "
            << info.parameters << (closedForm_ ? " coefficients, " : " parameters, ")
            << info.trainImages << " training images, ";
  if (info.stepsPerEpoch > 0) std::cout << info.stepsPerEpoch << " steps per epoch, ";
  std::cout << "on " << info.device << "\n";
  for (const auto& run : info.runs) {
    Row& row = rows_[run.run];
    row.name = run.setting.name();
    row.epoch = run.start.epochs;
    std::cout << "  run " << run.run << ", " << run.setting.name() << ": ";
    if (!run.resumedFromEpoch && train::isFinal(run.start.status)) {
      // A resumed session's run that had reached its outcome: not trained again.
      row.status = std::string(nameOf(train::runStatusNames(), run.start.status));
      row.trainAccuracy = run.start.trainAccuracy;
      row.testAccuracy = run.start.testAccuracy;
      std::cout << row.status << " before, kept as it is\n";
      continue;
    }
    std::cout << run.corruption;
    if (run.resumedFromEpoch)
      std::cout << (*run.resumedFromEpoch > 0 ? "; resumed after epoch " + std::to_string(*run.resumedFromEpoch)
                                              : std::string("; no checkpoint, started again"));
    std::cout << '\n';
  }
  std::cout << std::endl;
  redraw(true);
}

std::string TerminalProgress::format(const Row& row) const {
  if (closedForm_) {
    // Before its solve a run has no figures yet.
    const bool solved = row.epoch > 0;
    char line[320];
    std::snprintf(line, sizeof line, "%-38s train %6s  test %6s  %-22s %6.1f s  %s", row.name.c_str(),
                  solved ? percent(row.trainAccuracy).c_str() : "-", solved ? percent(row.testAccuracy).c_str() : "-",
                  row.norm.c_str(), row.wallSeconds, row.status.empty() ? "to solve" : row.status.c_str());
    return line;
  }
  // Time left: at most the remaining epochs at this run's pace (a run that fits ends sooner).
  const double perEpoch = row.epoch > 0 ? row.wallSeconds / static_cast<double>(row.epoch) : 0.0;
  const std::string left =
      !row.status.empty() ? row.status
                          : (row.epoch > 0 ? "<= " + fixed(perEpoch * static_cast<double>(maxEpochs_ - row.epoch), 0) + " s left"
                                           : "starting");
  char line[320];
  std::snprintf(line, sizeof line, "%-38s %s epoch %4lld  loss %.4f  train %6s  test %6s  %7.0f img/s  %s",
                row.name.c_str(), bar(row.epoch, maxEpochs_, 12).c_str(),
                static_cast<long long>(row.epoch), row.loss, percent(row.trainAccuracy).c_str(),
                percent(row.testAccuracy).c_str(), row.imagesPerSecond, left.c_str());
  return line;
}

void TerminalProgress::redraw(bool force) {
  if (!live_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && drawn_ && now - lastDraw_ < std::chrono::milliseconds(100)) return;
  lastDraw_ = now;
  // Move back over the block drawn last time, then rewrite every line in place.
  if (drawn_) std::cout << "\x1b[" << rows_.size() << "A";
  for (const auto& [run, row] : rows_) std::cout << "\r\x1b[2K" << format(row) << '\n';
  std::cout << std::flush;
  drawn_ = true;
}

void TerminalProgress::onStepLosses(const train::StepLosses& losses) {
  if (!losses.losses.empty()) rows_[losses.run].loss = losses.losses.back();
  redraw(false);
}

void TerminalProgress::onEpoch(const train::EpochMetrics& m) {
  Row& row = rows_[m.run];
  row.epoch = m.epoch;
  row.trainAccuracy = m.trainAccuracy;
  row.testAccuracy = m.testAccuracy;
  row.imagesPerSecond = m.imagesPerSecond;
  row.wallSeconds = m.wallSeconds;
  if (live_) return redraw(false);
  if (closedForm_) return;  // its line comes with its end, which has the norm
  row.loss = m.trainLoss;
  std::cout << format(row) << std::endl;
}

void TerminalProgress::onRunEnded(const train::RunSummary& run) {
  Row& row = rows_[run.run];
  row.status = std::string(nameOf(train::runStatusNames(), run.status));
  if (!run.message.empty()) row.status += " (" + run.message + ")";
  row.norm = normText(run);
  if (live_) return redraw(true);
  if (closedForm_) std::cout << format(row) << std::endl;
  else std::cout << row.name << ": " << row.status << std::endl;
}

void TerminalProgress::onSessionEnded(const train::SessionResult& result) {
  redraw(true);
  char header[160];
  std::snprintf(header, sizeof header, "%-38s %-13s %9s %9s  %s\n", "setting", "status",
                "train acc", "test acc", closedForm_ ? "norm" : "epochs to fit");
  std::cout << "\n" << header;
  for (const auto& run : result.runs) {
    const std::string last = closedForm_ ? normText(run)
                             : run.fitEpoch ? std::to_string(*run.fitEpoch)
                                            : std::string("-");
    char line[256];
    std::snprintf(line, sizeof line, "%-38s %-13s %9s %9s  %s", rows_[run.run].name.c_str(),
                  std::string(nameOf(train::runStatusNames(), run.status)).c_str(),
                  percent(run.trainAccuracy).c_str(), percent(run.testAccuracy).c_str(),
                  last.empty() ? "-" : last.c_str());
    std::cout << line << '\n';
  }
  std::cout << "wall time " << fixed(result.wallSeconds, 1) << " s" << std::endl;
}

} // namespace genlab::app
