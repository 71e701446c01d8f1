#pragma once
// The resilient plan of DESIGN.md "Resilient plan (two-stage, over
// contingencies)": one two-stage stochastic program whose scenarios are the
// plan as it is (s = 0) and one outage per contingency node (s = 1..K, the
// node out for weeks t0..t0+R_n−1). The first stage (open[e] and every
// decision of weeks < t0) is shared; the rest is a copy per scenario. Built
// from the plan builder (K + 1 copies of the plan model in one solver model,
// first-stage columns linked by equality rows) and solved as one MILP (the
// extensive form, the default), or by the L-shaped method over the scenarios
// (resilient_lshaped.cc; ResilientOptions::method).
// Pure: no file I/O, no printing (progress goes to the injected logger).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/scenario.h"
#include "plan/contingencies.h"
#include "plan/plan.h"

namespace spdlog {
class logger;
}

namespace rackforge::plan {

/// How the two-stage program is solved (the optimum is the same to the gap).
enum class ResilientMethod {
  kAuto,       // the extensive form (the faster one on every case measured: docs/model.md)
  kExtensive,  // one MILP: K + 1 copies of the plan model linked by equality rows
  kLShaped,    // multi-cut Benders over the contingency scenarios, recourse LPs in threads
};

/// Parses --resilient-method (auto | extensive | lshaped); throws common::UsageError naming the value.
ResilientMethod ParseResilientMethod(const std::string& text);
/// "auto" | "extensive" | "lshaped".
const char* ToString(ResilientMethod method);

struct ResilientOptions {
  ContingencySpec contingencies;
  ResilientMethod method = ResilientMethod::kAuto;
  /// Threads for the recourse LPs of the value of the stochastic solution (one LP per scenario,
  /// independent of each other, so the figures do not depend on it); 0 = all cores.
  int32_t threads = 0;
  /// Called with the fraction done (0..1) after each stage (ordinary plan, two-stage program,
  /// recourse LPs), from the calling thread; may throw to stop the solve (a cancelled job).
  std::function<void(double)> progress;
};

/// One contingency scenario s = n.
struct Contingency {
  model::NodeRef node;
  std::string name;                         // "plant:ID" | "line:ID" | "supplier:ID"
  int32_t recovery_weeks = 0;               // R_n: out for weeks t0..t0+R_n−1 (cut at the horizon)
  double outage_prob_per_week = 0;          // p_n
  double probability = 0;                   // π_n = 1 − (1 − p_n)^(H − t0)
  double weight = 0;                        // w_n = π_n / (1 + Σπ)
  double cost_resilient_usd = 0;            // the plan objective of scenario n under the resilient first stage
  double cost_ordinary_usd = 0;             // ... under the ordinary plan's first stage (best recourse)
  double backlog_rack_weeks_resilient = 0;  // Σ over all weeks and cells of back in scenario n
  double backlog_rack_weeks_ordinary = 0;
};

/// A stock position at the end of week t0 − 1 (parts at a plant or finished racks) that differs
/// between the resilient and the ordinary plan by more than 1e-6.
struct StockChange {
  std::string plant;
  std::string item;  // component id (parts) or design id (racks)
  bool racks = false;
  double units_resilient = 0;
  double units_ordinary = 0;
};

struct ResilientResult {
  /// Scenario 0's plan: what to run if nothing fails. status and gap are those of the two-stage
  /// solve; objective_usd is scenario 0's cost; bottlenecks come from scenario 0's rows of the
  /// two-stage LP with the binaries fixed (expected-cost duals).
  PlanResult plan;
  PlanResult ordinary;                    // the ordinary plan (SolvePlan with the same options), for comparisons
  bool has_figures = false;               // false when either plan has no solution: the figures below are 0
  int32_t start_week = 0;                 // t0 = risk.start_week
  double weight_nominal = 0;              // w_0 = 1 / (1 + Σπ)
  double expected_cost_usd = 0;           // Σ_s w_s·cost_s of the resilient plan (the program's optimum)
  double ordinary_expected_cost_usd = 0;  // Σ_s w_s·cost_s of the ordinary first stage with each best recourse
  double price_of_resilience_usd = 0;     // plan.objective_usd − ordinary.objective_usd
  double vss_usd = 0;                     // ordinary_expected_cost_usd − expected_cost_usd
  double vss_fix_widen = 0;  // 0, or 1e-5 when fixing the ordinary first stage exactly was infeasible somewhere
  std::vector<Contingency> contingencies;       // the order of ResolveContingencies
  std::vector<std::string> expansions_added;    // opened by the resilient plan only (file order)
  std::vector<std::string> expansions_dropped;  // opened by the ordinary plan only
  std::vector<StockChange> stock_changes;       // t0 > 0 only; largest |difference| first
  ResilientMethod method = ResilientMethod::kExtensive;  // the method used (never kAuto)
  int32_t columns = 0, rows = 0;                // size of the two-stage model (extensive form)
  double build_seconds = 0, solve_seconds = 0;  // two-stage model only
};

/// Solves the ordinary plan, the two-stage program and the recourse LPs of the VSS. Options are
/// those of `plan` (gap, time limit, workers, domestic floor, option demand, disruptions);
/// write_mps_path writes the two-stage model. Throws common::UsageError for bad options or unknown
/// contingency names; a plan without solution (infeasible, time limit) is a status, not an error.
ResilientResult SolveResilient(const model::Scenario& scenario, const PlanOptions& options,
                               const ResilientOptions& resilient, spdlog::logger* log = nullptr);

}  // namespace rackforge::plan
