#pragma once
// Internal to src/plan: whole quantities (DESIGN.md "Whole quantities,
// pegging and re-planning", first bullet). make, makec, ship, buy and xfer
// become whole numbers by rounding the continuous plan and repairing the rest
// (docs/model.md "Whole quantities" describes the method and its limits).

#include <cstdint>
#include <vector>

#include "plan/plan_index.h"

namespace rackforge::plan {

/// What the whole-quantity pass reads; all references outlive the call.
struct WholeInputs {
  const model::Scenario& scenario;
  const model::Availability& availability;  // the disruptions the model was built with
  const PlanOptions& options;
  const PlanIndex& index;
  double domestic_min = 0;
  model::OptionDemandMode mode = model::OptionDemandMode::kExpected;
};

/// One family of columns that must be whole in a whole plan, in PlanResult layout.
struct IntegerFamily {
  const char* name;                    // "make", "ship", ...
  const std::vector<int32_t>* columns; // index.make, index.ship, ... (-1 = no column)
};

/// The families of DESIGN.md: make, makec, ship, buy, xfer (makec joins once the index has its columns).
std::vector<IntegerFamily> IntegerFamilies(const PlanIndex& index);

/// How RoundMake rounds.
struct MakeRounding {
  bool nearest = true;       // nearest running total (else just below it)
  bool guard_parts = false;  // racks ahead of the continuous running totals only within its parts stock
  bool supply_slack = false; // ... or what its offers' unused capacity could still deliver by then
};

/// Cumulative rounding of make per (line, design): week by week, the whole racks that keep the
/// running total of the line and design nearest to (how.nearest) or just below (else) the
/// continuous running total, then cut back, most-ahead design first, to the line's whole capacity
/// and the plant's test hours (a rack cut moves to a later week, since the running totals still
/// ask for it), with how.guard_parts to the parts the continuous plan holds at the plant (racks
/// ahead of the continuous running totals use parts early: Σ qty·(whole − continuous) ≤ cinv);
/// then, rounding to the nearest, a rack more where a plant's design is more than half a rack
/// behind and a line of the plant has room (and, with the guard, the parts); kept within each make column's bounds in `lp`. Expansions as `continuous` opened them.
/// Returns make in PlanResult layout.
std::vector<double> RoundMake(const WholeInputs& in, const PlanResult& continuous, const MakeRounding& how,
                              const solver::LpModel& lp);

/// Solves the model in `lp` with continuous quantities (the bound), then makes the plan whole:
/// make rounded (RoundMake), then makec, ship, buy and xfer solved as whole numbers with make
/// fixed (an LP whose right-hand sides are rounded so that its vertices are nearly whole; the few
/// fractional columns rounded up, or, with fractional transfers or component builds, fixed family
/// by family in dependency order: xfer, makec, buy, ship; a small MILP only when those fail). Every row holds for the returned values;
/// objective_usd is their cost (ComputeCostBreakdown). Bottlenecks use the continuous LP's duals.
/// Restores every bound and integrality it changed in `lp`. Status kError with no solution only
/// when no whole plan was found (the continuous one had none, or every repair failed).
PlanResult SolveWholeQuantities(const WholeInputs& in, solver::LpModel& lp, spdlog::logger* log);

}  // namespace rackforge::plan
