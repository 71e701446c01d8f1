// ISO weeks of plan weeks from the scenario's start_week (2026 has a week 53).

#include "model/iso_week.h"

#include <gtest/gtest.h>

namespace rackforge::model {
namespace {

TEST(IsoWeek, CountsCalendarWeeksAcrossAWeek53) {
  EXPECT_EQ(IsoWeekOf("2026-W01", 0), "2026-W01");
  EXPECT_EQ(IsoWeekOf("2026-W01", 51), "2026-W52");
  EXPECT_EQ(IsoWeekOf("2026-W01", 52), "2026-W53");  // 2026 starts on a Thursday
  EXPECT_EQ(IsoWeekOf("2026-W01", 53), "2027-W01");
  EXPECT_EQ(IsoWeekOf("2025-W52", 1), "2026-W01");  // 2025 has 52 weeks
  EXPECT_EQ(IsoWeekOf("2026-W36", -1), "2026-W35");
}

TEST(IsoWeek, MondayDates) {
  EXPECT_EQ(IsoMondayOf("2026-W01", 0), "2025-12-29");  // ISO week 1 holds 4 January
  EXPECT_EQ(IsoMondayOf("2026-W53", 0), "2026-12-28");
  EXPECT_EQ(IsoMondayOf("2027-W01", 0), "2027-01-04");
  EXPECT_EQ(IsoMondayOf("2026-W01", 53), "2027-01-04");
}

TEST(IsoWeek, MalformedStartWeekGivesPlainWeekNumbers) {
  EXPECT_EQ(IsoWeekOf("", 3), "");
  EXPECT_EQ(IsoWeekOf("2026-01", 3), "");
  EXPECT_EQ(IsoMondayOf("2026-W00", 0), "");
  EXPECT_EQ(WeekLabel("", 3), "3");
  EXPECT_EQ(WeekLabel("2026-W01", 3), "3 (2026-W04)");
}

}  // namespace
}  // namespace rackforge::model
