#include "server/analysis_jobs.h"

#include <algorithm>

#include "plan/plan.h"
#include "report/risk_report.h"
#include "risk/risk.h"

namespace rackforge::server {

namespace {

constexpr double kBaselineShare = 0.1;  // progress credited to the baseline solve
constexpr int64_t kRunsPerBlock = 256;

}  // namespace

void AppendOutcomes(risk::RunOutcomes& all, const risk::RunOutcomes& block) {
  if (all.weeks == 0) {
    all.weeks = block.weeks;
    all.nodes = block.nodes;
  }
  all.output_racks.insert(all.output_racks.end(), block.output_racks.begin(), block.output_racks.end());
  all.backlog_rack_weeks.insert(all.backlog_rack_weeks.end(), block.backlog_rack_weeks.begin(),
                                block.backlog_rack_weeks.end());
  all.node_loss.insert(all.node_loss.end(), block.node_loss.begin(), block.node_loss.end());
  all.node_short_weeks.insert(all.node_short_weeks.end(), block.node_short_weeks.begin(), block.node_short_weeks.end());
}

nlohmann::json RiskJob(const model::Scenario& scenario, const JobContext& job, spdlog::logger* log) {
  const plan::PlanResult baseline = risk::SolveBaseline(scenario, log);
  job.ThrowIfCancelled();
  job.Progress(kBaselineShare);
  risk::RiskOptions options;
  options.progress = [&job](int32_t done, int32_t total) {
    job.Progress(kBaselineShare + (1 - kBaselineShare) * done / std::max(1, total));
  };
  options.cancelled = job.CancelCheck();
  return report::RiskJson(risk::ComputeRisk(scenario, baseline, options));
}

nlohmann::json SimulateJob(const model::Scenario& scenario, const SimulateRequest& request, const JobContext& job,
                           spdlog::logger* log) {
  const plan::PlanResult baseline = risk::SolveBaseline(scenario, log);
  job.Progress(kBaselineShare);
  const risk::Simulator simulator(scenario, baseline, scenario.policy.option_demand);
  risk::RunOutcomes all;
  for (int64_t first = 0; first < request.runs; first += kRunsPerBlock) {
    job.ThrowIfCancelled();
    const int64_t last = std::min(request.runs, first + kRunsPerBlock);
    AppendOutcomes(all, simulator.RunRange(request.seed, first, last, 0));
    job.Progress(kBaselineShare + (1 - kBaselineShare) * static_cast<double>(last) / request.runs);
  }
  return report::SimulationJson(simulator.Summarize(all, request.seed));
}

}  // namespace rackforge::server
