#pragma once
/// A session's results as read back from its folder (session_reader.h): what the window's runs
/// panel, `genlab runs` and `genlab report` show. Plain values, stored compactly: a folder of
/// 100,000 steps per run costs about 4 bytes a step.

#include "core/train/metrics.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace genlab::results {

/// A run's training loss per step. Steps come in runs of consecutive numbers, so only the
/// first step of each stretch is kept beside the values.
class LossCurve {
public:
  void append(int64_t step, float value);
  void clear();
  size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }
  float value(size_t i) const { return values_[i]; }
  int64_t step(size_t i) const;
  /// Calls f(step, value) for every point, in order.
  template <class F>
  void forEach(F&& f) const {
    for (const Stretch& s : stretches_)
      for (size_t i = 0; i < s.count; ++i) f(s.firstStep + static_cast<int64_t>(i), values_[s.begin + i]);
  }
  size_t bytes() const { return values_.capacity() * sizeof(float) + stretches_.capacity() * sizeof(Stretch); }

private:
  struct Stretch {
    int64_t firstStep;
    size_t begin;
    size_t count;
  };
  std::vector<Stretch> stretches_;
  std::vector<float> values_;
};

/// A per-epoch metric of a run (test_accuracy, train_loss, ...).
struct EpochSeries {
  std::vector<int64_t> epochs;
  std::vector<double> values;
};

/// One run of a session folder.
struct RunRecord {
  int run = 0;
  std::string setting;     ///< the setting's key: "random-labels", "labels:0.2"
  std::string name;        ///< "random labels", "partially corrupted labels (p = 0.2)"
  std::string corruption;  ///< what the corruption did, when the summary says
  train::RunStatus status = train::RunStatus::Pending;
  std::string message;     ///< why it ended (diverged, failed) or why it is incomplete
  int64_t epochs = 0;
  int64_t steps = 0;
  std::optional<double> trainAccuracy;  ///< none before the first epoch
  std::optional<double> testAccuracy;
  std::optional<int64_t> fitEpoch;      ///< first epoch at whose end it had fitted
  std::optional<int64_t> fitStep;
  double wallSeconds = 0;
  /// Closed-form runs (train::RunSummary has the definitions): kernel interpolation's RKHS
  /// norm, random features' coefficient norm, the RBF or Fourier bandwidth in use.
  std::optional<double> rkhsNorm;
  std::optional<double> coefficientNorm;
  std::optional<double> bandwidth;
  LossCurve loss;                                  ///< filled when curves are read
  std::map<std::string, EpochSeries, std::less<>> epochMetrics;  ///< likewise
};

/// One session folder: spec.json, metrics.csv and summary.json as far as they could be read.
struct SessionRecord {
  std::filesystem::path folder;
  std::string name;        ///< the folder's name, e.g. "20261201-101500-figure1a"
  std::string title;       ///< the experiment's name in its spec
  std::string model;       ///< "MLP 1x512", "small Inception w/o BatchNorm"
  std::string architecture;  ///< "mlp", "alexnet", "inception"
  std::string regularizers;  ///< "weight decay 0.0005, dropout 0.5" or "none"
  std::string dataset;       ///< "fashion-mnist", "cifar10", ...
  nlohmann::json spec;     ///< spec.json as written; null when missing or unreadable
  std::string state;       ///< summary.json's "preparing", "running", "ended"; empty without it
  bool live = false;       ///< a process writes the folder now
  int format = 0;          ///< results format (layout.h); 0 for folders of older versions
  double wallSeconds = 0;
  int64_t metricRows = 0;  ///< rows of metrics.csv read so far
  /// One line each: what is wrong with the folder (missing files, bad rows, a newer format, a
  /// permission error). The first is the reason the runs panel shows.
  std::vector<std::string> problems;
  std::vector<RunRecord> runs;
  bool curvesRead = false;  ///< runs carry their loss and epoch metrics
};

/// The spec's values as "path=value" strings ("model.width=512", "settings=true,random-labels"),
/// for text filters and for telling sessions apart by the values in which they differ.
std::vector<std::pair<std::string, std::string>> flattenSpec(const nlohmann::json& spec);

} // namespace genlab::results
