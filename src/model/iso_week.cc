#include "model/iso_week.h"

#include <fmt/format.h>

#include <chrono>
#include <optional>

namespace rackforge::model {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

// Monday of ISO week 1 of `year`: the Monday on or before 4 January.
sys_days IsoWeekOneMonday(int year) {
  const sys_days jan4{std::chrono::year{year} / std::chrono::January / 4};
  const unsigned iso_weekday = std::chrono::weekday{jan4}.iso_encoding();  // 1 = Monday .. 7 = Sunday
  return jan4 - days{iso_weekday - 1};
}

// Monday of plan week `week`, or nullopt for a malformed start_week.
std::optional<sys_days> MondayOf(const std::string& start_week, int32_t week) {
  if (start_week.size() != 8 || start_week[4] != '-' || start_week[5] != 'W') return std::nullopt;
  for (size_t i : {0u, 1u, 2u, 3u, 6u, 7u}) {
    if (start_week[i] < '0' || start_week[i] > '9') return std::nullopt;
  }
  const int year = std::stoi(start_week.substr(0, 4));
  const int iso_week = std::stoi(start_week.substr(6, 2));
  if (iso_week < 1 || iso_week > 53) return std::nullopt;
  return IsoWeekOneMonday(year) + days{7 * (iso_week - 1 + static_cast<int64_t>(week))};
}

}  // namespace

std::string IsoWeekOf(const std::string& start_week, int32_t week) {
  const std::optional<sys_days> monday = MondayOf(start_week, week);
  if (!monday) return "";
  // The ISO year is the year of the week's Thursday.
  const std::chrono::year_month_day thursday{*monday + days{3}};
  const int year = static_cast<int>(thursday.year());
  const auto number = (*monday - IsoWeekOneMonday(year)).count() / 7 + 1;
  return fmt::format("{:04}-W{:02}", year, number);
}

std::string IsoMondayOf(const std::string& start_week, int32_t week) {
  const std::optional<sys_days> monday = MondayOf(start_week, week);
  if (!monday) return "";
  const std::chrono::year_month_day date{*monday};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

std::string WeekLabel(const std::string& start_week, int32_t week) {
  const std::string iso = IsoWeekOf(start_week, week);
  return iso.empty() ? std::to_string(week) : fmt::format("{} ({})", week, iso);
}

}  // namespace rackforge::model
