#pragma once
// ISO-8601 weeks of plan weeks: week 0 is the scenario's start_week
// ("2026-W01"), week t is t calendar weeks later (years with a week 53 are
// counted as they are). Pure, thread-safe.

#include <cstdint>
#include <string>

namespace rackforge::model {

/// "2026-W36" for plan week `week` (may be negative or beyond the horizon);
/// "" when start_week is not of the form YYYY-Www.
std::string IsoWeekOf(const std::string& start_week, int32_t week);

/// The Monday of plan week `week` as "2026-08-31"; "" when start_week is not of the form YYYY-Www.
std::string IsoMondayOf(const std::string& start_week, int32_t week);

/// "36 (2026-W36)", or "36" when start_week is not usable: how reports show a plan week.
std::string WeekLabel(const std::string& start_week, int32_t week);

}  // namespace rackforge::model
