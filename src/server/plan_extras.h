#pragma once
// Figures the dashboard shows that the plan JSON does not carry, stored with
// the run: output per plant and week, pre-tariff component spend per
// supplier, capacity used against available per line / test cells / offer
// and week, the build plan per line, the pegging, parts that run out and the
// domestic share per quarter. Pure and thread-safe.

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/scenario.h"
#include "plan/plan.h"

namespace rackforge::server {

/// A week binds when used >= kBindingShare x available (and available > 0).
inline constexpr double kBindingShare = 0.999;

/// Weeks per quarter of "domestic_by_quarter" (quarter q = weeks 13q .. 13q+12).
inline constexpr int32_t kWeeksPerQuarter = 13;

/// One capacity row of the load heatmap.
struct LoadRow {
  std::string kind;  // "line" | "component_line" | "test" | "supply"
  std::string id;    // line id, plant id (test), "supplier/component" (supply)
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
/// in the weeks it takes orders). `disruptions` are the ones the plan used.
/// Empty when the result has no solution.
std::vector<LoadRow> LoadRows(const model::Scenario& scenario, const std::vector<model::Disruption>& disruptions,
                              const plan::PlanResult& result);

/// Weeks of a row that bind (see kBindingShare).
std::vector<int32_t> BindingWeeks(const LoadRow& row);

/// {"racks_built_by_plant_week": {plant: [racks per week]},
///  "spend_usd_by_supplier": {supplier: Σ_t cost_o·buy[o,t] (pre-tariff)},
///  "load": {"binding_share": 0.999, "rows": [{kind, id, plant, unit, used, available, binding_weeks}]},
///  "build_plan": [{line, plant, design, racks: [per week]}] (rows with any make),
///  "pegging": [{site, design, kind, demand_week, plant|null, ship_week|null, arrival_week|null, racks, weeks_late}],
///  "part_shortages": [{component, plant, first_week, last_week, lines: [ids]}]: weeks where the plant holds
///     none of the part (cinv ≤ 1e-6) while a line there that builds a design needing it has spare capacity,
///     the plant's test cells do not bind and that design is owed somewhere (backlog > 1e-6),
///  "domestic_by_quarter": [{quarter, first_week, last_week, domestic_usd, total_usd, share|null}]: the
///     domestic-content definition of DESIGN.md by order / make week}.
/// Empty objects and arrays when the result has no solution.
nlohmann::json PlanExtrasJson(const model::Scenario& scenario, const std::vector<model::Disruption>& disruptions,
                              const plan::PlanResult& result);

}  // namespace rackforge::server
