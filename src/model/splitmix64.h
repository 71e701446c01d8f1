#pragma once
// The standard SplitMix64 generator of DESIGN.md "Monte Carlo", written out so
// that results do not depend on the standard library, threads or processes.
// The one copy: the Monte Carlo simulation (risk), `rackforge generate` (io)
// and the synthetic design-space scenario (explore) all draw from it.

#include <cstdint>

namespace rackforge::model {

/// SplitMix64 with all arithmetic in 64-bit wrap-around. Not thread-safe (one per run).
class SplitMix64 {
 public:
  static constexpr uint64_t kGoldenGamma = 0x9E3779B97F4A7C15ULL;

  explicit SplitMix64(uint64_t state) : state_(state) {}
  /// The generator of Monte Carlo run `run`: state seed XOR ((run + 1) * 0x9E3779B97F4A7C15).
  static SplitMix64 ForRun(uint64_t seed, uint64_t run) { return SplitMix64(seed ^ ((run + 1) * kGoldenGamma)); }

  /// next(): the following 64-bit output.
  uint64_t Next() {
    state_ += kGoldenGamma;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /// u = (next() >> 11) * 2^-53, uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

}  // namespace rackforge::model
