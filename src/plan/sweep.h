#pragma once
// Domestic-content sweep: the plan model solved for a range of floors,
// reusing one built model (only the domestic row changes; warm start).

#include <vector>

#include "plan/plan.h"

namespace rackforge::plan {

struct SweepPoint {
  double domestic_content_min = 0;
  PlanResult result;  // status infeasible/time_limit possible; the penalty shows in cost.backlog_penalty
};

struct SweepResult {
  std::vector<SweepPoint> points;
  int32_t searched_points = 0;  // points solved by a branch-and-bound search (the others: proven by LP bounds)
  double build_seconds = 0;     // timing for stderr/benchmarks only
  double solve_seconds = 0;
};

/// The points FROM, FROM+STEP, ..., round((TO-FROM)/STEP)+1 of them (inclusive of TO).
/// Throws common::UsageError when STEP <= 0, TO < FROM, or a bound is outside 0..1.
std::vector<double> SweepPoints(double from, double to, double step);

/// Solves the plan once per point on one built model (only the domestic row changes between
/// points); the results come in point order. The middle point by floor (the anchor) is searched
/// first (branch and bound, base.workers as for a plan); then two runs go outward from it, up and
/// down in floor, each point starting from the plan of the point before it in its run. Without a
/// time limit a point is first tried without a search: the LP with the previous plan's expansions
/// fixed gives a plan, and LP bounds over every other choice of expansions (one "box" per
/// expansion) prove it optimal within the gap; a point where some bound falls short is searched.
/// base.workers >= 2 puts the two runs on two threads (each with its own model); the assignment of
/// points to runs is fixed, so the results do not depend on timing. Throws common::UsageError for a
/// point outside 0..1; a solver failure in either thread is rethrown after both have stopped.
SweepResult RunSweep(const model::Scenario& scenario, const PlanOptions& base, const std::vector<double>& points,
                     spdlog::logger* log = nullptr);

}  // namespace rackforge::plan
