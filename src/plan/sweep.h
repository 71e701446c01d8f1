#pragma once
// Domestic-content sweep: the plan model solved for a range of floors,
// reusing one built model (only the domestic row changes) and the previous
// point's expansions where LP bounds prove them optimal.

#include <vector>

#include "plan/plan.h"

namespace rackforge::plan {

struct SweepPoint {
  double domestic_content_min = 0;
  PlanResult result;  // status infeasible/time_limit possible; the penalty shows in cost.backlog_penalty
  bool searched = true;  // solved by a branch-and-bound search (false: the previous point's expansions proven optimal)
};

struct SweepResult {
  std::vector<SweepPoint> points;
  double build_seconds = 0;  // timing for stderr/benchmarks only
  double solve_seconds = 0;
};

/// The points FROM, FROM+STEP, ..., round((TO-FROM)/STEP)+1 of them (inclusive of TO).
/// Throws common::UsageError when STEP <= 0, TO < FROM, or a bound is outside 0..1.
std::vector<double> SweepPoints(double from, double to, double step);

/// Solves the plan once per point; the results are in point order. The middle point by floor is
/// searched first; then two runs go outward from it (up and down), and at each point the previous
/// point's expansions are first proven optimal by LP bounds over a partition of the other choices
/// (boxes, branching inside a box where its bound falls short); a point where that fails is searched
/// on a fresh copy of the unsolved model, as `plan` solves it. `base` gives all other options;
/// base.workers >= 2 runs the two runs on two threads (one search per solve there; the anchor's
/// search forks its second worker). Without a time limit only; with one every point is searched.
/// Throws common::UsageError for a point outside 0..1; a solver failure in either thread is rethrown
/// after both have stopped.
SweepResult RunSweep(const model::Scenario& scenario, const PlanOptions& base, const std::vector<double>& points,
                     spdlog::logger* log = nullptr);

}  // namespace rackforge::plan
