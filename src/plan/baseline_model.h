#pragma once
// Internal to src/plan: the re-planning hooks on a built plan model. They only
// change bounds and add columns and rows after BuildPlanModel, so the plan
// builder does not know about stored runs.

#include <cstdint>
#include <string>
#include <vector>

#include "model/keyed_quantities.h"
#include "model/scenario.h"
#include "plan/baseline.h"
#include "plan/plan.h"
#include "plan/plan_index.h"
#include "solver/lp_model.h"

namespace rackforge::plan {

/// A cell fixed to the stored run's value.
struct FrozenCell {
  model::QuantityFamily family = model::QuantityFamily::kMake;
  size_t flat = 0;  // position in the family's PlanResult / PlanIndex vector
  int32_t column = -1;
  int32_t week = 0;
  double value = 0;  // stored value
  std::string key;
};

/// A make cell of weeks N..H-1 with deviation columns: make − plus + minus = stored.
struct PenalizedCell {
  size_t flat = 0;
  int32_t plus = -1, minus = -1;  // columns, cost change_penalty_usd each
  double stored = 0;
};

/// What ApplyBaseline did to the model (kept by PlanModel for the report and the diagnosis).
struct BaselineCells {
  std::vector<FrozenCell> frozen;
  std::vector<PenalizedCell> penalized;
  std::vector<std::string> dropped;
  int32_t common_weeks = 0;
};

/// Fixes the frozen cells' bounds to the stored values (exactly) and adds the
/// deviation columns and rows of the change penalty. Throws common::UsageError for a bad
/// freeze_weeks or change penalty, or a start_week that is not an ISO week.
BaselineCells ApplyBaseline(const model::Scenario& scenario, const PlanIndex& index, const BaselineRequest& request,
                            solver::LpModel& lp);

/// Widens each frozen cell's bounds to its stored value ± 5e-7 relative (never below 0): the
/// second try when the exact values are infeasible only by the solver's tolerances.
void WidenFrozenBounds(const BaselineCells& cells, solver::LpModel& lp);

/// The report of a solved re-plan: racks_moved, cell counts, dropped ids; adds the
/// penalty's cost (cost.plan_changes) from the solution values.
BaselineReport ReportBaseline(const model::Scenario& scenario, const BaselineRequest& request,
                              const BaselineCells& cells, PlanResult& result);

/// Names the frozen cells that conflict: solves a copy of `lp` in which each frozen cell may
/// deviate (slack columns, the only costs) and lists the cells with slack > 1e-6.
std::vector<FrozenConflict> DiagnoseFrozenConflicts(const model::Scenario& scenario, const PlanIndex& index,
                                                    const BaselineCells& cells, const solver::LpModel& lp,
                                                    const solver::SolveOptions& options);

/// The plan's quantities keyed by ids and ISO weeks (cells where the model has columns).
model::KeyedQuantities KeyQuantities(const model::Scenario& scenario, const PlanIndex& index, const PlanResult& result);

}  // namespace rackforge::plan
