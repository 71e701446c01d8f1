#pragma once
// Formats `risk` and `simulate` results: the JSON of the CLI (`--json`,
// risk.json), console tables, and risk.html (TTS-vs-TTR quadrant chart and
// PI bars as inline SVG). Pure functions of the results; thread-safe.

#include <nlohmann/json.hpp>
#include <string>

#include "model/scenario.h"
#include "risk/risk.h"
#include "risk/simulate.h"

namespace rackforge::report {

/// {"start_week": t0, "nodes": [{"node", "recovery_weeks", "tts_weeks", "pi_rack_weeks",
/// "exposure_index", "exposed"}] (sorted by exposure), "concentration": {"by_state": [...],
/// "by_country": [...]}} with rows {"key", "nodes", "exposed_nodes", "max_pi_rack_weeks",
/// "output_share", "supply_spend_share"}.
nlohmann::json RiskJson(const risk::RiskResult& result);

/// Console table of the nodes sorted by exposure, then the concentration view.
std::string RiskTable(const model::Scenario& scenario, const risk::RiskResult& result);

/// A self-contained risk.html page.
std::string RiskHtml(const model::Scenario& scenario, const risk::RiskResult& result);

/// {"runs", "seed", "weeks", "p_target_met_by_week": [...], "output_racks_by_week": {"p5", "p50",
/// "p95"}, "backlog_rack_weeks_pct": {"evaluation": {"p5","p50","p95"}, "firm": {...}, "option":
/// {...}}, "top_loss_nodes": [[node, share], ...]}. No timings: identical across threads and ranks.
nlohmann::json SimulationJson(const risk::SimulationResult& result);

/// Console summary: per week target, P5/P50/P95 output, P(target met); backlog percentiles; top loss nodes.
std::string SimulationTable(const model::Scenario& scenario, const risk::SimulationResult& result);

/// A self-contained simulate.html page (output band chart, P(target met) line).
std::string SimulationHtml(const model::Scenario& scenario, const risk::SimulationResult& result);

}  // namespace rackforge::report
