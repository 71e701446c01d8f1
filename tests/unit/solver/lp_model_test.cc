// A suite of tiny LP/MILP cases with optima derived by hand.

#include "solver/lp_model.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <OsiClpSolverInterface.hpp>
#include <cerrno>
#include <cstdint>
#include <future>
#include <limits>
#include <memory>
#include <random>
#include <sstream>
#include <thread>

#include "unit/solver/solver_test_util.h"

namespace rackforge::solver {
namespace {

// max x + y  s.t.  x + 2y <= 4,  3x + y <= 6,  x, y >= 0   (as min -x - y)
// Vertex of both rows: x = 8/5, y = 6/5, objective -14/5.
// Duals y1, y2 solve [1 3; 2 1][y1; y2] = [-1; -1]: y1 = -0.4, y2 = -0.2
// (check: 4*(-0.4) + 6*(-0.2) = -2.8 = objective, strong duality).
LpModel TwoRowLp() {
  LpModel lp;
  ColumnBlock cols;
  cols.Add(0, kInfinity, -1);
  cols.Add(0, kInfinity, -1);
  lp.AddColumns(std::move(cols));
  RowBlock rows;
  rows.Coef(0, 1);
  rows.Coef(1, 2);
  rows.End(-kInfinity, 4);
  rows.Coef(0, 3);
  rows.Coef(1, 1);
  rows.End(-kInfinity, 6);
  lp.AddRows(std::move(rows));
  return lp;
}

// max 5x + 4y  s.t.  6x + 4y <= 24,  x + 2y <= 6,  x, y integer >= 0.
// LP optimum (3, 1.5) = 21; integer points: (4,0) = 20, (3,1) = 19, (2,2) = 18,
// (1,2) = 13, (0,3) = 12, so the MILP optimum is 20 (min -20).
LpModel SmallMilp() {
  LpModel lp;
  ColumnBlock cols;
  cols.Add(0, kInfinity, -5, true);
  cols.Add(0, kInfinity, -4, true);
  lp.AddColumns(std::move(cols));
  RowBlock rows;
  rows.Coef(0, 6);
  rows.Coef(1, 4);
  rows.End(-kInfinity, 24);
  rows.Coef(0, 1);
  rows.Coef(1, 2);
  rows.End(-kInfinity, 6);
  lp.AddRows(std::move(rows));
  return lp;
}

/// The optimum of TwoRowLp, derived by hand: x = 1.6, y = 1.2, objective -2.8, duals -0.4 and -0.2.
void ExpectTwoRowOptimum(const Solution& s) {
  ASSERT_EQ(s.status, SolveStatus::kOptimal);
  EXPECT_NEAR(s.objective, -2.8, 1e-9);
  EXPECT_NEAR(s.primal[0], 1.6, 1e-9);
  EXPECT_NEAR(s.primal[1], 1.2, 1e-9);
  EXPECT_NEAR(s.row_duals[0], -0.4, 1e-9);
  EXPECT_NEAR(s.row_duals[1], -0.2, 1e-9);
}

TEST(LpModel, TwoRowLpOptimumAndDuals) {
  LpModel lp = TwoRowLp();
  ExpectTwoRowOptimum(lp.SolveLp({}));
}

TEST(LpModel, WarmStartAfterRhsChange) {
  LpModel lp = TwoRowLp();
  ASSERT_EQ(lp.SolveLp({}).status, SolveStatus::kOptimal);
  // x + 2y <= 6 instead: 3x + y = 6, x + 2y = 6 -> x = 6/5, y = 12/5, objective -18/5.
  lp.SetRowBounds(0, -kInfinity, 6);
  Solution s = lp.SolveLp({});
  ASSERT_EQ(s.status, SolveStatus::kOptimal);
  EXPECT_NEAR(s.objective, -3.6, 1e-9);
}

// A basis saved after the first optimum and put back after other solves: the next solve starts
// there and still finds the optimum of the changed model; no basis before a solve; a basis of
// another size is ignored.
TEST(LpModel, SavedBasisRestartsLaterSolves) {
  LpModel lp = TwoRowLp();
  EXPECT_TRUE(lp.GetBasis().empty());
  ASSERT_EQ(lp.SolveLp({}).status, SolveStatus::kOptimal);
  const LpBasis at_optimum = lp.GetBasis();
  ASSERT_EQ(at_optimum.columns.size(), 2u);
  ASSERT_EQ(at_optimum.rows.size(), 2u);
  EXPECT_EQ(at_optimum.columns[0], 1);  // x and y basic at the vertex of both rows
  EXPECT_EQ(at_optimum.columns[1], 1);
  lp.SetObjective(1, 0);  // max x: x = 2, y = 0, objective -2 (a different basis)
  ASSERT_NEAR(lp.SolveLp({}).objective, -2.0, 1e-9);
  EXPECT_NE(lp.GetBasis().columns, at_optimum.columns);
  lp.SetObjective(1, -1);
  lp.SetColumnBounds(0, 1.8, kInfinity);  // x >= 1.8 tightens the first optimum: 3x + y = 6 -> y = 0.6, -2.4
  lp.SetBasis(at_optimum);
  EXPECT_EQ(lp.GetBasis().columns, at_optimum.columns);
  Solution s = lp.SolveLp({});
  ASSERT_EQ(s.status, SolveStatus::kOptimal);
  EXPECT_NEAR(s.objective, -2.4, 1e-9);
  EXPECT_NEAR(s.primal[0], 1.8, 1e-9);
  LpBasis wrong = at_optimum;
  wrong.rows.push_back(1);
  lp.SetBasis(wrong);  // ignored
  EXPECT_NEAR(lp.SolveLp({}).objective, -2.4, 1e-9);
}

// A stock chain over 3 weeks: inflow f[t] (cost 10, at most 5), stock s[t] (holding 1),
// s[t] - s[t-1] - f[t] = -d[t] with demand d = (2, 1, 3). Free inflows: f = d, s = 0, objective 60.
// With the inflows fixed at (3, 0, 4) the stock follows: s = (1, 0, 1), objective 70 + 2 = 72.
LpModel StockChain() {
  LpModel lp;
  ColumnBlock cols;
  for (int t = 0; t < 3; ++t) cols.Add(0, 5, 10);          // f[t]: columns 0..2
  for (int t = 0; t < 3; ++t) cols.Add(0, kInfinity, 1);   // s[t]: columns 3..5
  lp.AddColumns(std::move(cols));
  RowBlock rows;
  const double demand[3] = {2, 1, 3};
  for (int t = 0; t < 3; ++t) {
    rows.Coef(3 + t, 1);
    if (t > 0) rows.Coef(3 + t - 1, -1);
    rows.Coef(t, -1);
    rows.End(-demand[t], -demand[t]);
  }
  lp.AddRows(std::move(rows));
  return lp;
}

// SolveLpPresolved: the same optimum as SolveLp after the flows are fixed, whatever the basis
// before (here that of the free LP); its basis starts later solves; infeasible stays infeasible.
TEST(LpModel, PresolvedSolveOfAFixedFlowChain) {
  LpModel lp = StockChain();
  ASSERT_NEAR(lp.SolveLp({}).objective, 60, 1e-9);
  const double fixed[3] = {3, 0, 4};
  for (int t = 0; t < 3; ++t) lp.SetColumnBounds(t, fixed[t], fixed[t]);
  Solution s = lp.SolveLpPresolved({});
  ASSERT_EQ(s.status, SolveStatus::kOptimal);
  EXPECT_NEAR(s.objective, 72, 1e-9);
  const double stock[3] = {1, 0, 1};
  for (int t = 0; t < 3; ++t) EXPECT_NEAR(s.primal[3 + t], stock[t], 1e-9) << t;
  ASSERT_EQ(s.row_duals.size(), 3u);
  EXPECT_FALSE(lp.GetBasis().empty());
  for (int t = 0; t < 3; ++t) lp.SetColumnBounds(t, 0, 5);  // free again: back to 60 from that basis
  EXPECT_NEAR(lp.SolveLp({}).objective, 60, 1e-9);
  // Inflows (1, 0, 0) cannot cover the demand: infeasible (presolve finds it; SolveLp reports it).
  const double short_of[3] = {1, 0, 0};
  for (int t = 0; t < 3; ++t) lp.SetColumnBounds(t, short_of[t], short_of[t]);
  Solution none = lp.SolveLpPresolved({});
  EXPECT_EQ(none.status, SolveStatus::kInfeasible);
  EXPECT_FALSE(none.has_solution);
}

// Where presolve leaves an LP to solve, SolveLpPresolved gives SolveLp's optimum and duals.
TEST(LpModel, PresolvedSolveMatchesSolveLp) {
  LpModel lp = TwoRowLp();
  ExpectTwoRowOptimum(lp.SolveLpPresolved({}));
}

TEST(LpModel, ObjectiveAndBoundChanges) {
  LpModel lp = TwoRowLp();
  lp.SetObjective(1, 0);              // max x: x <= 2 (second row), objective -2
  EXPECT_NEAR(lp.SolveLp({}).objective, -2.0, 1e-9);
  lp.SetColumnBounds(0, 0, 1.5);      // x <= 1.5
  EXPECT_NEAR(lp.SolveLp({}).objective, -1.5, 1e-9);
  EXPECT_DOUBLE_EQ(lp.column_upper(0), 1.5);
  EXPECT_EQ(lp.column_upper(1), kInfinity);
}

TEST(LpModel, SetCoefficientInsertsAndRemoves) {
  LpModel lp = TwoRowLp();
  // Row 0 becomes x + 2y <= 4 with x's coefficient 0: y <= 2; with 3x + y <= 6 the
  // optimum of max x + y is x = 4/3, y = 2 -> -10/3.
  lp.SetCoefficient(0, 0, 0.0);
  EXPECT_NEAR(lp.SolveLp({}).objective, -10.0 / 3.0, 1e-9);
  lp.SetCoefficient(0, 0, 1.0);
  EXPECT_NEAR(lp.SolveLp({}).objective, -2.8, 1e-9);
}

TEST(LpModel, SmallMilp) {
  LpModel lp = SmallMilp();
  ASSERT_TRUE(lp.HasFreeIntegers());
  Solution s = lp.SolveMilp({});
  ASSERT_EQ(s.status, SolveStatus::kOptimal);
  ASSERT_TRUE(s.has_solution);
  EXPECT_NEAR(s.objective, -20, 1e-9);
  EXPECT_NEAR(s.primal[0], 4, 1e-9);
  EXPECT_NEAR(s.primal[1], 0, 1e-9);
  EXPECT_EQ(s.relative_gap, 0.0);
  EXPECT_TRUE(s.stats.milp);
  EXPECT_EQ(s.stats.termination, Termination::kSearchCompleted);
  EXPECT_NE(s.stats.source, SolutionSource::kNone);
  EXPECT_NEAR(s.stats.root_objective, -21, 1e-9);  // the relaxation's bound
  EXPECT_GE(s.stats.total_s, s.stats.search_s);
  // The LP relaxation (integrality ignored) is 21.
  EXPECT_NEAR(lp.SolveLp({}).objective, -21, 1e-9);
}

// Two expansions y1, y2 (binary, $10 each) of 10 units each, demand 12 met or backlogged at $100
// a unit, and a budget y1 + y2 <= budget.
LpModel TwoExpansionsUnderBudget(double budget) {
  LpModel lp;
  ColumnBlock cols;
  cols.Add(0, 1, 10, true);            // y1
  cols.Add(0, 1, 10, true);            // y2
  cols.Add(0, kInfinity, 0);           // x1
  cols.Add(0, kInfinity, 0);           // x2
  cols.Add(0, kInfinity, 100);         // b
  lp.AddColumns(std::move(cols));
  RowBlock rows;
  rows.Coef(2, 1);
  rows.Coef(0, -10);
  rows.End(-kInfinity, 0);
  rows.Coef(3, 1);
  rows.Coef(1, -10);
  rows.End(-kInfinity, 0);
  rows.Coef(2, 1);
  rows.Coef(3, 1);
  rows.Coef(4, 1);
  rows.End(12, 12);
  rows.Coef(0, 1);
  rows.Coef(1, 1);
  rows.End(-kInfinity, budget);
  lp.AddRows(std::move(rows));
  return lp;
}

// Budget 1.2: the relaxation opens 1.2 expansions (cost 12); rounding every fractional one up
// opens both, over the budget (infeasible), so the heuristic rounds to nearest or down instead and
// still hands the search an incumbent. The optimum opens one: 10 + 2 x 100 = 210.
TEST(LpModel, RoundingHeuristicFallsBackWhenRoundingUpIsInfeasible) {
  for (int32_t workers : {1, 2}) {
    SCOPED_TRACE(workers);
    LpModel lp = TwoExpansionsUnderBudget(1.2);
    const Solution s = lp.SolveMilp({.workers = workers});
    ASSERT_EQ(s.status, SolveStatus::kOptimal);
    EXPECT_NEAR(s.objective, 210, 1e-9);
    EXPECT_NEAR(s.stats.root_objective, 12, 1e-9);
    EXPECT_NEAR(s.primal[0] + s.primal[1], 1, 1e-9);
    EXPECT_TRUE(s.stats.heuristic_found);
    // Rounding up opens both (2 > 1.2, a row of integers only): refused without an LP, as is
    // any rounding that opens both; the first rounding that opens at most one gets the one LP.
    EXPECT_GE(s.stats.heuristic_roundings_skipped, 1);
    EXPECT_EQ(s.stats.heuristic_lps, 1);
    EXPECT_GE(s.stats.heuristic_objective, 210 - 1e-9);
    EXPECT_EQ(s.stats.termination, Termination::kSearchCompleted);
  }
}

// Budget 2, demand 15: the relaxation opens 1.5 (cost 15); rounding up opens both, exactly at
// the budget (activity 2 = 2): not refused, its LP is the incumbent, and it is optimal: opening
// both (20) beats one and 5 units backlogged (10 + 500).
TEST(LpModel, RoundingHeuristicKeepsARoundingAtTheBudget) {
  LpModel lp = TwoExpansionsUnderBudget(2);
  lp.SetRowBounds(2, 15, 15);
  const Solution s = lp.SolveMilp({});
  ASSERT_EQ(s.status, SolveStatus::kOptimal);
  EXPECT_NEAR(s.objective, 20, 1e-9);
  EXPECT_NEAR(s.stats.root_objective, 15, 1e-9);
  EXPECT_TRUE(s.stats.heuristic_found);
  EXPECT_EQ(s.stats.heuristic_roundings_skipped, 0);
  EXPECT_EQ(s.stats.heuristic_lps, 1);
  EXPECT_NEAR(s.stats.heuristic_objective, 20, 1e-9);
}

TEST(LpModel, MilpDualsComeFromTheLpWithIntegersFixed) {
  // min 10 z + 2 x  s.t.  x + 8 z >= 5 (demand),  x <= 4 (row 1), z binary.
  // z = 0 needs x = 5 > 4: infeasible, so z = 1, x = 0: objective 10.
  // With z fixed at 1 the demand row has slack 3 (dual 0) and x <= 4 is slack.
  LpModel lp;
  ColumnBlock cols;
  cols.Add(0, 1, 10, true);
  cols.Add(0, kInfinity, 2);
  lp.AddColumns(std::move(cols));
  RowBlock rows;
  rows.Coef(1, 1);
  rows.Coef(0, 8);
  rows.End(5, kInfinity);
  rows.Coef(1, 1);
  rows.End(-kInfinity, 4);
  lp.AddRows(std::move(rows));
  Solution s = lp.SolveMilp({});
  ASSERT_EQ(s.status, SolveStatus::kOptimal);
  EXPECT_NEAR(s.objective, 10, 1e-9);
  ASSERT_EQ(s.row_duals.size(), 2u);
  EXPECT_NEAR(s.row_duals[0], 0, 1e-9);
  // The integer bounds are restored after the fixed LP.
  EXPECT_EQ(lp.column_lower(0), 0);
  EXPECT_EQ(lp.column_upper(0), 1);
}

TEST(LpModel, InfeasibleLp) {
  LpModel lp;
  ColumnBlock cols;
  cols.Add(0, kInfinity, 1);
  lp.AddColumns(std::move(cols));
  RowBlock rows;
  rows.Coef(0, 1);
  rows.End(2, kInfinity);
  rows.Coef(0, 1);
  rows.End(-kInfinity, 1);
  lp.AddRows(std::move(rows));
  Solution s = lp.SolveLp({});
  EXPECT_EQ(s.status, SolveStatus::kInfeasible);
  EXPECT_FALSE(s.has_solution);
  EXPECT_TRUE(s.primal.empty());
}

// LpMethod::kPrimal (risk's weighted TTS LP) and LpMethod::kDual (risk's base LP) give the
// hand-derived optima, duals and statuses, and a later warm re-solve of the same model still
// starts from their basis.
TEST(LpModel, PrimalAndDualColdMethodsGiveTheHandDerivedOptima) {
  for (const LpMethod method : {LpMethod::kPrimal, LpMethod::kDual}) {
    SCOPED_TRACE(static_cast<int>(method));
    SolveOptions cold;
    cold.cold_lp = method;
    LpModel two_rows = TwoRowLp();
    ExpectTwoRowOptimum(two_rows.SolveLp(cold));
    // A warm re-solve after a right-hand-side change (x + 2y <= 2): x = 2, y = 0, objective -2.
    two_rows.SetRowBounds(0, -kInfinity, 2);
    const Solution warm = two_rows.SolveLp({});
    ASSERT_EQ(warm.status, SolveStatus::kOptimal);
    EXPECT_NEAR(warm.objective, -2, 1e-9);
    EXPECT_NEAR(warm.primal[0], 2, 1e-9);
    // The stock chain: demand (2, 1, 3) from inflows of at most 5 at 10 each, stock at 1 a week:
    // inflow 6 in all, the cheapest by holding nothing (f = 2, 1, 3), objective 60.
    LpModel chain = StockChain();
    EXPECT_NEAR(chain.SolveLp(cold).objective, 60, 1e-9);
    // Demand 6 with inflows of at most 1 a week: infeasible.
    for (int t = 0; t < 3; ++t) chain.SetColumnBounds(t, 0, 1);
    LpModel short_chain(chain);
    const Solution none = short_chain.SolveLp(cold);
    EXPECT_EQ(none.status, SolveStatus::kInfeasible);
    EXPECT_FALSE(none.has_solution);
  }
}

// risk's PI LPs: the basis of a solved model starts a copy of the unsolved model whose bound is
// tighter. The stock chain with f[2] <= 1: the 2 units week 2 lacks are made in week 1 and held a
// week (f = 2, 3, 1, s = 0, 2, 0): 60 + 2 = 62.
TEST(LpModel, BasisOfTheSolvedModelStartsACopyWithATighterBound) {
  const LpModel unsolved = StockChain();
  LpModel base(unsolved);
  SolveOptions dual;
  dual.cold_lp = LpMethod::kDual;
  ASSERT_NEAR(base.SolveLp(dual).objective, 60, 1e-9);
  const LpBasis basis = base.GetBasis();
  ASSERT_FALSE(basis.empty());
  LpModel tighter(unsolved);
  tighter.SetBasis(basis);
  EXPECT_EQ(tighter.GetBasis().columns, basis.columns);  // the next solve starts there
  tighter.SetColumnBounds(2, 0, 1);
  const Solution s = tighter.SolveLp({});
  ASSERT_EQ(s.status, SolveStatus::kOptimal);
  EXPECT_NEAR(s.objective, 62, 1e-9);
  const double inflow[3] = {2, 3, 1}, stock[3] = {0, 2, 0};
  for (int t = 0; t < 3; ++t) {
    EXPECT_NEAR(s.primal[t], inflow[t], 1e-9) << t;
    EXPECT_NEAR(s.primal[3 + t], stock[t], 1e-9) << t;
  }
}

TEST(LpModel, UnboundedLp) {
  // min -x s.t. x - y <= 1, x, y >= 0: x = y + 1 grows without limit.
  LpModel lp;
  ColumnBlock cols;
  cols.Add(0, kInfinity, -1);
  cols.Add(0, kInfinity, 0);
  lp.AddColumns(std::move(cols));
  RowBlock rows;
  rows.Coef(0, 1);
  rows.Coef(1, -1);
  rows.End(-kInfinity, 1);
  lp.AddRows(std::move(rows));
  EXPECT_EQ(lp.SolveLp({}).status, SolveStatus::kUnbounded);
}

TEST(LpModel, UnboundedMilpIsUnboundedNotInfeasible) {
  // min -x - z, x continuous >= 0 unbounded, z binary: CBC alone would say "infeasible".
  LpModel lp;
  ColumnBlock cols;
  cols.Add(0, kInfinity, -1);
  cols.Add(0, 1, -1, true);
  lp.AddColumns(std::move(cols));
  RowBlock rows;
  rows.Coef(0, 1);
  rows.Coef(1, -1);
  rows.End(-1, kInfinity);
  lp.AddRows(std::move(rows));
  const Solution s = lp.SolveMilp({});
  EXPECT_EQ(s.status, SolveStatus::kUnbounded);
  EXPECT_EQ(s.stats.termination, Termination::kRelaxationNotOptimal);
}

TEST(LpModel, IntegerInfeasibleMilp) {
  // 2x = 1 with x integer in [0, 5]: the LP has x = 0.5, no integer point exists.
  LpModel lp;
  ColumnBlock cols;
  cols.Add(0, 5, 1, true);
  lp.AddColumns(std::move(cols));
  RowBlock rows;
  rows.Coef(0, 2);
  rows.End(1, 1);
  lp.AddRows(std::move(rows));
  Solution s = lp.SolveMilp({});
  EXPECT_EQ(s.status, SolveStatus::kInfeasible);
  EXPECT_FALSE(s.has_solution);
  EXPECT_TRUE(s.stats.milp);
  EXPECT_EQ(s.stats.source, SolutionSource::kNone);
  EXPECT_NE(s.stats.termination, Termination::kSearchCompleted);
}

TEST(LpModel, TimeLimitOnAHardMarketSplitInstance) {
  // Market split (Cornuejols-Dawande): 4 equality rows over 30 binaries with
  // slacks, min total slack. Branch and bound needs far longer than 0.3 s.
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> coef(0, 99);
  const int m = 4, n = 30;
  LpModel lp;
  ColumnBlock cols;
  for (int j = 0; j < n; ++j) cols.Add(0, 1, 0, true);
  for (int i = 0; i < 2 * m; ++i) cols.Add(0, kInfinity, 1);
  lp.AddColumns(std::move(cols));
  RowBlock rows;
  for (int i = 0; i < m; ++i) {
    int sum = 0;
    for (int j = 0; j < n; ++j) {
      const int a = coef(rng);
      sum += a;
      rows.Coef(j, a);
    }
    rows.Coef(n + 2 * i, 1);
    rows.Coef(n + 2 * i + 1, -1);
    rows.End(sum / 2, sum / 2);
  }
  lp.AddRows(std::move(rows));
  for (const int32_t workers : {1, 2}) {
    SCOPED_TRACE(workers);
    LpModel copy(lp);
    Solution s = copy.SolveMilp({.time_limit_s = 0.3, .workers = workers});
    EXPECT_EQ(s.status, SolveStatus::kTimeLimit);
    EXPECT_EQ(s.stats.termination, Termination::kTimeLimit);
    if (s.has_solution) {
      EXPECT_GT(s.relative_gap, 0.0);
    }
  }
}


// Capacitated facility location: open facility f (binary, fixed cost) to ship
// up to its capacity to customers; every customer's demand met exactly. The
// relaxation opens facilities fractionally, so the root branches and the
// round-up heuristic (open every facility used at all) is not optimal.
LpModel FacilityLocation(uint32_t seed, int facilities, int customers, std::vector<double>* capacities = nullptr) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> fixed(50, 150), capacity(20, 60), demand(5, 20), unit(1, 10);
  LpModel lp;
  ColumnBlock cols;
  for (int f = 0; f < facilities; ++f) cols.Add(0, 1, std::round(fixed(rng)), true);
  for (int f = 0; f < facilities; ++f) {
    for (int c = 0; c < customers; ++c) cols.Add(0, kInfinity, std::round(unit(rng)));
  }
  lp.AddColumns(std::move(cols));
  const auto ship = [&](int f, int c) { return facilities + f * customers + c; };
  RowBlock rows;
  for (int c = 0; c < customers; ++c) {
    for (int f = 0; f < facilities; ++f) rows.Coef(ship(f, c), 1);
    const double d = std::round(demand(rng));
    rows.End(d, d);
  }
  for (int f = 0; f < facilities; ++f) {
    for (int c = 0; c < customers; ++c) rows.Coef(ship(f, c), 1);
    const double cap = std::round(capacity(rng));
    if (capacities != nullptr) capacities->push_back(cap);
    rows.Coef(f, -cap);
    rows.End(-kInfinity, 0);
  }
  lp.AddRows(std::move(rows));
  return lp;
}

/// The MILP optimum by enumeration: every 0/1 vector of the first `binaries`
/// columns fixed, the LP solved, the least objective kept (+inf if none).
double EnumeratedOptimum(const LpModel& model, int binaries) {
  double best = std::numeric_limits<double>::infinity();
  for (uint32_t mask = 0; mask < (1u << binaries); ++mask) {
    LpModel lp(model);
    for (int j = 0; j < binaries; ++j) lp.SetColumnBounds(j, (mask >> j) & 1, (mask >> j) & 1);
    const Solution s = lp.SolveLp({});
    if (s.status == SolveStatus::kOptimal) best = std::min(best, s.objective);
  }
  return best;
}

// On larger LPs (facility-location relaxations, some of them short of capacity) the primal
// simplex and the dual simplex with perturbation 50 reach the automatic method's status and optimum.
TEST(LpModel, PrimalAndDualColdMethodsMatchTheAutomaticOptimum) {
  for (const LpMethod method : {LpMethod::kPrimal, LpMethod::kDual}) {
    SCOPED_TRACE(static_cast<int>(method));
    SolveOptions cold;
    cold.cold_lp = method;
    int optimal = 0, infeasible = 0;
    for (uint32_t seed = 1; seed <= 12; ++seed) {
      const LpModel model = FacilityLocation(seed, 8, 16 + 2 * static_cast<int>(seed));
      LpModel a(model), b(model);
      const Solution automatic = a.SolveLp({});
      const Solution by_method = b.SolveLp(cold);
      ASSERT_EQ(by_method.status, automatic.status) << seed;
      if (automatic.status == SolveStatus::kOptimal) {
        ++optimal;
        EXPECT_NEAR(by_method.objective, automatic.objective, 1e-9 * std::abs(automatic.objective)) << seed;
      } else if (automatic.status == SolveStatus::kInfeasible) {
        ++infeasible;
      }
    }
    EXPECT_GE(optimal, 3);
    EXPECT_GE(infeasible, 1);
  }
}

TEST(LpModel, TwoWorkersFindTheEnumeratedOptimumOfFacilityLocations) {
  int split = 0, from_down = 0, from_up = 0;
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE(seed);
    const LpModel model = FacilityLocation(seed, 8, 12);
    const double optimum = EnumeratedOptimum(model, 8);
    ASSERT_TRUE(std::isfinite(optimum));
    LpModel one(model), two(model);
    const Solution s1 = one.SolveMilp({.workers = 1});
    const Solution s2 = two.SolveMilp({.workers = 2});
    ASSERT_EQ(s1.status, SolveStatus::kOptimal);
    ASSERT_EQ(s2.status, SolveStatus::kOptimal);
    EXPECT_NEAR(s1.objective, optimum, 1e-9 * std::fabs(optimum));
    EXPECT_NEAR(s2.objective, optimum, 1e-9 * std::fabs(optimum));
    EXPECT_EQ(s2.relative_gap, 0.0);
    EXPECT_LE(s2.best_bound, s2.objective + 1e-9 * std::fabs(optimum));
    // The plan of two workers is feasible: binaries integral, demand met.
    for (int f = 0; f < 8; ++f) EXPECT_NEAR(s2.primal[f], std::round(s2.primal[f]), 1e-9);
    // The statistics: one worker never splits; two split at a fractional root.
    EXPECT_TRUE(s1.stats.milp);
    EXPECT_FALSE(s1.stats.root_split);
    EXPECT_EQ(s1.stats.second_worker, SecondWorker::kNotUsed);
    EXPECT_EQ(s1.stats.termination, Termination::kSearchCompleted);
    EXPECT_EQ(s2.stats.termination, Termination::kSearchCompleted);
    EXPECT_EQ(s2.stats.nodes, s2.stats.down_nodes + s2.stats.up_nodes);
    EXPECT_LE(s2.stats.root_objective, s2.objective + 1e-9 * std::fabs(optimum));
    EXPECT_TRUE(s2.stats.heuristic_found);
    EXPECT_GE(s2.stats.heuristic_objective, s2.objective - 1e-9 * std::fabs(optimum));
    if (s2.stats.source == SolutionSource::kRoundingHeuristic) {
      EXPECT_NEAR(s2.stats.heuristic_objective, s2.objective, 1e-9 * std::fabs(optimum));
    }
    split += s2.stats.root_split && s2.stats.second_worker == SecondWorker::kForked;
    from_down += s2.stats.source == SolutionSource::kDownSide;
    from_up += s2.stats.source == SolutionSource::kUpSide;
  }
  // Every instance's root was fractional: the split path ran each time, and
  // both sides (the child's through the pipe) supplied some optimum.
  EXPECT_EQ(split, 12);
  EXPECT_GT(from_down, 0);
  EXPECT_GT(from_up, 0);
}

/// Two workers with a fault injected into the second (forked) worker: the
/// answer is still the enumerated optimum, and the statistics say which path ran.
void ExpectOptimumDespite(ChildFault fault, SecondWorker expected) {
  int up_side_used = 0;
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    SCOPED_TRACE(seed);
    const LpModel model = FacilityLocation(seed, 8, 12);
    const double optimum = EnumeratedOptimum(model, 8);
    LpModel two(model), normal(model);
    const Solution s = two.SolveMilp({.workers = 2, .test_child_fault = fault});
    const Solution n = normal.SolveMilp({.workers = 2});
    ASSERT_EQ(s.status, SolveStatus::kOptimal);
    EXPECT_NEAR(s.objective, optimum, 1e-9 * std::fabs(optimum));
    ASSERT_TRUE(s.stats.root_split);
    EXPECT_EQ(s.stats.second_worker, expected);
    // The same answer as when the child works: same source, same plan.
    EXPECT_EQ(s.stats.source, n.stats.source);
    EXPECT_EQ(s.primal, n.primal);
    up_side_used += s.stats.source == SolutionSource::kUpSide;
  }
  EXPECT_GT(up_side_used, 0);  // the up side's optimum came from the fallback search here
}

/// `s` solves FacilityLocation(·, 8, 12) with its facilities fixed at s's values optimally: the
/// shipments are feasible, and its row duals y (d objective / d rhs) are dual feasible (y ≤ 0 on
/// the capacity rows, every shipment's reduced cost unit − y[customer] − y[facility] ≥ 0) and
/// complementary (0 on a slack capacity row, 0 reduced cost on a shipment used). Ties among optimal
/// plans or duals pass; a wrong plan or wrong duals do not.
void ExpectOptimalWithIntegersFixed(const LpModel& model, const Solution& s, const std::vector<double>& capacities) {
  const int facilities = 8, customers = 12;
  const auto ship = [&](int f, int c) { return facilities + f * customers + c; };
  ASSERT_EQ(s.primal.size(), static_cast<size_t>(facilities * (customers + 1)));
  ASSERT_EQ(s.row_duals.size(), static_cast<size_t>(customers + facilities));
  for (int f = 0; f < facilities; ++f) EXPECT_NEAR(s.primal[f], std::round(s.primal[f]), 1e-9);
  for (int c = 0; c < customers; ++c) {
    double met = 0;
    for (int f = 0; f < facilities; ++f) met += s.primal[ship(f, c)];
    EXPECT_NEAR(met, model.row_lower(c), 1e-7) << "customer " << c;
  }
  for (int f = 0; f < facilities; ++f) {
    double shipped = 0;
    for (int c = 0; c < customers; ++c) shipped += s.primal[ship(f, c)];
    const double slack = std::round(s.primal[f]) * capacities[f] - shipped;
    const double y = s.row_duals[customers + f];
    EXPECT_GE(slack, -1e-7) << "facility " << f;
    EXPECT_LE(y, 1e-9) << "facility " << f;
    if (slack > 1e-7) {
      EXPECT_NEAR(y, 0, 1e-9) << "facility " << f;
    }
  }
  for (int f = 0; f < facilities; ++f) {
    for (int c = 0; c < customers; ++c) {
      const double x = s.primal[ship(f, c)];
      const double reduced = model.objective(ship(f, c)) - s.row_duals[c] - s.row_duals[customers + f];
      EXPECT_GE(x, -1e-9);
      EXPECT_GE(reduced, -1e-9) << f << "," << c;
      if (x > 1e-9) {
        EXPECT_NEAR(reduced, 0, 1e-9) << f << "," << c;
      }
    }
  }
}

// Stage 5 re-solves the reduced LP with the integers fixed from the basis of the search's LP that
// found the incumbent (kept at CBC's solution event; from the child process through the pipe), not
// from the basis the rounding heuristic left: the same optimum (enumerated) as from the heuristic's
// basis, an optimal plan and optimal row duals of the LP with the integers fixed (where optima tie
// the two starts may end at different ones), in no more simplex iterations.
TEST(LpModel, FixedLpStartsFromTheBasisOfTheSearchThatFoundTheIncumbent) {
  int from_search = 0, from_child = 0;
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    std::vector<double> capacities;
    const LpModel model = FacilityLocation(seed, 8, 12, &capacities);
    const double optimum = EnumeratedOptimum(model, 8);
    for (const int32_t workers : {1, 2}) {
      SCOPED_TRACE(::testing::Message() << "seed " << seed << ", workers " << workers);
      LpModel kept(model), plain(model);
      const Solution s = kept.SolveMilp({.workers = workers});
      const Solution p = plain.SolveMilp({.workers = workers, .test_fixed_lp_from_heuristic_basis = true});
      ASSERT_EQ(s.status, SolveStatus::kOptimal);
      ASSERT_EQ(p.status, SolveStatus::kOptimal);
      EXPECT_NEAR(s.objective, optimum, 1e-9 * std::fabs(optimum));
      EXPECT_NEAR(s.objective, p.objective, 1e-9 * std::fabs(optimum));
      ASSERT_EQ(s.stats.source, p.stats.source);
      ExpectOptimalWithIntegersFixed(model, s, capacities);
      ExpectOptimalWithIntegersFixed(model, p, capacities);
      EXPECT_FALSE(p.stats.fixed_from_search_basis);
      if (s.stats.source == SolutionSource::kRoundingHeuristic) {
        // The reduced LP holds the heuristic's solution already: no re-solve.
        EXPECT_FALSE(s.stats.fixed_from_search_basis);
        EXPECT_EQ(s.stats.fixed_reduced_iterations, 0);
        continue;
      }
      EXPECT_TRUE(s.stats.fixed_from_search_basis);
      EXPECT_LE(s.stats.fixed_reduced_iterations, p.stats.fixed_reduced_iterations);
      ++from_search;
      from_child += s.stats.source == SolutionSource::kUpSide && s.stats.second_worker == SecondWorker::kForked;
    }
  }
  EXPECT_GT(from_search, 0);
  EXPECT_GT(from_child, 0);  // the basis crossed the pipe
}

// SmallMilp: the heuristic rounds (3, 1.5) up to (3, 2), over the first row (26 > 24), and then
// down to (3, 1) = -19; one search finds (4, 0) = -20. Stage 5 starts from that node's basis.
TEST(LpModel, FixedLpOfSmallMilpStartsFromTheSearchsBasis) {
  LpModel lp = SmallMilp();
  const Solution s = lp.SolveMilp({.workers = 1});
  ASSERT_EQ(s.status, SolveStatus::kOptimal);
  EXPECT_EQ(s.stats.source, SolutionSource::kSearch);
  EXPECT_TRUE(s.stats.fixed_from_search_basis);
  EXPECT_NEAR(s.objective, -20, 1e-9);
  EXPECT_NEAR(s.primal[0], 4, 1e-9);
  EXPECT_NEAR(s.primal[1], 0, 1e-9);
  EXPECT_NEAR(s.stats.heuristic_objective, -19, 1e-9);
}

// --time-limit inside an LP, without a clock: LpStopForTests stops every LP of one stage after a
// few simplex iterations, with the status the clock gives (CLP's "stopped on iterations or time").

/// True when this process has no child left, not even a zombie.
bool NoChildLeft() {
  int status = 0;
  errno = 0;
  return ::waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD;
}

TEST(LpModel, RootLpStoppedAtTheLimitGivesNoPlan) {
  for (const int32_t workers : {1, 2}) {
    SCOPED_TRACE(workers);
    LpModel model = FacilityLocation(1, 8, 12);
    const Solution s = model.SolveMilp({.workers = workers, .test_lp_stop = {LpStage::kRoot, 1}});
    EXPECT_EQ(s.status, SolveStatus::kTimeLimit);
    EXPECT_FALSE(s.has_solution);
    EXPECT_TRUE(s.primal.empty());
    EXPECT_EQ(s.stats.termination, Termination::kRelaxationNotOptimal);
    EXPECT_EQ(s.stats.source, SolutionSource::kNone);
    EXPECT_TRUE(NoChildLeft());
  }
  LpModel lp = TwoRowLp();  // the LP path (no integer): the same status, no solution
  const Solution s = lp.SolveLp({.test_lp_stop = {LpStage::kRoot, 1}});
  EXPECT_EQ(s.status, SolveStatus::kTimeLimit);
  EXPECT_FALSE(s.has_solution);
  ExpectTwoRowOptimum(lp.SolveLp({}));  // and the next solve is not held back by it
}

TEST(LpModel, HeuristicLpStoppedAtTheLimitIsNeitherAnIncumbentNorInfeasible) {
  int stopped = 0;
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    SCOPED_TRACE(seed);
    const LpModel model = FacilityLocation(seed, 8, 12);
    const double optimum = EnumeratedOptimum(model, 8);
    LpModel lp(model);
    const Solution s = lp.SolveMilp({.workers = 2, .test_lp_stop = {LpStage::kHeuristic, 1}});
    // Only the heuristic's LPs stop: the search (not limited here) still proves the optimum.
    ASSERT_EQ(s.status, SolveStatus::kOptimal);
    EXPECT_NEAR(s.objective, optimum, 1e-9 * std::fabs(optimum));
    if (!s.stats.heuristic_found) {
      ++stopped;
      EXPECT_EQ(s.stats.heuristic_lps, 1);  // a stopped LP ends the heuristic: no other rounding is tried
      EXPECT_FALSE(s.stats.root_split);     // no incumbent: one search
    }
    EXPECT_TRUE(NoChildLeft());
  }
  EXPECT_GT(stopped, 0);
}

// CBC reads a node LP stopped at the limit as infeasible and drops the node: without the fix the
// search goes on past it (here no clock stops it) and claims a proven optimum that can be wrong,
// with a best bound above the true optimum. With it: status time_limit, the bound at most the
// enumerated optimum, and a reported plan feasible and optimal for its integers.
TEST(LpModel, NodeLpsStoppedAtTheLimitKeepTheirBound) {
  int stopped_runs = 0;
  for (const int32_t workers : {1, 2}) {
    for (const int32_t iterations : {1, 4}) {
      for (uint32_t seed = 1; seed <= 8; ++seed) {
        SCOPED_TRACE(::testing::Message() << "workers " << workers << " iterations " << iterations << " seed " << seed);
        std::vector<double> capacities;
        const LpModel model = FacilityLocation(seed, 8, 12, &capacities);
        const double optimum = EnumeratedOptimum(model, 8);
        const double tolerance = 1e-9 * std::fabs(optimum);
        LpModel lp(model);
        const Solution s =
            lp.SolveMilp({.workers = workers, .test_lp_stop = {LpStage::kSearch, iterations}});
        EXPECT_TRUE(NoChildLeft());
        if (s.stats.node_lps_stopped > 0) {
          ++stopped_runs;
          EXPECT_EQ(s.status, SolveStatus::kTimeLimit);
          EXPECT_EQ(s.stats.termination, Termination::kTimeLimit);
        }
        ASSERT_TRUE(s.status == SolveStatus::kOptimal || s.status == SolveStatus::kTimeLimit);
        EXPECT_LE(s.best_bound, optimum + tolerance);
        if (s.status == SolveStatus::kOptimal) {
          EXPECT_NEAR(s.objective, optimum, tolerance);
        }
        if (!s.has_solution) continue;
        EXPECT_GE(s.objective, optimum - tolerance);
        EXPECT_LE(s.best_bound, s.objective + tolerance);
        EXPECT_GE(s.relative_gap, 0.0);
        ExpectOptimalWithIntegersFixed(model, s, capacities);  // a feasible plan, its LP solved to the end
      }
    }
  }
  EXPECT_GT(stopped_runs, 0);
}

// A limit that is never reached: the limited path (wall-clock limits on every LP, the node LPs
// watched) gives the same plan as no limit.
TEST(LpModel, ALimitNotReachedGivesTheSamePlanAsNone) {
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    SCOPED_TRACE(seed);
    const LpModel model = FacilityLocation(seed, 8, 12);
    for (const int32_t workers : {1, 2}) {
      LpModel plain(model), limited(model);
      const Solution a = plain.SolveMilp({.workers = workers});
      const Solution b = limited.SolveMilp({.time_limit_s = 1e6, .workers = workers});
      ASSERT_EQ(a.status, SolveStatus::kOptimal);
      ASSERT_EQ(b.status, SolveStatus::kOptimal);
      EXPECT_EQ(a.objective, b.objective);
      EXPECT_EQ(a.best_bound, b.best_bound);
      EXPECT_EQ(a.primal, b.primal);
      EXPECT_EQ(a.row_duals, b.row_duals);
      EXPECT_EQ(a.stats.nodes, b.stats.nodes);
      EXPECT_EQ(b.stats.node_lps_stopped, 0);
    }
  }
}

TEST(LpModel, TwoWorkersWhenTheForkFails) { ExpectOptimumDespite(ChildFault::kForkFails, SecondWorker::kForkFailed); }

TEST(LpModel, TwoWorkersWhenTheChildFails) {
  ExpectOptimumDespite(ChildFault::kChildFails, SecondWorker::kChildFailed);
}

TEST(LpModel, TheChildIsKilledWhenTheParentsSearchThrows) {
  LpModel model = FacilityLocation(1, 8, 12);
  // The child hangs for ever; the destructor must kill it, not wait for it
  // (waiting would hang this test until ctest's timeout).
  EXPECT_THROW(model.SolveMilp({.workers = 2, .test_child_fault = ChildFault::kChildHangsParentThrows}),
               std::runtime_error);
  int status = 0;
  errno = 0;
  EXPECT_EQ(::waitpid(-1, &status, WNOHANG), -1);  // no child left, not even a zombie
  EXPECT_EQ(errno, ECHILD);
}

TEST(LpModel, NoForkWhenTheProcessHasSeveralThreads) {
  std::promise<void> release;
  std::thread other([f = release.get_future()]() mutable { f.wait(); });
  for (uint32_t seed = 1; seed <= 4; ++seed) {
    SCOPED_TRACE(seed);
    const LpModel model = FacilityLocation(seed, 8, 12);
    const double optimum = EnumeratedOptimum(model, 8);
    LpModel two(model);
    const Solution s = two.SolveMilp({.workers = 2});
    ASSERT_EQ(s.status, SolveStatus::kOptimal);
    EXPECT_NEAR(s.objective, optimum, 1e-9 * std::fabs(optimum));
    EXPECT_TRUE(s.stats.root_split);
    EXPECT_EQ(s.stats.second_worker, SecondWorker::kRefusedThreads);
  }
  release.set_value();
  other.join();
}

TEST(LpModel, TwoWorkersOnGeneralIntegers) {
  LpModel lp = SmallMilp();  // the root (3, 1.5) branches on y: y <= 1 | y >= 2
  Solution s = lp.SolveMilp({.workers = 2});
  ASSERT_EQ(s.status, SolveStatus::kOptimal);
  EXPECT_NEAR(s.objective, -20, 1e-9);
  EXPECT_NEAR(s.primal[0], 4, 1e-9);
  EXPECT_NEAR(s.primal[1], 0, 1e-9);
  // Same answer as one worker, and the model's bounds are untouched.
  LpModel again = SmallMilp();
  EXPECT_NEAR(again.SolveMilp({.workers = 1}).objective, s.objective, 1e-12);
  EXPECT_EQ(lp.column_lower(1), 0);
  EXPECT_EQ(lp.column_upper(1), kInfinity);
}

TEST(LpModel, CopyIsIndependent) {
  LpModel a = TwoRowLp();
  ASSERT_EQ(a.SolveLp({}).status, SolveStatus::kOptimal);
  LpModel b(a);
  b.SetColumnBounds(0, 0, 0);  // max y with 2y <= 4, y <= 6: y = 2
  EXPECT_NEAR(b.SolveLp({}).objective, -2.0, 1e-9);
  EXPECT_NEAR(a.SolveLp({}).objective, -2.8, 1e-9);
}

TEST(LpModel, TruncateRowsRemovesTemporaryRows) {
  LpModel lp = TwoRowLp();
  RowBlock cap;
  cap.Coef(0, 1);
  cap.Coef(1, 1);
  cap.End(-kInfinity, 1);
  EXPECT_EQ(lp.AddRows(std::move(cap)), 2);
  EXPECT_NEAR(lp.SolveLp({}).objective, -1.0, 1e-9);
  lp.TruncateRows(2);
  EXPECT_EQ(lp.rows(), 2);
  EXPECT_NEAR(lp.SolveLp({}).objective, -2.8, 1e-9);
}

TEST(LpModel, MpsRoundTripThroughClpCbcAndGlpsol) {
  LpModel lp = SmallMilp();
  const std::string path = testing::TempPath("small.mps");
  lp.WriteMps(path);
  OsiClpSolverInterface reread;
  reread.messageHandler()->setLogLevel(0);
  ASSERT_EQ(reread.readMps(path.c_str(), ""), 0);
  EXPECT_EQ(reread.getNumCols(), 2);
  EXPECT_EQ(reread.getNumRows(), 2);
  EXPECT_TRUE(reread.isInteger(0));
  reread.initialSolve();
  EXPECT_NEAR(reread.getObjValue(), -21, 1e-9);  // the relaxation
  const auto cbc = testing::CbcObjective(path);
  ASSERT_TRUE(cbc.has_value());
  EXPECT_NEAR(*cbc, -20, 1e-9);
  const auto glpk = testing::GlpsolObjective(path);
  ASSERT_TRUE(glpk.has_value());
  EXPECT_NEAR(*glpk, -20, 1e-9);
  std::remove(path.c_str());
  std::remove((path + ".glpsol.txt").c_str());
}

TEST(LpModel, WriteMpsToMissingFolderThrows) {
  LpModel lp = TwoRowLp();
  EXPECT_THROW(lp.WriteMps("/nonexistent-folder/x.mps"), std::runtime_error);
}

// A MILP re-solved after a change of one row starts its root LP from the
// previous solve's basis (carried through presolve): the same optimum as a
// fresh model solved from scratch, in fewer root iterations.
TEST(LpModel, MilpRootWarmStartsFromThePreviousBasis) {
  for (uint32_t seed = 1; seed <= 4; ++seed) {
    SCOPED_TRACE(seed);
    LpModel warm = FacilityLocation(seed, 10, 20);
    const Solution first = warm.SolveMilp({.workers = 1});
    ASSERT_EQ(first.status, SolveStatus::kOptimal);
    EXPECT_FALSE(first.stats.root_warm_start);
    // Customer 0's demand (row 0) one unit higher, in both models.
    LpModel cold = FacilityLocation(seed, 10, 20);
    // The row bounds of customer 0 are d..d; read d from the first solution's shipments.
    double d = 0;
    for (int f = 0; f < 10; ++f) d += first.primal[10 + f * 20 + 0];
    warm.SetRowBounds(0, d + 1, d + 1);
    cold.SetRowBounds(0, d + 1, d + 1);
    const Solution w = warm.SolveMilp({.workers = 1});
    const Solution c = cold.SolveMilp({.workers = 1});
    ASSERT_EQ(w.status, SolveStatus::kOptimal);
    ASSERT_EQ(c.status, SolveStatus::kOptimal);
    EXPECT_NEAR(w.objective, c.objective, 1e-9 * std::fabs(c.objective));
    EXPECT_TRUE(w.stats.root_warm_start);
    EXPECT_FALSE(c.stats.root_warm_start);
    EXPECT_LT(w.stats.root_iterations, c.stats.root_iterations);
    EXPECT_GT(c.stats.root_iterations, 0);
  }
}

}  // namespace
}  // namespace rackforge::solver
