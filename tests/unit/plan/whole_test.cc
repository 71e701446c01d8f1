// Whole quantities (DESIGN.md "Whole quantities, pegging and re-planning"):
// every row of the model re-checked by an independent checker for the
// reported whole values, the objective recomputed from them, bound <=
// objective; a hand case where rounding must move a rack to a later week;
// continuous quantities give exactly the continuous optimum.

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "common/errors.h"
#include "io/generate.h"
#include "io/scenario_loader.h"
#include "plan/plan.h"
#include "plan/plan_model.h"
#include "unit/plan/plan_checker.h"
#include "unit/plan/plan_fixture.h"

namespace rackforge::plan {
namespace {

PlanOptions Whole() {
  PlanOptions o;
  o.quantities = model::Quantities::kWhole;
  return o;
}

testing::CheckOptions CheckFor(const model::Scenario& s) {
  testing::CheckOptions c;
  c.mode = s.policy.option_demand;
  c.disruptions = s.disruptions;
  c.domestic_min = s.policy.domestic_content_min;
  return c;
}

std::string Joined(const std::vector<std::string>& problems) {
  std::string out;
  for (const std::string& p : problems) out += p + "\n";
  return out;
}

/// Solves `s` whole and checks every row, integrality, the objective and the bound.
PlanResult ExpectWholePlan(const model::Scenario& s) {
  const PlanResult r = SolvePlan(s, Whole());
  EXPECT_TRUE(r.has_solution);
  EXPECT_TRUE(r.whole);
  if (!r.has_solution) return r;
  const std::vector<std::string> problems = testing::CheckPlan(s, r, CheckFor(s));
  EXPECT_TRUE(problems.empty()) << Joined(problems);
  EXPECT_LE(r.continuous_bound_usd, r.objective_usd + 1e-9 * std::fabs(r.objective_usd));
  EXPECT_NEAR(r.whole_gap, (r.objective_usd - r.continuous_bound_usd) / std::fabs(r.objective_usd), 1e-12);
  EXPECT_GE(r.whole_gap, -1e-12);
  return r;
}

model::Scenario Tiny() { return io::LoadScenario(std::string(RACKFORGE_SOURCE_DIR) + "/tests/scenarios/tiny"); }

model::Scenario Generated(const io::GenerateOptions& o) { return io::LoadGeneratedScenario(o); }

TEST(WholeQuantities, TinyScenarioEveryRowHolds) {
  const model::Scenario s = Tiny();
  const PlanResult r = ExpectWholePlan(s);
  EXPECT_GT(r.racks_built, 0);
  // tiny is starved of parts on purpose (2 racks' worth in stock, long lead times): whole racks
  // lose a large share of its small objective. The 0.1 % goal is for realistic sizes (bench/).
  EXPECT_LE(r.whole_gap, 0.2);
  // Far above the 0.1 % goal: the improvement step runs (at most twice).
  EXPECT_GE(r.whole_improvement_rounds, 1);
  EXPECT_LE(r.whole_improvement_rounds, 2);
}

TEST(WholeQuantities, TinyContinuousIsTheContinuousOptimum) {
  const model::Scenario s = Tiny();
  PlanOptions continuous;
  continuous.quantities = model::Quantities::kContinuous;
  const PlanResult c = SolvePlan(s, continuous);
  PlanModel model(s, PlanOptions{});
  const PlanResult direct = model.Solve();
  ASSERT_TRUE(c.has_solution);
  EXPECT_FALSE(c.whole);
  EXPECT_EQ(c.objective_usd, direct.objective_usd);
  EXPECT_EQ(c.make, direct.make);
  // A continuous plan of tiny is not whole (else the whole tests below would prove nothing).
  bool fractional = false;
  for (double v : c.make) fractional = fractional || v != std::round(v);
  EXPECT_TRUE(fractional);
  // The whole plan's bound is that same optimum.
  const PlanResult w = SolvePlan(s, Whole());
  EXPECT_DOUBLE_EQ(w.continuous_bound_usd, c.objective_usd);
  EXPECT_GE(w.objective_usd, c.objective_usd);
}

TEST(WholeQuantities, GeneratedScenariosEveryRowHolds) {
  struct Case {
    uint64_t seed;
    bool supply_lanes, transfers, phase_out;
    int32_t end_penalty_weeks;
  };
  for (const Case& c : {Case{1, false, false, false, 0}, Case{2, true, true, false, 4}, Case{3, true, false, true, 2},
                        Case{4, false, true, true, 0}}) {
    SCOPED_TRACE(c.seed);
    io::GenerateOptions o = testing::SmallGenerated(c.seed);
    o.supply_lanes = c.supply_lanes;
    o.transfers = c.transfers;
    o.phase_out = c.phase_out;
    o.end_penalty_weeks = c.end_penalty_weeks;
    const PlanResult r = ExpectWholePlan(Generated(o));
    EXPECT_GT(r.racks_built, 0);
    EXPECT_LE(r.whole_gap, 0.005);  // 16 weeks, 3 plants; the 0.1 % goal is measured at default size (bench/)
  }
}

// Generated scenarios with component lines (makec whole too, parts made from bought parts): every
// row holds, including the component-line rows, and something is made in-house.
TEST(WholeQuantities, GeneratedWithComponentLinesEveryRowHolds) {
  for (uint64_t seed : {1, 2, 3}) {
    SCOPED_TRACE(seed);
    io::GenerateOptions o = testing::SmallGenerated(seed);
    o.supply_lanes = true;
    o.transfers = true;
    o.component_lines = 2;
    const model::Scenario s = Generated(o);
    ASSERT_FALSE(s.component_lines.empty());
    const PlanResult r = ExpectWholePlan(s);
    EXPECT_GT(r.cost.in_house, 0);  // makec is used (and whole: the checker checks it)
    EXPECT_LE(r.whole_gap, 0.005);  // measured 0.02-0.07 %
  }
}

// The size of bench/whole.sh's generated cases (5 plants, 4 designs, 60 components, 52 weeks):
// every row holds and whole_gap meets the 0.1 % goal (measured 0.008 %).
TEST(WholeQuantities, GeneratedDefaultSizeMeetsTheGapGoal) {
  io::GenerateOptions o;
  o.seed = 1;
  o.supply_lanes = true;
  o.transfers = true;
  o.end_penalty_weeks = 4;
  const PlanResult r = ExpectWholePlan(Generated(o));
  EXPECT_LE(r.whole_gap, 0.001);
  // The first whole plan meets the goal already, so no improvement round runs (one ran before the
  // rule and gave the same plan).
  EXPECT_EQ(r.whole_improvement_rounds, 0);
}

// bench size with three component lines, transfers and supply lanes (seed 3: rounding makec and
// xfer to the nearest of their running totals and up leave the parts LP infeasible, down does
// not): a whole plan with every row held and the 0.1 % goal met (measured 0.009-0.03 %). Before
// makec and xfer were rounded on their own, no whole plan was found here.
TEST(WholeQuantities, GeneratedDefaultSizeWithComponentLinesMeetsTheGapGoal) {
  io::GenerateOptions o;
  o.seed = 3;
  o.supply_lanes = true;
  o.transfers = true;
  o.end_penalty_weeks = 4;
  o.component_lines = 3;
  const PlanResult r = ExpectWholePlan(Generated(o));
  ASSERT_TRUE(r.has_solution);
  EXPECT_GT(r.cost.in_house, 0);
  EXPECT_LE(r.whole_gap, 0.001);
}

// Component lines (makec with sub-part BOMs, a component-line expansion) and transfers: rounding
// every fractional purchase, transfer and component build up at once takes parts the sending or
// making plant does not have, and the repair MILP stopped at its node limit without a plan for
// every rounding of make (seeds 2 and 3 at 26 weeks). Rounding makec and xfer to their running
// totals before the purchases finds a whole plan that holds every row.
TEST(WholeQuantities, GeneratedWithComponentLinesAndTransfers) {
  for (uint64_t seed : {2u, 3u}) {
    SCOPED_TRACE(seed);
    io::GenerateOptions o;
    o.seed = seed;
    o.weeks = 26;
    o.supply_lanes = true;
    o.transfers = true;
    o.component_lines = 3;
    const model::Scenario s = Generated(o);
    ASSERT_FALSE(s.component_lines.empty());
    ASSERT_FALSE(s.transfers.empty());
    const PlanResult r = ExpectWholePlan(s);
    ASSERT_TRUE(r.has_solution);
    EXPECT_GT(r.racks_built, 0);
    // The component lines build whole units, and some: the test would prove nothing without makec.
    double built = 0;
    for (double v : r.makec) {
      EXPECT_EQ(v, std::round(v));
      built += v;
    }
    EXPECT_GT(built, 0);
    EXPECT_LE(r.whole_gap, 0.001);
  }
}

// The debug log's extra bound LP runs on a copy of the model: a whole plan with -v is the plan
// without it (with the LP on the plan's own model, the next LP started from its basis).
TEST(WholeQuantities, DebugLogChangesNoFigure) {
  // A case where the extra LP on the plan's own model gave other (equally cheap) purchases.
  io::GenerateOptions o;
  o.seed = 3;
  o.weeks = 16;
  o.component_lines = 3;
  o.supply_lanes = true;
  o.transfers = true;
  const model::Scenario s = Generated(o);
  spdlog::logger debug("whole-debug", std::make_shared<spdlog::sinks::null_sink_mt>());
  debug.set_level(spdlog::level::debug);
  const PlanResult quiet = SolvePlan(s, Whole());
  const PlanResult logged = SolvePlan(s, Whole(), &debug);
  ASSERT_TRUE(quiet.has_solution);
  EXPECT_EQ(logged.objective_usd, quiet.objective_usd);
  EXPECT_EQ(logged.make, quiet.make);
  EXPECT_EQ(logged.buy, quiet.buy);
  EXPECT_EQ(logged.makec, quiet.makec);
  EXPECT_EQ(logged.xfer, quiet.xfer);
}

TEST(WholeQuantities, SyntheticScenarioWithFractionalCapacities) {
  // Capacities, line rates, stock and ramps are fractional here; one disruption is partial.
  testing::SyntheticSize size;
  size.weeks = 16;
  size.transfers = true;
  ExpectWholePlan(testing::SyntheticScenario(size));
}

// The checker is not vacuous: one rack more, a fractional purchase or a cheaper objective than the
// values cost are each caught.
TEST(WholeQuantities, CheckerCatchesBrokenPlans) {
  model::Scenario s = testing::BaseScenario();  // the hand case below: it buys, builds and ships
  s.horizon_weeks = 3;
  s.lines[0].racks_per_week = 1.5;
  s.demand[0].racks = 3;
  const PlanResult good = SolvePlan(s, Whole());
  ASSERT_TRUE(good.has_solution);
  ASSERT_TRUE(testing::CheckPlan(s, good, CheckFor(s)).empty());
  // The first positive value of a column family moved by `by`.
  auto bump_first_positive = [](std::vector<double>& values, double by) {
    const auto it = std::find_if(values.begin(), values.end(), [](double v) { return v > 0; });
    ASSERT_NE(it, values.end());
    *it += by;
  };
  PlanResult more = good;
  bump_first_positive(more.make, 1);
  EXPECT_FALSE(testing::CheckPlan(s, more, CheckFor(s)).empty());
  PlanResult fractional = good;
  bump_first_positive(fractional.buy, 0.5);
  EXPECT_FALSE(testing::CheckPlan(s, fractional, CheckFor(s)).empty());
  PlanResult cheaper = good;
  cheaper.objective_usd -= 1;
  EXPECT_FALSE(testing::CheckPlan(s, cheaper, CheckFor(s)).empty());
}

// Line l makes 1.5 racks a week; 3 firm racks are due in week 1 (H = 3). The continuous optimum
// builds 1.5 + 1.5 and ships 3 in week 1: 3 x $125 = $375. Whole racks: at most 1 a week, so week 0
// rounds 1.5 down to 1 and week 1 can add only 1: the third rack moves to week 2 and is 1 week late
// ($1,000). Making it is cheaper than owing it a second week, so the whole optimum is make 1, 1, 1,
// ship 2 in week 1 and 1 in week 2, cost 3 x $125 + $1,000 = $1,375.
TEST(WholeQuantities, HandCaseRoundingMovesARackToALaterWeek) {
  model::Scenario s = testing::BaseScenario();
  s.horizon_weeks = 3;
  s.lines[0].racks_per_week = 1.5;
  s.demand[0].racks = 3;
  PlanOptions continuous;
  const PlanResult c = SolvePlan(s, continuous);
  ASSERT_TRUE(c.has_solution);
  EXPECT_NEAR(c.objective_usd, 375, 1e-6);
  EXPECT_NEAR(c.make[c.MakeIndex(0, 0, 0)], 1.5, 1e-9);

  const PlanResult r = ExpectWholePlan(s);
  ASSERT_TRUE(r.has_solution);
  EXPECT_EQ(r.make[r.MakeIndex(0, 0, 0)], 1);
  EXPECT_EQ(r.make[r.MakeIndex(0, 0, 1)], 1);
  EXPECT_EQ(r.make[r.MakeIndex(0, 0, 2)], 1);
  EXPECT_EQ(r.ship[r.ShipIndex(0, 0, 1, 1)], 2);  // kind 1 = firm
  EXPECT_EQ(r.ship[r.ShipIndex(0, 0, 1, 2)], 1);
  EXPECT_EQ(r.back[r.BackIndex(0, 0, 1, 1)], 1);
  EXPECT_EQ(r.buy[r.BuyIndex(0, 0, 0)] + r.buy[r.BuyIndex(0, 0, 1)] + r.buy[r.BuyIndex(0, 0, 2)], 6);
  EXPECT_DOUBLE_EQ(r.objective_usd, 1375);
  EXPECT_DOUBLE_EQ(r.continuous_bound_usd, 375);
  EXPECT_DOUBLE_EQ(r.whole_gap, 1000.0 / 1375.0);
}

// Two lines of one plant, 1 rack a week each, but test hours for 1.5 racks a week (3 h, 2 h a
// rack): the continuous plan builds 1.5 a week (3 racks by week 1, $375); whole racks fit 1 a week
// at the plant, never 2 in one week, whichever line builds them. With 3 firm racks due in week 1 the
// third moves to week 2 as in the case above: $1,375.
TEST(WholeQuantities, HandCaseTestHoursCapWholeRacks) {
  model::Scenario s = testing::BaseScenario();
  s.horizon_weeks = 3;
  s.lines[0].racks_per_week = 1;
  model::Line second = s.lines[0];
  second.id = "l2";
  s.lines.push_back(second);
  s.plants[0].lines.push_back(1);
  s.plants[0].test_hours_per_cell_week = 3;
  s.demand[0].racks = 3;
  const PlanResult r = ExpectWholePlan(s);
  ASSERT_TRUE(r.has_solution);
  for (int32_t t = 0; t < 3; ++t) {
    EXPECT_LE(r.make[r.MakeIndex(0, 0, t)] + r.make[r.MakeIndex(1, 0, t)], 1) << t;
  }
  // 3 racks due in week 1, 2 can be tested by then: one rack a week late, as above.
  EXPECT_DOUBLE_EQ(r.objective_usd, 3 * 125 + 1000);
}

}  // namespace
}  // namespace rackforge::plan
