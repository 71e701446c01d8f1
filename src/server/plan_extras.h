#pragma once
// Figures the dashboard shows that the plan JSON does not carry, stored with
// the run: output per plant and week, pre-tariff component spend per
// supplier, capacity used against available per line / test cells / offer
// and week (report/plan_load.h, shared with report.html), the build plan per
// line, the pegging, parts that run out and the domestic share per quarter.
// Pure and thread-safe.

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/scenario.h"
#include "plan/plan.h"
#include "report/plan_load.h"

namespace rackforge::server {

/// Weeks per quarter of "domestic_by_quarter" (quarter q = weeks 13q .. 13q+12).
inline constexpr int32_t kWeeksPerQuarter = 13;

/// {"racks_built_by_plant_week": {plant: [racks per week]},
///  "spend_usd_by_supplier": {supplier: Σ_t cost_o·buy[o,t] (pre-tariff)},
///  "load": {"binding_share": 0.999, "rows": [{kind, id, plant, unit, used, available, binding_weeks}]},
///  "build_plan": [{line, plant, design, racks: [per week]}] (rows with any make),
///  "pegging": [{site, design, kind, demand_week, plant|null, ship_week|null, arrival_week|null, racks, weeks_late}],
///  "part_shortages": [{component, plant, first_week, last_week, lines: [ids]}]: weeks where the plant holds
///     none of the part (cinv ≤ 1e-6) and no more could arrive (every offer with a lane to the plant binds
///     in, or has no, order week t − lead − transit; no component line there has room), while a line
///     there that builds a design needing it has spare capacity, the plant's test cells do not bind and
///     that design is owed somewhere (backlog > 1e-6), and no transfer (q -> p, c) could have brought it
///     (q held some of the part in the departure week t − transit, or could have got more then itself),
///  "domestic_by_quarter": [{quarter, first_week, last_week, domestic_usd, total_usd, share|null}]: the
///     domestic-content definition of DESIGN.md by order / make week}.
/// Empty objects and arrays when the result has no solution.
nlohmann::json PlanExtrasJson(const model::Scenario& scenario, const std::vector<model::Disruption>& disruptions,
                              const plan::PlanResult& result);

}  // namespace rackforge::server
