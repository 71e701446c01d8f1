// `rackforge runs list | show ID | diff ID1 ID2 [--db FILE|URL] [--json]`:
// the stored runs of plan, sweep, risk and simulate. `diff` lists the largest
// per-line, per-week build-plan changes and the purchase changes per supplier.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/db_option.h"
#include "common/errors.h"
#include "common/format.h"
#include "store/run_store.h"

namespace rackforge::cli {
namespace {

struct RunsArgs {
  std::string db = "rackforge.db";
  bool json = false;
  std::string show_id;
  std::vector<std::string> diff_ids;
  CLI::App* list = nullptr;
  CLI::App* show = nullptr;
  CLI::App* diff = nullptr;
};

std::string Scalar(const nlohmann::json& value) {
  if (value.is_number()) {
    const double v = value.get<double>();
    return std::abs(v) >= 1000 ? common::FormatThousands(v, 2) : fmt::format("{:.6g}", v);
  }
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

std::string OptionsText(const nlohmann::json& options) {
  std::string out;
  if (!options.is_object()) return out;
  for (const auto& [key, value] : options.items()) out += (out.empty() ? "" : " ") + key + "=" + Scalar(value);
  return out;
}

/// "us-ai-racks-2026@1f0c3a9e": the scenario id (its folder's name, as `serve`
/// calls it) and the first 8 digits of the content hash of its files.
std::string ScenarioIdentity(const nlohmann::json& run) {
  const std::string hash = run.value("input_hash", "");
  return run.value("scenario_id", "") + (hash.empty() ? "" : "@" + hash.substr(0, 8));
}

int List(store::RunStore& db, bool json) {
  const nlohmann::json runs = db.List();
  if (json) {
    std::cout << runs.dump(2) << "\n";
    return 0;
  }
  if (runs.empty()) {
    std::cout << "no runs in " << db.Describe() << "\n";
    return 0;
  }
  std::cout << fmt::format("{:>5}  {:<9} {:<11} {:<21} {:<34} {}\n", "id", "kind", "status", "created (UTC)",
                           "scenario (id@content hash)", "options");
  for (const nlohmann::json& run : runs) {
    std::cout << fmt::format("{:>5}  {:<9} {:<11} {:<21} {:<34} {}\n", run.value("id", ""), run.value("kind", ""),
                             run.value("status", ""), run.value("created_at", ""), ScenarioIdentity(run),
                             OptionsText(run.value("options", nlohmann::json::object())));
  }
  return 0;
}

std::string PlanFigures(const nlohmann::json& result) {
  std::string out;
  if (result.contains("objective_usd")) out += "  total cost: " + common::FormatUsd(result["objective_usd"].get<double>()) + "\n";
  if (result.contains("cost_breakdown_usd")) {
    for (const auto& [part, usd] : result["cost_breakdown_usd"].items()) {
      out += fmt::format("    {:<16} {:>20}\n", part, common::FormatUsd(usd.get<double>()));
    }
  }
  if (result.contains("racks_built")) out += "  racks built: " + common::FormatThousands(result["racks_built"].get<double>(), 1) + "\n";
  if (result.contains("domestic_content")) {
    out += "  domestic content: " + common::FormatPercent(result["domestic_content"].get<double>()) + "\n";
  }
  if (result.contains("backlog_rack_weeks")) {
    out += "  backlog (rack-weeks):";
    for (const auto& [kind, value] : result["backlog_rack_weeks"].items()) {
      out += fmt::format(" {} {}", kind, common::FormatThousands(value.get<double>(), 1));
    }
    out += "\n";
  }
  if (result.contains("expansions_opened")) {
    std::string list;
    for (const auto& e : result["expansions_opened"]) list += (list.empty() ? "" : ", ") + e.get<std::string>();
    out += "  expansions opened: " + (list.empty() ? std::string("none") : list) + "\n";
  }
  return out;
}

int Show(store::RunStore& db, const std::string& id, bool json) {
  const std::optional<nlohmann::json> run = db.Get(id);
  if (!run) throw common::UsageError(fmt::format("runs show: no run with id '{}' in {}", id, db.Describe()));
  if (json) {
    std::cout << run->dump(2) << "\n";
    return 0;
  }
  std::cout << fmt::format("run {}: {} of {} ({}), {}\n", id, run->value("kind", ""), run->value("scenario_name", ""),
                           ScenarioIdentity(*run), run->value("status", ""));
  std::cout << fmt::format("  created {}, finished {}\n", run->value("created_at", ""),
                           (*run)["finished_at"].is_null() ? "-" : (*run)["finished_at"].get<std::string>());
  std::cout << "  options: " << OptionsText((*run)["options"]) << "\n";
  std::cout << "  input hash: " << run->value("input_hash", "") << "\n";
  const nlohmann::json& result = (*run)["result"];
  if (result.is_object() && result.contains("objective_usd")) {
    std::cout << PlanFigures(result);
  } else if (!result.is_null()) {
    std::cout << "  result:\n" << result.dump(2) << "\n";
  }
  return 0;
}

std::string ChangeLines(const nlohmann::json& changes) {
  std::string out;
  for (const auto& [key, change] : changes.items()) {
    if (change.contains("only_in_a")) {
      out += fmt::format("  {}: only in A: {}; only in B: {}\n", key, change["only_in_a"].dump(), change["only_in_b"].dump());
      continue;
    }
    std::string line = fmt::format("  {}: {} -> {}", key, Scalar(change["a"]), Scalar(change["b"]));
    if (change.contains("delta")) {
      const double delta = change["delta"].get<double>();
      line += fmt::format(" ({}{})", delta >= 0 ? "+" : "", Scalar(delta));
    }
    out += line + "\n";
  }
  return out.empty() ? "  (no change)\n" : out;
}

std::string Column(const nlohmann::json& row, const char* key) { return row.value(key, std::string()); }

/// The largest per-line, per-week build changes and the purchase changes per supplier, as tables.
std::string PlanChangeLines(const nlohmann::json& plan) {
  if (plan.is_null()) return "plan: (one of the runs has no stored quantities)\n";
  if (plan["weeks"].is_null()) return "plan: the runs cover no common ISO week\n";
  std::string out = fmt::format("plan (ISO weeks {}..{} in common): {} racks moved over {} build-plan cells\n",
                                plan["weeks"].value("first", ""), plan["weeks"].value("last", ""),
                                common::FormatThousands(plan.value("racks_moved", 0.0), 1),
                                plan.value("build_plan_cells_changed", 0));
  constexpr size_t kShown = 10;
  const nlohmann::json& build = plan["build_plan"];
  if (!build.empty()) {
    size_t line_w = 4, design_w = 6;
    for (const nlohmann::json& row : build) {
      line_w = std::max(line_w, Column(row, "line").size());
      design_w = std::max(design_w, Column(row, "design").size());
    }
    out += fmt::format("  largest build-plan changes (racks):\n  {:<{}} {:<{}} {:<9} {:>10} {:>10} {:>10}\n", "line",
                       line_w, "design", design_w, "week", "A", "B", "change");
    for (size_t i = 0; i < build.size() && i < kShown; ++i) {
      const nlohmann::json& row = build[i];
      out += fmt::format("  {:<{}} {:<{}} {:<9} {:>10} {:>10} {:>+10.1f}\n", Column(row, "line"), line_w,
                         Column(row, "design"), design_w, Column(row, "week"),
                         common::FormatThousands(row.value("a", 0.0), 1), common::FormatThousands(row.value("b", 0.0), 1),
                         row.value("delta", 0.0));
    }
    if (build.size() > kShown) out += fmt::format("  ... {} more in --json\n", build.size() - kShown);
  }
  const nlohmann::json& purchases = plan["purchases"];
  if (!purchases.empty()) {
    size_t supplier_w = 8, component_w = 9;
    for (const nlohmann::json& row : purchases) {
      supplier_w = std::max(supplier_w, Column(row, "supplier").size());
      component_w = std::max(component_w, Column(row, "component").size());
    }
    out += fmt::format("  purchases per supplier (units ordered):\n  {:<{}} {:<{}} {:>12} {:>12} {:>12}\n",
                       "supplier", supplier_w, "component", component_w, "A", "B", "change");
    for (size_t i = 0; i < purchases.size() && i < kShown; ++i) {
      const nlohmann::json& row = purchases[i];
      out += fmt::format("  {:<{}} {:<{}} {:>12} {:>12} {:>+12.1f}\n", Column(row, "supplier"), supplier_w,
                         Column(row, "component"), component_w, common::FormatThousands(row.value("a_units", 0.0), 1),
                         common::FormatThousands(row.value("b_units", 0.0), 1), row.value("delta_units", 0.0));
    }
    if (purchases.size() > kShown) out += fmt::format("  ... {} more in --json\n", purchases.size() - kShown);
  }
  if (build.empty() && purchases.empty()) out += "  (no change of build plan or purchases)\n";
  return out;
}

int Diff(store::RunStore& db, const std::string& a, const std::string& b, bool json) {
  for (const std::string& id : {a, b}) {
    if (!db.Get(id)) throw common::UsageError(fmt::format("runs diff: no run with id '{}' in {}", id, db.Describe()));
  }
  const nlohmann::json diff = db.Diff(a, b);
  if (json) {
    std::cout << diff.dump(2) << "\n";
    return 0;
  }
  std::cout << fmt::format("runs {} (A) -> {} (B)\ninputs:\n{}results:\n{}{}", a, b, ChangeLines(diff["inputs"]),
                           ChangeLines(diff["results"]), PlanChangeLines(diff.value("plan", nlohmann::json())));
  return 0;
}

int RunRuns(const RunsArgs& args) {
  std::unique_ptr<store::RunStore> db = OpenDbOption(args.db, /*create_if_missing=*/false);
  if (args.show->parsed()) return Show(*db, args.show_id, args.json);
  if (args.diff->parsed()) return Diff(*db, args.diff_ids[0], args.diff_ids[1], args.json);
  return List(*db, args.json);
}

const bool kRegistered = RegisterCommand(
    {"runs", "list, show and compare stored runs", [](CLI::App& sub) -> std::function<int()> {
       auto args = std::make_shared<RunsArgs>();
       sub.add_option("--db", args->db, "run store: SQLite file or postgresql:// URL (default rackforge.db)");
       sub.add_flag("--json", args->json, "print JSON on stdout");
       sub.require_subcommand(0, 1);  // `runs` alone lists, as `runs list`
       sub.fallthrough();
       args->list = sub.add_subcommand("list", "list the stored runs, newest first");
       args->show = sub.add_subcommand("show", "show one run");
       args->show->add_option("id", args->show_id, "run id")->required();
       args->diff = sub.add_subcommand("diff", "compare two runs: inputs and results");
       args->diff->add_option("ids", args->diff_ids, "two run ids")->required()->expected(2);
       for (CLI::App* s : {args->list, args->show, args->diff}) s->fallthrough();
       return [args] { return RunRuns(*args); };
     }});

}  // namespace
}  // namespace rackforge::cli
