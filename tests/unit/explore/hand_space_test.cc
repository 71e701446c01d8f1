// A hand-checked design space: every variant's objectives computed by hand
// (tests/unit/design/fixture.h gives the component figures) and the exact front.
#include <gtest/gtest.h>

#include <algorithm>

#include "common/errors.h"
#include "design/check.h"
#include "explore/explore.h"
#include "explore/milp.h"
#include "unit/design/fixture.h"

namespace rackforge::explore {
namespace {

using testing::ComponentIndex;

// d1 with two slots:
//   shelf: replaces shelf; options shelf x3 | shelf-us x3 | shelf x2 (too little power capacity)
//   tray:  replaces tray;  options tray x4 | tray-us x4 | tray-dense x2
model::Scenario HandSpaceScenario() {
  model::Scenario s = testing::HandScenario();
  const int32_t shelf = ComponentIndex(s, "shelf");
  const int32_t shelf_us = ComponentIndex(s, "shelf-us");
  const int32_t tray = ComponentIndex(s, "tray");
  model::DesignSpace space;
  space.design = 0;
  space.slots.push_back({"shelf", {shelf}, {{{{shelf, 3}}, {}}, {{{shelf_us, 3}}, {}}, {{{shelf, 2}}, {}}}});
  space.slots.push_back({"tray",
                         {tray},
                         {{{{tray, 4}}, {}},
                          {{{ComponentIndex(s, "tray-us"), 4}}, {}},
                          {{{ComponentIndex(s, "tray-dense"), 2}}, {}}}});
  s.design_spaces.push_back(space);
  return s;
}

struct Expected {
  std::vector<int32_t> choices;
  double cost_usd;
  double domestic_share;
  int32_t min_suppliers;
  double min_margin;
};

// Hand-computed: base rest = cdu (495 landed, D 500) + switch (308 landed, F 280).
//   shelf x3 660 landed, F 600 | shelf-us x3 780, D 780 (2 suppliers) | tray x4 5000, D 5200 |
//   tray-us x4 5400, D 5400 (1 supplier) | tray-dense x2 5000, D 5000.
// Margins: rack units 2/12 with tray x4; with tray-dense x2 the units margin is 4/12,
// weight 90/300, so ports (8 of 10 -> 0.2) is the tightest.
const std::vector<Expected> kPassing = {
    {{0, 0}, 6463, 5700.0 / 6580, 1, 2.0 / 12},  {{0, 1}, 6863, 5900.0 / 6780, 1, 2.0 / 12},
    {{0, 2}, 6463, 5500.0 / 6380, 1, 0.2},       {{1, 0}, 6583, 6480.0 / 6760, 2, 2.0 / 12},
    {{1, 1}, 6983, 6680.0 / 6960, 1, 2.0 / 12},  {{1, 2}, 6583, 6280.0 / 6560, 2, 0.2},
};

TEST(HandSpace, EveryVariantMatchesTheHandComputedObjectives) {
  const model::Scenario s = HandSpaceScenario();
  const std::vector<design::ComponentFacts> facts = design::ComputeComponentFacts(s);
  const SpaceModel model(s, facts, s.design_spaces[0]);
  for (const Expected& e : kPassing) {
    const Evaluation ev = Evaluate(model.StateOf(e.choices), model.requirement());
    ASSERT_TRUE(ev.pass);
    EXPECT_NEAR(ev.objectives.cost_usd, e.cost_usd, 1e-9);
    EXPECT_NEAR(ev.objectives.domestic_share, e.domestic_share, 1e-12);
    EXPECT_EQ(ev.objectives.min_suppliers, e.min_suppliers);
    EXPECT_NEAR(*ev.objectives.min_margin, e.min_margin, 1e-12);
  }
  for (int32_t tray = 0; tray < 3; ++tray) {
    const Evaluation ev = Evaluate(model.StateOf({2, tray}), model.requirement());
    EXPECT_FALSE(ev.pass);  // 2 shelves: 12000 - 6000 W < 8500 W
  }
}

TEST(HandSpace, EnumerationGivesTheExactFront) {
  const model::Scenario s = HandSpaceScenario();
  const ExploreResult r = Explore(s, {});
  ASSERT_EQ(r.designs.size(), 1u);
  const SpaceResult& space = r.designs[0];
  EXPECT_EQ(space.method, Method::kEnumeration);
  EXPECT_DOUBLE_EQ(space.variants_total, 9);
  EXPECT_EQ(*space.variants_passing, 6u);
  // shelf=1~tray=2 is dominated by shelf=2~tray=1 (cheaper, more domestic, more suppliers, same margin).
  const std::vector<std::vector<int32_t>> front = {{0, 0}, {0, 2}, {1, 0}, {1, 2}, {1, 1}};
  ASSERT_EQ(space.front.size(), front.size());
  for (size_t i = 0; i < front.size(); ++i) EXPECT_EQ(space.front[i].choices, front[i]) << i;
  EXPECT_EQ(*space.front[0].tightest_rule, design::Rule::kRackUnits);
  EXPECT_EQ(*space.front[1].tightest_rule, design::Rule::kPorts);
  EXPECT_EQ(VariantId(s, s.design_spaces[0], space.front[1].choices), "d1~shelf=1~tray=3");
}

TEST(HandSpace, MilpFindsEachObjectivesOptimum) {
  const model::Scenario s = HandSpaceScenario();
  const std::vector<design::ComponentFacts> facts = design::ComputeComponentFacts(s);
  const SpaceModel model(s, facts, s.design_spaces[0]);
  const auto cost = MilpOptimum(model, MilpObjective::kCost);
  ASSERT_TRUE(cost);
  EXPECT_EQ(cost->choices, (std::vector<int32_t>{0, 0}));  // 6463, the more domestic of the two
  const auto share = MilpOptimum(model, MilpObjective::kDomesticShare);
  ASSERT_TRUE(share);
  EXPECT_EQ(share->choices, (std::vector<int32_t>{1, 1}));
  const auto suppliers = MilpOptimum(model, MilpObjective::kMinSuppliers);
  ASSERT_TRUE(suppliers);
  EXPECT_EQ(suppliers->choices, (std::vector<int32_t>{1, 0}));  // 2 suppliers at 6583, share 6480/6760
  const auto margin = MilpOptimum(model, MilpObjective::kMinMargin);
  ASSERT_TRUE(margin);
  EXPECT_NEAR(*margin->objectives.min_margin, 0.2, 1e-9);
  EXPECT_EQ(margin->choices, (std::vector<int32_t>{0, 2}));  // margin 0.2 at the least cost
}

TEST(HandSpace, MilpFrontIsPartOfTheEnumeratedFront) {
  const model::Scenario s = HandSpaceScenario();
  ExploreOptions options;
  options.enumeration_limit = 0;  // force the MILP
  const SpaceResult milp = Explore(s, options).designs.at(0);
  EXPECT_EQ(milp.method, Method::kMilp);
  EXPECT_FALSE(milp.variants_passing);
  const SpaceResult exact = Explore(s, {}).designs.at(0);
  ASSERT_FALSE(milp.front.empty());
  for (const FrontVariant& v : milp.front) {
    const bool on_front = std::any_of(exact.front.begin(), exact.front.end(),
                                      [&](const FrontVariant& f) { return f.choices == v.choices; });
    EXPECT_TRUE(on_front) << VariantId(s, s.design_spaces[0], v.choices);
  }
  EXPECT_GE(milp.front.size(), 4u);  // the four objective optima are distinct here
}

// The same space with shelves also made in-house at plant p-oh (line m-shelf, 150 USD
// a unit, no parts, 100 a week): shelf's price min(1.1·200, 150) = 150, a domestic source
// at 150, 2 sources (s-mx, p-oh). Hand-computed (rest: cdu 495 / D 500, switch 308 / F 280):
//   {0,0} 3·150 + 5000 + 803 = 6253, D 450 + 5200 + 500 = 6150 of 6430, 2 sources, 2/12
//   {0,1} 450 + 5400 + 803 = 6653, D 6350 of 6630, 1 (tray-us), 2/12
//   {0,2} 450 + 5000 + 803 = 6253, D 5950 of 6230, 2, 0.2
//   {1,*} as without the line (shelf-us is bought): 6583 / 6983 / 6583.
// {0,1} is now dominated by {1,0} (cheaper, more domestic, more sources, same margin).
model::Scenario InHouseSpaceScenario() {
  model::Scenario s = HandSpaceScenario();
  model::Plant plant;
  plant.id = "p-oh";
  plant.us_state = "OH";
  plant.component_lines = {0};
  s.plants.push_back(plant);
  model::ComponentLine line;
  line.id = "m-shelf";
  line.plant = 0;
  line.components = {ComponentIndex(s, "shelf")};
  line.units_per_week = 100;
  line.cost_usd_per_unit = 150;
  s.component_lines.push_back(line);
  s.components[ComponentIndex(s, "shelf")].made_by = {0};
  return s;
}

TEST(HandSpaceInHouse, EveryVariantAndTheFrontCountTheComponentLine) {
  const model::Scenario s = InHouseSpaceScenario();
  const std::vector<design::ComponentFacts> facts = design::ComputeComponentFacts(s);
  const SpaceModel model(s, facts, s.design_spaces[0]);
  const std::vector<Expected> passing = {
      {{0, 0}, 6253, 6150.0 / 6430, 2, 2.0 / 12}, {{0, 1}, 6653, 6350.0 / 6630, 1, 2.0 / 12},
      {{0, 2}, 6253, 5950.0 / 6230, 2, 0.2},      {{1, 0}, 6583, 6480.0 / 6760, 2, 2.0 / 12},
      {{1, 1}, 6983, 6680.0 / 6960, 1, 2.0 / 12}, {{1, 2}, 6583, 6280.0 / 6560, 2, 0.2},
  };
  for (const Expected& e : passing) {
    const Evaluation ev = Evaluate(model.StateOf(e.choices), model.requirement());
    ASSERT_TRUE(ev.pass);
    EXPECT_NEAR(ev.objectives.cost_usd, e.cost_usd, 1e-9);
    EXPECT_NEAR(ev.objectives.domestic_share, e.domestic_share, 1e-12);
    EXPECT_EQ(ev.objectives.min_suppliers, e.min_suppliers);
    EXPECT_NEAR(*ev.objectives.min_margin, e.min_margin, 1e-12);
  }
  const SpaceResult exact = Explore(s, {}).designs.at(0);
  const std::vector<std::vector<int32_t>> front = {{0, 0}, {0, 2}, {1, 0}, {1, 2}, {1, 1}};
  ASSERT_EQ(exact.front.size(), front.size());
  for (size_t i = 0; i < front.size(); ++i) EXPECT_EQ(exact.front[i].choices, front[i]) << i;
}

TEST(HandSpaceInHouse, MilpAgreesWithTheEnumeratedRollups) {
  const model::Scenario s = InHouseSpaceScenario();
  const std::vector<design::ComponentFacts> facts = design::ComputeComponentFacts(s);
  const SpaceModel model(s, facts, s.design_spaces[0]);
  EXPECT_EQ(MilpOptimum(model, MilpObjective::kCost)->choices, (std::vector<int32_t>{0, 0}));
  EXPECT_EQ(MilpOptimum(model, MilpObjective::kDomesticShare)->choices, (std::vector<int32_t>{1, 1}));
  // Without the line the most-sources optimum was {1, 0}; the in-house shelf gives {0, 0} 2 sources.
  EXPECT_EQ(MilpOptimum(model, MilpObjective::kMinSuppliers)->choices, (std::vector<int32_t>{0, 0}));
  EXPECT_EQ(MilpOptimum(model, MilpObjective::kMinMargin)->choices, (std::vector<int32_t>{0, 2}));
  ExploreOptions options;
  options.enumeration_limit = 0;
  const SpaceResult milp = Explore(s, options).designs.at(0);
  const SpaceResult exact = Explore(s, {}).designs.at(0);
  for (const FrontVariant& v : milp.front) {
    const auto same = std::find_if(exact.front.begin(), exact.front.end(),
                                   [&](const FrontVariant& f) { return f.choices == v.choices; });
    ASSERT_NE(same, exact.front.end()) << VariantId(s, s.design_spaces[0], v.choices);
    EXPECT_NEAR(same->objectives.cost_usd, v.objectives.cost_usd, 1e-9);
    EXPECT_NEAR(same->objectives.domestic_share, v.objectives.domestic_share, 1e-12);
    EXPECT_EQ(same->objectives.min_suppliers, v.objectives.min_suppliers);
  }
}

TEST(HandSpace, BuildVariantReplacesJoinsAndSums) {
  model::Scenario s = HandSpaceScenario();
  const int32_t cdu = ComponentIndex(s, "cdu");
  // A third slot whose option adds another cdu (summed with the base's) and sets the voltage.
  s.design_spaces[0].slots.push_back({"extra", {}, {{{{cdu, 1}}, {{"electrical.busbar_voltage_v", 54}}}}});
  const model::Design v = BuildVariant(s, s.design_spaces[0], {1, 2, 0});
  EXPECT_EQ(v.id, "d1-v2-3-1");
  EXPECT_EQ(v.meets, 0);
  EXPECT_DOUBLE_EQ(v.busbar_voltage_v, 54);
  ASSERT_EQ(v.bom.size(), 4u);  // cdu, switch, shelf-us, tray-dense
  EXPECT_EQ(v.bom[0].component, cdu);
  EXPECT_DOUBLE_EQ(v.bom[0].qty, 2);
  EXPECT_EQ(v.bom[2].component, ComponentIndex(s, "shelf-us"));
  EXPECT_EQ(v.bom[3].component, ComponentIndex(s, "tray-dense"));
  // The materialized variant checks exactly like the incremental evaluation.
  const std::vector<design::ComponentFacts> facts = design::ComputeComponentFacts(s);
  const design::DesignCheck c = design::CheckDesign(s, facts, v);
  const SpaceModel model(s, facts, s.design_spaces[0]);
  const Evaluation e = Evaluate(model.StateOf({1, 2, 0}), model.requirement());
  EXPECT_EQ(c.pass, e.pass);
  EXPECT_NEAR(c.rollup.cost_usd, e.objectives.cost_usd, 1e-9);
  EXPECT_NEAR(*design::MinMargin(c.rules), *e.objectives.min_margin, 1e-12);
}

TEST(VariantIds, ParseRoundTripsAndNamesBadParts) {
  const model::Scenario s = HandSpaceScenario();
  const model::DesignSpace& space = s.design_spaces[0];
  EXPECT_EQ(ParseVariantId(s, space, "d1~shelf=2~tray=3"), (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(ParseVariantId(s, space, "d1~tray=3~shelf=2"), (std::vector<int32_t>{1, 2}));
  auto message = [&](const std::string& id) {
    try {
      ParseVariantId(s, space, id);
    } catch (const common::UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("d2~shelf=1~tray=1"), "variant 'd2~shelf=1~tray=1': design 'd2' is not 'd1'");
  EXPECT_EQ(message("d1~shelf=4~tray=1"), "variant 'd1~shelf=4~tray=1': slot shelf option '4' is not in 1..3");
  EXPECT_EQ(message("d1~shelf=1"), "variant 'd1~shelf=1': slot tray has no option chosen");
  EXPECT_EQ(message("d1~rack=1~tray=1"), "variant 'd1~rack=1~tray=1': 'rack=1' is not SLOT=K for a slot of d1");
  EXPECT_EQ(message("d1~shelf=1~shelf=2~tray=1"), "variant 'd1~shelf=1~shelf=2~tray=1': slot shelf given twice");
}

TEST(Explore, UnknownDesignIsAUsageErrorAndASpacelessDesignIsOneVariant) {
  const model::Scenario s = HandSpaceScenario();
  ExploreOptions options;
  options.design_id = "nope";
  EXPECT_THROW(Explore(s, options), common::UsageError);
  model::Scenario plain = testing::HandScenario();
  options.design_id = "d1";
  const SpaceResult r = Explore(plain, options).designs.at(0);
  EXPECT_DOUBLE_EQ(r.variants_total, 1);
  EXPECT_EQ(*r.variants_passing, 1u);
  ASSERT_EQ(r.front.size(), 1u);
  EXPECT_DOUBLE_EQ(r.front[0].objectives.cost_usd, 6463);
}

TEST(Dominance, RelativeToleranceAndStrictImprovement) {
  const Objectives a{100, 0.5, 2, 0.1};
  Objectives b = a;
  EXPECT_FALSE(Dominates(a, b));  // equal
  b.cost_usd = 100 * (1 + 1e-12);
  EXPECT_FALSE(Dominates(a, b));  // within 1e-9 relative: still equal
  b.cost_usd = 101;
  EXPECT_TRUE(Dominates(a, b));
  b.domestic_share = 0.6;
  EXPECT_FALSE(Dominates(a, b));
  const Objectives no_margin{100, 0.5, 2, std::nullopt};  // no margin counts as +infinity
  EXPECT_TRUE(Dominates(no_margin, a));
}

}  // namespace
}  // namespace rackforge::explore
