#pragma once
// Internal to src/plan: what the two solution methods of the resilient plan
// (resilient.cc: one MILP, the extensive form; resilient_lshaped.cc: the
// L-shaped decomposition over scenarios) share.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <thread>
#include <vector>

#include "model/scenario.h"
#include "plan/plan_index.h"
#include "plan/resilient.h"

namespace spdlog {
class logger;
}

namespace rackforge::plan {

/// One scenario of the program: its disruptions and weight (s = 0 first).
struct ScenarioCase {
  std::vector<model::Disruption> disruptions;
  double weight = 0;
};

/// The decision families whose last index is the week of the decision (buy: order week; ship,
/// xfer: departure week): their columns of weeks < t0 are first stage.
inline std::vector<const std::vector<int32_t>*> WeekDecisionFamilies(const PlanIndex& ix) {
  return {&ix.make, &ix.makec, &ix.ship, &ix.buy, &ix.xfer};
}

/// Runs f(k) for k = 0..n−1 on `threads` threads (0 = all cores). Each k writes its own slot, so
/// the results do not depend on the thread count. Rethrows the first exception (lowest k).
template <class F>
void ParallelFor(int32_t n, int32_t threads, F f) {
  const int32_t hw = static_cast<int32_t>(std::max(1u, std::thread::hardware_concurrency()));
  const int32_t workers = std::max(1, std::min(n, threads > 0 ? threads : hw));
  std::vector<std::exception_ptr> errors(n);
  std::atomic<int32_t> next{0};
  auto work = [&] {
    for (int32_t k = next++; k < n; k = next++) {
      try {
        f(k);
      } catch (...) {
        errors[k] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (int32_t i = 1; i < workers; ++i) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

/// Scenario 0's plan from its columns of a solved model (`primal`, `row_duals` of that model):
/// values, objective_usd = its plan cost, bottlenecks (options.bottlenecks), pegging and promises.
/// status, gap and has_solution are the caller's.
void FinishNominalPlan(const model::Scenario& s, const PlanOptions& options, const PlanIndex& index,
                       const std::vector<double>& primal, const std::vector<double>& row_duals, PlanResult& p);

/// Σ over all weeks and cells of a plan's backlog.
double TotalBacklog(const PlanResult& r);

/// What the L-shaped method did (the debug log and docs/model.md's measurements).
struct LShapedStats {
  int32_t iterations = 0;     // rounds of recourse LPs
  int32_t milp_solves = 0;    // master MILPs
  int32_t cuts = 0;           // optimality cuts added
  double master_seconds = 0, recourse_seconds = 0;
};

/// The two-stage program of DESIGN.md "Resilient plan" by the L-shaped method (multi-cut Benders
/// over the contingency scenarios): the master is scenario 0's plan model (binaries, domestic and
/// share rows) plus one θ_n per contingency with its optimality cuts; each round solves the
/// contingencies' recourse LPs (first stage fixed) on `threads` threads, in scenario order. Fills
/// r.plan (status, gap, scenario 0's plan), r.expected_cost_usd and the contingencies' resilient
/// figures, as the extensive form does. Its first round is at the ordinary plan's first stage
/// (r.ordinary): those recourse LPs are the value of the stochastic solution's, so
/// `ordinary_recourse[k]` (size cases.size()) gets scenario k's best recourse to it, with
/// `ordinary_widen[k]`, for every k that has a recourse LP (has_solution false for the others).
/// Returns false (r untouched) when the recourse objective is not bounded below by 0 (a negative
/// cost or lower bound), which the method relies on.
bool SolveLShaped(const model::Scenario& s, const PlanOptions& options, const std::vector<ScenarioCase>& cases,
                  int32_t threads, ResilientResult& r, std::vector<PlanResult>& ordinary_recourse,
                  std::vector<double>& ordinary_widen, LShapedStats& stats, spdlog::logger* log);

}  // namespace rackforge::plan
