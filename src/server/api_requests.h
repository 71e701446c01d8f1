#pragma once
// Parsing and validation of API request bodies. Every problem throws
// common::UsageError whose message names the key and the bad value; the server
// turns it into 400 {"error": message}.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "model/scenario.h"
#include "plan/plan.h"
#include "plan/resilient.h"

namespace rackforge::server {

/// Deepest nesting of arrays and objects accepted in a request body.
inline constexpr int kMaxJsonDepth = 32;

/// Parses a body as a JSON object; an empty body is {}. Throws common::UsageError
/// ("body is not valid JSON: ..." (also for invalid UTF-8), "body must be a
/// JSON object", "body nests deeper than 32 levels", "KEY: VALUE is outside
/// -1e12..1e12"): every number must lie within ±model::kMaxAbsNumber, except
/// integers under the key "seed", which ParseSimulateRequest checks. Never
/// recurses, so a deeply nested body cannot exhaust the stack.
nlohmann::json ParseJsonObject(const std::string& body);

/// Finds a stored run's plan quantities for "baseline_run"; throws common::UsageError naming
/// the run when there is no such run or it has no quantities.
using BaselineLookup = std::function<model::KeyedQuantities(const std::string& run_id)>;

/// POST /api/scenarios/{id}/plan: {"domestic": 0..1, "option_demand":
/// "expected"|"all"|"none", "disruptions": [entries as in disruptions.yaml],
/// "baseline_run": run id (string or integer), "freeze_weeks": 0..H (required with
/// baseline_run), "change_penalty_usd": >= 0 (only with baseline_run), "resilient": bool,
/// "contingencies": (only with resilient: true; see ParseResilientRequest)}
/// (all optional; unknown keys are errors). `lookup` resolves baseline_run (a request
/// with baseline_run and no lookup is an error).
plan::PlanOptions ParsePlanRequest(const nlohmann::json& body, const model::Scenario& scenario,
                                   const BaselineLookup& lookup = {});

/// The resilient part of a plan request (`plan --resilient`): none unless "resilient" is true.
/// "contingencies" is "plants" (the default) | "lines" | "suppliers" | "all" | "NODE,NODE…" or a
/// list of node names ["plant:ID", "line:ID", "supplier:ID"]. Named nodes are checked against the
/// scenario here. Throws common::UsageError naming the key and the bad value: "resilient" not a bool,
/// "contingencies" without "resilient": true, an unknown or repeated node ("contingencies:
/// 'plant:xx' names no plant, line or supplier of the scenario ..."), "resilient" with "baseline_run"
/// (the two-stage program has no frozen weeks). The recourse LPs run on one thread (a job).
std::optional<plan::ResilientOptions> ParseResilientRequest(const nlohmann::json& body,
                                                            const model::Scenario& scenario);

/// POST .../simulate body: {"runs": 1..1000000 (default 1000), "seed": integer >= 0 (default 1)}.
struct SimulateRequest {
  int64_t runs = 1000;
  uint64_t seed = 1;
};
SimulateRequest ParseSimulateRequest(const nlohmann::json& body);

/// POST .../risk body: {} (no options yet; unknown keys are errors).
void ParseRiskRequest(const nlohmann::json& body);

}  // namespace rackforge::server
