#pragma once
// Week-by-week capacity factors of DESIGN.md "The plan model": disruption
// multipliers m(n,t), line availability a(l,t), test capacity per plant and
// week, the ramp target, and the demand that enters the plan. Shared by the
// plan model, the risk LPs and the Monte Carlo so that they agree exactly.

#include <string>
#include <vector>

#include "model/scenario.h"

namespace rackforge::model {

/// Precomputed factors for one scenario and one list of disruptions.
/// Immutable after construction; safe to share between threads.
class Availability {
 public:
  Availability(const Scenario& scenario, const std::vector<Disruption>& disruptions);

  int32_t weeks() const { return weeks_; }
  /// m(plant p, t).
  double plant_multiplier(int32_t plant, int32_t week) const { return plant_m_[Index(plant, week)]; }
  /// m(line l, t) (the line's own disruptions only).
  double line_multiplier(int32_t line, int32_t week) const { return line_m_[Index(line, week)]; }
  /// m(supplier s, t).
  double supplier_multiplier(int32_t supplier, int32_t week) const { return supplier_m_[Index(supplier, week)]; }
  /// a(l,t): ramp x m(plant of l, t) x m(l, t).
  double line_availability(int32_t line, int32_t week) const { return line_a_[Index(line, week)]; }
  /// m(component line m, t) (the component line's own disruptions only).
  double component_line_multiplier(int32_t cline, int32_t week) const { return cline_m_[Index(cline, week)]; }
  /// a(m,t) of a component line: ramp x m(plant of m, t) x m(m, t).
  double component_line_availability(int32_t cline, int32_t week) const { return cline_a_[Index(cline, week)]; }
  /// Test hours of `cells` test cells of plant p in week t: test_hours_per_cell_week_p x cells x m(p,t)
  /// (the test row of the plan model; see TestCellsAt for the cells that count).
  double test_hours(int32_t plant, double cells, int32_t week) const {
    return test_hours_per_cell_week_[plant] * cells * plant_multiplier(plant, week);
  }
  /// The ramp alone (no disruptions): 0 before start, f + (1-f)(t-s)/r during the ramp, 1 after.
  static double Ramp(int32_t start_week, int32_t ramp_weeks, double ramp_start_fraction, int32_t week);
  static double Ramp(const Line& line, int32_t week) {
    return Ramp(line.start_week, line.ramp_weeks, line.ramp_start_fraction, week);
  }
  static double Ramp(const ComponentLine& line, int32_t week) {
    return Ramp(line.start_week, line.ramp_weeks, line.ramp_start_fraction, week);
  }

 private:
  size_t Index(int32_t i, int32_t week) const { return static_cast<size_t>(i) * weeks_ + week; }
  int32_t weeks_ = 0;
  std::vector<double> plant_m_, line_m_, supplier_m_, line_a_, cline_m_, cline_a_;
  std::vector<double> test_hours_per_cell_week_;  // [plant]
};

/// True when expansion x adds its test cells to plant p in week t: kind test_cells, at p, and
/// active (t >= active_from_week). Whether it is opened is the caller's (a plan variable or result).
bool AddsTestCells(const Expansion& x, int32_t plant, int32_t week);

/// The test cells of plant p in week t: test_cells_p plus the cells of every expansion e with
/// opened[e] != 0 and AddsTestCells(e, p, t), in expansion order. `opened` is sized to the
/// expansions, or empty (nothing opened). The plant's test hours are then
/// Availability::test_hours(p, TestCellsAt(...), t): the rule the plan's test row and the
/// Monte Carlo's test capacity share.
double TestCellsAt(const Scenario& scenario, int32_t plant, int32_t week, const std::vector<uint8_t>& opened);

/// m(n,t) = product of (1 - capacity_loss) over the disruptions of n covering t.
double Multiplier(const std::vector<Disruption>& disruptions, NodeRef node, int32_t week);

/// Demand racks as they enter the plan: option rows by mode, others as given.
double PlanDemandRacks(const Demand& demand, OptionDemandMode mode);

/// The ramp target at a week: linear between points, constant beyond the
/// first and last; 0 when the scenario has no target.
double TargetAt(const std::vector<TargetPoint>& target, int32_t week);

/// True when output meets the target of that week (output >= target - 1e-9).
bool MeetsTarget(const std::vector<TargetPoint>& target, int32_t week, double output_racks);

/// "plant:ID", "line:ID" or "supplier:ID".
std::string NodeName(const Scenario& scenario, NodeRef node);

/// Recovery weeks and outage probability of a node (a line inherits its plant's).
int32_t NodeRecoveryWeeks(const Scenario& scenario, NodeRef node);
double NodeOutageProbPerWeek(const Scenario& scenario, NodeRef node);

/// Index of the entity with that id, or -1.
template <class T>
int32_t FindById(const std::vector<T>& items, const std::string& id) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].id == id) return static_cast<int32_t>(i);
  }
  return -1;
}

}  // namespace rackforge::model
