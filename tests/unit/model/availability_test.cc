// The plant test-capacity rule shared by the plan's test rows and the Monte Carlo:
// test_hours_per_cell_week · (test_cells + cells of the opened test_cells expansions
// active at t) · m(p,t).
#include "model/availability.h"

#include <gtest/gtest.h>

namespace rackforge::model {
namespace {

// Plant 0: 2 cells of 40 h/week, half its capacity lost in weeks 3-4. Plant 1: 1 cell of
// 100 h/week. Expansions: 0 = 3 cells at plant 0 from week 2 (earliest 1 + lead 1),
// 1 = 1 cell at plant 0 from week 5, 2 = a line at plant 0 (never test cells),
// 3 = 4 cells at plant 1 from week 0.
Scenario TwoPlants() {
  Scenario s;
  s.horizon_weeks = 8;
  for (int p = 0; p < 2; ++p) {
    Plant plant;
    plant.id = "p" + std::to_string(p);
    plant.test_cells = p == 0 ? 2 : 1;
    plant.test_hours_per_cell_week = p == 0 ? 40 : 100;
    s.plants.push_back(plant);
  }
  auto cells = [](int32_t plant, double n, int32_t earliest, int32_t lead) {
    Expansion x;
    x.id = "x";
    x.plant = plant;
    x.kind = ExpansionKind::kTestCells;
    x.cells = n;
    x.earliest_week = earliest;
    x.lead_time_weeks = lead;
    return x;
  };
  s.expansions.push_back(cells(0, 3, 1, 1));
  s.expansions.push_back(cells(0, 1, 5, 0));
  Expansion line = cells(0, 7, 0, 0);
  line.kind = ExpansionKind::kLine;
  s.expansions.push_back(line);
  s.expansions.push_back(cells(1, 4, 0, 0));
  s.disruptions.push_back({{NodeKind::kPlant, 0}, 3, 2, 0.5});
  return s;
}

TEST(TestCapacityTest, ExpansionsAddTheirCellsFromTheirActiveWeekWhenOpened) {
  const Scenario s = TwoPlants();
  EXPECT_FALSE(AddsTestCells(s.expansions[0], 0, 1));
  EXPECT_TRUE(AddsTestCells(s.expansions[0], 0, 2));
  EXPECT_FALSE(AddsTestCells(s.expansions[0], 1, 2));  // another plant's
  EXPECT_FALSE(AddsTestCells(s.expansions[2], 0, 7));  // a line expansion
  const std::vector<uint8_t> none, all = {1, 1, 1, 1}, first = {1, 0, 1, 0};
  EXPECT_EQ(TestCellsAt(s, 0, 6, none), 2);
  EXPECT_EQ(TestCellsAt(s, 0, 1, all), 2);
  EXPECT_EQ(TestCellsAt(s, 0, 2, all), 5);
  EXPECT_EQ(TestCellsAt(s, 0, 5, all), 6);
  EXPECT_EQ(TestCellsAt(s, 0, 5, first), 5);
  EXPECT_EQ(TestCellsAt(s, 1, 0, all), 5);
  EXPECT_EQ(TestCellsAt(s, 1, 0, first), 1);
}

TEST(TestCapacityTest, HoursAreCellsTimesHoursPerCellTimesThePlantMultiplier) {
  const Scenario s = TwoPlants();
  const Availability a(s, s.disruptions);
  const std::vector<uint8_t> all = {1, 1, 1, 1};
  EXPECT_EQ(a.test_hours(0, TestCellsAt(s, 0, 0, all), 0), 80);   // 2 cells x 40
  EXPECT_EQ(a.test_hours(0, TestCellsAt(s, 0, 2, all), 2), 200);  // 5 x 40
  EXPECT_EQ(a.test_hours(0, TestCellsAt(s, 0, 3, all), 3), 100);  // 5 x 40 x 0.5
  EXPECT_EQ(a.test_hours(0, TestCellsAt(s, 0, 5, all), 5), 240);  // 6 x 40, disruption over
  EXPECT_EQ(a.test_hours(1, TestCellsAt(s, 1, 3, all), 3), 500);  // plant 1 is not disrupted
}

}  // namespace
}  // namespace rackforge::model
