#include "plan/plan.h"

#include <spdlog/logger.h>

#include <chrono>

#include "plan/plan_model.h"

namespace rackforge::plan {

PlanResult SolvePlan(const model::Scenario& scenario, const PlanOptions& options, spdlog::logger* log) {
  const auto start = std::chrono::steady_clock::now();
  PlanModel model(scenario, options);
  if (log != nullptr) {
    log->info("plan: built {} columns, {} rows in {:.3f} s", model.columns(), model.rows(),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  if (!options.write_mps_path.empty()) model.WriteMps(options.write_mps_path);
  return model.Solve(log);
}

}  // namespace rackforge::plan
