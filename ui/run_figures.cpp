#include "ui/run_figures.h"

#include "core/corruption/setting.h"
#include "core/errors.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <set>

namespace genlab::ui {

namespace {

using results::RunRecord;
using results::SessionRecord;
using train::RunStatus;

/// Spec keys that differ between any two sessions without making them different experiments
/// to tell apart by (the runs' settings are the runs' own names).
bool ignoredKey(const std::string& key) {
  return key == "name" || key == "settings" || key == "sweep_levels";
}

std::map<std::string, std::string> comparable(const nlohmann::json& spec) {
  std::map<std::string, std::string> values;
  for (auto& [key, value] : results::flattenSpec(spec))
    if (!ignoredKey(key)) values[key] = value;
  return values;
}

/// "model.weight_decay" -> "weight decay"; the architecture needs no name beside its value.
QString shortName(const std::string& key) {
  if (key == "model.architecture" || key == "data.dataset") return {};
  const size_t dot = key.rfind('.');
  QString name = QString::fromStdString(dot == std::string::npos ? key : key.substr(dot + 1));
  return name.replace(QLatin1Char('_'), QLatin1Char(' '));
}

/// The spec keys whose values differ between the sessions (a key one of them lacks too).
std::vector<std::string> differingKeys(const std::vector<std::map<std::string, std::string>>& values) {
  std::set<std::string> keys;
  for (const auto& map : values)
    for (const auto& [key, value] : map) keys.insert(key);
  std::vector<std::string> differing;
  for (const std::string& key : keys) {
    std::set<std::string> seen;
    for (const auto& map : values) {
      const auto found = map.find(key);
      seen.insert(found == map.end() ? std::string("\x01missing") : found->second);
    }
    if (seen.size() > 1) differing.push_back(key);
  }
  return differing;
}

/// One suffix per session (", width 2048" or ", 20261201-101500-figure1a"); empty for one.
std::vector<QString> sessionSuffixes(const std::vector<std::pair<QString, nlohmann::json>>& sessions) {
  std::vector<QString> suffixes(sessions.size());
  if (sessions.size() < 2) return suffixes;
  std::vector<std::map<std::string, std::string>> values;
  for (const auto& [name, spec] : sessions) values.push_back(comparable(spec));
  const std::vector<std::string> differing = differingKeys(values);
  for (size_t i = 0; i < sessions.size(); ++i) {
    if (differing.size() == 1 && values[i].count(differing.front())) {
      const QString name = shortName(differing.front());
      const QString value = QString::fromStdString(values[i].at(differing.front()));
      suffixes[i] = QStringLiteral(", ") + (name.isEmpty() ? value : name + QLatin1Char(' ') + value);
    } else {
      suffixes[i] = QStringLiteral(", ") + sessions[i].first;
    }
  }
  return suffixes;
}

bool endedEarly(RunStatus status) {
  return status == RunStatus::Diverged || status == RunStatus::Stopped ||
         status == RunStatus::Interrupted || status == RunStatus::Failed ||
         status == RunStatus::Incomplete;
}

/// The loss of `run`, thinned to at most `maxPoints` points: per bucket of a power-of-two number
/// of steps, its smallest and largest value in step order. A bucket still filling is left out
/// until the run has ended, so that points once drawn stay as they are.
void thinLoss(const results::LossCurve& loss, bool ended, size_t maxPoints, Curve& out) {
  const size_t n = loss.size();
  out.x.reserve(std::min(n, maxPoints));
  out.y.reserve(std::min(n, maxPoints));
  if (n <= maxPoints) {
    loss.forEach([&](int64_t step, float value) {
      out.x.push_back(static_cast<double>(step));
      out.y.push_back(value);
    });
    return;
  }
  size_t bucket = 1;
  while (n / bucket > maxPoints / 2) bucket *= 2;
  for (size_t begin = 0; begin < n; begin += bucket) {
    const size_t end = std::min(n, begin + bucket);
    if (end - begin < bucket && !ended) break;
    size_t low = begin, high = begin;
    for (size_t i = begin; i < end; ++i) {
      if (loss.value(i) < loss.value(low)) low = i;
      if (loss.value(i) > loss.value(high)) high = i;
    }
    for (const size_t i : {std::min(low, high), std::max(low, high)}) {
      out.x.push_back(static_cast<double>(loss.step(i)));
      out.y.push_back(loss.value(i));
      if (low == high) break;
    }
  }
}

void epochCurve(const RunRecord& run, const char* metric, Curve& out) {
  const auto found = run.epochMetrics.find(metric);
  if (found == run.epochMetrics.end()) return;
  for (size_t i = 0; i < found->second.epochs.size(); ++i) {
    out.x.push_back(static_cast<double>(found->second.epochs[i]));
    out.y.push_back(found->second.values[i]);
  }
}

/// The runs' points of a label-corruption sweep, or nothing when they are not one.
std::vector<train::SweepPoint> sweepOf(const std::vector<std::pair<const SessionRecord*, const RunRecord*>>& runs) {
  std::vector<train::RunSummary> summaries;
  std::set<double> levels;
  for (const auto& [session, run] : runs) {
    corruption::Setting setting;
    try {
      setting = corruption::parseSetting(run->setting);
    } catch (const InputError&) {
      continue;
    }
    using corruption::Kind;
    if (setting.kind != Kind::TrueLabels && setting.kind != Kind::PartialLabels && setting.kind != Kind::RandomLabels)
      continue;
    if (!run->testAccuracy) continue;
    // Runs still training or ended early count as levels; train::sweepPoints draws no point for them.
    train::RunSummary summary;
    summary.run = run->run;
    summary.setting = setting;
    summary.status = run->status;
    summary.fitStep = run->fitStep;
    summary.testAccuracy = *run->testAccuracy;
    summaries.push_back(summary);
    levels.insert(setting.labelCorruptionProbability());
  }
  // Three levels at least: true and random labels alone (Figure 1a's settings) are no sweep.
  if (levels.size() < 3) return {};
  return train::sweepPoints(summaries);
}

/// A number written whole ("512", "0.15"), or nothing.
std::optional<double> numberIn(const std::string& text) {
  try {
    size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size() && std::isfinite(value)) return value;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

/// The error by value: when three sessions or more differ in exactly one spec value, a number,
/// each setting's final errors against it (runs that ended with both accuracies).
void composeByValue(const std::vector<const ShownSession*>& disk, FigureData& data) {
  if (disk.size() < 3) return;
  std::vector<std::map<std::string, std::string>> values;
  for (const ShownSession* session : disk) values.push_back(comparable(session->record->spec));
  const std::vector<std::string> differing = differingKeys(values);
  if (differing.size() != 1) return;
  const std::string& key = differing.front();
  std::map<std::string, ValueSeries> bySetting;
  std::vector<std::string> order;
  std::set<double> distinct;
  for (size_t s = 0; s < disk.size(); ++s) {
    const auto found = values[s].find(key);
    const std::optional<double> value = found == values[s].end() ? std::nullopt : numberIn(found->second);
    if (!value) return;
    distinct.insert(*value);
    for (const RunRecord& run : disk[s]->record->runs) {
      const auto& shownRuns = disk[s]->runs;
      if (std::find(shownRuns.begin(), shownRuns.end(), run.run) == shownRuns.end()) continue;
      if (!train::isFinal(run.status) || !run.trainAccuracy || !run.testAccuracy) continue;
      if (!bySetting.count(run.setting)) order.push_back(run.setting);
      ValueSeries& series = bySetting[run.setting];
      series.name = QString::fromStdString(run.name);
      series.value.push_back(*value);
      series.trainError.push_back(1.0 - *run.trainAccuracy);
      series.testError.push_back(1.0 - *run.testAccuracy);
    }
  }
  if (distinct.size() < 3) return;
  for (const std::string& setting : order) {
    ValueSeries series = std::move(bySetting.at(setting));
    std::vector<size_t> index(series.value.size());
    std::iota(index.begin(), index.end(), size_t{0});
    std::stable_sort(index.begin(), index.end(), [&](size_t a, size_t b) { return series.value[a] < series.value[b]; });
    ValueSeries sorted{static_cast<int>(data.byValue.size()), series.name, {}, {}, {}};
    for (const size_t i : index) {
      sorted.value.push_back(series.value[i]);
      sorted.trainError.push_back(series.trainError[i]);
      sorted.testError.push_back(series.testError[i]);
    }
    if (sorted.value.size() >= 3) data.byValue.push_back(std::move(sorted));
  }
  const QString name = shortName(key);
  data.valueName = name.isEmpty() ? QString::fromStdString(key) : name;
}

} // namespace

namespace {

FigureData composeWith(const LiveSession& live, bool hasLive, const std::vector<ShownSession>& shown,
                       size_t maxLossPoints, FigureData& data) {
  std::vector<std::pair<QString, nlohmann::json>> sessions;
  if (hasLive) sessions.emplace_back(live.name, live.spec);
  std::vector<const ShownSession*> disk;
  for (const ShownSession& session : shown)
    if (session.record != nullptr && !session.runs.empty()) {
      disk.push_back(&session);
      sessions.emplace_back(QString::fromStdString(session.record->name), session.record->spec);
    }
  const std::vector<QString> suffixes = sessionSuffixes(sessions);

  int nextColour = 0;
  if (hasLive) {
    data = *live.data;
    for (std::vector<Curve>* figure : runCurves(data))
      for (Curve& curve : *figure) {
        curve.name += suffixes.front();
        nextColour = std::max(nextColour, curve.run + 1);
      }
    for (SweepSeries& series : data.sweep) series.name += suffixes.front();
    for (NormSeries& series : data.norms) series.name += suffixes.front();
  }

  // Sweeps: runs grouped by what their sessions' specs agree on apart from the settings.
  std::map<std::map<std::string, std::string>, std::vector<std::pair<const SessionRecord*, const RunRecord*>>> sweeps;
  std::vector<std::map<std::string, std::string>> sweepOrder;
  for (size_t s = 0; s < disk.size(); ++s) {
    const SessionRecord& record = *disk[s]->record;
    const QString suffix = suffixes[s + (hasLive ? 1 : 0)];
    const auto key = comparable(record.spec);
    if (!sweeps.count(key)) sweepOrder.push_back(key);
    for (const RunRecord& run : record.runs) {
      if (std::find(disk[s]->runs.begin(), disk[s]->runs.end(), run.run) == disk[s]->runs.end()) continue;
      sweeps[key].emplace_back(&record, &run);
      QString name = QString::fromStdString(run.name) + suffix;
      const bool early = endedEarly(run.status);
      if (early) name += QStringLiteral(" (%1)").arg(QString::fromUtf8(nameOf(train::runStatusNames(), run.status).data()));
      const int colour = nextColour++;
      Curve loss{colour, name, {}, {}, early};
      thinLoss(run.loss, train::isFinal(run.status), maxLossPoints, loss);
      data.loss.push_back(std::move(loss));
      for (const EpochCurves& epoch : epochCurves()) {
        Curve curve{colour, name, {}, {}, early};
        epochCurve(run, epoch.metric, curve);
        (data.*epoch.curves).push_back(std::move(curve));
      }
    }
  }
  int sweepColour = static_cast<int>(data.sweep.size());
  for (const auto& key : sweepOrder) {
    const auto& runs = sweeps.at(key);
    std::vector<train::SweepPoint> points = sweepOf(runs);
    if (points.empty()) continue;
    const SessionRecord& first = *runs.front().first;
    QString name = QString::fromStdString(first.model.empty() ? first.name : first.model);
    // Sweeps of one network in several sessions are told apart as their curves are.
    const auto at = std::find_if(disk.begin(), disk.end(), [&](const ShownSession* s) { return s->record == &first; });
    const size_t index = static_cast<size_t>(at - disk.begin()) + (hasLive ? 1 : 0);
    if (sweepOrder.size() + (hasLive && !data.sweep.empty() ? 1 : 0) > 1 && index < suffixes.size()) name += suffixes[index];
    data.sweep.push_back({sweepColour++, name, std::move(points)});
  }
  composeByValue(disk, data);
  // Kernel runs' norms against label corruption, a series per session.
  for (size_t s = 0; s < disk.size(); ++s) {
    const SessionRecord& record = *disk[s]->record;
    NormSeries series{static_cast<int>(data.norms.size()),
                      QString::fromStdString(record.model.empty() ? record.name : record.model) + suffixes[s + (hasLive ? 1 : 0)],
                      {}, {}};
    for (const RunRecord& run : record.runs) {
      const auto& shownRuns = disk[s]->runs;
      if (!run.rkhsNorm || std::find(shownRuns.begin(), shownRuns.end(), run.run) == shownRuns.end()) continue;
      try {
        addNormPoint(series, corruption::parseSetting(run.setting), *run.rkhsNorm);
      } catch (const InputError&) {
      }
    }
    if (!series.level.empty()) data.norms.push_back(std::move(series));
  }
  return data;
}

} // namespace

FigureData composeFigures(const LiveSession& live, const std::vector<ShownSession>& shown,
                          size_t maxLossPoints) {
  FigureData data;
  const bool hasLive = live.data != nullptr && !live.data->loss.empty();
  return composeWith(live, hasLive, shown, maxLossPoints, data);
}

void FigureComposer::compose(const LiveSession& live, const std::vector<int>& liveRuns,
                             const std::vector<ShownSession>& shown) {
  // The live session with only the runs asked for; their curves keep their own palette slots.
  FigureData chosen;
  liveCurves_.clear();
  if (live.data != nullptr)
    for (size_t i = 0; i < live.data->loss.size(); ++i) {
      if (std::find(liveRuns.begin(), liveRuns.end(), live.data->loss[i].run) == liveRuns.end()) continue;
      liveCurves_.push_back(i);
      const auto from = runCurves(*live.data);
      const auto to = runCurves(chosen);
      for (size_t list = 0; list < from.size(); ++list) {
        // A list the live data leaves short (a metric it never had) shows nothing for the run.
        const Curve none{live.data->loss[i].run, live.data->loss[i].name, {}, {}, live.data->loss[i].endedEarly};
        to[list]->push_back(i < from[list]->size() ? (*from[list])[i] : none);
      }
    }
  if (live.data != nullptr && !liveCurves_.empty()) {
    chosen.sweep = live.data->sweep;
    chosen.norms = live.data->norms;
  }
  liveNorms_ = chosen.norms;
  liveSweep_ = chosen.sweep;
  LiveSession only{&chosen, live.name, live.spec};
  data_ = composeFigures(only, shown);
  liveSuffix_.clear();
  if (!liveCurves_.empty()) {
    const QString& composedName = data_.loss.front().name;
    const QString& ownName = chosen.loss.front().name;
    liveSuffix_ = composedName.mid(ownName.size());
  }
}

bool FigureComposer::liveGrew(const FigureData& live) {
  // A kernel run or a run of a sweep ended: its point is new.
  if (!liveCurves_.empty() && (!(live.norms == liveNorms_) || !(live.sweep == liveSweep_))) return false;
  const auto shownLists = runCurves(data_);
  const auto liveLists = runCurves(live);
  for (size_t c = 0; c < liveCurves_.size(); ++c) {
    const size_t i = liveCurves_[c];
    if (i >= live.loss.size()) return false;
    const auto grow = [&](Curve& shown, const Curve& source) {
      if (source.x.size() < shown.x.size()) return false;
      shown.x.insert(shown.x.end(), source.x.begin() + static_cast<std::ptrdiff_t>(shown.x.size()), source.x.end());
      shown.y.insert(shown.y.end(), source.y.begin() + static_cast<std::ptrdiff_t>(shown.y.size()), source.y.end());
      shown.name = source.name + liveSuffix_;
      shown.endedEarly = source.endedEarly;
      return true;
    };
    for (size_t list = 0; list < shownLists.size(); ++list)
      if (i < liveLists[list]->size() && !grow((*shownLists[list])[c], (*liveLists[list])[i])) return false;
  }
  return true;
}

} // namespace genlab::ui
