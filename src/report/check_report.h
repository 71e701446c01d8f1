#pragma once
// Formats `check` results: the JSON of DESIGN.md "Command line" (`check --json`)
// and a readable console table per design. Pure functions of the result.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "design/check.h"
#include "model/scenario.h"

namespace rackforge::report {

/// {"designs": [{"id", "meets", "pass", "rollup": {...}, "rules": [{"rule", "need", "have", "margin", "pass"}]}]}.
/// Non-finite numbers and absent margins are null. The rollup also carries
/// "ports_required", "ports_provided", "unpriced_components" and "components"
/// (per BOM component: suppliers (sources, plants making it included), in_house_plants,
/// hhi, landed_cost_usd, in_house_cost_usd).
nlohmann::json CheckJson(const model::Scenario& scenario, const std::vector<design::DesignCheck>& checks);

/// One JSON object of the "designs" array for a design (also used for explore variants).
nlohmann::json DesignCheckJson(const model::Scenario& scenario, const model::Design& design,
                               const design::DesignCheck& check);

/// Console tables: per design its roll-ups, then each rule with need, have, margin % and PASS/FAIL/n.a.
std::string CheckTable(const model::Scenario& scenario, const std::vector<design::DesignCheck>& checks);

}  // namespace rackforge::report
