#pragma once
/// Seeded random number generators, so that every random draw of the lab is reproducible.

#include <ATen/core/Generator.h>
#include <ATen/core/TensorBody.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace genlab {

/// splitmix64 (Steele, Lea, Flood 2014): a small, fast generator whose streams from different
/// seeds are independent enough for shuffling. Used where many small seeded streams are needed
/// (one per image), so results do not depend on the number of threads.
class SplitMix64 {
public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n) by multiply-shift (Lemire 2019); the bias is below n / 2^64.
  uint64_t below(uint64_t n) { return static_cast<uint64_t>((Wide{next()} * n) >> 64); }

private:
  __extension__ using Wide = unsigned __int128;  // GCC and Clang; __extension__ for -Wpedantic
  uint64_t state_;
};

/// Puts LibTorch's global CPU generator back into the state it had when the guard was made,
/// however the scope ends: for work that builds networks (initial weights draw from that
/// generator) without leaving a trace in any seeded stream.
class GlobalGeneratorGuard {
public:
  GlobalGeneratorGuard();
  ~GlobalGeneratorGuard();
  GlobalGeneratorGuard(const GlobalGeneratorGuard&) = delete;
  GlobalGeneratorGuard& operator=(const GlobalGeneratorGuard&) = delete;

private:
  at::Generator generator_;
  at::Tensor saved_;
};

/// The generator that the training work on this thread draws dropout masks and augmentation
/// from: the one a ThreadGeneratorScope installed (a run's own stream), or none, meaning
/// LibTorch's default generator of the tensor's device. Runs trained side by side on several
/// threads each draw from their own stream, so no run's draws depend on the others.
std::optional<at::Generator> threadGenerator();

/// Installs `generator` as this thread's threadGenerator() for the scope's lifetime.
class ThreadGeneratorScope {
public:
  explicit ThreadGeneratorScope(at::Generator generator);
  ~ThreadGeneratorScope();
  ThreadGeneratorScope(const ThreadGeneratorScope&) = delete;
  ThreadGeneratorScope& operator=(const ThreadGeneratorScope&) = delete;

private:
  std::optional<at::Generator> previous_;
};

/// A CPU generator seeded with `seed`. Draws on it are the same on every run and machine.
at::Generator makeGenerator(uint64_t seed);

/// A generator of `device`'s kind seeded with `seed`, for draws on tensors of that device: on
/// the CPU makeGenerator(seed); elsewhere a copy of the device's default generator, reseeded
/// (LibTorch creates GPU generators only in its GPU library, which the lab does not link).
at::Generator makeGenerator(uint64_t seed, const c10::Device& device);

/// Mixes a seed with a purpose (and an optional number) into an independent seed
/// (splitmix64 over the bytes), so that, for example, each corruption setting gets its own
/// stream from one user seed.
uint64_t deriveSeed(uint64_t seed, std::string_view purpose, uint64_t salt = 0);

} // namespace genlab
