#include "cli/solve_args.h"

#include <fmt/format.h>

#include <thread>

#include "cli/db_option.h"
#include "common/errors.h"
#include "io/scenario_loader.h"

namespace rackforge::cli {

void AddSolveOptions(CLI::App& sub, SolveArgs& args, const std::string& out_help, const std::string& time_limit_help) {
  sub.add_option("scenario", args.scenario, "scenario folder")->required();
  sub.add_flag("--json", args.json, "print the result as JSON on stdout");
  sub.add_option("--out", args.out_dir, out_help);
  sub.add_option("--db", args.db, "run store: SQLite file or postgresql:// URL (default rackforge.db)");
  sub.add_flag("--no-db", args.no_db, "do not store the run");
  sub.add_option("--disruptions", args.disruptions, "disruptions file replacing the scenario's disruptions.yaml");
  sub.add_option("--option-demand", args.option_demand, "option demand: expected | all | none");
  sub.add_option("--time-limit", args.time_limit_s, time_limit_help);
  sub.add_option("--gap", args.gap, "relative MIP gap to stop at (default 1e-9: proven optimal)");
  sub.add_option("--workers", args.workers,
                 "branch and bound on 1 or 2 cores (2 splits the search at the root; same result either way "
                 "up to equally good plans); default 2 with two or more cores")
      ->check(CLI::Range(1, 2));
}

int32_t SolveArgs::DefaultWorkers() { return std::thread::hardware_concurrency() >= 2 ? 2 : 1; }

void CheckSolveOptions(const SolveArgs& args) {
  if (!args.option_demand.empty() && !model::ParseOptionDemandMode(args.option_demand)) {
    throw common::UsageError("--option-demand: '" + args.option_demand + "' is not one of expected, all, none");
  }
  if (args.time_limit_s && !(*args.time_limit_s > 0)) {
    throw common::UsageError(fmt::format("--time-limit: {} must be > 0 seconds", *args.time_limit_s));
  }
  if (args.gap && !(*args.gap >= 0 && *args.gap < 1)) {
    throw common::UsageError(fmt::format("--gap: {} is outside 0..1 (a relative gap)", *args.gap));
  }
}

plan::PlanOptions ApplySolveOptions(const SolveArgs& args, model::Scenario& scenario) {
  plan::PlanOptions options;
  if (!args.option_demand.empty()) scenario.policy.option_demand = *model::ParseOptionDemandMode(args.option_demand);
  options.option_demand = scenario.policy.option_demand;
  if (!args.disruptions.empty()) {
    scenario.disruptions = io::LoadDisruptions(args.disruptions, scenario);
    options.disruptions = scenario.disruptions;
  }
  if (args.time_limit_s) options.time_limit_s = *args.time_limit_s;
  if (args.gap) options.relative_gap = *args.gap;
  options.workers = args.workers;
  return options;
}

nlohmann::json StoredSolveOptions(const SolveArgs& args) {
  nlohmann::json options = nlohmann::json::object();
  if (!args.option_demand.empty()) options["option_demand"] = args.option_demand;
  if (!args.disruptions.empty()) {
    options["disruptions"] = args.disruptions;
    options["disruptions_hash"] = store::FileHash(args.disruptions);  // `runs diff` sees an edited file
  }
  if (args.time_limit_s) options["time_limit_s"] = *args.time_limit_s;
  if (args.gap) options["gap"] = *args.gap;
  if (!args.out_dir.empty()) options["out"] = args.out_dir;
  return options;
}

}  // namespace rackforge::cli
