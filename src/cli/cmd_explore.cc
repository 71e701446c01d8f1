// `rackforge explore SCENARIO [--design ID] [--top N] [--json] [--out DIR]
// [--write-design DIR VARIANT_ID]`: design-space exploration (Pareto front of
// the passing variants), or writing one variant as a designs/*.yaml file.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "common/errors.h"
#include "design/check.h"
#include "explore/explore.h"
#include "explore/space.h"
#include "io/scenario_loader.h"
#include "io/scenario_writer.h"
#include "model/availability.h"
#include "report/check_report.h"
#include "report/explore_report.h"
#include "report/output_folder.h"

namespace rackforge::cli {
namespace {

struct ExploreArgs {
  std::string scenario;
  std::string design;
  size_t top = 0;
  bool json = false;
  std::string out;
  std::vector<std::string> write_design;  // DIR VARIANT_ID
  std::string method = "auto";
  double time_limit_s = 10;
};

// The space a variant id belongs to (its text before the first '~').
const model::DesignSpace& SpaceOfVariant(const model::Scenario& scenario, const std::string& variant_id) {
  const std::string design_id = variant_id.substr(0, variant_id.find('~'));
  const int32_t g = model::FindById(scenario.designs, design_id);
  if (g < 0) throw common::UsageError("--write-design: variant '" + variant_id + "': no design '" + design_id + "'");
  const model::DesignSpace* space = explore::FindSpace(scenario, g);
  if (!space) throw common::UsageError("--write-design: design '" + design_id + "' has no space in design_space.yaml");
  return *space;
}

void WriteFileAtomically(const std::filesystem::path& path, const std::string& text) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) throw common::UsageError(path.parent_path().string() + ": cannot create folder: " + ec.message());
  const std::filesystem::path temp = path.string() + ".tmp";
  {
    std::ofstream file(temp, std::ios::binary);
    file << text;
    if (!file) throw common::UsageError(temp.string() + ": cannot write");
  }
  std::filesystem::rename(temp, path, ec);
  if (ec) throw common::UsageError(path.string() + ": cannot write: " + ec.message());
}

int WriteDesign(const model::Scenario& scenario, const ExploreArgs& args) {
  const std::string& dir = args.write_design[0];
  const std::string& variant_id = args.write_design[1];
  const model::DesignSpace& space = SpaceOfVariant(scenario, variant_id);
  const std::vector<int32_t> choices = explore::ParseVariantId(scenario, space, variant_id);
  const model::Design design = explore::BuildVariant(scenario, space, choices);
  const std::filesystem::path path = std::filesystem::path(dir) / (design.id + ".yaml");
  const std::string comment = "variant " + variant_id + " written by rackforge explore";
  WriteFileAtomically(path, io::DesignYaml(scenario, design, comment));
  const design::DesignCheck check = design::CheckDesign(scenario, design::ComputeComponentFacts(scenario), design);
  spdlog::info("wrote {} ({})", path.string(), check.pass ? "passes every rule" : "FAILS a design rule");
  if (args.json) {
    nlohmann::json out = report::DesignCheckJson(scenario, design, check);
    out["variant"] = variant_id;
    out["file"] = path.string();
    std::cout << out.dump(2) << "\n";
  }
  return check.pass ? 0 : 1;
}

explore::ExploreOptions OptionsOf(const ExploreArgs& args) {
  explore::ExploreOptions options;
  options.design_id = args.design;
  options.milp_time_limit_s = args.time_limit_s;
  if (args.method == "enumeration") options.enumeration_limit = std::numeric_limits<double>::infinity();
  if (args.method == "milp") options.enumeration_limit = 0;
  return options;
}

void WriteOut(report::OutputFolder& folder, const model::Scenario& scenario, const explore::ExploreResult& result,
              const std::string& dir) {
  folder.WriteText("explore.json", report::ExploreJson(scenario, result).dump(2) + "\n");
  folder.WriteText("explore.html", report::ExploreHtml(scenario, result));
  folder.Commit();
  spdlog::info("wrote {}/explore.html and explore.json", dir);
}

int RunExplore(const ExploreArgs& args) {
  const model::Scenario scenario = io::LoadScenario(args.scenario);
  if (!args.write_design.empty()) return WriteDesign(scenario, args);
  if (args.design.empty() && scenario.design_spaces.empty()) {
    spdlog::warn("{}: no design_space.yaml; nothing to explore (use --design ID for a single design)", args.scenario);
  }
  std::optional<report::OutputFolder> folder;  // claimed before the search: a bad --out fails at once
  if (!args.out.empty()) folder.emplace(args.out);
  const explore::ExploreResult result = explore::Explore(scenario, OptionsOf(args));
  if (folder) WriteOut(*folder, scenario, result, args.out);
  if (args.json) {
    std::cout << report::ExploreJson(scenario, result, args.top).dump(2) << "\n";
  } else {
    std::cout << report::ExploreTable(scenario, result, args.top == 0 ? 10 : args.top);
  }
  return 0;
}

const bool kRegistered = RegisterCommand(
    {"explore", "design-space exploration: the Pareto front of the passing variants",
     [](CLI::App& sub) -> std::function<int()> {
       auto args = std::make_shared<ExploreArgs>();
       sub.add_option("scenario", args->scenario, "scenario folder")->required();
       sub.add_option("--design", args->design, "explore only this design");
       sub.add_option("--top", args->top, "show the first N front variants by cost (default: 10 in the table, all in JSON)");
       sub.add_flag("--json", args->json, "print JSON on stdout");
       sub.add_option("--out", args->out, "write explore.html and explore.json into DIR");
       sub.add_option("--write-design", args->write_design, "write variant VARIANT_ID as DIR/<id>.yaml")
           ->expected(2)
           ->type_name("DIR VARIANT_ID");
       sub.add_option("--method", args->method, "auto (MILP above 1e8 variants) | enumeration | milp")
           ->check(CLI::IsMember({"auto", "enumeration", "milp"}));
       sub.add_option("--time-limit", args->time_limit_s, "MILP: seconds per solve")->check(CLI::PositiveNumber);
       return [args] { return RunExplore(*args); };
     }});

}  // namespace
}  // namespace rackforge::cli
