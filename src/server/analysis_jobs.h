#pragma once
// The bodies of the server's risk and simulate jobs: solve the baseline plan
// (the scenario's own options and disruptions), then run the risk engine or
// the Monte Carlo with progress reports. Pure apart from the logger.

#include <cstdint>

#include <nlohmann/json.hpp>

#include "model/scenario.h"
#include "risk/simulate.h"
#include "server/api_requests.h"
#include "server/job_manager.h"

namespace spdlog {
class logger;
}

namespace rackforge::server {

/// report::RiskJson of risk::ComputeRisk against the baseline. Progress: 0.1
/// after the baseline, then per node. Throws std::runtime_error when the
/// baseline has no solution.
/// Stops at the next node once `job` is cancelled (throws).
nlohmann::json RiskJob(const model::Scenario& scenario, const JobContext& job, spdlog::logger* log);

/// report::SimulationJson of `request.runs` Monte Carlo runs, played in blocks
/// so that progress moves; identical to one risk::Simulate call (runs depend
/// only on seed and run index). Stops between blocks once `job` is cancelled
/// (throws JobCancelled).
nlohmann::json SimulateJob(const model::Scenario& scenario, const SimulateRequest& request, const JobContext& job,
                           spdlog::logger* log);

/// Appends the outcomes of the next block of runs to `all` (run order kept).
void AppendOutcomes(risk::RunOutcomes& all, const risk::RunOutcomes& block);

}  // namespace rackforge::server
