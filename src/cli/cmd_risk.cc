// `rackforge risk SCENARIO [--json] [--out DIR] [--nodes plant,line,supplier]
// [--threads T] [--db FILE|URL] [--no-db]`: time to survive, performance impact
// and exposure per node, and the concentration view. Progress on stderr.
// Under `mpirun -np K` the nodes are split over the ranks (rank 0 prints).
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "cli/arg_checks.h"
#include "cli/command.h"
#include "cli/db_option.h"
#include "common/errors.h"
#include "io/scenario_loader.h"
#include "plan/plan.h"
#include "report/output_folder.h"
#include "report/risk_report.h"
#include "risk/mpi_runs.h"
#include "risk/risk.h"
#include "store/run_store.h"

namespace rackforge::cli {
namespace {

struct RiskArgs {
  std::string scenario;
  bool json = false;
  std::string out_dir;
  std::string nodes = "plant,line,supplier";
  int32_t threads = 0;
  std::string db = "rackforge.db";
  bool no_db = false;
};

risk::RiskOptions ParseNodes(const std::string& list) {
  risk::RiskOptions options;
  options.plants = options.lines = options.suppliers = false;
  std::stringstream in(list);
  std::string kind;
  while (std::getline(in, kind, ',')) {
    if (kind == "plant") {
      options.plants = true;
    } else if (kind == "line") {
      options.lines = true;
    } else if (kind == "supplier") {
      options.suppliers = true;
    } else {
      throw common::UsageError("--nodes: '" + kind + "' is not one of plant, line, supplier");
    }
  }
  if (!options.plants && !options.lines && !options.suppliers)
    throw common::UsageError("--nodes: '" + list + "' names no node kind");
  return options;
}

/// Progress on stderr: a live line on a terminal, else one line per 10 %.
std::function<void(int32_t, int32_t)> ProgressPrinter() {
  const bool tty = isatty(fileno(stderr)) != 0;
  const auto start = std::chrono::steady_clock::now();
  auto last_decile = std::make_shared<int32_t>(0);
  return [tty, start, last_decile](int32_t done, int32_t total) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double eta = done > 0 ? elapsed * (total - done) / done : 0.0;
    const int32_t decile = total > 0 ? done * 10 / total : 10;
    if (tty) {
      std::fprintf(stderr, "\rrisk: %d/%d nodes, ETA %.0f s   %s", done, total, eta, done == total ? "\n" : "");
    } else if (decile > *last_decile || done == total) {
      *last_decile = decile;
      std::fprintf(stderr, "risk: %d/%d nodes (%d %%), ETA %.0f s\n", done, total, total ? done * 100 / total : 100,
                   eta);
    }
  };
}

int RunRisk(const RiskArgs& args) {
  risk::RiskOptions options = ParseNodes(args.nodes);
  options.threads = args.threads;
  options.log = spdlog::default_logger_raw();  // per node figures and seconds with -v
  const risk::MpiSession mpi;  // nodes split over ranks under mpirun
  if (mpi.root()) options.progress = ProgressPrinter();
  const model::Scenario scenario = io::LoadScenario(args.scenario);
  std::optional<report::OutputFolder> folder;
  std::optional<RecordedRun> run;
  const plan::PlanResult baseline = mpi.BroadcastBaseline([&] {
    // Claimed (on rank 0) before the long computation, so a bad --out or --db
    // fails at once on every rank; the folder is removed again and the run
    // marked failed if anything below throws.
    if (!args.out_dir.empty()) folder.emplace(args.out_dir);
    run.emplace(!args.no_db, args.db, NewRunOf("risk", args.scenario, scenario.name, {{"nodes", args.nodes}}));
    return risk::SolveBaseline(scenario);
  });
  const risk::RiskResult result = mpi.ComputeRisk(scenario, baseline, options);
  if (!mpi.root()) return 0;
  const nlohmann::json json = report::RiskJson(result);
  if (folder) {  // atomic: all files or none, never over a foreign folder
    folder->WriteText("risk.json", json.dump(2) + "\n");
    folder->WriteText("risk.html", report::RiskHtml(scenario, result));
    folder->Commit();
  }
  if (run) run->Finish(store::run_status::kDone, json);
  if (args.json) {
    std::cout << json.dump(2) << "\n";
  } else {
    std::cout << report::RiskTable(scenario, result);
  }
  return 0;
}

const bool kRegistered = RegisterCommand(
    {"risk", "time to survive, performance impact and exposure per plant, line and supplier",
     [](CLI::App& sub) -> std::function<int()> {
       auto args = std::make_shared<RiskArgs>();
       sub.add_option("scenario", args->scenario, "scenario folder")->required();
       sub.add_flag("--json", args->json, "print JSON on stdout");
       sub.add_option("--out", args->out_dir, "write risk.json and risk.html to this folder");
       sub.add_option("--nodes", args->nodes, "node kinds to report: plant,line,supplier")->capture_default_str();
       sub.add_option("--threads", args->threads, "worker threads, 0..hardware threads (0 = all cores)")
           ->capture_default_str()
           ->transform(ThreadsRange());
       sub.add_option("--db", args->db, "run store: SQLite file or postgresql:// URL")->capture_default_str();
       sub.add_flag("--no-db", args->no_db, "do not store the run");
       return [args] { return RunRisk(*args); };
     }});

}  // namespace
}  // namespace rackforge::cli
