// A suite of tiny LP/MILP cases with optima derived by hand.

#include "solver/lp_model.h"

#include <OsiClpSolverInterface.hpp>
#include <gtest/gtest.h>

#include <cstdint>
#include <random>

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

TEST(LpModel, TwoRowLpOptimumAndDuals) {
  LpModel lp = TwoRowLp();
  Solution s = lp.SolveLp({});
  ASSERT_EQ(s.status, SolveStatus::kOptimal);
  EXPECT_NEAR(s.objective, -2.8, 1e-9);
  EXPECT_NEAR(s.primal[0], 1.6, 1e-9);
  EXPECT_NEAR(s.primal[1], 1.2, 1e-9);
  EXPECT_NEAR(s.row_duals[0], -0.4, 1e-9);
  EXPECT_NEAR(s.row_duals[1], -0.2, 1e-9);
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
  // The LP relaxation (integrality ignored) is 21.
  EXPECT_NEAR(lp.SolveLp({}).objective, -21, 1e-9);
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
  EXPECT_EQ(lp.SolveMilp({}).status, SolveStatus::kUnbounded);
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
  Solution s = lp.SolveMilp({.time_limit_s = 0.3});
  EXPECT_EQ(s.status, SolveStatus::kTimeLimit);
  if (s.has_solution) {
    EXPECT_GT(s.relative_gap, 0.0);
  }
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

}  // namespace
}  // namespace rackforge::solver
