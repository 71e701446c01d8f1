#pragma once
// The built plan model, kept alive so that callers (sweep, risk) can change
// bounds and right-hand sides and re-solve with a warm start instead of
// rebuilding. One instance is not thread-safe; give each worker its own copy
// (the copy constructor clones the solver model).

#include <memory>
#include <vector>

#include "model/scenario.h"
#include "plan/plan.h"
#include "solver/lp_model.h"

namespace rackforge::plan {

/// Which form of the model to build.
struct ModelVariant {
  enum class Objective { kCost, kUnweightedBacklog };
  Objective objective = Objective::kCost;  // kUnweightedBacklog: min Σ_{t>=from_week} Σ back (risk PI/TTS)
  int32_t backlog_from_week = 0;           // first week counted by kUnweightedBacklog
  bool domestic_and_share_rows = true;     // risk LPs leave them out
  bool integer_expansions = true;          // false: open[e] continuous (LP relaxation / fixed later)
};

class PlanModel {
 public:
  /// Builds columns and rows for the scenario (disruptions from options, or the scenario's).
  PlanModel(const model::Scenario& scenario, const PlanOptions& options, ModelVariant variant = {});
  ~PlanModel();
  PlanModel(const PlanModel& other);
  PlanModel& operator=(const PlanModel&) = delete;

  /// Solve (MILP when integer expansions exist and are not fixed, else LP) and extract a PlanResult.
  /// Warm-starts from the previous solve when there was one.
  PlanResult Solve(spdlog::logger* log = nullptr);

  /// The continuous solve, then whole quantities from it (plan/whole.h): a PlanResult with
  /// whole = true. Column bounds, integrality and row bounds are restored afterwards.
  PlanResult SolveWhole(spdlog::logger* log = nullptr);

  /// Changes the domestic-content floor (the one row; sweep).
  void SetDomesticContentMin(double share);

  /// Fixes make/makec/ship/buy (order week)/xfer (departure week) of weeks < t0 to the baseline's values (bounds
  /// widened by `widen` on each side, never below 0) and open[e] to the baseline's choice.
  void FixBefore(const PlanResult& baseline, int32_t t0, double widen = 0.0);

  /// Takes a node out (capacity_loss 1) for weeks [from_week, to_week) on top of the
  /// disruptions the model was built with, by setting column upper bounds to 0.
  void SetOutage(model::NodeRef node, int32_t from_week, int32_t to_week);
  /// Undoes every SetOutage.
  void ClearOutages();

  /// Adds (or replaces) the rows Σ_{d,g,k} back[d,g,k,t] <= cap[t - from_week] for
  /// t in [from_week, from_week + caps.size()); an empty vector removes them (TTS).
  void SetBacklogCaps(int32_t from_week, const std::vector<double>& caps);

  /// Sets the objective coefficient of every back[d,g,k,t] to weights[t] (one per
  /// week). Feasibility is unchanged; risk's TTS search uses weights that favour
  /// early weeks so that each plan it finds stays under the caps for longer.
  void SetBacklogWeights(const std::vector<double>& weights);

  /// How later solves run an LP from no basis (default CLP's automatic choice; a copy keeps
  /// the setting; re-solves from a basis are the dual simplex either way).
  void SetColdLpMethod(solver::LpMethod method);

  /// The basis of the last solve (empty when there is none) and the start of the next solve from
  /// it (ignored when empty or of another model's size): risk's PI LPs start from the base LP's.
  solver::LpBasis GetBasis();
  void SetBasis(const solver::LpBasis& basis);

  /// The result's make, makec, buy, xfer and ship keyed by ids and ISO weeks (the run store's
  /// form; only cells where this model has columns). `result` must come from this model.
  model::KeyedQuantities KeyedValues(const PlanResult& result) const;

  /// Writes the current model as MPS (free format).
  void WriteMps(const std::string& path) const;

  int32_t columns() const;
  int32_t rows() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rackforge::plan
