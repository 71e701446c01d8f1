#include "common/format.h"

#include <fmt/format.h>

#include <cmath>

namespace rackforge::common {

std::string FormatThousands(double value, int decimals) {
  if (!std::isfinite(value)) return fmt::format("{}", value);
  std::string digits = fmt::format("{:.{}f}", std::abs(value), decimals);
  const size_t dot = digits.find('.');
  const std::string fraction = dot == std::string::npos ? "" : digits.substr(dot);
  std::string integer = digits.substr(0, dot);
  std::string grouped;
  for (size_t i = 0; i < integer.size(); ++i) {
    if (i > 0 && (integer.size() - i) % 3 == 0) grouped += ',';
    grouped += integer[i];
  }
  const bool negative = value < 0 && std::stod(digits) != 0;
  return (negative ? "-" : "") + grouped + fraction;
}

std::string FormatUsd(double value_usd) {
  const std::string body = FormatThousands(std::abs(value_usd), 0);
  return (value_usd < 0 && body != "0" ? "-$" : "$") + body;
}

std::string FormatUsdShort(double value_usd) {
  const double a = std::fabs(value_usd);
  const char* sign = value_usd < 0 ? "-" : "";
  if (a >= 1e9) return fmt::format("{}${:.1f}B", sign, a / 1e9);
  if (a >= 1e6) return fmt::format("{}${:.1f}M", sign, a / 1e6);
  if (a >= 1e3) return fmt::format("{}${:.1f}k", sign, a / 1e3);
  if (a >= 100) return fmt::format("{}${:.0f}", sign, a);
  return fmt::format("{}${:.2f}", sign, a);
}

std::string FormatPercent(double share, int decimals) { return fmt::format("{:.{}f} %", share * 100, decimals); }

}  // namespace rackforge::common
