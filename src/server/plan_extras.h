#pragma once
// Figures the dashboard shows that the plan JSON does not carry: output per
// plant and week, and pre-tariff component spend per supplier. Pure.

#include <nlohmann/json.hpp>

#include "model/scenario.h"
#include "plan/plan.h"

namespace rackforge::server {

/// {"racks_built_by_plant_week": {plant: [racks per week]},
///  "spend_usd_by_supplier": {supplier: Σ_t cost_o·buy[o,t] (pre-tariff)}}.
/// Empty objects when the result has no solution.
nlohmann::json PlanExtrasJson(const model::Scenario& scenario, const plan::PlanResult& result);

}  // namespace rackforge::server
