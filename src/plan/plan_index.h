#pragma once
// Internal to src/plan: where each variable and row of the plan model lives in
// the solver model. Dense maps in the layout of PlanResult (-1 = the variable
// or row does not exist), so extraction and re-solves are plain array reads.

#include <cstdint>
#include <vector>

#include "model/availability.h"
#include "model/scenario.h"
#include "plan/plan_model.h"
#include "solver/lp_model.h"

namespace rackforge::plan {

/// Flat positions, identical to the PlanResult index helpers.
struct Dims {
  int32_t weeks = 0;
  int32_t designs = 0;
  int32_t plants = 0;
  int32_t components = 0;
  /// makec[m,c,t]: [component line][component][week].
  size_t Makec(int32_t m, int32_t c, int32_t t) const { return (static_cast<size_t>(m) * components + c) * weeks + t; }
  /// buy[o,p,t] (order week) and cinv[c,p,t]: [offer or component][plant][week].
  size_t AtPlant(int32_t i, int32_t p, int32_t t) const { return (static_cast<size_t>(i) * plants + p) * weeks + t; }
  size_t Make(int32_t l, int32_t g, int32_t t) const { return (static_cast<size_t>(l) * designs + g) * weeks + t; }
  size_t Ship(int32_t lane, int32_t g, int32_t k, int32_t t) const {
    return ((static_cast<size_t>(lane) * designs + g) * model::kDemandKinds + k) * weeks + t;
  }
  size_t Inv(int32_t p, int32_t g, int32_t t) const { return (static_cast<size_t>(p) * designs + g) * weeks + t; }
  size_t Back(int32_t d, int32_t g, int32_t k, int32_t t) const {
    return ((static_cast<size_t>(d) * designs + g) * model::kDemandKinds + k) * weeks + t;
  }
  size_t Week(int32_t i, int32_t t) const { return static_cast<size_t>(i) * weeks + t; }
};

/// Column and row positions of one built plan model.
struct PlanIndex {
  Dims dims;
  // Columns (solver column or -1), PlanResult layouts.
  std::vector<int32_t> make, ship, inv, back, buy, cinv, open;
  std::vector<int32_t> xfer;  // [transfer][week] (departure week)
  std::vector<int32_t> makec;  // [component line][component][week] (PlanResult::MakecIndex); empty: no makec columns
  /// Σ cost_m·makec (the in-house value added; domestic row), -1 when no makec column has a cost.
  int32_t in_house_value = -1;
  std::vector<int32_t> bought;  // [offer]: Σ_{p,t} buy[o,p,t] (domestic and share rows), -1 when absent
  // Rows (solver row or -1).
  std::vector<int32_t> line_row;    // [line][week]
  std::vector<int32_t> cline_row;   // [component line][week]
  std::vector<int32_t> test_row;    // [plant][week]
  std::vector<int32_t> supply_row;  // [offer][week]
  std::vector<int32_t> share_row;   // [offer]
  std::vector<int32_t> backlog_row; // [site][design][kind][week] (layout of back)
  std::vector<int32_t> parts_row;   // [component][plant][week] (layout of cinv), -1 where no cinv
  int32_t domestic_row = -1;
  int32_t budget_row = -1;
  int32_t backlog_cap_first_row = -1;  // first temporary backlog-cap row, -1 when none
};

/// Demand racks entering the plan, dense [site][design][kind][week].
std::vector<double> DenseDemand(const model::Scenario& scenario, const Dims& dims, model::OptionDemandMode mode);

/// Adds every column and row of DESIGN.md "The plan model" to `lp` and returns
/// where they are. `domestic_min` is the floor of the domestic row.
PlanIndex BuildPlanModel(const model::Scenario& scenario, const model::Availability& availability,
                         model::OptionDemandMode mode, double domestic_min, const ModelVariant& variant,
                         solver::LpModel& lp);

/// Coefficient of buy[o,·,·] in the domestic row: (domestic − floor)·cost_o.
double DomesticCoefficient(const model::Scenario& scenario, int32_t offer, double domestic_min);

/// Coefficient of in_house_value in the domestic row: 1 − floor (component lines are in US plants).
double InHouseDomesticCoefficient(double domestic_min);

/// Objective terms computed from a solved plan (fills result.cost).
CostBreakdown ComputeCostBreakdown(const model::Scenario& scenario, const PlanResult& result);

/// Dense values and derived figures from a primal solution.
void ExtractValues(const model::Scenario& scenario, const PlanIndex& index, const std::vector<double>& primal,
                   PlanResult& result);

/// Bottlenecks and late-demand explanations from the row duals of the LP with
/// the binaries fixed (result must hold the extracted values).
void AnalyzeBottlenecks(const model::Scenario& scenario, const PlanIndex& index, const std::vector<double>& row_duals,
                        double domestic_min, PlanResult& result);

/// Adds the pegging's late racks and latest order to each late-demand entry and rewrites its text
/// (result.pegging must be filled).
void AddPromisesToLateDemand(const model::Scenario& scenario, PlanResult& result);

}  // namespace rackforge::plan
