#pragma once
// Outputs of `plan --resilient`: the plan's JSON with a `resilience` object,
// a console text that says in words what the resilient plan does differently
// from the ordinary one, and a report.html section. Pure except
// WriteResilientOutputs. Thread-safe (no shared state).

#include <nlohmann/json.hpp>
#include <string>

#include "model/scenario.h"
#include "plan/resilient.h"
#include "report/html_page.h"

namespace rackforge::report {

/// {expected_cost_usd, price_of_resilience_usd, vss_usd, start_week, weight_nominal,
/// ordinary_objective_usd, ordinary_expected_cost_usd, vss_fix_widen,
/// nominal_backlog_rack_weeks_resilient / _ordinary (Σ back of scenario 0 under each plan), expansions_added,
/// expansions_dropped, stock_changes: [{plant, item, kind: parts|racks, units_resilient,
/// units_ordinary}], contingencies: [{node, weight, probability, recovery_weeks,
/// backlog_rack_weeks_resilient, backlog_rack_weeks_ordinary, cost_resilient_usd,
/// cost_ordinary_usd}], method (extensive | lshaped), columns, rows}; null figures when
/// has_figures is false.
nlohmann::json ResilienceJson(const plan::ResilientResult& result);

/// PlanToJson of scenario 0's plan plus "resilience" (ResilienceJson).
nlohmann::json ResilientToJson(const model::Scenario& scenario, const plan::ResilientResult& result);

/// What the resilient plan does differently, in words: expansions it opens (or drops), parts and
/// racks it holds at t0 and where, what that costs if nothing fails (by cost part), what it saves
/// in expectation, and the backlog per contingency under both plans.
std::string ResilienceText(const model::Scenario& scenario, const plan::ResilientResult& result);

/// PlanSummaryText of scenario 0's plan followed by ResilienceText.
std::string ResilientSummaryText(const model::Scenario& scenario, const plan::ResilientResult& result);

/// Adds the "Resilience" section (figures, changes, contingency table) to a report page.
void AddResilienceSection(const model::Scenario& scenario, const plan::ResilientResult& result, HtmlPage& page);

/// WritePlanOutputs of scenario 0's plan, with plan.json = ResilientToJson and the resilience
/// section in report.html. Atomic as WritePlanOutputs.
void WriteResilientOutputs(const std::string& dir, const model::Scenario& scenario,
                           const plan::ResilientResult& result);

}  // namespace rackforge::report
