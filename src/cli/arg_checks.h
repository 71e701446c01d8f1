#pragma once
// Strict checks of numeric command-line options that CLI11 would otherwise
// convert loosely (its unsigned conversion wraps "-1" to 2^64-1 and reads
// "010" as octal and "0x10" as hex). Used as CLI11 transforms: they reject
// bad text with a message naming the option (exit 2) and pass on plain
// decimal text.

#include <CLI/CLI.hpp>
#include <cstdint>

namespace rackforge::cli {

/// --seed: a decimal integer in 0..18446744073709551615 (2^64-1).
CLI::Validator SeedRange();

/// Largest --threads value: the number of hardware threads of the machine
/// (std::thread::hardware_concurrency(), 1 when unknown).
int32_t MaxThreads();

/// --threads: a decimal integer in 0..MaxThreads() (0 = all cores).
CLI::Validator ThreadsRange();

}  // namespace rackforge::cli
