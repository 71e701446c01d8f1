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
  double build_seconds = 0;  // timing for stderr/benchmarks only
  double solve_seconds = 0;
};

/// The points FROM, FROM+STEP, ..., round((TO-FROM)/STEP)+1 of them (inclusive of TO).
/// Throws common::UsageError when STEP <= 0, TO < FROM, or a bound is outside 0..1.
std::vector<double> SweepPoints(double from, double to, double step);

/// Solves the plan once per point, in the order given, each solve warm-started
/// from the previous one on the same model. `base` gives all other options;
/// base.workers >= 2 solves the points on two threads (two models, points
/// interleaved, one search per solve), with the results in point order either
/// way. Throws common::UsageError for a point outside 0..1; a solver failure in
/// either thread is rethrown after both have stopped.
SweepResult RunSweep(const model::Scenario& scenario, const PlanOptions& base, const std::vector<double>& points,
                     spdlog::logger* log = nullptr);

}  // namespace rackforge::plan
