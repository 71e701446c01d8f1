// Phase-out (last_build_week), last-time buys (last_order_week) and the
// end-of-horizon penalty, on the base case of plan_fixture.h: H = 4, a rack
// costs 2 parts x $10 + $100 build + $5 lane = $125, lane transit 0.
// Optima derived by hand above each test.

#include <gtest/gtest.h>

#include <algorithm>

#include "plan/plan.h"
#include "unit/plan/plan_fixture.h"

namespace rackforge::plan {
namespace {

using model::DemandKind;
using testing::BaseScenario;

constexpr double kTol = 1e-6;

PlanResult Solve(const model::Scenario& s) {
  PlanResult r = SolvePlan(s, {});
  EXPECT_EQ(r.status, solver::SolveStatus::kOptimal);
  EXPECT_TRUE(r.has_solution);
  EXPECT_NEAR(r.cost.total(), r.objective_usd, 1e-9 * std::max(1.0, r.objective_usd));
  return r;
}

double Make(const PlanResult& r, int32_t week) { return r.make[r.MakeIndex(0, 0, week)]; }

// Demand 8 firm racks in the last week (3), weekly penalty $100/rack-week.
// A rack built and shipped in week 3 arrives in week 3 and saves back[3] only.
// No end penalty: it saves $100 < $125, so nothing is built: 8 x 100 = 800.
// End penalty $20: $120 < $125, still nothing built: 8 x (100 + 20) = 960,
//   8 racks owed at the end, all of it in backlog_penalty.
// End penalty $50: $150 > $125, all 8 built in week 3: 8 x 125 = 1000 (a
// rack holding cost of $1/week makes week 3 the only best week to build).
TEST(PlanHorizon, EndPenaltyChangesTheLastWeeksBuild) {
  model::Scenario s = BaseScenario();
  s.policy.backlog_penalty.usd_per_rack_week = {100, 100, 100};
  s.policy.rack_holding_usd_per_week = 1;
  s.demand[0] = {0, 0, 3, DemandKind::kFirm, 8, 1};

  PlanResult none = Solve(s);
  EXPECT_NEAR(none.objective_usd, 800, kTol);
  EXPECT_NEAR(none.racks_built, 0, kTol);
  EXPECT_NEAR(none.backlog_at_end_racks[1], 8, kTol);

  s.policy.end_backlog_penalty_usd_per_rack = {0, 20, 0};
  PlanResult low = Solve(s);
  EXPECT_NEAR(low.objective_usd, 960, kTol);
  EXPECT_NEAR(low.cost.backlog_penalty, 960, kTol);
  EXPECT_NEAR(low.racks_built, 0, kTol);
  EXPECT_NEAR(low.backlog_at_end_racks[1], 8, kTol);
  EXPECT_NEAR(low.backlog_rack_weeks[1], 8, kTol);

  s.policy.end_backlog_penalty_usd_per_rack = {0, 50, 0};
  PlanResult high = Solve(s);
  EXPECT_NEAR(high.objective_usd, 1000, kTol);
  EXPECT_NEAR(Make(high, 3), 8, kTol);
  EXPECT_NEAR(high.racks_built_by_week[3], 8, kTol);
  EXPECT_NEAR(high.cost.backlog_penalty, 0, kTol);
  EXPECT_NEAR(high.backlog_at_end_racks[1], 0, kTol);

  // The penalty is per kind: an end penalty on evaluation racks does not touch firm ones.
  s.policy.end_backlog_penalty_usd_per_rack = {50, 0, 50};
  EXPECT_NEAR(Solve(s).objective_usd, 800, kTol);
}

// Demand 8 at week 3; parts hold at $1/part-week, racks at $5/rack-week, so
// without limits parts are bought and used in week 3: 8 x 125 = 1000.
// The offer's last order week is 0 (lead 0): all 16 parts must be bought in
// week 0. Holding them to week 3 costs 2 x $1 = $2 per rack-week against $5
// for a finished rack, so the racks are still built in week 3 and the parts
// wait in cinv[0..2]: 1000 + 16 x 3 x 1 = 1048. Last order week 1: 1032.
TEST(PlanHorizon, LastTimeBuyIsBoughtAhead) {
  model::Scenario s = BaseScenario();
  s.demand[0] = {0, 0, 3, DemandKind::kFirm, 8, 1};
  s.components[0].holding_usd_per_week = 1;
  s.policy.rack_holding_usd_per_week = 5;
  EXPECT_NEAR(Solve(s).objective_usd, 1000, kTol);

  s.offers[0].last_order_week = 0;
  PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 1048, kTol);
  EXPECT_NEAR(r.buy[r.BuyIndex(0, 0, 0)], 16, kTol);
  for (int32_t t = 1; t < 4; ++t) EXPECT_EQ(r.buy[r.BuyIndex(0, 0, t)], 0.0) << t;  // no column after the last order
  EXPECT_NEAR(r.cinv[r.CinvIndex(0, 0, 2)], 16, kTol);
  EXPECT_NEAR(Make(r, 3), 8, kTol);

  s.offers[0].last_order_week = 1;
  EXPECT_NEAR(Solve(s).objective_usd, 1032, kTol);
}

// The design's last build week is 1, demand 8 at week 3, racks hold at
// $5/rack-week, line 5 racks/week. The latest the racks can be made: 5 in
// week 1 and 3 in week 0, held to week 3: 3 x 3 x 5 + 5 x 2 x 5 = 95, so
// 8 x 125 + 95 = 1095. No make column exists for weeks 2-3.
// With demand 12 (more than the 10 the line makes by week 1), 2 racks stay
// owed to the end: 10 x 125 + 5 x 3 x 5 + 5 x 2 x 5 + 2 x 1000 = 3375.
TEST(PlanHorizon, PhasedOutDesignIsBuiltUpToItsLastWeek) {
  model::Scenario s = BaseScenario();
  s.demand[0] = {0, 0, 3, DemandKind::kFirm, 8, 1};
  s.policy.rack_holding_usd_per_week = 5;
  s.lines[0].racks_per_week = 5;
  s.designs[0].last_build_week = 1;
  PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 1095, kTol);
  EXPECT_NEAR(Make(r, 0), 3, kTol);
  EXPECT_NEAR(Make(r, 1), 5, kTol);
  EXPECT_EQ(Make(r, 2), 0.0);
  EXPECT_EQ(Make(r, 3), 0.0);

  s.demand[0].racks = 12;
  PlanResult short_of = Solve(s);
  EXPECT_NEAR(short_of.objective_usd, 3375, kTol);
  EXPECT_NEAR(short_of.racks_built, 10, kTol);
  EXPECT_NEAR(short_of.backlog_at_end_racks[1], 2, kTol);
}

// A last build week beyond the horizon is the same as none.
TEST(PlanHorizon, LastWeeksBeyondTheHorizonChangeNothing) {
  model::Scenario s = BaseScenario();
  const double base = Solve(s).objective_usd;
  s.designs[0].last_build_week = 100;
  s.offers[0].last_order_week = 100;
  EXPECT_NEAR(Solve(s).objective_usd, base, kTol);
}

// Parts at plants. A second plant q (line 10 racks/week, $100/rack, lane to
// the site: transit 0, $5) and a supply lane s -> q only (transit 1, $3/unit):
// plant p can never get the part, so it builds nothing. Demand 8 at week 1:
// parts ordered in week 0 arrive at q in week 1, 8 racks are built and shipped
// there: 8 x (2 x (10 + 3) + 100 + 5) = 1048. With demand at week 0 instead,
// no part can be at q before week 1: 8 racks one week late, 1048 + 8 x 1000.
TEST(PlanHorizon, SupplierThatReachesOnePlantOnly) {
  model::Scenario s = BaseScenario();
  model::Plant q = s.plants[0];
  q.id = "q";
  q.lines = {1};
  s.plants.push_back(q);
  model::Line lq = s.lines[0];
  lq.id = "lq";
  lq.plant = 1;
  s.lines.push_back(lq);
  s.lanes.push_back({1, 0, 0, 5});
  s.supply_lanes = std::vector<model::SupplyLane>{{0, 1, 1, 3}};
  PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 1048, kTol);
  EXPECT_NEAR(r.cost.transport, 16 * 3 + 8 * 5, kTol);
  EXPECT_NEAR(r.racks_built_by_plant[0], 0, kTol);
  EXPECT_NEAR(r.racks_built_by_plant[1], 8, kTol);
  EXPECT_NEAR(r.buy[r.BuyIndex(0, 1, 0)], 16, kTol);
  for (int32_t t = 0; t < 4; ++t) EXPECT_EQ(r.buy[r.BuyIndex(0, 0, t)], 0.0);  // no lane to p: no column
  EXPECT_EQ(r.buy[r.BuyIndex(0, 1, 3)], 0.0);  // t + transit > H - 1: no column

  s.demand[0].week = 0;
  EXPECT_NEAR(Solve(s).objective_usd, 1048 + 8000, kTol);
}

// Stock on hand at a plant that cannot use it pays holding every week.
TEST(PlanHorizon, StockAtAPlantIsHeldThere) {
  model::Scenario s = BaseScenario();
  s.components[0].holding_usd_per_week = 1;
  model::Plant q = s.plants[0];
  q.id = "q";
  q.lines = {};
  s.plants.push_back(q);
  s.on_hand.push_back({1, 0, 5});  // 5 parts at q, which has no line: held 4 weeks
  PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 1000 + 5 * 4, kTol);
  for (int32_t t = 0; t < 4; ++t) EXPECT_NEAR(r.cinv[r.CinvIndex(0, 1, t)], 5, kTol);
}

}  // namespace
}  // namespace rackforge::plan
