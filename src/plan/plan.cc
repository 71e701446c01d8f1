#include "plan/plan.h"

#include <spdlog/logger.h>

#include <chrono>

#include "model/iso_week.h"
#include "plan/plan_index.h"
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
  PlanResult result = options.quantities == model::Quantities::kWhole ? model.SolveWhole(log) : model.Solve(log);
  if (result.has_solution) {
    const model::OptionDemandMode mode = options.option_demand.value_or(scenario.policy.option_demand);
    result.pegging = PegShipments(scenario, mode, result.weeks, result.ship);
    result.promise = SummarizePegging(result.pegging);
    AddPromisesToLateDemand(scenario, result);
    if (!model::IsoWeekOf(scenario.start_week, 0).empty()) {
      result.keyed = std::make_shared<const model::KeyedQuantities>(model.KeyedValues(result));
    }
  }
  return result;
}

}  // namespace rackforge::plan
