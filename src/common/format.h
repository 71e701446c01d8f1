#pragma once
// Number formatting for people: thousands separators, money, shares. The one
// home of money formatting, used by the engines' texts (plan bottlenecks) and
// by every report. Pure and thread-safe.

#include <string>

namespace rackforge::common {

/// 1234567.891 with 0 decimals -> "1,234,568"; with 2 -> "1,234,567.89". Negative keeps its sign.
std::string FormatThousands(double value, int decimals = 0);

/// Money in full, for tables: 1234567 -> "$1,234,567"; -5 -> "-$5".
std::string FormatUsd(double value_usd);

/// Short money, for texts and narrow cells: one decimal with a unit from a
/// thousand up, whole dollars from 100, cents below: 1.9e6 -> "$1.9M",
/// 2.5e9 -> "$2.5B", 12345 -> "$12.3k", 950 -> "$950", 0.25 -> "$0.25";
/// negative values keep their sign ("-$1.5k").
std::string FormatUsdShort(double value_usd);

/// A share 0..1 as a percentage: 0.6 -> "60.0 %".
std::string FormatPercent(double share, int decimals = 1);

}  // namespace rackforge::common
