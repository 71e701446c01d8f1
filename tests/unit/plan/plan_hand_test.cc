// Small plan instances whose optimum is derived by hand (derivation above
// each test). The base case (plan_fixture.h): H = 4, one rack costs
// 2 parts x $10 + $100 build + $5 lane = $125, penalties $1000/rack-week.

#include <gtest/gtest.h>

#include <algorithm>

#include "common/errors.h"
#include "plan/plan.h"
#include "plan/plan_index.h"
#include "unit/plan/plan_fixture.h"

namespace rackforge::plan {
namespace {

using model::DemandKind;
using testing::BaseScenario;

constexpr double kTol = 1e-6;

PlanResult Solve(const model::Scenario& s, PlanOptions options = {}) {
  PlanResult r = SolvePlan(s, options);
  EXPECT_EQ(r.status, solver::SolveStatus::kOptimal);
  EXPECT_TRUE(r.has_solution);
  EXPECT_NEAR(r.cost.total(), r.objective_usd, 1e-9 * std::max(1.0, r.objective_usd));
  return r;
}

double Back(const PlanResult& r, int32_t week, DemandKind kind = DemandKind::kFirm) {
  return r.back[r.BackIndex(0, 0, static_cast<int32_t>(kind), week)];
}

// 8 racks built in weeks 0-1 and shipped on time: 8 x $125 = $1000, no backlog.
TEST(PlanHand, BaseCase) {
  PlanResult r = Solve(BaseScenario());
  EXPECT_NEAR(r.objective_usd, 1000, kTol);
  EXPECT_NEAR(r.cost.components, 160, kTol);
  EXPECT_NEAR(r.cost.production, 800, kTol);
  EXPECT_NEAR(r.cost.transport, 40, kTol);
  EXPECT_NEAR(r.racks_built, 8, kTol);
  EXPECT_NEAR(r.racks_built_by_plant[0], 8, kTol);
  EXPECT_NEAR(r.domestic_content, 1.0, kTol);
  EXPECT_TRUE(r.late_demand.empty());
  EXPECT_EQ(r.gap, 0.0);
}

// Ramp r = 2, f = 0.5: a(0) = 0.5, a(1) = 0.75, a(2) = 1 -> capacity 5, 7.5, 10.
// Demand 20 at week 1: 12.5 on time, 7.5 built in week 2 (one week late).
// 20 x 125 + 7.5 x 1000 = 10000. Line rows of weeks 0-1 bind: one more rack
// there saves a week of backlog ($1000); week 2 has slack.
TEST(PlanHand, LineCapacityWithRamp) {
  model::Scenario s = BaseScenario();
  s.lines[0].ramp_weeks = 2;
  s.lines[0].ramp_start_fraction = 0.5;
  s.demand[0].racks = 20;
  PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 10000, kTol);
  EXPECT_NEAR(Back(r, 1), 7.5, kTol);
  EXPECT_NEAR(Back(r, 2), 0, kTol);
  EXPECT_NEAR(r.make[r.MakeIndex(0, 0, 0)] + r.make[r.MakeIndex(0, 0, 1)], 12.5, kTol);
  ASSERT_FALSE(r.bottlenecks.empty());
  const Bottleneck& b = r.bottlenecks.front();
  EXPECT_EQ(b.kind, BottleneckKind::kLine);
  EXPECT_EQ(b.node, "line:l");
  EXPECT_EQ(b.first_week, 0);
  EXPECT_EQ(b.last_week, 1);
  EXPECT_NEAR(b.dual_usd_per_unit, 1000, kTol);
  EXPECT_NEAR(b.weekly_usd_per_unit, 1000, kTol);
  EXPECT_FALSE(b.relief.has_value());
  EXPECT_EQ(b.text,
            "line l at plant p, weeks 0-1: +$1.0k per week for each extra rack per week (mean of the weekly duals; "
            "largest: week 0, +$1.0k); no expansion of this plant adds it");
  ASSERT_EQ(r.late_demand.size(), 1u);
  EXPECT_NEAR(r.late_demand[0].rack_weeks, 7.5, kTol);
  EXPECT_EQ(r.late_demand[0].held_back_by, std::vector<std::string>{"line:l"});
  EXPECT_EQ(r.late_demand[0].held_back_share, std::vector<double>{1.0});
  EXPECT_NEAR(r.late_demand[0].late_racks, 7.5, kTol);
  ASSERT_TRUE(r.late_demand[0].latest.has_value());
  EXPECT_EQ(r.late_demand[0].latest->demand_week, 1);
  EXPECT_EQ(r.late_demand[0].latest->promised_week, 2);
  EXPECT_EQ(r.late_demand[0].latest->weeks_late, 1);
  EXPECT_EQ(r.late_demand[0].text,
            "firm demand for g at site d: 7.5 racks late (7.5 rack-weeks); latest: 7.5 racks of demand week 1 "
            "promised week 2, 1 week late; held back most by line:l (100 %)");
}

// 1 cell x 10 h, 2 h per rack -> 5 racks/week. Demand 12 at week 1: 10 on
// time, 2 one week late: 12 x 125 + 2 x 1000 = 3500. A test hour in weeks 0-1
// is half a rack on time: dual $500.
TEST(PlanHand, TestHours) {
  model::Scenario s = BaseScenario();
  s.plants[0].test_hours_per_cell_week = 10;
  s.demand[0].racks = 12;
  PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 3500, kTol);
  ASSERT_FALSE(r.bottlenecks.empty());
  EXPECT_EQ(r.bottlenecks[0].kind, BottleneckKind::kTest);
  EXPECT_EQ(r.bottlenecks[0].node, "plant:p");
  EXPECT_NEAR(r.bottlenecks[0].dual_usd_per_unit, 500, kTol);
  EXPECT_EQ(r.bottlenecks[0].text,
            "test cells at plant p, weeks 0-1: +$500 per week for each extra test hour per week (mean of the weekly "
            "duals; largest: week 0, +$500); no expansion of this plant adds it");
  EXPECT_EQ(r.late_demand.at(0).held_back_by, std::vector<std::string>{"plant:p"});
}

// One more cell (capex $500, active from week 0) doubles test capacity to 10
// racks/week = the line: 20 by week 1 >= 12, so 1500 + 500 = 2000 < 3500: open.
TEST(PlanHand, TestCellExpansionOpensWhenItPays) {
  model::Scenario s = BaseScenario();
  s.plants[0].test_hours_per_cell_week = 10;
  s.demand[0].racks = 12;
  testing::AddExpansionCells(s, 500, 0, 0, 1);
  PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 2000, kTol);
  EXPECT_EQ(r.expansions_opened, std::vector<std::string>{"cells0"});
  EXPECT_NEAR(r.cost.capex, 500, kTol);
}

// Capex $3000: 1500 + 3000 > 3500, stay closed. Budget $400 < capex $500: closed.
// Active only from week 2 (earliest 1 + lead 1): no help for week-1 demand.
TEST(PlanHand, TestCellExpansionStaysClosed) {
  for (int variant = 0; variant < 3; ++variant) {
    model::Scenario s = BaseScenario();
    s.plants[0].test_hours_per_cell_week = 10;
    s.demand[0].racks = 12;
    if (variant == 0) testing::AddExpansionCells(s, 3000, 0, 0, 1);
    if (variant == 1) {
      testing::AddExpansionCells(s, 500, 0, 0, 1);
      s.policy.capex_budget_usd = 400;
    }
    if (variant == 2) testing::AddExpansionCells(s, 500, 1, 1, 1);
    PlanResult r = Solve(s);
    EXPECT_NEAR(r.objective_usd, 3500, kTol) << "variant " << variant;
    EXPECT_TRUE(r.expansions_opened.empty()) << "variant " << variant;
  }
}

// The closed cell (capex $3000, 10 h/week from week 0) relieves the test bottleneck of weeks 0-1:
// first-order saving = Σ dual x added hours = 2 x $500 x 10 h = $10000, more than the $2000 it really
// saves (3500 - 1500): duals hold for small changes only, which the text says.
TEST(PlanHand, TestBottleneckNamesTheCellExpansion) {
  model::Scenario s = BaseScenario();
  s.plants[0].test_hours_per_cell_week = 10;
  s.demand[0].racks = 12;
  testing::AddExpansionCells(s, 3000, 0, 0, 1);
  PlanResult r = Solve(s);
  ASSERT_TRUE(r.expansions_opened.empty());
  ASSERT_FALSE(r.bottlenecks.empty());
  const Bottleneck& b = r.bottlenecks[0];
  ASSERT_EQ(b.kind, BottleneckKind::kTest);
  ASSERT_TRUE(b.relief.has_value());
  EXPECT_EQ(b.relief->expansion, "cells0");
  EXPECT_FALSE(b.relief->opened);
  EXPECT_NEAR(b.relief->capex_usd, 3000, kTol);
  EXPECT_NEAR(b.relief->saving_usd, 10000, 1e-3);
  EXPECT_NE(b.text.find("expansion cells0 (from week 0) would cost $3.0k against about $10.0k saved (first-order"),
            std::string::npos)
      << b.text;
}

// Demand 15 at week 0 and 12 at week 1, 10 racks/week: backlog 5 at week 0, 7 at week 1, cleared in
// week 2 (slack 3). One more rack in week 0 is on time in weeks 0 and 1 ($2000), in week 1 $1000:
// the range 0-1 has largest dual $2000 (week 0) and weekly mean $1500. A closed expansion line x0
// (10 racks/week from week 1, capex $1M) would add 10 racks in week 1: first-order 10 x $1000.
TEST(PlanHand, BottleneckWeeklyValueAndLineRelief) {
  model::Scenario s = BaseScenario();
  s.demand[0].week = 0;
  s.demand[0].racks = 15;
  s.demand.push_back(s.demand[0]);
  s.demand[1].week = 1;
  s.demand[1].racks = 12;
  testing::AddExpansionLine(s, 1e6, 1, 0, 10);
  PlanResult r = Solve(s);
  ASSERT_TRUE(r.expansions_opened.empty());
  EXPECT_NEAR(r.objective_usd, 27 * 125 + 12 * 1000, kTol);
  ASSERT_EQ(r.bottlenecks.size(), 1u);
  const Bottleneck& b = r.bottlenecks[0];
  EXPECT_EQ(b.node, "line:l");
  EXPECT_EQ(b.first_week, 0);
  EXPECT_EQ(b.last_week, 1);
  EXPECT_NEAR(b.dual_usd_per_unit, 2000, kTol);
  EXPECT_EQ(b.peak_week, 0);
  EXPECT_NEAR(b.weekly_usd_per_unit, 1500, kTol);
  ASSERT_TRUE(b.relief.has_value());
  EXPECT_EQ(b.relief->expansion, "x0");
  EXPECT_FALSE(b.relief->opened);
  EXPECT_EQ(b.relief->active_from_week, 1);
  EXPECT_NEAR(b.relief->saving_usd, 10000, 1e-3);
  EXPECT_NE(b.text.find("+$1.5k per week for each extra rack per week (mean of the weekly duals; largest: week 0, "
                        "+$2.0k)"),
            std::string::npos)
      << b.text;
}

// An opened expansion line (active from week 1) has no capacity in week 0: its week-0 row may carry a
// dual (one more rack there would help) but it is no bottleneck of week 0.
TEST(PlanHand, ExpansionLineBindsOnlyOnceItExists) {
  model::Scenario s = BaseScenario();
  s.lines[0].racks_per_week = 5;
  s.demand[0].racks = 30;
  testing::AddExpansionLine(s, 3000, 0, 1, 10);
  PlanResult r = Solve(s);
  ASSERT_EQ(r.expansions_opened, std::vector<std::string>{"x0"});
  bool listed = false;
  for (const Bottleneck& b : r.bottlenecks) {
    if (b.node != "line:x0") continue;
    listed = true;
    EXPECT_GE(b.first_week, 1) << b.text;
  }
  EXPECT_TRUE(listed);
  const auto l = std::find_if(r.bottlenecks.begin(), r.bottlenecks.end(),
                              [](const Bottleneck& b) { return b.node == "line:l"; });
  ASSERT_NE(l, r.bottlenecks.end());
  ASSERT_TRUE(l->relief.has_value());
  EXPECT_EQ(l->relief->expansion, "x0");
  EXPECT_TRUE(l->relief->opened);
  EXPECT_NE(l->text.find("expansion x0 (from week 1) is already opened"), std::string::npos) << l->text;
}

// Holding $3/rack-week; demand 15 at week 2 with 10 racks/week: 5 built in
// week 1 wait one week (racks cannot reach a site before its demand):
// 15 x 125 + 5 x 3 = 1890.
TEST(PlanHand, RackBalanceAndHolding) {
  model::Scenario s = BaseScenario();
  s.policy.rack_holding_usd_per_week = 3;
  s.demand[0] = {0, 0, 2, DemandKind::kFirm, 15, 1};
  PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 1890, kTol);
  EXPECT_NEAR(r.inv[r.InvIndex(0, 0, 1)], 5, kTol);
  EXPECT_NEAR(r.cost.holding, 15, kTol);
}

// No capacity (10 racks/week -> 0). Option 10 racks x p 0.4 at week 1, penalty
// $50; evaluation 7 at week 3, penalty $200. Backlog lasts to the horizon:
// expected: 4 x 3 weeks x 50 = 600, + 7 x 1 x 200 = 1400 -> 2000;
// all: 10 x 3 x 50 = 1500 + 1400 = 2900; none: 1400.
TEST(PlanHand, BacklogPenaltyPerKindAndOptionModes) {
  model::Scenario s = BaseScenario();
  s.lines[0].racks_per_week = 0;
  s.policy.backlog_penalty.usd_per_rack_week = {200, 1000, 50};
  s.demand = {{0, 0, 1, DemandKind::kOption, 10, 0.4}, {0, 0, 3, DemandKind::kEvaluation, 7, 1}};
  PlanResult expected = Solve(s);
  EXPECT_NEAR(expected.objective_usd, 2000, kTol);
  EXPECT_NEAR(expected.backlog_rack_weeks[2], 12, kTol);
  EXPECT_NEAR(expected.backlog_rack_weeks[0], 7, kTol);
  PlanOptions all;
  all.option_demand = model::OptionDemandMode::kAll;
  EXPECT_NEAR(Solve(s, all).objective_usd, 2900, kTol);
  s.policy.option_demand = model::OptionDemandMode::kNone;  // from the policy this time
  PlanResult none = Solve(s);
  EXPECT_NEAR(none.objective_usd, 1400, kTol);
  EXPECT_NEAR(none.backlog_rack_weeks[2], 0, kTol);
  ASSERT_EQ(none.late_demand.size(), 1u);
  EXPECT_EQ(none.late_demand[0].kind, DemandKind::kEvaluation);
  // Building at week 3 would save 200 - 125 = 75 per rack: the line row binds.
  EXPECT_EQ(none.late_demand[0].held_back_by, std::vector<std::string>{"line:l"});
}

// Lead time 2, on hand 4 parts (2 racks). Orders exist for weeks 0-1 only
// (t + 2 <= 3) and arrive in weeks 2-3. Demand 5 at week 1: 2 racks on time
// from stock, 3 built in week 2 from 6 parts ordered in week 0:
// 5 x (100 + 5) + 6 x 10 + 3 x 1000 = 3585.
TEST(PlanHand, PartsLeadTimeAndOnHand) {
  model::Scenario s = BaseScenario();
  s.offers[0].lead_time_weeks = 2;
  s.on_hand.push_back({0, 0, 4});
  s.demand[0].racks = 5;
  PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 3585, kTol);
  EXPECT_NEAR(Back(r, 1), 3, kTol);
  EXPECT_NEAR(r.buy[r.BuyIndex(0, 0, 0)] + r.buy[r.BuyIndex(0, 0, 1)], 6, kTol);
  EXPECT_NEAR(r.buy[r.BuyIndex(0, 0, 2)], 0, 0);  // no column: t + lead > H - 1
}

// Supply 6 parts/week = 3 racks/week: 6 racks on time, 2 one week late:
// 8 x 125 + 2 x 1000 = 3000. An extra part in weeks 0-1 is half a rack: $500.
TEST(PlanHand, SupplyCapacity) {
  model::Scenario s = BaseScenario();
  s.offers[0].capacity_per_week = 6;
  PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 3000, kTol);
  ASSERT_FALSE(r.bottlenecks.empty());
  EXPECT_EQ(r.bottlenecks[0].kind, BottleneckKind::kSupply);
  EXPECT_EQ(r.bottlenecks[0].node, "supplier:s");
  EXPECT_NEAR(r.bottlenecks[0].dual_usd_per_unit, 500, kTol);
  EXPECT_EQ(r.late_demand.at(0).held_back_by, std::vector<std::string>{"supplier:s"});
}

// Domestic offer $20, foreign $10 + 10 % tariff ($11). 16 parts. Floor 0.5 of
// pre-tariff spend: 20D >= 0.5 (20D + 10F) <=> F <= 2D; with D + F = 16 the
// cheapest is D = 16/3, F = 32/3: 20 x 16/3 + 11 x 32/3 = 224, + 8 x 105 = 1064.
// Duals: 20 = u + 10v, 11 = u - 5v -> v = 0.6 per USD of the domestic row.
// Without a floor: 16 x 11 + 840 = 1016.
TEST(PlanHand, DomesticFloor) {
  model::Scenario s = BaseScenario();
  s.offers[0].unit_cost_usd = 20;
  testing::AddSecondOffer(s, "MX", 10, 0.1);
  EXPECT_NEAR(Solve(s).objective_usd, 1016, kTol);
  s.policy.domestic_content_min = 0.5;
  PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 1064, kTol);
  EXPECT_NEAR(r.domestic_content, 0.5, kTol);
  EXPECT_NEAR(r.cost.tariffs, 32.0 / 3.0, kTol);
  auto it = std::find_if(r.bottlenecks.begin(), r.bottlenecks.end(),
                         [](const Bottleneck& b) { return b.kind == BottleneckKind::kDomestic; });
  ASSERT_NE(it, r.bottlenecks.end());
  EXPECT_EQ(it->node, "policy:domestic");
  EXPECT_NEAR(it->dual_usd_per_unit, 0.6, kTol);
  PlanOptions override_floor;
  override_floor.domestic_content_min = 0.0;
  EXPECT_NEAR(Solve(s, override_floor).objective_usd, 1016, kTol);
}

// Max supplier share 0.75: F <= 0.75 (D + F) -> D >= 4 of 16:
// 4 x 20 + 12 x 11 = 212, + 840 = 1052.
TEST(PlanHand, SupplierShare) {
  model::Scenario s = BaseScenario();
  s.offers[0].unit_cost_usd = 20;
  testing::AddSecondOffer(s, "MX", 10, 0.1);
  s.policy.max_supplier_share = 0.75;
  PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 1052, kTol);
  EXPECT_NEAR(r.BuyAllPlants(0, 0) + r.BuyAllPlants(0, 1) + r.BuyAllPlants(0, 2) + r.BuyAllPlants(0, 3), 4,
              kTol);
}

// Share rows count rows in offers.csv: one usable offer but two rows in the
// file (the other ignored) means no supplier may exceed 75 % of its own
// total, so nothing can be bought: all 8 racks late to the horizon (weeks
// 1-3): 24 x 1000 = 24000.
TEST(PlanHand, SupplierShareCountsRowsInFile) {
  model::Scenario s = BaseScenario();
  s.components[0].offer_rows_in_file = 2;
  s.policy.max_supplier_share = 0.75;
  EXPECT_NEAR(Solve(s).objective_usd, 24000, kTol);
}

// Line 5 racks/week, demand 16 at week 1. Without expansion: 10 on time,
// 6 late (5 in week 2, 1 in week 3): back 6 + 1 = 7 -> 16 x 125 + 7000 = 9000.
// Expansion line (10/week, capex 3000, earliest 0 + lead 1 = week 1): 15 in
// week 1 + 5 in week 0 = 20 >= 16 -> 2000 + 3000 = 5000.
TEST(PlanHand, CapexExpansionLineAndBudget) {
  model::Scenario s = BaseScenario();
  s.lines[0].racks_per_week = 5;
  s.demand[0].racks = 16;
  testing::AddExpansionLine(s, 3000, 0, 1, 10);
  PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 5000, kTol);
  EXPECT_EQ(r.expansions_opened, std::vector<std::string>{"x0"});
  EXPECT_NEAR(r.make[r.MakeIndex(1, 0, 0)], 0, kTol);  // not active in week 0
  s.policy.capex_budget_usd = 2000;
  EXPECT_NEAR(Solve(s).objective_usd, 9000, kTol);
  s.policy.capex_budget_usd.reset();
  s.expansions[0].capex_usd = 8000;
  PlanResult closed = Solve(s);
  EXPECT_NEAR(closed.objective_usd, 9000, kTol);
  EXPECT_TRUE(closed.expansions_opened.empty());
}

// Transit 1: demand at week 0 cannot arrive before week 1: 8 rack-weeks late.
// 8 x 125 + 8 x 1000 = 9000.
TEST(PlanHand, LaneTransit) {
  model::Scenario s = BaseScenario();
  s.lanes[0].transit_weeks = 1;
  s.demand[0].week = 0;
  PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 9000, kTol);
  EXPECT_NEAR(r.ship[r.ShipIndex(0, 0, 1, 0)], 8, kTol);
  EXPECT_NEAR(r.ship[r.ShipIndex(0, 0, 1, 3)], 0, 0);  // no column: 3 + 1 > H - 1
  // No capacity row binds: it is the transit time.
  ASSERT_EQ(r.late_demand.size(), 1u);
  EXPECT_TRUE(r.late_demand[0].held_back_by.empty());
}

// Two plants: p (4 racks/week, lane $5) and q (10 racks/week, lane $30).
// Demand 8 at week 0: 4 from each: 8 x 120 + 4 x 5 + 4 x 30 = 1100.
TEST(PlanHand, LaneCostAcrossPlants) {
  model::Scenario s = BaseScenario();
  s.lines[0].racks_per_week = 4;
  s.demand[0].week = 0;
  model::Plant q = s.plants[0];
  q.id = "q";
  q.lines = {1};
  s.plants.push_back(q);
  model::Line lq = s.lines[0];
  lq.id = "lq";
  lq.plant = 1;
  lq.racks_per_week = 10;
  s.lines.push_back(lq);
  s.lanes.push_back({1, 0, 0, 30});
  PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 1100, kTol);
  EXPECT_NEAR(r.racks_built_by_plant[1], 4, kTol);
}

// Adds plant "w" (no lines, index 1) that the only supplier reaches (supply
// lane s->w, transit 0, $0); p (index 0) can get part c only by transfers.
void OnlySupplierAtW(model::Scenario& s) {
  model::Plant w = s.plants[0];
  w.id = "w";
  w.lines = {};
  s.plants.push_back(w);
  s.supply_lanes = std::vector<model::SupplyLane>{{0, 1, 0, 0}};
}

// Sent = received after transit: each plant's parts row holds with the
// result's values (cinv[t] = cinv[t-1] + arrivals + transfers in at t - τ
// - transfers out at t - use), so every unit that leaves a plant arrives.
void ExpectPartsBalance(const model::Scenario& s, const PlanResult& r) {
  for (int32_t p = 0; p < r.plants; ++p) {
    for (int32_t t = 0; t < r.weeks; ++t) {
      double flow = t == 0 ? model::OnHandUnits(s, p, 0) : r.cinv[r.CinvIndex(0, p, t - 1)];
      for (const model::SupplyLane& sl : model::SupplyLanes(s)) {
        const int32_t order = t - s.offers[0].lead_time_weeks - sl.transit_weeks;
        if (sl.plant == p && order >= 0) flow += r.buy[r.BuyIndex(0, p, order)];
      }
      for (size_t x = 0; x < s.transfers.size(); ++x) {
        const model::Transfer& tr = s.transfers[x];
        if (tr.to_plant == p && t - tr.transit_weeks >= 0) flow += r.xfer[r.XferIndex(static_cast<int32_t>(x), t - tr.transit_weeks)];
        if (tr.from_plant == p) flow -= r.xfer[r.XferIndex(static_cast<int32_t>(x), t)];
      }
      for (size_t l = 0; l < s.lines.size(); ++l) {
        if (s.lines[l].plant == p) flow -= 2 * r.make[r.MakeIndex(static_cast<int32_t>(l), 0, t)];
      }
      EXPECT_NEAR(r.cinv[r.CinvIndex(0, p, t)], flow, kTol) << "plant " << p << " week " << t;
    }
  }
}

// Part c is bought only at w and moved to p by transfer w->p (transit 1,
// $3/unit). Parts bought at w in week t reach p in t + 1, so p can build from
// week 1 on: the 8 racks due in week 1 are built in week 1 from 16 parts bought
// and sent in week 0, on time: 16 x (10 + 3) + 8 x (100 + 5) = 1048; transport
// = 16 x 3 + 8 x 5 = 88. Without the transfer p gets no parts: 8 racks late in
// every week 1..3 = 24 x 1000 = 24000. The buy at w exists only because w
// passes c on (w has no line using c).
TEST(PlanHand, PartBoughtAtOnePlantMovedByTransfer) {
  model::Scenario s = BaseScenario();
  OnlySupplierAtW(s);
  PlanResult none = Solve(s);
  EXPECT_NEAR(none.objective_usd, 24000, kTol);

  s.transfers.push_back({1, 0, 0, 1, 3});
  PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 1048, kTol);
  EXPECT_NEAR(r.cost.transport, 88, kTol);
  EXPECT_NEAR(r.buy[r.BuyIndex(0, 1, 0)], 16, kTol);
  EXPECT_NEAR(r.xfer[r.XferIndex(0, 0)], 16, kTol);
  EXPECT_NEAR(r.xfer[r.XferIndex(0, 3)], 0, 0);  // no column: 3 + 1 > H - 1
  EXPECT_NEAR(r.make[r.MakeIndex(0, 0, 0)], 0, kTol);
  EXPECT_NEAR(r.make[r.MakeIndex(0, 0, 1)], 8, kTol);
  EXPECT_NEAR(Back(r, 1), 0, kTol);
  ExpectPartsBalance(s, r);
}

// A chain w -> v -> p (v has no lines: c is needed at v only because it passes
// it on, at w because v needs it): transit 0 ($1) then 1 ($2): 16 x 13 + 840
// = 1048, the 16 parts stay at v for no week (sent on in week 0).
TEST(PlanHand, TransferChainPassesThePartOn) {
  model::Scenario s = BaseScenario();
  OnlySupplierAtW(s);
  model::Plant v = s.plants[1];
  v.id = "v";
  s.plants.push_back(v);
  s.transfers.push_back({1, 2, 0, 0, 1});
  s.transfers.push_back({2, 0, 0, 1, 2});
  PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 1048, kTol);
  EXPECT_NEAR(r.cost.transport, 16 * 3 + 40, kTol);
  EXPECT_NEAR(r.xfer[r.XferIndex(0, 0)], 16, kTol);
  EXPECT_NEAR(r.xfer[r.XferIndex(1, 0)], 16, kTol);
  EXPECT_NEAR(r.cinv[r.CinvIndex(0, 2, 0)], 0, kTol);
  ExpectPartsBalance(s, r);
}

model::Disruption Out(model::NodeKind kind, double loss) { return {{kind, 0}, 0, 2, loss}; }

// Plant or line out in weeks 0-1: all 8 racks built in week 2, one week late:
// 1000 + 8000 = 9000. Partial loss 0.75 on the line: 2.5/week -> 5 on time,
// 3 late: 1000 + 3000 = 4000.
TEST(PlanHand, PlantAndLineDisruptions) {
  for (auto kind : {model::NodeKind::kPlant, model::NodeKind::kLine}) {
    model::Scenario s = BaseScenario();
    s.disruptions = {Out(kind, 1.0)};
    EXPECT_NEAR(Solve(s).objective_usd, 9000, kTol);
    s.disruptions = {Out(kind, 0.75)};
    EXPECT_NEAR(Solve(s).objective_usd, 4000, kTol);
  }
}

// The plant's loss also cuts test capacity: 10 h/week -> 5 racks, at 50 %
// loss 2.5 racks/week (line 5/week): 5 on time, 3 late -> 4000.
TEST(PlanHand, PartialPlantLossCutsTestCapacity) {
  model::Scenario s = BaseScenario();
  s.plants[0].test_hours_per_cell_week = 10;
  s.disruptions = {Out(model::NodeKind::kPlant, 0.5)};
  EXPECT_NEAR(Solve(s).objective_usd, 4000, kTol);
}

// Supplier at 50 % in weeks 0-1 with 6 parts/week: 3 parts -> 1.5 racks/week:
// 3 racks on time; 3 in week 2 and 2 in week 3: backlog 5 + 2 = 7 ->
// 1000 + 7000 = 8000.
TEST(PlanHand, SupplierPartialDisruption) {
  model::Scenario s = BaseScenario();
  s.offers[0].capacity_per_week = 6;
  s.disruptions = {Out(model::NodeKind::kSupplier, 0.5)};
  PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 8000, kTol);
  EXPECT_NEAR(Back(r, 1), 5, kTol);
  EXPECT_NEAR(Back(r, 2), 2, kTol);
}

// options.disruptions replaces the scenario's list.
TEST(PlanHand, OptionDisruptionsReplaceScenarios) {
  model::Scenario s = BaseScenario();
  s.disruptions = {Out(model::NodeKind::kPlant, 1.0)};
  PlanOptions o;
  o.disruptions = std::vector<model::Disruption>{};
  EXPECT_NEAR(Solve(s, o).objective_usd, 1000, kTol);
}

TEST(PlanHand, BadOptionsAreUsageErrors) {
  PlanOptions o;
  o.domestic_content_min = 1.5;
  try {
    SolvePlan(BaseScenario(), o);
    FAIL() << "expected common::UsageError";
  } catch (const common::UsageError& e) {
    EXPECT_STREQ(e.what(), "domestic_content_min: 1.5 is outside 0..1");
  }
  PlanOptions g;
  g.relative_gap = -0.1;
  EXPECT_THROW(SolvePlan(BaseScenario(), g), common::UsageError);
  PlanOptions d;
  d.disruptions = std::vector<model::Disruption>{{{model::NodeKind::kLine, 7}, 0, 1, 1.0}};
  try {
    SolvePlan(BaseScenario(), d);
    FAIL() << "expected common::UsageError";
  } catch (const common::UsageError& e) {
    EXPECT_STREQ(e.what(), "disruptions[0]: line index 7 does not exist");
  }
}

// Columns that can only be 0 get none (DESIGN.md "The plan model" unchanged): the base plant p
// builds g only, a second plant q builds a second design h only (h available from week 2, demand 2
// racks in week 3). No inv or ship of h at p nor of g at q; no inv at q before week 2; no ship that
// would arrive before the first demand of its (site, design, kind) (g: week 1, h: week 3; no
// evaluation or option demand at all). The optimum is the sum of the two hand-derived plans:
// g 8 x ($100 + $5 + 2 x $10) = $1000 as in BaseCase; h 2 x ($100 + $5 + 1 x $10) = $230.
TEST(PlanHand, NoColumnsForValuesThatMustBeZero) {
  model::Scenario s = BaseScenario();
  model::Design h = s.designs[0];
  h.id = "h";
  h.bom = {{0, 1}};
  h.available_from_week = 2;
  s.designs.push_back(h);
  model::Plant q = s.plants[0];
  q.id = "q";
  q.lines = {1};
  s.plants.push_back(q);
  model::Line l = s.lines[0];
  l.id = "lq";
  l.plant = 1;
  l.designs = {1};
  s.lines.push_back(l);
  s.lanes.push_back({1, 0, 0, 5});
  s.demand.push_back({0, 1, 3, DemandKind::kFirm, 2, 1});
  const PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 1230, kTol);
  EXPECT_NEAR(r.racks_built_by_plant[1], 2, kTol);

  solver::LpModel lp;
  const model::Availability a(s, s.disruptions);
  const PlanIndex ix = BuildPlanModel(s, a, model::OptionDemandMode::kExpected, 0.0, ModelVariant{}, lp);
  const Dims& d = ix.dims;
  const int32_t firm = static_cast<int32_t>(DemandKind::kFirm);
  for (int32_t t = 0; t < d.weeks; ++t) {
    EXPECT_EQ(ix.inv[d.Inv(0, 1, t)], -1) << t;  // p cannot build h
    EXPECT_EQ(ix.inv[d.Inv(1, 0, t)], -1) << t;  // q cannot build g
    EXPECT_EQ(ix.inv[d.Inv(1, 1, t)] >= 0, t >= 2) << t;
    EXPECT_EQ(ix.inv[d.Inv(0, 0, t)] >= 0, true) << t;
    for (int32_t k = 0; k < model::kDemandKinds; ++k) {
      EXPECT_EQ(ix.ship[d.Ship(0, 1, k, t)], -1) << t;  // h from p
      EXPECT_EQ(ix.ship[d.Ship(1, 0, k, t)], -1) << t;  // g from q
      EXPECT_EQ(ix.ship[d.Ship(0, 0, k, t)] >= 0, k == firm && t >= 1) << k << " " << t;
      EXPECT_EQ(ix.ship[d.Ship(1, 1, k, t)] >= 0, k == firm && t >= 3) << k << " " << t;
    }
  }
}

}  // namespace
}  // namespace rackforge::plan
