// `rackforge simulate SCENARIO --runs N [--seed S (1)] [--threads T] [--json] [--out DIR]
// [--db FILE|URL] [--no-db]`: reproducible Monte Carlo of random outages against
// the baseline plan. Under `mpirun -np K` the runs split over ranks; only rank 0
// prints. Timings go to stderr so stdout is identical for any threads or ranks.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/arg_checks.h"
#include "cli/command.h"
#include "cli/db_option.h"
#include "common/errors.h"
#include "common/format.h"
#include "io/scenario_loader.h"
#include "plan/plan.h"
#include "report/output_folder.h"
#include "report/risk_report.h"
#include "risk/mpi_runs.h"
#include "risk/simulate.h"
#include "store/run_store.h"

namespace rackforge::cli {
namespace {

struct SimulateArgs {
  std::string scenario;
  int64_t runs = 0;
  uint64_t seed = 1;  // DESIGN.md: --seed defaults to 1
  int32_t threads = 0;
  bool json = false;
  std::string out_dir;
  std::string db = "rackforge.db";
  bool no_db = false;
};

void CheckArgs(const SimulateArgs& args) {
  if (args.runs < 1) throw common::UsageError("--runs: " + std::to_string(args.runs) + " must be at least 1");
}

void WriteOutDir(report::OutputFolder& folder, const model::Scenario& scenario, const risk::SimulationResult& result,
                 const nlohmann::json& json) {  // atomic: all files or none, never over a foreign folder
  folder.WriteText("simulate.json", json.dump(2) + "\n");
  folder.WriteText("simulate.html", report::SimulationHtml(scenario, result));
  folder.Commit();
}

int RunSimulate(const SimulateArgs& args) {
  CheckArgs(args);
  const risk::MpiSession mpi;
  const model::Scenario scenario = io::LoadScenario(args.scenario);
  std::optional<report::OutputFolder> folder;
  std::optional<RecordedRun> run;
  const plan::PlanResult baseline = mpi.BroadcastBaseline([&] {
    // On rank 0, before the long computation: a bad --out or --db fails at once.
    if (!args.out_dir.empty()) folder.emplace(args.out_dir);
    run.emplace(!args.no_db, args.db,
                NewRunOf("simulate", args.scenario, scenario.name, {{"runs", args.runs}, {"seed", args.seed}}));
    return risk::SolveBaseline(scenario);
  });
  const risk::Simulator simulator(scenario, baseline, scenario.policy.option_demand);
  const auto start = std::chrono::steady_clock::now();
  const risk::SimulationResult result = mpi.Simulate(simulator, args.runs, args.seed, args.threads);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!mpi.root()) return 0;
  const double runs = static_cast<double>(args.runs);
  std::cerr << fmt::format("simulate: {} runs in {:.2f} s ({} runs/s, {} threads, {} {})\n",
                           common::FormatThousands(runs), seconds, common::FormatThousands(runs / std::max(seconds, 1e-9)),
                           args.threads > 0 ? std::to_string(args.threads) : std::string("all"), mpi.size(),
                           mpi.size() == 1 ? "process" : "ranks");
  const nlohmann::json json = report::SimulationJson(result);
  if (folder) WriteOutDir(*folder, scenario, result, json);
  if (run) run->Finish(store::run_status::kDone, json);
  if (args.json) {
    std::cout << json.dump(2) << "\n";
  } else {
    std::cout << report::SimulationTable(scenario, result);
  }
  return 0;
}

const bool kRegistered = RegisterCommand(
    {"simulate", "Monte Carlo of random outages against the plan (threads; MPI ranks under mpirun)",
     [](CLI::App& sub) -> std::function<int()> {
       auto args = std::make_shared<SimulateArgs>();
       sub.add_option("scenario", args->scenario, "scenario folder")->required();
       sub.add_option("--runs", args->runs, "number of runs")->required();
       sub.add_option("--seed", args->seed, "random seed, 0..2^64-1")->capture_default_str()->transform(SeedRange());
       sub.add_option("--threads", args->threads, "worker threads per process, 0..hardware threads (0 = all cores)")
           ->capture_default_str()
           ->transform(ThreadsRange());
       sub.add_flag("--json", args->json, "print JSON on stdout");
       sub.add_option("--out", args->out_dir, "write simulate.json and simulate.html to this folder");
       sub.add_option("--db", args->db, "run store: SQLite file or postgresql:// URL")->capture_default_str();
       sub.add_flag("--no-db", args->no_db, "do not store the run");
       return [args] { return RunSimulate(*args); };
     }});

}  // namespace
}  // namespace rackforge::cli
