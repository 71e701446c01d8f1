// PlanModel re-solves (outages, fixing, backlog caps, objective variants,
// domestic floor changes, copies) and the domestic sweep, on hand-derived
// instances from plan_fixture.h (see plan_hand_test.cc for the base numbers).

#include "plan/plan_model.h"

#include <gtest/gtest.h>

#include <thread>

#include "common/errors.h"
#include "plan/sweep.h"
#include "unit/plan/plan_fixture.h"

namespace rackforge::plan {
namespace {

using model::NodeKind;
using model::NodeRef;
using solver::SolveStatus;
constexpr double kTol = 1e-6;

model::Scenario DomesticScenario() {
  model::Scenario s = testing::BaseScenario();
  s.offers[0].unit_cost_usd = 20;
  testing::AddSecondOffer(s, "MX", 10, 0.1);
  return s;
}

// Any of plant p, line l (both: no racks in weeks 0-1) or supplier s (no parts
// in weeks 0-1) out for weeks 0-1 pushes all 8 racks one week late: 9000.
TEST(PlanModel, OutagesAndClear) {
  PlanModel m(testing::BaseScenario(), {});
  EXPECT_NEAR(m.Solve().objective_usd, 1000, kTol);
  for (NodeKind kind : {NodeKind::kPlant, NodeKind::kLine, NodeKind::kSupplier}) {
    m.SetOutage({kind, 0}, 0, 2);
    EXPECT_NEAR(m.Solve().objective_usd, 9000, kTol) << static_cast<int>(kind);
    m.ClearOutages();
    EXPECT_NEAR(m.Solve().objective_usd, 1000, kTol);
  }
}

TEST(PlanModel, CopiesAreIndependentAndRunInParallel) {
  PlanModel base(testing::BaseScenario(), {});
  ASSERT_NEAR(base.Solve().objective_usd, 1000, kTol);
  std::vector<PlanModel> copies(4, base);
  std::vector<double> objective(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      copies[i].SetOutage({NodeKind::kPlant, 0}, 0, i % 2 == 0 ? 2 : 0);
      objective[i] = copies[i].Solve().objective_usd;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_NEAR(objective[0], 9000, kTol);
  EXPECT_NEAR(objective[1], 1000, kTol);
  EXPECT_NEAR(objective[2], 9000, kTol);
  EXPECT_NEAR(base.Solve().objective_usd, 1000, kTol);
}

// Unweighted backlog (risk): plant out in weeks 0-1 -> back[1] = 8 rack-weeks
// is the least possible total; counting from week 2 only, 0.
TEST(PlanModel, UnweightedBacklogObjective) {
  ModelVariant v;
  v.objective = ModelVariant::Objective::kUnweightedBacklog;
  v.domestic_and_share_rows = false;
  PlanModel m(testing::BaseScenario(), {}, v);
  m.SetOutage({NodeKind::kPlant, 0}, 0, 2);
  EXPECT_NEAR(m.Solve().objective_usd, 8, kTol);
  v.backlog_from_week = 2;
  PlanModel later(testing::BaseScenario(), {}, v);
  later.SetOutage({NodeKind::kPlant, 0}, 0, 2);
  EXPECT_NEAR(later.Solve().objective_usd, 0, kTol);
}

// Caps on Σ back[t]: with the plant out in weeks 0-1, back[1] = 8 is forced,
// so a cap of 0 at week 1 is infeasible, 8 is feasible; removing caps restores.
TEST(PlanModel, BacklogCaps) {
  ModelVariant v;
  v.objective = ModelVariant::Objective::kUnweightedBacklog;
  PlanModel m(testing::BaseScenario(), {}, v);
  m.SetOutage({NodeKind::kPlant, 0}, 0, 2);
  const int32_t rows = m.rows();
  m.SetBacklogCaps(1, {0.0});
  EXPECT_EQ(m.rows(), rows + 1);
  PlanResult r = m.Solve();
  EXPECT_EQ(r.status, SolveStatus::kInfeasible);
  EXPECT_FALSE(r.has_solution);
  m.SetBacklogCaps(1, {8.0, 0.0});
  EXPECT_EQ(m.Solve().status, SolveStatus::kOptimal);
  m.SetBacklogCaps(1, {});
  EXPECT_EQ(m.rows(), rows);
  EXPECT_NEAR(m.Solve().objective_usd, 8, kTol);
}

// Fixing weeks < 2 to the baseline keeps its decisions; an outage from week 2
// on then costs nothing (all demand was served by week 1).
TEST(PlanModel, FixBeforeKeepsBaselineDecisions) {
  const model::Scenario s = testing::BaseScenario();
  PlanResult baseline = SolvePlan(s, {});
  PlanModel m(s, {});
  m.FixBefore(baseline, 2, 0.0);
  m.SetOutage({NodeKind::kPlant, 0}, 2, 4);
  PlanResult r = m.Solve();
  ASSERT_EQ(r.status, SolveStatus::kOptimal);
  EXPECT_NEAR(r.objective_usd, 1000, kTol);
  for (int32_t t = 0; t < 2; ++t) EXPECT_NEAR(r.make[r.MakeIndex(0, 0, t)], baseline.make[baseline.MakeIndex(0, 0, t)], kTol);
}

// FixBefore fixes xfer by departure week. The transfer case of plan_hand_test
// (part bought only at w, sent w -> p with transit 1 at $3): optimum 1048 with
// the 16 parts sent in week 0. A baseline that sent nothing in week 0, fixed
// before week 1 (its buy of 16 at w in week 0 too), sends them in week 1: they
// arrive in week 2 and the 8 racks due in week 1 are one week late:
// 1048 + 8 x 1000 = 9048.
TEST(PlanModel, FixBeforeFixesTransfersByDepartureWeek) {
  model::Scenario s = testing::BaseScenario();
  model::Plant w = s.plants[0];
  w.id = "w";
  w.lines = {};
  s.plants.push_back(w);
  s.supply_lanes = std::vector<model::SupplyLane>{{0, 1, 0, 0}};
  s.transfers.push_back({1, 0, 0, 1, 3});
  PlanResult baseline = SolvePlan(s, {});
  ASSERT_NEAR(baseline.objective_usd, 1048, kTol);
  ASSERT_NEAR(baseline.xfer[baseline.XferIndex(0, 0)], 16, kTol);
  baseline.xfer[baseline.XferIndex(0, 0)] = 0;
  PlanModel m(s, {});
  m.FixBefore(baseline, 1, 0.0);
  PlanResult r = m.Solve();
  ASSERT_EQ(r.status, SolveStatus::kOptimal);
  EXPECT_NEAR(r.objective_usd, 9048, kTol);
  EXPECT_NEAR(r.xfer[r.XferIndex(0, 0)], 0, kTol);
  EXPECT_NEAR(r.xfer[r.XferIndex(0, 1)], 16, kTol);
}

// FixBefore also fixes open[e]: the capex case (plan_hand_test) opens x0 at
// 5000; fixed closed (baseline without it) the plan costs 9000.
TEST(PlanModel, FixBeforeFixesExpansions) {
  model::Scenario s = testing::BaseScenario();
  s.lines[0].racks_per_week = 5;
  s.demand[0].racks = 16;
  testing::AddExpansionLine(s, 3000, 0, 1, 10);
  PlanModel m(s, {});
  PlanResult opened = m.Solve();
  EXPECT_NEAR(opened.objective_usd, 5000, kTol);
  PlanResult closed = opened;
  closed.opened = {0};
  m.FixBefore(closed, 0);
  EXPECT_NEAR(m.Solve().objective_usd, 9000, kTol);
}

TEST(PlanModel, DomesticFloorChangesInPlace) {
  PlanModel m(DomesticScenario(), {});
  EXPECT_NEAR(m.Solve().objective_usd, 1016, kTol);
  m.SetDomesticContentMin(0.5);
  EXPECT_NEAR(m.Solve().objective_usd, 1064, kTol);
  m.SetDomesticContentMin(0.0);
  EXPECT_NEAR(m.Solve().objective_usd, 1016, kTol);
  EXPECT_THROW(m.SetDomesticContentMin(-0.1), common::UsageError);
}

// Risk LPs leave the domestic and share rows out: a floor of 1 (all spend
// domestic) then costs nothing extra.
TEST(PlanModel, WithoutDomesticAndShareRows) {
  PlanOptions o;
  o.domestic_content_min = 1.0;
  ModelVariant v;
  v.domestic_and_share_rows = false;
  PlanModel m(DomesticScenario(), o, v);
  EXPECT_NEAR(m.Solve().objective_usd, 1016, kTol);
  PlanModel full(DomesticScenario(), o);
  // All 16 parts domestic: 16 x 20 + 840 = 1160.
  EXPECT_NEAR(full.Solve().objective_usd, 1160, kTol);
}

TEST(Sweep, PointsInclusive) {
  const std::vector<double> p = SweepPoints(0, 0.5, 0.05);
  ASSERT_EQ(p.size(), 11u);
  EXPECT_DOUBLE_EQ(p[3], 0.15);
  EXPECT_DOUBLE_EQ(p.back(), 0.5);
  EXPECT_EQ(SweepPoints(0.3, 0.3, 0.1), std::vector<double>{0.3});
  try {
    SweepPoints(0, 0.5, 0);
    FAIL();
  } catch (const common::UsageError& e) {
    EXPECT_STREQ(e.what(), "domestic sweep: STEP 0 must be > 0");
  }
  EXPECT_THROW(SweepPoints(0.5, 0.2, 0.1), common::UsageError);
  EXPECT_THROW(SweepPoints(0, 1.5, 0.1), common::UsageError);
}

// 0 -> 1016, 0.5 -> 1064 (plan_hand_test DomesticFloor), 1 -> 1160 (all domestic).
TEST(Sweep, ReusesOneModel) {
  SweepResult r = RunSweep(DomesticScenario(), {}, {0.0, 0.5, 1.0});
  ASSERT_EQ(r.points.size(), 3u);
  EXPECT_NEAR(r.points[0].result.objective_usd, 1016, kTol);
  EXPECT_NEAR(r.points[1].result.objective_usd, 1064, kTol);
  EXPECT_NEAR(r.points[2].result.objective_usd, 1160, kTol);
  EXPECT_NEAR(r.points[2].result.domestic_content, 1.0, kTol);
  EXPECT_DOUBLE_EQ(r.points[1].domestic_content_min, 0.5);
  EXPECT_GE(r.build_seconds, 0.0);
  EXPECT_GE(r.solve_seconds, 0.0);
}

}  // namespace
}  // namespace rackforge::plan
