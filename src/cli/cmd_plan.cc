// `rackforge plan SCENARIO [--json] [--out DIR] [--db FILE|URL] [--no-db]
// [--disruptions FILE] [--option-demand expected|all|none] [--domestic X]
// [--time-limit S] [--gap G] [--write-mps FILE]`: solve the plan model, print
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
#include "design/check.h"
#include "io/errors.h"
#include "io/scenario_loader.h"
#include "plan/plan.h"
#include "report/format.h"
#include "report/plan_report.h"
#include "store/run_store.h"

namespace rackforge::cli {
namespace {

struct PlanArgs {
  std::string scenario;
  bool json = false;
  std::string out_dir;
  std::string db = "rackforge.db";
  bool no_db = false;
  std::string disruptions;
  std::string option_demand;
  std::optional<double> domestic;
  std::optional<double> time_limit_s;
  std::optional<double> gap;
  std::string write_mps;
};

void CheckOptions(const PlanArgs& args) {
  if (args.domestic && !(*args.domestic >= 0 && *args.domestic <= 1)) {
    throw io::UsageError(fmt::format("--domestic: {} is outside 0..1 (a share of pre-tariff component spend)",
                                     *args.domestic));
  }
  if (!args.option_demand.empty() && !model::ParseOptionDemandMode(args.option_demand)) {
    throw io::UsageError("--option-demand: '" + args.option_demand + "' is not one of expected, all, none");
  }
  if (args.time_limit_s && !(*args.time_limit_s > 0)) {
    throw io::UsageError(fmt::format("--time-limit: {} must be > 0 seconds", *args.time_limit_s));
  }
  if (args.gap && !(*args.gap >= 0 && *args.gap < 1)) {
    throw io::UsageError(fmt::format("--gap: {} is outside 0..1 (a relative gap)", *args.gap));
  }
}

/// Applies --domestic and --option-demand to the scenario's policy (the
/// reports read them there) and builds the engine options.
plan::PlanOptions ApplyOptions(const PlanArgs& args, model::Scenario& scenario) {
  plan::PlanOptions options;
  if (args.domestic) scenario.policy.domestic_content_min = *args.domestic;
  if (!args.option_demand.empty()) scenario.policy.option_demand = *model::ParseOptionDemandMode(args.option_demand);
  options.domestic_content_min = scenario.policy.domestic_content_min;
  options.option_demand = scenario.policy.option_demand;
  if (!args.disruptions.empty()) {
    scenario.disruptions = io::LoadDisruptions(args.disruptions, scenario);
    options.disruptions = scenario.disruptions;
  }
  if (args.time_limit_s) options.time_limit_s = *args.time_limit_s;
  if (args.gap) options.relative_gap = *args.gap;
  options.write_mps_path = args.write_mps;
  return options;
}

/// The options as stored with the run (only those given).
nlohmann::json StoredOptions(const PlanArgs& args) {
  nlohmann::json options = nlohmann::json::object();
  if (args.domestic) options["domestic"] = *args.domestic;
  if (!args.option_demand.empty()) options["option_demand"] = args.option_demand;
  if (!args.disruptions.empty()) options["disruptions"] = args.disruptions;
  if (args.time_limit_s) options["time_limit_s"] = *args.time_limit_s;
  if (args.gap) options["gap"] = *args.gap;
  if (!args.out_dir.empty()) options["out"] = args.out_dir;
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

std::unique_ptr<store::RunStore> OpenStore(const PlanArgs& args) {
  if (args.no_db) return nullptr;
  try {
    return store::OpenRunStore(args.db);
  } catch (const store::StoreError& e) {
    throw io::UsageError(std::string("--db: ") + e.what());
  }
}

int RunPlan(const PlanArgs& args) {
  CheckOptions(args);
  std::cerr << "plan: loading " << args.scenario << "\n";
  model::Scenario scenario = io::LoadScenario(args.scenario);
  const plan::PlanOptions options = ApplyOptions(args, scenario);
  WarnDesignRules(scenario);
  std::unique_ptr<store::RunStore> db = OpenStore(args);
  std::string run_id;
  if (db) {
    run_id = db->CreateRun({"plan", args.scenario, scenario.name, StoredOptions(args),
                            store::ScenarioFolderHash(args.scenario)});
  }

  std::cerr << fmt::format("plan: solving {} ({} lines, {} designs, {} weeks)\n", scenario.name, scenario.lines.size(),
                           scenario.designs.size(), scenario.horizon_weeks);
  const auto start = std::chrono::steady_clock::now();
  plan::PlanResult result;
  try {
    result = plan::SolvePlan(scenario, options, spdlog::default_logger_raw());
  } catch (const std::exception& e) {
    if (db) db->FailRun(run_id, e.what());
    throw;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << fmt::format("plan: {} in {:.2f} s\n", solver::Describe(result.status, result.gap), seconds);

  const nlohmann::json json = report::PlanToJson(scenario, result);
  if (!args.out_dir.empty()) {
    report::WritePlanOutputs(args.out_dir, scenario, result);
    std::cerr << "plan: wrote " << args.out_dir << "\n";
  }
  if (db) {
    db->FinishRun(run_id, solver::ToString(result.status), json);
    std::cerr << "plan: stored as run " << run_id << " in " << db->Describe() << "\n";
  }
  if (args.json) {
    std::cout << json.dump(2) << "\n";
  } else {
    std::cout << report::PlanSummaryText(scenario, result);
  }
  return result.status == solver::SolveStatus::kError ? 3 : 0;
}

const bool kRegistered = RegisterCommand(
    {"plan", "solve the plan model: what each line builds, what to buy, which expansions pay off",
     [](CLI::App& sub) -> std::function<int()> {
       auto args = std::make_shared<PlanArgs>();
       sub.add_option("scenario", args->scenario, "scenario folder")->required();
       sub.add_flag("--json", args->json, "print the result as JSON on stdout");
       sub.add_option("--out", args->out_dir, "write CSV tables, plan.json, plan.xlsx and report.html to this folder");
       sub.add_option("--db", args->db, "run store: SQLite file or postgresql:// URL (default rackforge.db)");
       sub.add_flag("--no-db", args->no_db, "do not store the run");
       sub.add_option("--disruptions", args->disruptions, "disruptions file replacing the scenario's disruptions.yaml");
       sub.add_option("--option-demand", args->option_demand, "option demand: expected | all | none");
       sub.add_option("--domestic", args->domestic, "domestic-content floor, 0..1 (overrides the policy)");
       sub.add_option("--time-limit", args->time_limit_s, "solver time limit in seconds");
       sub.add_option("--gap", args->gap, "relative MIP gap to stop at (default 1e-9: proven optimal)");
       sub.add_option("--write-mps", args->write_mps, "write the model as MPS to this file");
       return [args] { return RunPlan(*args); };
     }});

}  // namespace
}  // namespace rackforge::cli
