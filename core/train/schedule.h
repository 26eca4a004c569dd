#pragma once
/// Learning-rate schedules.

#include "core/train/experiment_spec.h"

namespace genlab::train {

/// The learning rate for 1-based `epoch`: the initial rate times decayFactor^(epoch - 1) for
/// Exponential (the paper's per-epoch decay), times decayFactor^floor((epoch - 1) / stepEpochs)
/// for Step, unchanged for Constant.
double learningRateAt(const OptimizerSpec& spec, int64_t epoch);

} // namespace genlab::train
