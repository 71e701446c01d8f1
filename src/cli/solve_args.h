#pragma once
// The command-line options `plan` and `sweep` share: what to solve (option
// demand, disruptions, solver limits), where results go (--json, --out) and
// the run store (--db, --no-db). One place registers, checks and applies them.

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "model/scenario.h"
#include "plan/plan.h"
#include "store/run_store.h"

namespace rackforge::cli {

struct SolveArgs {
  std::string scenario;
  bool json = false;
  std::string out_dir;
  std::string db = "rackforge.db";
  bool no_db = false;
  std::string disruptions;
  std::string option_demand;
  std::optional<double> time_limit_s;
  std::optional<double> gap;
  int32_t workers = DefaultWorkers();
  /// 2 on a machine with two or more cores, else 1.
  static int32_t DefaultWorkers();
};

/// Registers the scenario argument and the shared options on `sub`.
void AddSolveOptions(CLI::App& sub, SolveArgs& args, const std::string& out_help, const std::string& time_limit_help);

/// Throws common::UsageError naming the option and its bad value (--option-demand, --time-limit, --gap).
void CheckSolveOptions(const SolveArgs& args);

/// Puts --option-demand and --disruptions into the scenario (the reports read
/// them there) and returns engine options with them and the solver limits.
plan::PlanOptions ApplySolveOptions(const SolveArgs& args, model::Scenario& scenario);

/// The shared options as stored with a run (only those given).
nlohmann::json StoredSolveOptions(const SolveArgs& args);

}  // namespace rackforge::cli
