// Monte Carlo step 4 (component build) of DESIGN.md "Risk": component lines make
// components from the parts pools of their plant, in loop order, before transfers
// and the rack build. Baselines are written by hand (weeks, makec, make, ship).
#include <gtest/gtest.h>

#include "risk/nodes.h"
#include "risk/simulate.h"
#include "unit/risk/tiny_scenario.h"

namespace rackforge::risk {
namespace {

using testing::TinyBaseline;
using testing::TinyScenario;

// Adds component `id` made from `parts` (no offer) and returns its index.
int32_t AddMadeComponent(model::Scenario& s, const std::string& id, std::vector<model::BomEntry> parts) {
  model::Component c;
  c.id = id;
  c.parts = std::move(parts);
  s.components.push_back(std::move(c));
  return static_cast<int32_t>(s.components.size()) - 1;
}

int32_t AddComponentLine(model::Scenario& s, const std::string& id, int32_t plant, std::vector<int32_t> components,
                         double units_per_week) {
  model::ComponentLine line;
  line.id = id;
  line.plant = plant;
  line.components = std::move(components);
  line.units_per_week = units_per_week;
  const int32_t m = static_cast<int32_t>(s.component_lines.size());
  for (int32_t c : line.components) s.components[c].made_by.push_back(m);
  s.plants[plant].component_lines.push_back(m);
  s.component_lines.push_back(std::move(line));
  return m;
}

// The baseline's makec array sized to the scenario (all 0).
void SizeMakec(const model::Scenario& s, plan::PlanResult& b) {
  b.components = static_cast<int32_t>(s.components.size());
  b.makec.assign(s.component_lines.size() * s.components.size() * s.horizon_weeks, 0.0);
  b.cinv.assign(s.components.size() * s.plants.size() * s.horizon_weeks, 0.0);
}

// One plant (TinyScenario(1): line l0, 10 racks/week, test 1 h of 100 h/week, a site 1
// week away, firm demand 10/week in weeks 1..5). The rack's BOM is one "shelf"; line cl0
// (12 units/week) makes a shelf from 2 "part" (bought, 100 on hand at p0 = 50 shelves).
// Plan: makec[cl0,shelf,t] = 10 and make[l0,t] = 10 in weeks 0..4, shipped at once.
struct ShelfCase {
  model::Scenario s;
  plan::PlanResult b;
  int32_t shelf = -1;
};

ShelfCase OnePlantShelfCase() {
  ShelfCase k{TinyScenario(1, 6), {}, -1};
  model::Scenario& s = k.s;
  k.shelf = AddMadeComponent(s, "shelf", {{0, 2}});
  s.designs[0].bom = {{k.shelf, 1}};
  AddComponentLine(s, "cl0", 0, {k.shelf}, 12);
  k.b = TinyBaseline(s);
  SizeMakec(s, k.b);
  for (int t = 0; t < 5; ++t) k.b.makec[k.b.MakecIndex(0, k.shelf, t)] = 10;
  return k;
}

TEST(ComponentBuildTest, ComponentLinesAreNodesAfterTheirPlantsRackLines) {
  const ShelfCase k = OnePlantShelfCase();
  const std::vector<model::NodeRef> nodes = RiskNodes(k.s, k.b);
  ASSERT_EQ(nodes.size(), 4u);
  EXPECT_EQ(nodes[1], (model::NodeRef{model::NodeKind::kLine, 0}));
  EXPECT_EQ(nodes[2], (model::NodeRef{model::NodeKind::kComponentLine, 0}));
  const Simulator sim(k.s, k.b, model::OptionDemandMode::kExpected);
  EXPECT_EQ(sim.node_names(), (std::vector<std::string>{"plant:p0", "line:l0", "line:cl0", "supplier:sup"}));
}

TEST(ComponentBuildTest, WithNoOutagesTheSimulationReproducesThePlan) {
  // Week t: cl0 makes min(10 + U, 12, pool(part)/2) = 10 shelves, then l0 builds
  // min(10, 10 shelves) = 10. (Without step 4 no shelf exists and nothing is built.)
  const ShelfCase k = OnePlantShelfCase();
  const Simulator sim(k.s, k.b, model::OptionDemandMode::kExpected);
  const RunOutcomes out = sim.RunRange(5, 0, 20, 1);
  for (int64_t r = 0; r < 20; ++r) {
    for (int t = 0; t < 6; ++t) EXPECT_EQ(out.output_racks[r * 6 + t], k.b.racks_built_by_week[t]) << r << " " << t;
    EXPECT_NEAR(out.backlog_rack_weeks[r * 3 + 1], 0.0, 1e-9);
  }
}

TEST(ComponentBuildTest, PartsCapTheBuildAndUnmadeUnitsCarryOver) {
  // 50 parts on hand: 25 shelves. Weeks 0, 1: 10 shelves, 10 racks each (30, then 10
  // parts left). Week 2: min(10, 12, 10/2) = 5 shelves (U[cl0] = 5), 5 racks (U[l0] = 5).
  // Weeks 3..5: no parts, nothing. Output 10, 10, 5, 0, 0, 0.
  ShelfCase k = OnePlantShelfCase();
  k.s.on_hand[0].units = 50;
  const Simulator sim(k.s, k.b, model::OptionDemandMode::kExpected);
  EXPECT_EQ(sim.RunRange(5, 0, 1, 1).output_racks, (std::vector<double>{10, 10, 5, 0, 0, 0}));
  // Capacity 7 a week: weeks 0..4 make 7 shelves (U[cl0] grows 3 a week to 15) and build
  // 7 racks (U[l0] grows to 15); week 5 (no makec) makes 7 from U[cl0] and builds 7 from
  // U[l0]. Output 7 in every week (84 of the 100 parts used).
  ShelfCase k2 = OnePlantShelfCase();
  k2.s.component_lines[0].units_per_week = 7;
  const Simulator sim2(k2.s, k2.b, model::OptionDemandMode::kExpected);
  EXPECT_EQ(sim2.RunRange(5, 0, 1, 1).output_racks, (std::vector<double>{7, 7, 7, 7, 7, 7}));
}

TEST(ComponentBuildTest, ALineMakesItsComponentsInListOrderFromOneCapacity) {
  // cl0 makes [shelf, spare] with 12 units/week; the plan asks 10 shelves and 4 spares
  // (more than 12: the simulator caps it, it does not check the plan). Shelves come
  // first: 10, leaving 2 spares; the racks (BOM one shelf) are not short.
  ShelfCase k = OnePlantShelfCase();
  const int32_t spare = AddMadeComponent(k.s, "spare", {});
  k.s.component_lines[0].components.push_back(spare);
  SizeMakec(k.s, k.b);
  for (int t = 0; t < 5; ++t) {
    k.b.makec[k.b.MakecIndex(0, k.shelf, t)] = 10;
    k.b.makec[k.b.MakecIndex(0, spare, t)] = 4;
  }
  const Simulator sim(k.s, k.b, model::OptionDemandMode::kExpected);
  EXPECT_EQ(sim.RunRange(5, 0, 1, 1).output_racks, (std::vector<double>{10, 10, 10, 10, 10, 0}));
  // The other order: spares first (4), leaving 8 of the 12 for shelves. Weeks 0..4: 8
  // shelves, 8 racks (U[cl0] and U[l0] grow 2 a week to 10). Week 5: no spare owed,
  // shelves min(U = 10, 12, 20 parts / 2) = 10, racks min(U[l0] = 10, 10) = 10.
  std::swap(k.s.component_lines[0].components[0], k.s.component_lines[0].components[1]);
  const Simulator sim2(k.s, k.b, model::OptionDemandMode::kExpected);
  EXPECT_EQ(sim2.RunRange(5, 0, 1, 1).output_racks, (std::vector<double>{8, 8, 8, 8, 8, 10}));
}

TEST(ComponentBuildTest, APlantThatIsOutStopsItsComponentLinesAndTheShortfallIsHandComputed) {
  // Two plants. p0 (outage probability 1, recovery 2: out in every week) has line cl0
  // making 10 shelves a week, sent to p1 by a transfer with transit 0; p0's rack line
  // builds nothing in the plan. p1 (probability 0) builds 10 racks a week in weeks 0..4
  // from those shelves and has 15 shelves of its own. p0 and its lines are out, so cl0
  // makes nothing and nothing is sent: p1 builds 10, 5, then 0 (short 35 racks).
  // Backlog (demand 10/week in weeks 1..5, arrivals week 1: 10, week 2: 5):
  // 0 + 5 + 15 + 25 + 35 = 80 rack-weeks.
  model::Scenario s = TinyScenario(2, 6);
  const int32_t shelf = AddMadeComponent(s, "shelf", {{0, 2}});
  s.designs[0].bom = {{shelf, 1}};
  AddComponentLine(s, "cl0", 0, {shelf}, 12);
  s.plants[0].outage_prob_per_week = 1.0;
  s.on_hand.push_back({1, shelf, 15});
  for (model::Demand& dm : s.demand) dm.racks = 10;
  s.transfers.push_back({0, 1, shelf, 0, 0.0});
  plan::PlanResult b = TinyBaseline(s);
  SizeMakec(s, b);
  b.xfer.assign(s.horizon_weeks, 0.0);
  for (int t = 0; t < 6; ++t) {
    b.make[b.MakeIndex(0, 0, t)] = 0;
    b.ship[b.ShipIndex(0, 0, 1, t)] = 0;
    b.racks_built_by_week[t] = t < 5 ? 10 : 0;
  }
  for (int t = 0; t < 5; ++t) {
    b.makec[b.MakecIndex(0, shelf, t)] = 10;
    b.xfer[b.XferIndex(0, t)] = 10;
  }
  const Simulator sim(s, b, model::OptionDemandMode::kExpected);
  EXPECT_EQ(sim.planned_output_racks(), (std::vector<double>{10, 10, 10, 10, 10, 0}));
  const RunOutcomes out = sim.RunRange(3, 0, 4, 1);
  for (int64_t r = 0; r < 4; ++r) {
    EXPECT_EQ(std::vector<double>(out.output_racks.begin() + r * 6, out.output_racks.begin() + (r + 1) * 6),
              (std::vector<double>{10, 5, 0, 0, 0, 0}));
    EXPECT_NEAR(out.backlog_rack_weeks[r * 3 + 1], 80.0, 1e-9);
  }
  const SimulationResult res = sim.Summarize(out, 3);
  ASSERT_EQ(res.top_loss_nodes.size(), 3u);  // p0, its rack line, its component line; ties in loop order
  EXPECT_EQ(res.top_loss_nodes[0], (std::pair<std::string, double>{"plant:p0", 1.0}));
  EXPECT_EQ(res.top_loss_nodes[1], (std::pair<std::string, double>{"line:l0", 1.0}));
  EXPECT_EQ(res.top_loss_nodes[2], (std::pair<std::string, double>{"line:cl0", 1.0}));
  // With p0 never out, the plan is reproduced (the transfer of transit 0 comes after step 4).
  s.plants[0].outage_prob_per_week = 0;
  const Simulator ok(s, b, model::OptionDemandMode::kExpected);
  EXPECT_EQ(ok.RunRange(3, 0, 1, 1).output_racks, (std::vector<double>{10, 10, 10, 10, 10, 0}));
}

TEST(ComponentBuildTest, APartMadeLaterInLoopOrderDelaysTheSameWeekChain) {
  // DESIGN.md: "a component line whose part is made later in loop order" delays.
  // p0 makes shelf = 1 module, module = 2 part; the plan makes 10 modules and 10 shelves
  // and builds 10 racks a week in weeks 0..4 (parts made and used in the same week).
  // Loop order module line first: the plan is reproduced. Shelf line first: week 0 has no
  // module for the shelves (U = 10), nothing is built; weeks 1..4 make 10 shelves from the
  // previous week's modules (U stays 10) and build 10 racks (U[l0] stays 10); week 5 makes
  // the last 10 shelves and builds the 10 racks owed: 0, 10, 10, 10, 10, 10.
  for (bool module_first : {true, false}) {
    model::Scenario s = TinyScenario(1, 6);
    const int32_t module = AddMadeComponent(s, "module", {{0, 2}});
    const int32_t shelf = AddMadeComponent(s, "shelf", {{module, 1}});
    s.designs[0].bom = {{shelf, 1}};
    const int32_t first = AddComponentLine(s, "cl-a", 0, {module_first ? module : shelf}, 20);
    const int32_t second = AddComponentLine(s, "cl-b", 0, {module_first ? shelf : module}, 20);
    plan::PlanResult b = TinyBaseline(s);
    SizeMakec(s, b);
    for (int t = 0; t < 5; ++t) {
      b.makec[b.MakecIndex(module_first ? first : second, module, t)] = 10;
      b.makec[b.MakecIndex(module_first ? second : first, shelf, t)] = 10;
    }
    const Simulator sim(s, b, model::OptionDemandMode::kExpected);
    const std::vector<double> expected =
        module_first ? std::vector<double>{10, 10, 10, 10, 10, 0} : std::vector<double>{0, 10, 10, 10, 10, 10};
    EXPECT_EQ(sim.RunRange(1, 0, 1, 1).output_racks, expected) << module_first;
  }
}

TEST(ComponentBuildTest, IdenticalForOneAndTwoThreads) {
  // Three plants, each with a component line making its shelves; random outages.
  model::Scenario s = TinyScenario(3, 12);
  const int32_t shelf = AddMadeComponent(s, "shelf", {{0, 2}});
  s.designs[0].bom = {{shelf, 1}};
  for (int p = 0; p < 3; ++p) AddComponentLine(s, "cl" + std::to_string(p), p, {shelf}, 15);
  s.plants[0].outage_prob_per_week = 0.1;
  s.plants[2].outage_prob_per_week = 0.07;
  s.suppliers[0].outage_prob_per_week = 0.05;
  testing::SetStockAtEveryPlant(s, 0, 60);
  plan::PlanResult b = TinyBaseline(s);
  SizeMakec(s, b);
  for (int t = 0; t < 11; ++t) {
    for (int p = 0; p < 3; ++p) {
      b.makec[b.MakecIndex(p, shelf, t)] = 10;
      if (t < 10) b.buy[b.BuyIndex(0, p, t)] = 20;
    }
  }
  const Simulator sim(s, b, model::OptionDemandMode::kExpected);
  const RunOutcomes one = sim.RunRange(42, 0, 400, 1);
  const RunOutcomes two = sim.RunRange(42, 0, 400, 2);
  EXPECT_EQ(one.output_racks, two.output_racks);
  EXPECT_EQ(one.backlog_rack_weeks, two.backlog_rack_weeks);
  EXPECT_EQ(one.node_loss, two.node_loss);
  const RunOutcomes block = sim.RunRange(42, 100, 200, 2);
  EXPECT_TRUE(std::equal(block.output_racks.begin(), block.output_racks.end(), one.output_racks.begin() + 100 * 12));
  // Outages of the component lines' plants do cost output in some runs.
  const SimulationResult res = sim.Summarize(one, 42);
  bool cl0_listed = false;
  for (const auto& [node, share] : res.top_loss_nodes) cl0_listed = cl0_listed || (node == "line:cl0" && share > 0);
  EXPECT_TRUE(cl0_listed);
}

TEST(ComponentBuildTest, ABaselineWithoutMakecIsRefused) {
  ShelfCase k = OnePlantShelfCase();
  k.b.makec.clear();
  EXPECT_THROW(Simulator(k.s, k.b, model::OptionDemandMode::kExpected), std::invalid_argument);
}

}  // namespace
}  // namespace rackforge::risk
