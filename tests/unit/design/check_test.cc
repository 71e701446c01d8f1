// Roll-ups and design rules against hand-computed values (see fixture.h).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "design/check.h"
#include "unit/design/fixture.h"

namespace rackforge::design {
namespace {

using testing::ComponentIndex;
using testing::HandScenario;

DesignCheck CheckFirst(const model::Scenario& s) { return CheckScenario(s).at(0); }

const RuleResult& RuleOf(const DesignCheck& c, Rule rule) { return c.rules[static_cast<int>(rule)]; }

TEST(ComponentFacts, CheapestLandedDomesticSuppliersAndHhi) {
  const model::Scenario s = HandScenario();
  const std::vector<ComponentFacts> facts = ComputeComponentFacts(s);
  const ComponentFacts& tray = facts[ComponentIndex(s, "tray")];
  EXPECT_TRUE(tray.priced);
  EXPECT_DOUBLE_EQ(tray.landed_cost_usd, 1250);  // min(1.25·1000, 1300)
  EXPECT_DOUBLE_EQ(tray.cheapest_cost_usd, 1000);
  EXPECT_TRUE(tray.has_domestic_source);
  EXPECT_DOUBLE_EQ(tray.cheapest_domestic_cost_usd, 1300);
  EXPECT_EQ(tray.suppliers, 2);
  EXPECT_DOUBLE_EQ(*tray.hhi, 0.25 * 0.25 + 0.75 * 0.75);
  const ComponentFacts& shelf = facts[ComponentIndex(s, "shelf")];
  EXPECT_DOUBLE_EQ(shelf.landed_cost_usd, 220);
  EXPECT_FALSE(shelf.has_domestic_source);
  EXPECT_EQ(shelf.suppliers, 1);
  EXPECT_DOUBLE_EQ(*shelf.hhi, 1.0);
  EXPECT_DOUBLE_EQ(*facts[ComponentIndex(s, "cdu")].hhi, 0.5);
  EXPECT_DOUBLE_EQ(facts[ComponentIndex(s, "cdu")].landed_cost_usd, 495);
}

TEST(Rollup, HandComputedDesign) {
  const DesignCheck c = CheckFirst(HandScenario());
  const Rollup& r = c.rollup;
  EXPECT_DOUBLE_EQ(r.accelerators, 16);
  EXPECT_DOUBLE_EQ(r.it_power_kw, 8.5);
  EXPECT_DOUBLE_EQ(r.heat_liquid_kw, 7.2);
  EXPECT_DOUBLE_EQ(r.heat_air_kw, 1.45);
  EXPECT_NEAR(*r.coolant_flow_l_min, 7.2 * 60 / (4.18 * 10), 1e-12);
  EXPECT_DOUBLE_EQ(r.weight_kg, 230);
  EXPECT_DOUBLE_EQ(r.rack_units, 10);
  EXPECT_DOUBLE_EQ(r.ports_required, 8);
  EXPECT_DOUBLE_EQ(r.ports_provided, 10);
  EXPECT_DOUBLE_EQ(r.cost_usd, 4 * 1250 + 3 * 220 + 495 + 308);
  EXPECT_DOUBLE_EQ(r.domestic_share, 5700.0 / 6580.0);
  EXPECT_EQ(r.min_suppliers, 1);
  const model::Scenario s = HandScenario();
  EXPECT_EQ(r.single_source_components, std::vector<int32_t>{ComponentIndex(s, "shelf")});
  EXPECT_TRUE(r.unpriced_components.empty());
  ASSERT_EQ(r.components.size(), 4u);
  EXPECT_DOUBLE_EQ(*r.components[3].hhi, 0.625);
  EXPECT_DOUBLE_EQ(*r.components[3].landed_cost_usd, 308);
}

TEST(Rules, HandComputedDesignPassesWithExactMargins) {
  const DesignCheck c = CheckFirst(HandScenario());
  EXPECT_TRUE(c.pass);
  const double expected_margin[kRuleCount] = {3500.0 / 12000, 80.0 / 250,  0.28,    550.0 / 2000, 70.0 / 300,
                                              1040.0 / 1500,  2.0 / 12,    0.2,     0.5,          11.5 / 20,
                                              0};
  for (int i = 0; i < kRuleCount - 1; ++i) {
    ASSERT_TRUE(c.rules[i].margin) << RuleName(c.rules[i].rule);
    EXPECT_NEAR(*c.rules[i].margin, expected_margin[i], 1e-12) << RuleName(c.rules[i].rule);
    EXPECT_EQ(c.rules[i].status, RuleStatus::kPass);
  }
  EXPECT_FALSE(RuleOf(c, Rule::kDate).margin);
  EXPECT_DOUBLE_EQ(RuleOf(c, Rule::kDate).need, 5);
  EXPECT_DOUBLE_EQ(RuleOf(c, Rule::kDate).have, 10);
  EXPECT_DOUBLE_EQ(RuleOf(c, Rule::kPower).have, 18000 - 6000);
  EXPECT_DOUBLE_EQ(RuleOf(c, Rule::kBusbar).need, 170);
  EXPECT_DOUBLE_EQ(RuleOf(c, Rule::kFloorLoad).need, 460);
  EXPECT_NEAR(*MinMargin(c.rules), 2.0 / 12, 1e-12);
  EXPECT_EQ(*TightestRule(c.rules), Rule::kRackUnits);
}

struct FailCase {
  Rule rule;
  std::function<void(model::Scenario&)> change;
  double need;
  double have;
  std::optional<double> margin;
};

class EachRuleFails : public ::testing::TestWithParam<FailCase> {};

TEST_P(EachRuleFails, OnlyThatRuleFailsWithHandComputedFigures) {
  model::Scenario s = HandScenario();
  GetParam().change(s);
  const DesignCheck c = CheckFirst(s);
  EXPECT_FALSE(c.pass);
  for (const RuleResult& r : c.rules) {
    if (r.rule != GetParam().rule) {
      EXPECT_TRUE(r.pass()) << RuleName(r.rule);
      continue;
    }
    EXPECT_EQ(r.status, RuleStatus::kFail);
    EXPECT_NEAR(r.need, GetParam().need, 1e-9);
    EXPECT_NEAR(r.have, GetParam().have, 1e-9);
    ASSERT_EQ(r.margin.has_value(), GetParam().margin.has_value());
    if (r.margin) {
      EXPECT_NEAR(*r.margin, *GetParam().margin, 1e-12);
    }
  }
}

model::Design& D(model::Scenario& s) { return s.designs[0]; }

INSTANTIATE_TEST_SUITE_P(
    Design, EachRuleFails,
    ::testing::Values(
        FailCase{Rule::kPower, [](model::Scenario& s) { D(s).redundant_power_shelves = 2; }, 8500, 6000,
                 -2500.0 / 6000},
        FailCase{Rule::kBusbar, [](model::Scenario& s) { D(s).busbar_voltage_v = 30; }, 8500.0 / 30, 250,
                 (250 - 8500.0 / 30) / 250},
        FailCase{Rule::kLiquidCooling,
                 [](model::Scenario& s) { s.components[ComponentIndex(s, "cdu")].cooling_capacity_w = 7000; }, 7200,
                 7000, -200.0 / 7000},
        FailCase{Rule::kAirCooling, [](model::Scenario& s) { D(s).max_air_heat_w = 1000; }, 1450, 1000, -0.45},
        FailCase{Rule::kWeight, [](model::Scenario& s) { D(s).max_weight_kg = 200; }, 230, 200, -0.15},
        FailCase{Rule::kFloorLoad, [](model::Scenario& s) { D(s).footprint_m2 = 0.1; }, 2300, 1500, -800.0 / 1500},
        FailCase{Rule::kRackUnits, [](model::Scenario& s) { D(s).rack_units = 8; }, 10, 8, -0.25},
        FailCase{Rule::kPorts,
                 [](model::Scenario& s) { s.components[ComponentIndex(s, "switch")].ports_provided = 6; }, 8, 6,
                 -1.0 / 3},
        FailCase{Rule::kAccelerators, [](model::Scenario& s) { s.requirements[0].min_accelerators = 20; }, 20, 16,
                 -0.25},
        FailCase{Rule::kRackPower, [](model::Scenario& s) { s.requirements[0].max_power_kw = 8; }, 8.5, 8, -0.0625},
        FailCase{Rule::kDate, [](model::Scenario& s) { D(s).available_from_week = 12; }, 12, 10, std::nullopt}),
    [](const ::testing::TestParamInfo<FailCase>& info) {
      std::string name = RuleName(info.param.rule);
      for (char& ch : name) ch = ch == ' ' ? '_' : ch;
      return name;
    });

TEST(Rules, NeedAndHaveZeroIsNotApplicable) {
  model::Scenario s = HandScenario();
  s.requirements[0].min_accelerators = 0;
  for (model::Component& c : s.components) c.accelerators = 0;
  const DesignCheck c = CheckFirst(s);
  EXPECT_EQ(RuleOf(c, Rule::kAccelerators).status, RuleStatus::kNotApplicable);
  EXPECT_FALSE(RuleOf(c, Rule::kAccelerators).margin);
  EXPECT_TRUE(c.pass);
}

TEST(Rules, NoCoolingCapacityIsFacilityCooled) {
  model::Scenario s = HandScenario();
  s.components[ComponentIndex(s, "cdu")].cooling_capacity_w = 0;
  const DesignCheck c = CheckFirst(s);
  const RuleResult& liquid = RuleOf(c, Rule::kLiquidCooling);
  EXPECT_EQ(liquid.status, RuleStatus::kFacilityCooled);
  EXPECT_TRUE(liquid.pass());
  EXPECT_FALSE(liquid.margin);
  EXPECT_DOUBLE_EQ(liquid.need, 7200);
  EXPECT_TRUE(c.pass);
}

TEST(Rules, ZeroVoltageWithPowerIsAnInfiniteNeed) {
  model::Scenario s = HandScenario();
  D(s).busbar_voltage_v = 0;
  const DesignCheck c = CheckFirst(s);
  EXPECT_TRUE(std::isinf(RuleOf(c, Rule::kBusbar).need));
  EXPECT_FALSE(RuleOf(c, Rule::kBusbar).margin);
  EXPECT_FALSE(c.pass);
}

TEST(Rules, FloatNoiseDoesNotFlipARule) {
  model::Scenario s = HandScenario();
  D(s).max_weight_kg = 230 * (1 - 1e-13);
  EXPECT_TRUE(RuleOf(CheckFirst(s), Rule::kWeight).pass());
  D(s).max_weight_kg = 229.99;
  EXPECT_FALSE(RuleOf(CheckFirst(s), Rule::kWeight).pass());
}

TEST(Rollup, ComponentWithoutUsableOfferIsLeftOutOfCostAndReported) {
  model::Scenario s = HandScenario();
  const int32_t sw = ComponentIndex(s, "switch");
  s.components[sw].offers.clear();  // e.g. its only offers start after the horizon
  const DesignCheck c = CheckFirst(s);
  EXPECT_DOUBLE_EQ(c.rollup.cost_usd, 4 * 1250 + 3 * 220 + 495);
  EXPECT_DOUBLE_EQ(c.rollup.domestic_share, 5700.0 / 6300.0);
  EXPECT_EQ(c.rollup.unpriced_components, std::vector<int32_t>{sw});
  EXPECT_EQ(c.rollup.min_suppliers, 0);
  EXPECT_FALSE(c.rollup.components[3].landed_cost_usd);
  EXPECT_FALSE(c.rollup.components[3].hhi);
}

TEST(Rollup, NoRequirementMeansAZeroRequirement) {
  model::Scenario s = HandScenario();
  D(s).meets = -1;
  const DesignCheck c = CheckFirst(s);
  EXPECT_FALSE(RuleOf(c, Rule::kRackPower).pass());  // 8.5 kW against 0
  EXPECT_EQ(RuleOf(c, Rule::kAccelerators).status, RuleStatus::kPass);
}

TEST(Fields, KeysRoundTripAndUnknownKeysAreRejected) {
  for (int i = 0; i < kFieldCount; ++i) {
    const Field f = static_cast<Field>(i);
    EXPECT_EQ(ParseFieldKey(FieldKey(f)), f);
  }
  EXPECT_FALSE(ParseFieldKey("electrical.busbar_voltage"));
  EXPECT_FALSE(ParseFieldKey("bom"));
  model::Design d;
  SetField(d, Field::kBusbarVoltageV, 54);
  SetField(d, Field::kAvailableFromWeek, 7);
  EXPECT_DOUBLE_EQ(d.busbar_voltage_v, 54);
  EXPECT_EQ(d.available_from_week, 7);
}

}  // namespace
}  // namespace rackforge::design
