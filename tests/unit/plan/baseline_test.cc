// Re-planning against a stored run (DESIGN.md "Whole quantities, pegging and
// re-planning", third bullet): frozen weeks equal the stored run's values,
// weeks are matched by ISO week (also across 2026's week 53), the change
// penalty moves fewer racks, an outage in the frozen window is reported as
// infeasible naming the line, and ids the new scenario lacks are dropped.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "common/errors.h"
#include "model/iso_week.h"
#include "plan/plan.h"
#include "unit/plan/plan_checker.h"
#include "unit/plan/plan_fixture.h"

namespace rackforge::plan {
namespace {

using testing::BaseScenario;
using testing::SyntheticScenario;
using testing::SyntheticSize;

/// |a − b| within 1e-6 relative (and 1e-9 absolute for zeros).
bool Matches(double a, double b) { return std::abs(a - b) <= 1e-6 * std::abs(b) + 1e-9; }

model::Scenario Synthetic() {
  SyntheticSize size;
  size.weeks = 16;
  size.seed = 7;
  size.transfers = true;
  model::Scenario s = SyntheticScenario(size);
  s.start_week = "2026-W01";
  return s;
}

PlanResult SolveOk(const model::Scenario& s, const PlanOptions& options = {}) {
  PlanResult r = SolvePlan(s, options);
  EXPECT_EQ(r.status, solver::SolveStatus::kOptimal);
  EXPECT_TRUE(r.has_solution);
  if (r.has_solution) {
    EXPECT_NEAR(r.cost.total(), r.objective_usd, 1e-7 * std::max(1.0, std::abs(r.objective_usd)));
  }
  return r;
}

std::shared_ptr<BaselineRequest> Request(const PlanResult& stored, int32_t freeze,
                                         std::optional<double> penalty = std::nullopt) {
  auto request = std::make_shared<BaselineRequest>();
  request->run_id = "1";
  EXPECT_TRUE(stored.keyed != nullptr);
  if (stored.keyed) request->stored = *stored.keyed;
  request->freeze_weeks = freeze;
  request->change_penalty_usd = penalty;
  return request;
}

/// Largest |a − b| over the weeks < weeks of a [..][week] vector.
double MaxDiffBefore(const std::vector<double>& a, const std::vector<double>& b, int32_t horizon, int32_t weeks) {
  double diff = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (static_cast<int32_t>(i % horizon) < weeks) diff = std::max(diff, std::abs(a[i] - b[i]));
  }
  return diff;
}

/// Every value of weeks < weeks equals the stored one (same scenario layout).
void ExpectFrozen(const std::vector<double>& now, const std::vector<double>& stored, int32_t horizon, int32_t weeks,
                  const char* family) {
  ASSERT_EQ(now.size(), stored.size()) << family;
  for (size_t i = 0; i < now.size(); ++i) {
    if (static_cast<int32_t>(i % horizon) >= weeks) continue;
    EXPECT_TRUE(Matches(now[i], stored[i])) << family << "[" << i << "]: " << now[i] << " vs stored " << stored[i];
  }
}

// The same scenario with a higher domestic floor and a plant outage re-plans weeks 0-3 differently
// when free; frozen against the stored run, make, buy, xfer and ship of weeks 0-3 are the stored ones.
TEST(Baseline, FrozenWeeksEqualTheStoredRun) {
  const model::Scenario s = Synthetic();
  const PlanResult stored = SolveOk(s);
  ASSERT_GT(stored.racks_built, 0);
  model::Scenario changed = s;
  changed.policy.domestic_content_min = 0.6;
  changed.disruptions.push_back({{model::NodeKind::kPlant, 1}, 2, 3, 1.0});
  const PlanResult free = SolveOk(changed);
  const int32_t H = s.horizon_weeks, N = 4;
  const double moved_free =
      std::max({MaxDiffBefore(free.make, stored.make, H, N), MaxDiffBefore(free.buy, stored.buy, H, N),
                MaxDiffBefore(free.ship, stored.ship, H, N)});
  ASSERT_GT(moved_free, 1e-3) << "the change must move the free plan in the weeks to freeze";

  // Plant 1 is out in weeks 2-4: freeze only the weeks before the outage.
  PlanOptions options;
  options.baseline = Request(stored, 2);
  const PlanResult r = SolveOk(changed, options);
  ASSERT_TRUE(r.has_solution && r.baseline.has_value());
  EXPECT_GT(r.baseline->frozen_cells, 0);
  EXPECT_TRUE(r.baseline->dropped.empty());
  EXPECT_TRUE(r.baseline->conflicts.empty());
  EXPECT_EQ(r.baseline->common_weeks, H);
  ExpectFrozen(r.make, stored.make, H, 2, "make");
  ExpectFrozen(r.buy, stored.buy, H, 2, "buy");
  ExpectFrozen(r.xfer, stored.xfer, H, 2, "xfer");
  ExpectFrozen(r.ship, stored.ship, H, 2, "ship");

  // Without a change, freezing N weeks reproduces the stored plan there and moves no frozen rack.
  PlanOptions same;
  same.baseline = Request(stored, N);
  const PlanResult again = SolveOk(s, same);
  ASSERT_TRUE(again.has_solution);
  ExpectFrozen(again.make, stored.make, H, N, "make");
  ExpectFrozen(again.buy, stored.buy, H, N, "buy");
  EXPECT_NEAR(again.objective_usd, stored.objective_usd, 1e-6 * stored.objective_usd);
}

// Stored run: 2026-W50 + 10 weeks (2026 has a week 53). New scenario: 2027-W01, four ISO weeks
// later, 6 weeks. New week t is stored week t + 4 (not t + 3, as 52-week years would give).
TEST(Baseline, StartWeekFourWeeksLaterMatchesByIsoWeek) {
  model::Scenario s = BaseScenario();
  s.start_week = "2026-W50";
  s.horizon_weeks = 10;
  s.policy.rack_holding_usd_per_week = 1;      // build in the week of demand
  s.components[0].holding_usd_per_week = 0.1;  // buy in the week of use
  const std::vector<double> demand = {1, 2, 3, 4, 6, 9, 5, 7, 8, 2};
  s.demand.clear();
  for (int32_t t = 0; t < s.horizon_weeks; ++t) s.demand.push_back({0, 0, t, model::DemandKind::kFirm, demand[t], 1});
  const PlanResult stored = SolveOk(s);
  ASSERT_TRUE(stored.keyed != nullptr);
  const model::KeyedSeries& series = stored.keyed->family(model::QuantityFamily::kMake).at("l,g");
  EXPECT_EQ(series.first_week, "2026-W50");
  EXPECT_EQ(series.last_week, "2027-W06");
  EXPECT_DOUBLE_EQ(series.at("2026-W53"), demand[3]);
  EXPECT_DOUBLE_EQ(series.at("2027-W01"), demand[4]);

  model::Scenario later = s;
  later.start_week = "2027-W01";
  later.horizon_weeks = 6;
  later.demand.clear();
  // The same orders (2027-W01 on) and two more racks a week: the frozen weeks ship what the stored run did.
  for (int32_t t = 0; t < later.horizon_weeks; ++t) {
    later.demand.push_back({0, 0, t, model::DemandKind::kFirm, demand[t + 4] + 2, 1});
  }
  PlanOptions options;
  options.baseline = Request(stored, 3);
  const PlanResult r = SolveOk(later, options);
  ASSERT_TRUE(r.has_solution && r.baseline.has_value());
  EXPECT_EQ(r.baseline->common_weeks, 6);
  double moved = 0;
  for (int32_t t = 0; t < later.horizon_weeks; ++t) {
    const double now = r.make[r.MakeIndex(0, 0, t)], before = stored.make[stored.MakeIndex(0, 0, t + 4)];
    if (t < 3) {
      EXPECT_TRUE(Matches(now, before)) << "week " << t << ": " << now << " vs stored " << before;
      EXPECT_TRUE(Matches(r.buy[r.BuyIndex(0, 0, t)], stored.buy[stored.BuyIndex(0, 0, t + 4)])) << t;
      EXPECT_TRUE(Matches(r.ship[r.ShipIndex(0, 0, 1, t)], stored.ship[stored.ShipIndex(0, 0, 1, t + 4)])) << t;
    }
    moved += std::abs(now - before);
  }
  EXPECT_NEAR(r.make[r.MakeIndex(0, 0, 0)], 6, 1e-6);  // stored 2027-W01, not 2026-W53's 4
  EXPECT_NEAR(r.baseline->racks_moved, moved, 1e-6);
  EXPECT_GT(r.baseline->racks_moved, 1);  // the free weeks follow the new demand
}

// Plant p1 builds at half the cost in the new scenario: without a penalty the re-plan moves
// racks there; at $50k per rack changed (more than the saving) it moves fewer.
TEST(Baseline, ChangePenaltyMovesFewerRacks) {
  const model::Scenario s = Synthetic();
  const PlanResult stored = SolveOk(s);
  model::Scenario changed = s;
  for (int32_t l : changed.plants[1].lines) changed.lines[l].cost_usd_per_rack *= 0.5;
  PlanOptions free_options;
  free_options.baseline = Request(stored, 2);
  const PlanResult free = SolveOk(changed, free_options);
  PlanOptions penalized_options;
  penalized_options.baseline = Request(stored, 2, 50000.0);
  const PlanResult penalized = SolveOk(changed, penalized_options);
  ASSERT_TRUE(free.has_solution && penalized.has_solution && free.baseline && penalized.baseline);
  EXPECT_EQ(free.cost.plan_changes, 0.0);
  EXPECT_GT(penalized.baseline->penalized_cells, 0);
  EXPECT_GT(free.baseline->racks_moved, 1.0);
  EXPECT_LT(penalized.baseline->racks_moved, free.baseline->racks_moved - 1.0)
      << "free " << free.objective_usd << " + penalty " << 50000 * free.baseline->racks_moved << " vs penalised "
      << penalized.objective_usd << " opened " << free.expansions_opened.size() << "/"
      << penalized.expansions_opened.size();
  // plan_changes = USD × Σ |make − stored| over the penalised cells (weeks 2..H−1, both runs' cells).
  double deviation = 0;
  for (size_t i = 0; i < penalized.make.size(); ++i) {
    if (static_cast<int32_t>(i % s.horizon_weeks) >= 2) deviation += std::abs(penalized.make[i] - stored.make[i]);
  }
  EXPECT_NEAR(penalized.cost.plan_changes, 50000.0 * deviation, 1e-4 * std::max(1.0, 50000.0 * deviation));
  // Frozen weeks 0-1 moved nothing, so every moved rack is in the penalised weeks.
  EXPECT_NEAR(penalized.baseline->racks_moved, deviation, 1e-5 * std::max(1.0, deviation));
}

// The stored plan builds on a line in weeks 0-2; the new scenario takes that line out for weeks 0-3.
// Frozen weeks 0-2 cannot be met: infeasible, and the conflicts name the line and week.
TEST(Baseline, OutageInTheFrozenWindowIsInfeasibleNamingTheLine) {
  const model::Scenario s = Synthetic();
  const PlanResult stored = SolveOk(s);
  int32_t busy = -1;
  for (size_t l = 0; l < s.lines.size() && busy < 0; ++l) {
    for (int32_t g : s.lines[l].designs) {
      if (stored.make[stored.MakeIndex(static_cast<int32_t>(l), g, 1)] > 1) busy = static_cast<int32_t>(l);
    }
  }
  ASSERT_GE(busy, 0) << "some line must build in week 1";
  model::Scenario changed = s;
  changed.disruptions.push_back({{model::NodeKind::kLine, busy}, 0, 4, 1.0});
  PlanOptions options;
  options.baseline = Request(stored, 3);
  const PlanResult r = SolvePlan(changed, options);
  EXPECT_EQ(r.status, solver::SolveStatus::kInfeasible);
  EXPECT_FALSE(r.has_solution);
  ASSERT_TRUE(r.baseline.has_value());
  ASSERT_FALSE(r.baseline->conflicts.empty());
  const std::string line = s.lines[busy].id;
  bool named = false;
  for (const FrozenConflict& c : r.baseline->conflicts) {
    if (c.family != model::QuantityFamily::kMake || c.key.rfind(line + ",", 0) != 0) continue;
    named = true;
    EXPECT_LT(c.week, 3);
    EXPECT_NEAR(c.allowed, 0, 1e-6);  // the line is out
    EXPECT_GT(c.frozen, 0);
    EXPECT_EQ(c.iso_week, model::IsoWeekOf(s.start_week, c.week));
    EXPECT_NE(c.text.find("line " + line + " design "), std::string::npos) << c.text;
    EXPECT_NE(c.text.find("(" + c.iso_week + "): frozen "), std::string::npos) << c.text;
  }
  EXPECT_TRUE(named) << r.baseline->conflicts.front().text;
}

// Plant 1 out from week 3 on, with weeks 0-3 frozen: the stored weeks 0-2 still fit the new scenario,
// so the conflicts are in week 3. The same least total change can also be made in part in week 2
// (on this scenario, with every unit of change costing the same, the diagnosis named one week-2
// cell); nearer weeks are firmer, so it names week 3.
TEST(Baseline, ConflictsAreInTheWeeksTheScenarioChanged) {
  const model::Scenario s = Synthetic();
  const PlanResult stored = SolveOk(s);
  model::Scenario changed = s;
  changed.disruptions.push_back({{model::NodeKind::kPlant, 1}, 3, 3, 1.0});
  PlanOptions options;
  options.baseline = Request(stored, 4);
  const PlanResult r = SolvePlan(changed, options);
  ASSERT_EQ(r.status, solver::SolveStatus::kInfeasible);
  ASSERT_TRUE(r.baseline.has_value());
  ASSERT_FALSE(r.baseline->conflicts.empty());
  for (const FrozenConflict& c : r.baseline->conflicts) EXPECT_EQ(c.week, 3) << c.text;
}

// A line renamed in the new scenario: the stored line's quantities are listed and dropped, the
// renamed line is free, and the other lines stay frozen.
TEST(Baseline, IdsTheScenarioNoLongerHasAreDropped) {
  const model::Scenario s = Synthetic();
  const PlanResult stored = SolveOk(s);
  int32_t busy = -1;
  for (size_t l = 0; l < s.lines.size() && busy < 0; ++l) {
    for (int32_t g : s.lines[l].designs) {
      if (stored.make[stored.MakeIndex(static_cast<int32_t>(l), g, 3)] > 0.5) busy = static_cast<int32_t>(l);
    }
  }
  ASSERT_GE(busy, 0);
  model::Scenario changed = s;
  const std::string old_id = s.lines[busy].id;
  changed.lines[busy].id = "renamed-line";
  PlanOptions options;
  options.baseline = Request(stored, 3);
  const PlanResult r = SolveOk(changed, options);
  ASSERT_TRUE(r.has_solution && r.baseline.has_value());
  bool listed = false;
  for (const std::string& d : r.baseline->dropped) {
    if (d.find("make line " + old_id + " design ") == 0 && d.find("not in this scenario") != std::string::npos) {
      listed = true;
    }
  }
  EXPECT_TRUE(listed) << (r.baseline->dropped.empty() ? "nothing dropped" : r.baseline->dropped.front());
  for (size_t l = 0; l < s.lines.size(); ++l) {
    if (static_cast<int32_t>(l) == busy) continue;
    for (int32_t g : s.lines[l].designs) {
      for (int32_t t = 0; t < 3; ++t) {
        const size_t i = stored.MakeIndex(static_cast<int32_t>(l), g, t);
        EXPECT_TRUE(Matches(r.make[i], stored.make[i])) << s.lines[l].id << " week " << t;
      }
    }
  }
}

// Whole quantities and re-planning together: a whole stored plan, re-planned whole against a changed
// scenario (domestic floor up, a plant out from week 2), keeps weeks 0-1 identical to the stored
// whole values in every family, and every reported value is whole with every row of the model held.
TEST(Baseline, WholeReplanKeepsTheWholeFrozenWeeks) {
  const model::Scenario s = Synthetic();
  PlanOptions whole;
  whole.quantities = model::Quantities::kWhole;
  const PlanResult stored = SolveOk(s, whole);
  ASSERT_TRUE(stored.has_solution && stored.whole);
  model::Scenario changed = s;
  changed.policy.domestic_content_min = 0.6;
  changed.disruptions.push_back({{model::NodeKind::kPlant, 1}, 2, 3, 1.0});
  const int32_t H = s.horizon_weeks, N = 2;
  const PlanResult free = SolveOk(changed, whole);
  ASSERT_TRUE(free.has_solution);
  ASSERT_GT(std::max({MaxDiffBefore(free.make, stored.make, H, N), MaxDiffBefore(free.buy, stored.buy, H, N),
                      MaxDiffBefore(free.ship, stored.ship, H, N)}),
            0.5)
      << "the change must move the free whole plan in the weeks to freeze";

  PlanOptions options = whole;
  options.baseline = Request(stored, N);
  const PlanResult r = SolveOk(changed, options);
  ASSERT_TRUE(r.has_solution && r.whole && r.baseline.has_value());
  EXPECT_GT(r.baseline->frozen_cells, 0);
  EXPECT_TRUE(r.baseline->conflicts.empty());
  for (const auto& [now, before, family] :
       {std::tuple{&r.make, &stored.make, "make"}, std::tuple{&r.makec, &stored.makec, "makec"},
        std::tuple{&r.buy, &stored.buy, "buy"}, std::tuple{&r.xfer, &stored.xfer, "xfer"},
        std::tuple{&r.ship, &stored.ship, "ship"}}) {
    ASSERT_EQ(now->size(), before->size()) << family;
    for (size_t i = 0; i < now->size(); ++i) {
      if (static_cast<int32_t>(i % H) < N) {
        EXPECT_EQ((*now)[i], (*before)[i]) << family << "[" << i << "]";
      }
    }
  }
  testing::CheckOptions check;
  check.disruptions = changed.disruptions;
  check.domestic_min = changed.policy.domestic_content_min;
  check.mode = changed.policy.option_demand;
  const std::vector<std::string> problems = testing::CheckPlan(changed, r, check);  // integrality included
  EXPECT_TRUE(problems.empty()) << problems.size() << " problems, first: " << (problems.empty() ? "" : problems[0]);
  EXPECT_LE(r.continuous_bound_usd, r.objective_usd * (1 + 1e-9));
  // The frozen whole plan cannot beat the free whole plan's bound (same scenario, fewer choices).
  EXPECT_GE(r.continuous_bound_usd, free.continuous_bound_usd * (1 - 1e-9));
  double moved = 0;
  for (size_t i = 0; i < r.make.size(); ++i) moved += std::abs(r.make[i] - stored.make[i]);
  EXPECT_NEAR(r.baseline->racks_moved, moved, 1e-9);

  // With a change penalty the whole objective includes plan_changes of the whole make.
  options.baseline = Request(stored, N, 50000.0);
  const PlanResult p = SolveOk(changed, options);
  ASSERT_TRUE(p.has_solution && p.whole && p.baseline.has_value());
  double deviation = 0;
  for (size_t i = 0; i < p.make.size(); ++i) {
    if (static_cast<int32_t>(i % H) >= N) deviation += std::abs(p.make[i] - stored.make[i]);
  }
  ASSERT_GT(deviation, 0) << "the outage must move some racks after the frozen weeks";
  EXPECT_NEAR(p.cost.plan_changes, 50000.0 * deviation, 1e-6 * 50000.0 * deviation);
  EXPECT_NEAR(p.objective_usd, p.cost.total(), 1e-9 * p.objective_usd);
  EXPECT_LE(p.continuous_bound_usd, p.objective_usd * (1 + 1e-9));
  EXPECT_NEAR(p.whole_gap, (p.objective_usd - p.continuous_bound_usd) / p.objective_usd, 1e-12);
}

TEST(Baseline, BadRequestsAreUsageErrors) {
  model::Scenario s = BaseScenario();
  s.start_week = "2026-W10";
  const PlanResult stored = SolveOk(s);
  PlanOptions options;
  options.baseline = Request(stored, 5);  // H = 4
  EXPECT_THROW(SolvePlan(s, options), common::UsageError);
  options.baseline = Request(stored, 1, -1.0);
  EXPECT_THROW(SolvePlan(s, options), common::UsageError);
  model::Scenario no_week = s;
  no_week.start_week = "";
  options.baseline = Request(stored, 1);
  EXPECT_THROW(SolvePlan(no_week, options), common::UsageError);
}

}  // namespace
}  // namespace rackforge::plan
