#pragma once
// Number formatting for people: thousands separators, money, shares.
// Pure and thread-safe.

#include <string>

namespace rackforge::report {

/// 1234567.891 with 0 decimals -> "1,234,568"; with 2 -> "1,234,567.89". Negative keeps its sign.
std::string FormatThousands(double value, int decimals = 0);

/// Money with a unit: 1234567 -> "$1,234,567"; -5 -> "-$5".
std::string FormatUsd(double value_usd);

/// Short money: 1.9e6 -> "$1.9M", 2.5e9 -> "$2.5B", 950 -> "$950".
std::string FormatUsdShort(double value_usd);

/// A share 0..1 as a percentage: 0.6 -> "60.0 %".
std::string FormatPercent(double share, int decimals = 1);

}  // namespace rackforge::report
