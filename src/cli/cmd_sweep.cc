// `rackforge sweep SCENARIO --domestic FROM:TO:STEP [--json] [--out DIR]
// [--db FILE|URL] [--no-db] [--disruptions FILE] [--option-demand MODE]
// [--time-limit S] [--gap G]`: the plan model solved for a range of
// domestic-content floors; prints the cost curve.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "cli/command.h"
#include "cli/db_option.h"
#include "cli/solve_args.h"
#include "common/errors.h"
#include "io/scenario_loader.h"
#include "plan/sweep.h"
#include "report/output_folder.h"
#include "report/plan_report.h"
#include "store/run_store.h"

namespace rackforge::cli {
namespace {

struct SweepArgs : SolveArgs {
  std::string domestic;  // FROM:TO:STEP
};

double ParseNumber(const std::string& text, const std::string& whole) {
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) {
    throw common::UsageError("--domestic: '" + whole + "' is not FROM:TO:STEP ('" + text + "' is not a number)");
  }
  return value;
}

/// "0:0.8:0.1" -> the sweep points (plan::SweepPoints checks the ranges).
std::vector<double> ParseRange(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ':')) parts.push_back(part);
  if (parts.size() != 3 || text.back() == ':') {
    throw common::UsageError("--domestic: '" + text + "' is not FROM:TO:STEP (e.g. 0:0.8:0.1)");
  }
  return plan::SweepPoints(ParseNumber(parts[0], text), ParseNumber(parts[1], text), ParseNumber(parts[2], text));
}

plan::PlanOptions BaseOptions(const SweepArgs& args, model::Scenario& scenario) {
  plan::PlanOptions options = ApplySolveOptions(args, scenario);
  options.bottlenecks = false;  // the sweep reports costs, not duals
  return options;
}

nlohmann::json StoredOptions(const SweepArgs& args) {
  nlohmann::json options = StoredSolveOptions(args);
  options["domestic"] = args.domestic;
  return options;
}

int RunSweepCommand(const SweepArgs& args) {
  CheckSolveOptions(args);
  const std::vector<double> points = ParseRange(args.domestic);
  std::cerr << "sweep: loading " << args.scenario << "\n";
  model::Scenario scenario = io::LoadScenario(args.scenario);
  const plan::PlanOptions options = BaseOptions(args, scenario);
  if (!args.out_dir.empty()) report::CheckOutputFolder(args.out_dir);  // bad targets fail before the solves
  RecordedRun run(!args.no_db, args.db, NewRunOf("sweep", args.scenario, scenario.name, StoredOptions(args)));
  std::cerr << fmt::format("sweep: {} points from {} to {}\n", points.size(), points.front(), points.back());
  plan::SweepResult sweep;
  try {
    sweep = plan::RunSweep(scenario, options, points, spdlog::default_logger_raw());
  } catch (const std::exception& e) {
    run.Fail(e.what());
    throw;
  }
  std::cerr << fmt::format("sweep: model built in {:.2f} s, {} solves in {:.2f} s ({:.3f} s per point)\n",
                           sweep.build_seconds, sweep.points.size(), sweep.solve_seconds,
                           sweep.points.empty() ? 0.0 : sweep.solve_seconds / sweep.points.size());
  const nlohmann::json json = report::SweepToJson(sweep);
  if (!args.out_dir.empty()) {
    report::WriteSweepOutputs(args.out_dir, scenario, sweep);
    std::cerr << "sweep: wrote " << args.out_dir << "\n";
  }
  run.Finish(store::run_status::kDone, json);
  if (args.json) {
    std::cout << json.dump(2) << "\n";
  } else {
    std::cout << "Domestic-content sweep for " << scenario.name << "\n" << report::SweepSummaryText(sweep);
  }
  return 0;
}

const bool kRegistered = RegisterCommand(
    {"sweep", "domestic-content sweep: the plan's cost over a range of domestic-content floors",
     [](CLI::App& sub) -> std::function<int()> {
       auto args = std::make_shared<SweepArgs>();
       AddSolveOptions(sub, *args, "write sweep.csv, sweep.json and sweep.html to this folder",
                       "solver time limit per point in seconds");
       sub.add_option("--domestic", args->domestic, "FROM:TO:STEP, inclusive, e.g. 0:0.8:0.1")->required();
       return [args] { return RunSweepCommand(*args); };
     }});

}  // namespace
}  // namespace rackforge::cli
