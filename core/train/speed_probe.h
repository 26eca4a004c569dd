#pragma once
/// How fast one run of an experiment trains on this machine, measured before it starts, so
/// that the window can say how long the experiment would take.

#include "core/train/experiment_spec.h"

#include <string>

namespace genlab::train {

/// Images per second a session of `spec` trains at on its device: one run's rate with its
/// network, batch size, optimizer and the session's thread plan (planRuns), times the runs the
/// session trains at once on the CPU; `steps` timed steps on random images of the data set's format,
/// after one step to warm up. Leaves LibTorch's global generator as it was (call it between a
/// session's chunks or while none runs, on the thread that trains). Throws InputError as
/// makeNetwork and chooseDevice do (so for a closed-form model, which has no training steps).
double probeTrainingSpeed(const ExperimentSpec& spec, int steps = 3);

/// The parts of `spec` the speed depends on, as a key for remembering a measurement: device,
/// threads, runs at once, network, image shape, batch size, optimizer.
std::string speedKey(const ExperimentSpec& spec);

/// Seconds `spec` takes at most at `imagesPerSecond` (probeTrainingSpeed's): every run all
/// its epochs (runs that fit stop sooner), evaluations included (a test-set pass an epoch, and a
/// training-set pass when measuring memorization, each at about three times the training rate).
double estimatedSeconds(const ExperimentSpec& spec, double imagesPerSecond);

} // namespace genlab::train
