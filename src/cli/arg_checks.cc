#include "cli/arg_checks.h"

#include <charconv>
#include <string>
#include <thread>

namespace rackforge::cli {

namespace {

// Parses plain decimal digits (no sign, no spaces, no prefix) into *value;
// false when the text is not that or does not fit in uint64_t.
bool ParseDecimal(const std::string& text, uint64_t* value) {
  if (text.empty() || text.size() > 20) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

std::string Shown(const std::string& text) {
  std::string out;
  for (char c : text.substr(0, 40)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return "'" + out + (text.size() > 40 ? "...'" : "'");
}

}  // namespace

CLI::Validator SeedRange() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        uint64_t value = 0;
        if (!ParseDecimal(text, &value)) return Shown(text) + " is not an integer in 0..18446744073709551615";
        text = std::to_string(value);  // no leading zeros left for CLI11 to read as octal
        return "";
      },
      "0..2^64-1", "SEED");
}

int32_t MaxThreads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int32_t>(std::min<unsigned>(n, 1u << 16));
}

CLI::Validator ThreadsRange() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const int32_t max = MaxThreads();
        uint64_t value = 0;
        if (!ParseDecimal(text, &value) || value > static_cast<uint64_t>(max)) {
          return Shown(text) + " is not an integer in 0.." + std::to_string(max) + " (0 = all " + std::to_string(max) +
                 " hardware threads of this machine)";
        }
        text = std::to_string(value);
        return "";
      },
      "0..hardware threads", "THREADS");
}

}  // namespace rackforge::cli
