// The domestic sweep against independent solves: every point of a sweep (one
// model re-solved with warm starts, on one or two threads) has the status and
// objective of a fresh plan solved alone at that floor, in point order.

#include "plan/sweep.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "io/generate.h"
#include "io/scenario_loader.h"
#include "plan/plan_model.h"
#include "unit/plan/plan_fixture.h"

namespace rackforge::plan {
namespace {

model::Scenario TinyScenario() {
  model::Scenario s = testing::BaseScenario();
  s.offers[0].unit_cost_usd = 20;
  testing::AddSecondOffer(s, "MX", 10, 0.1);
  return s;
}

model::Scenario GeneratedScenario() {
  return io::LoadGeneratedScenario(testing::SmallGenerated(3));
}

/// The plan solved alone at `floor` (fresh model, one search).
PlanResult SolveAlone(const model::Scenario& s, double floor) {
  PlanOptions o;
  o.domestic_content_min = floor;
  return PlanModel(s, o).Solve();
}

void ExpectSameObjective(const PlanResult& a, const PlanResult& b) {
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.has_solution, b.has_solution);
  EXPECT_NEAR(a.objective_usd, b.objective_usd, 1e-9 * std::max(1.0, std::fabs(b.objective_usd)));
}

void ExpectSweepMatchesSingleSolves(const model::Scenario& s, const std::vector<double>& points) {
  std::vector<PlanResult> alone;
  for (double p : points) alone.push_back(SolveAlone(s, p));
  for (const int32_t workers : {1, 2}) {
    SCOPED_TRACE(workers);
    PlanOptions base;
    base.workers = workers;
    const SweepResult r = RunSweep(s, base, points);
    ASSERT_EQ(r.points.size(), points.size());
    for (size_t i = 0; i < points.size(); ++i) {
      SCOPED_TRACE(points[i]);
      EXPECT_DOUBLE_EQ(r.points[i].domestic_content_min, points[i]);
      ExpectSameObjective(r.points[i].result, alone[i]);
    }
  }
}

TEST(Sweep, TinyScenarioPointsEqualSingleSolves) {
  ExpectSweepMatchesSingleSolves(TinyScenario(), {0.0, 0.25, 0.5, 0.75, 1.0});
}

TEST(Sweep, GeneratedScenarioPointsEqualSingleSolves) {
  const model::Scenario s = GeneratedScenario();
  const std::vector<double> points = SweepPoints(0, 0.5, 0.1);
  ExpectSweepMatchesSingleSolves(s, points);
  // Expansions to choose (a MILP per point), and floors that bite: the cost curve is not flat.
  EXPECT_FALSE(SolveAlone(s, 0.0).opened.empty());
  EXPECT_GT(SolveAlone(s, 0.5).objective_usd, SolveAlone(s, 0.0).objective_usd);
}

// Every point is solved alone on an identical copy of the unsolved model, so
// two workers (even-numbered points on one thread's model, odd on the
// other's) give bit for bit the results of one worker, and so does a second
// run with two workers: status, objective, expansions and backlog.
TEST(Sweep, TwoWorkersAreDeterministic) {
  const model::Scenario s = GeneratedScenario();
  const std::vector<double> points = SweepPoints(0, 0.5, 0.1);
  PlanOptions one;
  one.workers = 1;
  const SweepResult reference = RunSweep(s, one, points);
  PlanOptions two;
  two.workers = 2;
  for (int run = 0; run < 2; ++run) {
    SCOPED_TRACE(run);
    const SweepResult r = RunSweep(s, two, points);
    ASSERT_EQ(r.points.size(), reference.points.size());
    for (size_t i = 0; i < r.points.size(); ++i) {
      SCOPED_TRACE(points[i]);
      EXPECT_EQ(r.points[i].result.status, reference.points[i].result.status);
      EXPECT_EQ(r.points[i].result.objective_usd, reference.points[i].result.objective_usd);
      EXPECT_EQ(r.points[i].result.opened, reference.points[i].result.opened);
      EXPECT_EQ(r.points[i].result.back, reference.points[i].result.back);
    }
  }
}

}  // namespace
}  // namespace rackforge::plan
