// The domestic sweep against independent solves: every point of a sweep (the
// middle point searched, then the previous point's expansions proven by LP
// bounds or the point searched, on one or two threads) has the status and
// objective of a fresh plan solved alone at that floor, in point order.

#include "plan/sweep.h"

#include <gtest/gtest.h>

#include <algorithm>
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

/// The plan's figures that the sweep reports (JSON), within 1e-6 relative.
void ExpectSameFigures(const PlanResult& a, const PlanResult& b) {
  ExpectSameObjective(a, b);
  const auto near = [](double x, double y) { EXPECT_NEAR(x, y, 1e-6 * std::max(1.0, std::fabs(y))); };
  near(a.cost.components, b.cost.components);
  near(a.cost.tariffs, b.cost.tariffs);
  near(a.cost.backlog_penalty, b.cost.backlog_penalty);
  near(a.cost.capex, b.cost.capex);
  near(a.racks_built, b.racks_built);
  near(a.domestic_content, b.domestic_content);
  for (int k = 0; k < model::kDemandKinds; ++k) near(a.backlog_rack_weeks[k], b.backlog_rack_weeks[k]);
  EXPECT_EQ(a.opened, b.opened);
}

/// Checks every point against `alone` with 1 and 2 workers; returns the points searched (same for both).
std::vector<bool> ExpectSweepMatches(const model::Scenario& s, const std::vector<double>& points,
                                     const std::vector<PlanResult>& alone) {
  std::vector<bool> searched;
  for (const int32_t workers : {1, 2}) {
    SCOPED_TRACE(workers);
    PlanOptions base;
    base.workers = workers;
    const SweepResult r = RunSweep(s, base, points);
    EXPECT_EQ(r.points.size(), points.size());
    if (r.points.size() != points.size()) return searched;
    std::vector<bool> now;
    for (size_t i = 0; i < points.size(); ++i) {
      SCOPED_TRACE(points[i]);
      EXPECT_DOUBLE_EQ(r.points[i].domestic_content_min, points[i]);
      ExpectSameFigures(r.points[i].result, alone[i]);
      now.push_back(r.points[i].searched);
    }
    if (!searched.empty()) {
      EXPECT_EQ(now, searched);  // the two runs' points do not depend on threads
    }
    searched = now;
  }
  return searched;
}

std::vector<bool> ExpectSweepMatchesSingleSolves(const model::Scenario& s, const std::vector<double>& points) {
  std::vector<PlanResult> alone;
  for (double p : points) alone.push_back(SolveAlone(s, p));
  return ExpectSweepMatches(s, points, alone);
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

// Points proven by LP bounds over boxes of the previous point's expansions (no
// search) equal the plan searched alone there: the middle point is searched,
// the others are proven.
TEST(Sweep, PointsProvenByBoxesEqualSearchedPoints) {
  const model::Scenario s = GeneratedScenario();
  const std::vector<double> points = SweepPoints(0.1, 0.3, 0.05);
  const std::vector<bool> searched = ExpectSweepMatchesSingleSolves(s, points);
  ASSERT_EQ(searched.size(), points.size());
  EXPECT_TRUE(searched[2]);  // the anchor
  EXPECT_GT(std::count(searched.begin(), searched.end(), false), 0);
}

// Where the previous point's expansions are not optimal (the optimal ones
// change between neighbouring floors: at floor 1 this scenario opens none of
// the 4 it opens at 0.75), the boxes cannot close and the point is searched:
// it still equals the plan solved alone.
TEST(Sweep, PointWhosePreviousExpansionsAreNotOptimalIsSearched) {
  const model::Scenario s = GeneratedScenario();
  const std::vector<double> points = SweepPoints(0, 1, 0.25);
  std::vector<PlanResult> alone;
  for (double p : points) alone.push_back(SolveAlone(s, p));
  const std::vector<bool> searched = ExpectSweepMatches(s, points, alone);
  ASSERT_EQ(searched.size(), points.size());
  // Runs from the anchor (index 2): up 3, 4; down 1, 0. A point whose optimal expansions differ
  // from its predecessor's in its run is searched.
  const std::vector<std::pair<size_t, size_t>> steps{{2, 3}, {3, 4}, {2, 1}, {1, 0}};
  int changes = 0;
  for (const auto& [from, to] : steps) {
    if (alone[from].opened != alone[to].opened) {
      ++changes;
      EXPECT_TRUE(searched[to]) << points[to];
    }
  }
  EXPECT_GT(changes, 0);
}

// Two workers run twice give the same results point for point (the points'
// assignment to the two models is fixed).
TEST(Sweep, TwoWorkersAreDeterministic) {
  const model::Scenario s = GeneratedScenario();
  PlanOptions base;
  base.workers = 2;
  const std::vector<double> points = SweepPoints(0, 0.5, 0.1);
  const SweepResult a = RunSweep(s, base, points);
  const SweepResult b = RunSweep(s, base, points);
  ASSERT_EQ(a.points.size(), b.points.size());
  for (size_t i = 0; i < a.points.size(); ++i) {
    EXPECT_EQ(a.points[i].result.status, b.points[i].result.status);
    EXPECT_EQ(a.points[i].result.objective_usd, b.points[i].result.objective_usd);
    EXPECT_EQ(a.points[i].result.opened, b.points[i].result.opened);
  }
}

}  // namespace
}  // namespace rackforge::plan
