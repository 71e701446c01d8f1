// `rackforge plan SCENARIO [--json] [--out DIR] [--db FILE|URL] [--no-db]
// [--disruptions FILE] [--option-demand expected|all|none] [--domestic X]
// [--quantities whole|continuous] [--time-limit S] [--gap G] [--write-mps FILE]`: solve the plan model, print
// a summary (or JSON), write the output folder and store the run.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/command.h"
#include "cli/db_option.h"
#include "cli/solve_args.h"
#include "design/check.h"
#include "io/errors.h"
#include "io/scenario_loader.h"
#include "plan/plan.h"
#include "report/format.h"
#include "report/output_folder.h"
#include "report/plan_report.h"
#include "store/run_store.h"

namespace rackforge::cli {
namespace {

struct PlanArgs : SolveArgs {
  std::optional<double> domestic;
  std::string quantities;  // "" = the scenario's policy.quantities
  std::string write_mps;
};

void CheckOptions(const PlanArgs& args) {
  if (args.domestic && !(*args.domestic >= 0 && *args.domestic <= 1)) {
    throw io::UsageError(fmt::format("--domestic: {} is outside 0..1 (a share of pre-tariff component spend)",
                                     *args.domestic));
  }
  if (!args.quantities.empty() && !model::ParseQuantities(args.quantities)) {
    throw io::UsageError(fmt::format("--quantities: '{}' is not one of whole, continuous", args.quantities));
  }
  CheckSolveOptions(args);
}

/// Applies --domestic and the shared options to the scenario's policy (the
/// reports read them there) and builds the engine options.
plan::PlanOptions ApplyOptions(const PlanArgs& args, model::Scenario& scenario) {
  if (args.domestic) scenario.policy.domestic_content_min = *args.domestic;
  plan::PlanOptions options = ApplySolveOptions(args, scenario);
  options.domestic_content_min = scenario.policy.domestic_content_min;
  options.write_mps_path = args.write_mps;
  if (!args.quantities.empty()) scenario.policy.quantities = *model::ParseQuantities(args.quantities);
  options.quantities = scenario.policy.quantities;
  return options;
}

/// The options as stored with the run (only those given).
nlohmann::json StoredOptions(const PlanArgs& args) {
  nlohmann::json options = StoredSolveOptions(args);
  if (args.domestic) options["domestic"] = *args.domestic;
  if (!args.quantities.empty()) options["quantities"] = args.quantities;
  return options;
}

/// Design-rule failures are warnings for `plan` (the plan is still made).
void WarnDesignRules(const model::Scenario& scenario) {
  for (const design::DesignCheck& check : design::CheckScenario(scenario)) {
    if (check.pass || check.design < 0) continue;
    for (const design::RuleResult& rule : check.rules) {
      if (rule.pass()) continue;
      std::cerr << fmt::format("warning: design {} fails rule {} (need {:.4g} > have {:.4g}); planning it anyway\n",
                               scenario.designs[check.design].id, design::RuleName(rule.rule), rule.need, rule.have);
    }
  }
}

int RunPlan(const PlanArgs& args) {
  CheckOptions(args);
  std::cerr << "plan: loading " << args.scenario << "\n";
  model::Scenario scenario = io::LoadScenario(args.scenario);
  const plan::PlanOptions options = ApplyOptions(args, scenario);
  WarnDesignRules(scenario);
  // Every output target is checked before the solve: a bad one is exit 2 now, with nothing left behind.
  if (!args.out_dir.empty()) report::CheckOutputFolder(args.out_dir);
  if (!args.write_mps.empty()) CheckWritableFile("--write-mps", args.write_mps);
  RecordedRun run(!args.no_db, args.db, NewRunOf("plan", args.scenario, scenario.name, StoredOptions(args)));

  std::cerr << fmt::format("plan: solving {} ({} lines, {} designs, {} weeks)\n", scenario.name, scenario.lines.size(),
                           scenario.designs.size(), scenario.horizon_weeks);
  const auto start = std::chrono::steady_clock::now();
  plan::PlanResult result;
  try {
    result = plan::SolvePlan(scenario, options, spdlog::default_logger_raw());
  } catch (const std::exception& e) {
    run.Fail(e.what());
    throw;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << fmt::format("plan: {} in {:.2f} s\n", solver::Describe(result.status, result.gap), seconds);

  const nlohmann::json json = report::PlanToJson(scenario, result);
  if (!args.out_dir.empty()) {
    report::WritePlanOutputs(args.out_dir, scenario, result);
    std::cerr << "plan: wrote " << args.out_dir << "\n";
  }
  // The solve outcome (optimal, infeasible, ...) is the result's "status"; the run is done unless the solver failed.
  const bool solver_error = result.status == solver::SolveStatus::kError;
  run.Finish(solver_error ? store::run_status::kFailed : store::run_status::kDone, json);
  if (args.json) {
    std::cout << json.dump(2) << "\n";
  } else {
    std::cout << report::PlanSummaryText(scenario, result);
  }
  return solver_error ? 3 : 0;
}

const bool kRegistered = RegisterCommand(
    {"plan", "solve the plan model: what each line builds, what to buy, which expansions pay off",
     [](CLI::App& sub) -> std::function<int()> {
       auto args = std::make_shared<PlanArgs>();
       AddSolveOptions(sub, *args, "write CSV tables, plan.json, plan.xlsx and report.html to this folder",
                       "solver time limit in seconds");
       sub.add_option("--domestic", args->domestic, "domestic-content floor, 0..1 (overrides the policy)");
       sub.add_option("--write-mps", args->write_mps, "write the model as MPS to this file");
       sub.add_option("--quantities", args->quantities,
                      "whole: whole racks, units and orders; continuous: the LP's quantities (overrides "
                      "policy.quantities)");
       return [args] { return RunPlan(*args); };
     }});

}  // namespace
}  // namespace rackforge::cli
