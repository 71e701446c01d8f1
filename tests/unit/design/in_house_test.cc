// Roll-ups with in-house sources (DESIGN.md "Design space"): component lines
// count in price, domestic share, supplier counts, single-source parts and HHI.
//
// On top of fixture.h's scenario (d1: tray x4, shelf x3, cdu x1, switch x1):
//   parts:  bar:  s-mx 40 (10 %), s-us 50        -> price 44, pre-tariff 40, domestic 50
//           pcb:  s-tw 30 (25 %)                 -> price 37.5, pre-tariff 30, foreign
//   module: made only in-house, bom bar 2 + pcb 1, by line m-oh (plant p-oh, 20 USD/unit, 150/week)
//           price 20 + 2·44 + 37.5 = 145.5; pre-tariff = domestic 20 + 2·40 + 30 = 130;
//           1 source (p-oh), HHI 1: single-source.
//   shelf:  bought s-mx 200 (10 %, 50/week) -> 220; also made (two-level: bom module 1 + bar 1) by
//           m-oh (20 USD) and by expansion line x-tx (plant p-tx, 5 USD, 50/week):
//           parts at price 145.5 + 44 = 189.5 -> price min(220, 209.5, 194.5) = 194.5 (in-house cheaper);
//           parts pre-tariff 130 + 40 = 170 -> pre-tariff = domestic min(200, 190, 175) = 175;
//           sources s-mx, p-oh, p-tx = 3; HHI over 50, 150, 50: 0.04 + 0.36 + 0.04 = 0.44.
//   cdu:    bought s-us 500 (20/week), s-mx 450 (10 %, 20/week) -> 495; also made by m-cdu (p-tx,
//           600 USD, no parts, 30/week): in-house dearer, price stays 495, pre-tariff stays 450,
//           domestic stays 500; sources 3; HHI over 20, 20, 30: (4 + 4 + 9) / 49.
// d1: cost 4·1250 + 3·194.5 + 495 + 308 = 6386.5; D = 4·1300 + 3·175 + 500 = 6225, F = 280;
//     min suppliers 2 (tray, switch), no single-source part (shelf had one supplier before).
// d2 = d1 + module x2: cost 6386.5 + 291 = 6677.5; D = 6225 + 260 = 6485; min suppliers 1;
//     single-source [module].
#include <gtest/gtest.h>

#include "design/check.h"
#include "unit/design/in_house_fixture.h"

namespace rackforge::design {
namespace {

using testing::AddComponent;
using testing::AddOffer;
using testing::AddPlant;
using testing::ComponentIndex;
using testing::HandScenario;
using testing::InHouseScenario;
using testing::Part;

int32_t AddLine(model::Scenario& s, const std::string& id, int32_t plant, std::vector<int32_t> components,
                double units_per_week, double cost_usd_per_unit) {
  return testing::AddComponentLine(s, id, plant, std::move(components), units_per_week, cost_usd_per_unit);
}

TEST(InHouseFacts, OnlyMadeInHouseTwoLevelAndCheaperOrDearerThanBuying) {
  const model::Scenario s = InHouseScenario();
  const std::vector<ComponentFacts> facts = ComputeComponentFacts(s);

  const ComponentFacts& module = facts[ComponentIndex(s, "module")];
  EXPECT_TRUE(module.priced);
  EXPECT_DOUBLE_EQ(module.landed_cost_usd, 145.5);
  EXPECT_DOUBLE_EQ(module.cheapest_cost_usd, 130);
  EXPECT_TRUE(module.has_domestic_source);
  EXPECT_DOUBLE_EQ(module.cheapest_domestic_cost_usd, 130);
  EXPECT_EQ(module.suppliers, 1);
  EXPECT_EQ(module.in_house_plants, 1);
  EXPECT_DOUBLE_EQ(*module.in_house_cost_usd, 145.5);
  EXPECT_DOUBLE_EQ(*module.hhi, 1.0);

  const ComponentFacts& shelf = facts[ComponentIndex(s, "shelf")];
  EXPECT_DOUBLE_EQ(shelf.landed_cost_usd, 194.5);
  EXPECT_DOUBLE_EQ(shelf.cheapest_cost_usd, 175);
  EXPECT_TRUE(shelf.has_domestic_source);
  EXPECT_DOUBLE_EQ(shelf.cheapest_domestic_cost_usd, 175);
  EXPECT_EQ(shelf.suppliers, 3);
  EXPECT_EQ(shelf.in_house_plants, 2);
  EXPECT_DOUBLE_EQ(*shelf.in_house_cost_usd, 194.5);
  EXPECT_NEAR(*shelf.hhi, 0.44, 1e-12);

  const ComponentFacts& cdu = facts[ComponentIndex(s, "cdu")];
  EXPECT_DOUBLE_EQ(cdu.landed_cost_usd, 495);
  EXPECT_DOUBLE_EQ(cdu.cheapest_cost_usd, 450);
  EXPECT_DOUBLE_EQ(cdu.cheapest_domestic_cost_usd, 500);
  EXPECT_EQ(cdu.suppliers, 3);
  EXPECT_DOUBLE_EQ(*cdu.in_house_cost_usd, 600);
  EXPECT_NEAR(*cdu.hhi, 17.0 / 49.0, 1e-12);

  // Bought-only components keep their offer figures.
  EXPECT_DOUBLE_EQ(facts[ComponentIndex(s, "bar")].landed_cost_usd, 44);
  EXPECT_FALSE(facts[ComponentIndex(s, "pcb")].has_domestic_source);
  EXPECT_FALSE(facts[ComponentIndex(s, "pcb")].in_house_cost_usd);
}

TEST(InHouseRollup, DesignCostDomesticShareAndSources) {
  const model::Scenario s = InHouseScenario();
  const std::vector<DesignCheck> checks = CheckScenario(s);
  ASSERT_EQ(checks.size(), 2u);
  const Rollup& d1 = checks[0].rollup;
  EXPECT_DOUBLE_EQ(d1.cost_usd, 6386.5);
  EXPECT_DOUBLE_EQ(d1.domestic_share, 6225.0 / 6505.0);
  EXPECT_EQ(d1.min_suppliers, 2);
  EXPECT_TRUE(d1.single_source_components.empty());
  ASSERT_EQ(d1.components.size(), 4u);
  EXPECT_EQ(d1.components[1].suppliers, 3);
  EXPECT_EQ(d1.components[1].in_house_plants, 2);
  EXPECT_DOUBLE_EQ(*d1.components[1].landed_cost_usd, 194.5);
  EXPECT_DOUBLE_EQ(*d1.components[1].in_house_cost_usd, 194.5);
  EXPECT_FALSE(d1.components[0].in_house_cost_usd);

  const Rollup& d2 = checks[1].rollup;
  EXPECT_DOUBLE_EQ(d2.cost_usd, 6677.5);
  EXPECT_DOUBLE_EQ(d2.domestic_share, 6485.0 / 6765.0);
  EXPECT_EQ(d2.min_suppliers, 1);
  EXPECT_EQ(d2.single_source_components, std::vector<int32_t>{ComponentIndex(s, "module")});
  EXPECT_TRUE(d2.unpriced_components.empty());
}

TEST(InHouseRollup, TwoLinesOfOnePlantAreOneSourceWithTheirCapacitiesSummed) {
  model::Scenario s = InHouseScenario();
  // Two lines at p-oh making cdu: s-us, s-mx, p-tx and p-oh = 4 sources;
  // HHI over 20, 20, 30 (p-tx), 20 (p-oh: 10 + 10).
  AddLine(s, "m-oh2", 0, {ComponentIndex(s, "cdu")}, 10, 700);
  AddLine(s, "m-oh3", 0, {ComponentIndex(s, "cdu")}, 10, 800);
  const ComponentFacts cdu = ComputeComponentFacts(s)[ComponentIndex(s, "cdu")];
  EXPECT_EQ(cdu.suppliers, 4);
  EXPECT_EQ(cdu.in_house_plants, 2);
  EXPECT_NEAR(*cdu.hhi, (400.0 + 400.0 + 900.0 + 400.0) / (90.0 * 90.0), 1e-12);
}

TEST(InHouseFacts, ACycleInTheBomTerminatesAndLeavesTheClosingLineUnpriced) {
  // a is made from b, b is bought at 10 and made from a: the loader refuses this,
  // the roll-up must still terminate. price(a) = 5 + 10; b keeps its offer price.
  model::Scenario s = HandScenario();
  const int32_t a = AddComponent(s, Part("a"));
  const int32_t b = AddComponent(s, Part("b"));
  AddOffer(s, "s-us", "b", 10, 0, 10);
  s.components[a].parts = {{b, 1}};
  s.components[b].parts = {{a, 1}};
  const int32_t p = AddPlant(s, "p");
  AddLine(s, "ma", p, {a}, 10, 5);
  AddLine(s, "mb", p, {b}, 10, 1);
  const std::vector<ComponentFacts> facts = ComputeComponentFacts(s);
  EXPECT_DOUBLE_EQ(facts[a].landed_cost_usd, 15);
  EXPECT_DOUBLE_EQ(facts[b].landed_cost_usd, 10);
}

TEST(InHouseRollup, AMadeComponentWhosePartHasNoSourceIsUnpriced) {
  model::Scenario s = HandScenario();
  const int32_t orphan = AddComponent(s, Part("orphan"));
  const int32_t made = AddComponent(s, Part("made"));
  s.components[made].parts = {{orphan, 1}};
  AddLine(s, "mm", AddPlant(s, "p"), {made}, 10, 5);
  const ComponentFacts f = ComputeComponentFacts(s)[made];
  EXPECT_FALSE(f.priced);
  EXPECT_FALSE(f.in_house_cost_usd);
  EXPECT_EQ(f.suppliers, 1);  // the plant still counts as a source
}

}  // namespace
}  // namespace rackforge::design
