// `rackforge generate OUT --plants P --designs G --components C --suppliers S
// --weeks H --sites D --seed N [--design-space-slots K --design-space-options M]
// [--json]`: writes a valid synthetic scenario of that size into OUT.
#include <spdlog/spdlog.h>

#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/arg_checks.h"
#include "cli/command.h"
#include "io/generate.h"

namespace rackforge::cli {
namespace {

struct GenerateArgs {
  std::string out;
  io::GenerateOptions options;
  bool json = false;
};

/// Number of data rows of a CSV text (lines after the header).
int64_t CsvRows(const std::string& text) {
  int64_t lines = 0;
  for (char ch : text) lines += ch == '\n';
  return lines > 0 ? lines - 1 : 0;
}

int RunGenerate(GenerateArgs args) {
  if (args.options.design_space_slots > 0 && args.options.design_space_options == 0) {
    args.options.design_space_options = 3;
  }
  const std::map<std::string, std::string> files = io::GenerateScenarioFiles(args.options);
  io::WriteScenarioFiles(files, args.out);
  const io::GenerateOptions& o = args.options;
  spdlog::info(
      "wrote {} files to {}: {} plants, {} designs, {} components, {} suppliers ({} offers), {} weeks, "
      "{} sites ({} lanes, {} demand rows){}",
      files.size(), args.out, o.plants, o.designs, o.components, o.suppliers, CsvRows(files.at("offers.csv")), o.weeks,
      o.sites, CsvRows(files.at("lanes.csv")), CsvRows(files.at("demand.csv")),
      o.design_space_slots > 0 ? " and design_space.yaml" : "");
  if (args.json) {
    nlohmann::json j;
    j["out"] = args.out;
    j["seed"] = o.seed;
    for (const auto& [name, text] : files) j["files"].push_back(name);
    j["counts"] = {{"plants", o.plants},
                   {"designs", o.designs},
                   {"components", o.components},
                   {"suppliers", o.suppliers},
                   {"weeks", o.weeks},
                   {"sites", o.sites},
                   {"offers", CsvRows(files.at("offers.csv"))},
                   {"lanes", CsvRows(files.at("lanes.csv"))},
                   {"demand_rows", CsvRows(files.at("demand.csv"))}};
    std::cout << j.dump(2) << "\n";
  }
  return 0;
}

const bool kRegistered = RegisterCommand(
    {"generate", "write a synthetic scenario of a given size (benchmarks, scale tests)",
     [](CLI::App& sub) -> std::function<int()> {
       auto args = std::make_shared<GenerateArgs>();
       io::GenerateOptions& o = args->options;
       // OUT as a positional or as --out DIR, the option the other commands write their outputs to.
       sub.add_option("out,--out", args->out,
                      "output folder (must be new, empty, or a folder rackforge generate wrote before)")
           ->required();
       sub.add_option("--plants", o.plants, "plants")->capture_default_str();
       sub.add_option("--designs", o.designs, "rack designs (one roadmap requirement each)")->capture_default_str();
       sub.add_option("--components", o.components, "components (at least designs + 9)")->capture_default_str();
       sub.add_option("--suppliers", o.suppliers, "suppliers")->capture_default_str();
       sub.add_option("--weeks", o.weeks, "horizon in weeks")->capture_default_str();
       sub.add_option("--sites", o.sites, "customer sites")->capture_default_str();
       sub.add_option("--seed", o.seed, "random seed, 0..2^64-1 (same seed, same files)")
           ->capture_default_str()
           ->transform(SeedRange());
       sub.add_option("--design-space-slots", o.design_space_slots,
                      "slots of a design space over the first design (0: no design_space.yaml)")
           ->capture_default_str();
       sub.add_option("--design-space-options", o.design_space_options,
                      "options per design-space slot (3 when slots are given without it)")
           ->capture_default_str();
       sub.add_flag("--phase-out", o.phase_out,
                    "the first design phases out at weeks/2 (last_build_week) with a last-time buy of its compute tray");
       sub.add_option("--end-penalty-weeks", o.end_penalty_weeks,
                      "end_backlog_penalty_usd_per_rack = N weekly penalties (0: none)")
           ->capture_default_str();
       sub.add_flag("--supply-lanes", o.supply_lanes,
                    "write supply_lanes.csv (foreign suppliers skip some plants; transit and freight per unit)");
       sub.add_flag("--transfers", o.transfers,
                    "write transfers.csv (a few rows: the first plant sends a part to up to 4 other plants)");
       sub.add_option("--component-lines", o.component_lines,
                      "component lines over the plants (power shelves, CDUs, cable cartridges, manifolds, busbars), "
                      "with component_boms.csv and one component_line expansion (0: none)")
           ->capture_default_str();
       sub.add_flag("--json", args->json, "print a JSON summary on stdout");
       return [args] { return RunGenerate(*args); };
     }});

}  // namespace
}  // namespace rackforge::cli
