#pragma once
// Capacity used against available per rack line, component line, plant test
// cells and supplier offer, week by week, of a solved plan: the load heatmap
// of report.html and of the dashboard (the server stores it with each run).
// Pure and thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "model/scenario.h"
#include "plan/plan.h"

namespace rackforge::report {

/// A week binds when used >= kBindingShare x available (and available > 0).
inline constexpr double kBindingShare = 0.999;

/// One capacity row of the load heatmap.
struct LoadRow {
  std::string kind;   // "line" | "component_line" | "test" | "supply"
  std::string id;     // line id, plant id (test), "supplier/component" (supply)
  std::string plant;  // plant of a line / test row, "" for supply
  std::string unit;   // "racks" | "units" | "test hours"
  std::vector<double> used;       // [week]
  std::vector<double> available;  // [week]; 0 where the capacity does not exist
};

/// The load rows of a solved plan: every existing rack line and every opened
/// expansion line (racks: Σ_g make against racks_per_week·a(l,t)), then the
/// same for component lines when the result has makec, then test cells per
/// plant (Σ test_hours_g·make against hours·(cells + opened cells active)·m(p,t)),
/// then every offer (Σ_p buy in order week t against capacity·m(supplier,t)
/// in the weeks it takes orders and from which a delivery still arrives within
/// the horizon). `disruptions` are the ones the plan used. Empty when the
/// result has no solution. Throws std::invalid_argument when the result's
/// weeks differ from the scenario's horizon (an internal error).
std::vector<LoadRow> LoadRows(const model::Scenario& scenario, const std::vector<model::Disruption>& disruptions,
                              const plan::PlanResult& result);

/// Weeks of a row that bind (see kBindingShare).
std::vector<int32_t> BindingWeeks(const LoadRow& row);

}  // namespace rackforge::report
