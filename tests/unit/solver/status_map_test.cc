#include "solver/status_map.h"

#include <gtest/gtest.h>

namespace rackforge::solver {
namespace {

TEST(MapStatus, NothingKnownIsError) { EXPECT_EQ(MapStatus({}), SolveStatus::kError); }

TEST(MapStatus, Optimal) {
  StatusSignals s;
  s.proven_optimal = true;
  EXPECT_EQ(MapStatus(s), SolveStatus::kOptimal);
}

TEST(MapStatus, CbcContinuousUnboundedAlsoSaysInfeasibleButIsUnbounded) {
  StatusSignals s;
  s.proven_infeasible = true;  // what CBC reports for a continuous-unbounded model
  s.continuous_unbounded = true;
  EXPECT_EQ(MapStatus(s), SolveStatus::kUnbounded);
}

TEST(MapStatus, UnboundedRelaxationWinsOverInfeasible) {
  StatusSignals s;
  s.relaxation_unbounded = true;
  s.proven_infeasible = true;
  EXPECT_EQ(MapStatus(s), SolveStatus::kUnbounded);
}

TEST(MapStatus, InfeasibleRelaxationOrProvenInfeasible) {
  StatusSignals a;
  a.relaxation_infeasible = true;
  EXPECT_EQ(MapStatus(a), SolveStatus::kInfeasible);
  StatusSignals b;
  b.proven_infeasible = true;
  EXPECT_EQ(MapStatus(b), SolveStatus::kInfeasible);
}

TEST(MapStatus, TimeLimitOnlyWhenNotOptimal) {
  StatusSignals s;
  s.time_limit_reached = true;
  EXPECT_EQ(MapStatus(s), SolveStatus::kTimeLimit);
  s.proven_optimal = true;
  EXPECT_EQ(MapStatus(s), SolveStatus::kOptimal);
}

TEST(MapStatus, AbandonedIsError) {
  StatusSignals s;
  s.abandoned = true;
  EXPECT_EQ(MapStatus(s), SolveStatus::kError);
}

TEST(Describe, Words) {
  EXPECT_EQ(Describe(SolveStatus::kOptimal, 0, true), "optimal (proven)");
  EXPECT_EQ(Describe(SolveStatus::kTimeLimit, 0.021, true), "stopped at the time limit, gap 2.1 %");
  EXPECT_EQ(Describe(SolveStatus::kTimeLimit, 0, false), "stopped at the time limit before any plan was found");
  EXPECT_EQ(Describe(SolveStatus::kOptimal, 0.05, true), "optimal (within gap 5 %)");
  EXPECT_STREQ(ToString(SolveStatus::kTimeLimit), "time_limit");
}

}  // namespace
}  // namespace rackforge::solver
