// `rackforge plan SCENARIO [--json] [--out DIR] [--db FILE|URL] [--no-db]
// [--disruptions FILE] [--option-demand expected|all|none] [--domestic X]
// [--quantities whole|continuous] [--time-limit S] [--gap G] [--write-mps FILE]
// [--baseline-run ID --freeze-weeks N [--change-penalty USD]]
// [--resilient [--contingencies SET|NODE,…] [--threads T]]`: solve the plan
// model (or the resilient two-stage program), print a summary (or JSON), write
// the output folder and store the run (with its quantities, so that it can be
// the baseline of a later re-plan).
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
#include "common/errors.h"
#include "design/check.h"
#include "io/scenario_loader.h"
#include "plan/plan.h"
#include "plan/resilient.h"
#include "report/output_folder.h"
#include "report/plan_report.h"
#include "report/resilient_report.h"
#include "store/run_store.h"

namespace rackforge::cli {
namespace {

struct PlanArgs : SolveArgs {
  std::optional<double> domestic;
  std::string quantities;  // "" = the scenario's policy.quantities
  std::string write_mps;
  bool resilient = false;
  std::string contingencies;  // empty: plants
  std::string method;         // --resilient-method: "" = auto
  int32_t threads = 0;
  std::string baseline_run;
  std::optional<int32_t> freeze_weeks;
  std::optional<double> change_penalty_usd;
  bool db_given = false;  // --db on the command line (not the default rackforge.db)
};

void CheckOptions(const PlanArgs& args) {
  if (args.domestic && !(*args.domestic >= 0 && *args.domestic <= 1)) {
    throw common::UsageError(fmt::format("--domestic: {} is outside 0..1 (a share of pre-tariff component spend)",
                                     *args.domestic));
  }
  if (args.baseline_run.empty() && (args.freeze_weeks || args.change_penalty_usd)) {
    throw common::UsageError(fmt::format("{} needs --baseline-run ID (the stored run to re-plan against)",
                                     args.freeze_weeks ? "--freeze-weeks" : "--change-penalty"));
  }
  if (!args.baseline_run.empty() && !args.freeze_weeks) {
    throw common::UsageError("--baseline-run needs --freeze-weeks N (the weeks fixed to the stored run; 0 for none)");
  }
  if (!args.baseline_run.empty() && args.no_db && !args.db_given) {
    throw common::UsageError(
        "--baseline-run needs a run store to read the stored run from: with --no-db give --db FILE|URL "
        "(read only; nothing is stored)");
  }
  if (args.freeze_weeks && *args.freeze_weeks < 0) {
    throw common::UsageError(fmt::format("--freeze-weeks: {} is negative", *args.freeze_weeks));
  }
  if (args.change_penalty_usd && !(*args.change_penalty_usd >= 0 && std::isfinite(*args.change_penalty_usd))) {
    throw common::UsageError(fmt::format("--change-penalty: {} must be a finite amount >= 0 USD per rack",
                                     *args.change_penalty_usd));
  }
  if (!args.quantities.empty() && !model::ParseQuantities(args.quantities)) {
    throw common::UsageError(fmt::format("--quantities: '{}' is not one of whole, continuous", args.quantities));
  }
  CheckSolveOptions(args);
  if (!args.resilient && !args.contingencies.empty()) {
    throw common::UsageError("--contingencies: '" + args.contingencies + "' needs --resilient");
  }
  if (args.resilient && !args.contingencies.empty()) plan::ParseContingencySpec(args.contingencies);
  if (!args.method.empty()) {
    if (!args.resilient) throw common::UsageError("--resilient-method: '" + args.method + "' needs --resilient");
    plan::ParseResilientMethod(args.method);
  }
}

/// Why a stored run has no quantities (for the error message).
std::string NoQuantitiesReason(const nlohmann::json& run) {
  const std::string kind = run.value("kind", "");
  if (kind != "plan") return fmt::format("it is a {} run", kind);
  const std::string status = run.value("status", "");
  if (status != store::run_status::kDone) return fmt::format("it ended {}", status);
  const nlohmann::json& result = run["result"];
  const std::string outcome = result.is_object() ? result.value("status", "") : "";
  if (outcome != "optimal" && outcome != "time_limit") return fmt::format("its plan has no solution ({})", outcome);
  return "it was stored before run store schema 4";
}

/// The stored run of --baseline-run with its quantities, read from --db before anything is solved or stored
/// (with --no-db too, where --db must be given: the store is read, never written).
std::shared_ptr<const plan::BaselineRequest> LoadBaseline(const PlanArgs& args, const model::Scenario& scenario) {
  if (*args.freeze_weeks > scenario.horizon_weeks) {
    throw common::UsageError(fmt::format("--freeze-weeks: {} is outside 0..{} (the horizon of {})", *args.freeze_weeks,
                                     scenario.horizon_weeks, args.scenario));
  }
  std::unique_ptr<store::RunStore> db = OpenDbOption(args.db, /*create_if_missing=*/false);
  auto request = std::make_shared<plan::BaselineRequest>();
  try {
    const std::optional<nlohmann::json> run = db->Get(args.baseline_run);
    if (!run) {
      throw common::UsageError(fmt::format("--baseline-run: no run with id '{}' in {}", args.baseline_run, db->Describe()));
    }
    std::optional<model::KeyedQuantities> quantities = db->GetQuantities(args.baseline_run);
    if (!quantities) {
      throw common::UsageError(fmt::format("--baseline-run {}: run {} in {} has no stored plan quantities: {}",
                                       args.baseline_run, args.baseline_run, db->Describe(), NoQuantitiesReason(*run)));
    }
    request->stored = std::move(*quantities);
  } catch (const store::StoreError& e) {
    throw common::UsageError(fmt::format("--baseline-run {}: {}", args.baseline_run, e.what()));
  }
  request->run_id = args.baseline_run;
  request->freeze_weeks = *args.freeze_weeks;
  request->change_penalty_usd = args.change_penalty_usd;
  return request;
}

/// Dropped ids and conflicts of a re-plan, as warnings on stderr.
void WarnBaseline(const plan::PlanResult& result) {
  if (!result.baseline) return;
  const plan::BaselineReport& b = result.baseline.value();
  for (const std::string& dropped : b.dropped) {
    std::cerr << fmt::format("warning: baseline run {}: dropped {}\n", b.run_id, dropped);
  }
  for (const plan::FrozenConflict& c : b.conflicts) {
    std::cerr << fmt::format("plan: frozen week conflict: {}\n", c.text);
  }
}

/// Applies --domestic and the shared options to the scenario's policy (the
/// reports read them there) and builds the engine options.
plan::PlanOptions ApplyOptions(const PlanArgs& args, model::Scenario& scenario) {
  if (args.domestic) scenario.policy.domestic_content_min = *args.domestic;
  plan::PlanOptions options = ApplySolveOptions(args, scenario);
  options.domestic_content_min = scenario.policy.domestic_content_min;
  options.write_mps_path = args.write_mps;
  if (!args.baseline_run.empty()) options.baseline = LoadBaseline(args, scenario);
  if (!args.quantities.empty()) scenario.policy.quantities = *model::ParseQuantities(args.quantities);
  options.quantities = scenario.policy.quantities;
  return options;
}

/// The options as stored with the run (only those given).
nlohmann::json StoredOptions(const PlanArgs& args) {
  nlohmann::json options = StoredSolveOptions(args);
  if (args.domestic) options["domestic"] = *args.domestic;
  if (args.resilient) {
    options["resilient"] = true;
    options["contingencies"] = args.contingencies.empty() ? "plants" : args.contingencies;
  }
  if (!args.baseline_run.empty()) options["baseline_run"] = args.baseline_run;
  if (args.freeze_weeks) options["freeze_weeks"] = *args.freeze_weeks;
  if (args.change_penalty_usd) options["change_penalty_usd"] = *args.change_penalty_usd;
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
  if (args.resilient && !args.contingencies.empty()) {
    // Named nodes are checked now (exit 2 before anything is stored); sets need the ordinary plan.
    plan::ResolveContingencies(scenario, plan::PlanResult{}, plan::ParseContingencySpec(args.contingencies));
  }
  RecordedRun run(!args.no_db, args.db, NewRunOf("plan", args.scenario, scenario.name, StoredOptions(args)));

  std::cerr << fmt::format("plan: solving {} ({} lines, {} designs, {} weeks)\n", scenario.name, scenario.lines.size(),
                           scenario.designs.size(), scenario.horizon_weeks);
  const auto start = std::chrono::steady_clock::now();
  plan::PlanResult result;
  std::optional<plan::ResilientResult> resilient;
  try {
    if (args.resilient) {
      plan::ResilientOptions ro;
      if (!args.contingencies.empty()) ro.contingencies = plan::ParseContingencySpec(args.contingencies);
      ro.threads = args.threads;
      if (!args.method.empty()) ro.method = plan::ParseResilientMethod(args.method);
      resilient = plan::SolveResilient(scenario, options, ro, spdlog::default_logger_raw());
      result = resilient->plan;
    } else {
      result = plan::SolvePlan(scenario, options, spdlog::default_logger_raw());
    }
  } catch (const std::exception& e) {
    run.Fail(e.what());
    throw;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << fmt::format("plan: {} in {:.2f} s\n", solver::Describe(result.status, result.gap, result.has_solution),
                           seconds);
  WarnBaseline(result);

  const nlohmann::json json =
      resilient ? report::ResilientToJson(scenario, *resilient) : report::PlanToJson(scenario, result);
  if (!args.out_dir.empty()) {
    if (resilient) {
      report::WriteResilientOutputs(args.out_dir, scenario, *resilient);
    } else {
      report::WritePlanOutputs(args.out_dir, scenario, result);
    }
    std::cerr << "plan: wrote " << args.out_dir << "\n";
  }
  // The solve outcome (optimal, infeasible, ...) is the result's "status"; the run is done unless the solver failed.
  const bool solver_error = result.status == solver::SolveStatus::kError;
  run.Finish(solver_error ? store::run_status::kFailed : store::run_status::kDone, json, result.keyed.get());
  if (args.json) {
    std::cout << json.dump(2) << "\n";
  } else {
    std::cout << (resilient ? report::ResilientSummaryText(scenario, *resilient)
                            : report::PlanSummaryText(scenario, result));
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
       sub.add_flag("--resilient", args->resilient,
                    "solve the two-stage program over contingencies (outages from risk.start_week)");
       sub.add_option("--contingencies", args->contingencies,
                      "with --resilient: plants (default) | lines | suppliers | all | NODE,NODE,... "
                      "(plant:ID, line:ID, supplier:ID)");
       sub.add_option("--threads", args->threads, "with --resilient: threads for the recourse LPs (0 = all cores)")
           ->check(CLI::Range(0, 1024));
       sub.add_option("--resilient-method", args->method,
                      "with --resilient: auto (default) | extensive (one MILP) | lshaped (decomposition over scenarios)");
       sub.add_option("--baseline-run", args->baseline_run,
                      "re-plan against this stored plan run of --db (weeks matched by ISO week; with --no-db, --db "
                      "must be given and is only read)");
       sub.add_option("--freeze-weeks", args->freeze_weeks,
                      "with --baseline-run: fix make, makec, buy, xfer and ship of weeks 0..N-1 to the stored run's");
       sub.add_option("--change-penalty", args->change_penalty_usd,
                      "with --baseline-run: USD per rack of |make - stored make| in the weeks after the frozen ones");
       sub.add_option("--quantities", args->quantities,
                      "whole: whole racks, units and orders; continuous: the LP's quantities (overrides "
                      "policy.quantities)");
       const CLI::Option* db_option = sub.get_option("--db");
       return [args, db_option] {
         args->db_given = db_option->count() > 0;
         return RunPlan(*args);
       };
     }});

}  // namespace
}  // namespace rackforge::cli
