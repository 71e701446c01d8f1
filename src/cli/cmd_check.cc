// `rackforge check SCENARIO [--json]`: load, validate, roll up and
// design-rule-check every design. Exit 1 when a rule fails.
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "design/check.h"
#include "io/scenario_loader.h"
#include "report/check_report.h"

namespace rackforge::cli {
namespace {

struct CheckArgs {
  std::string scenario;
  bool json = false;
};

int RunCheck(const CheckArgs& args) {
  const model::Scenario scenario = io::LoadScenario(args.scenario);
  const std::vector<design::DesignCheck> checks = design::CheckScenario(scenario);
  if (args.json) {
    std::cout << report::CheckJson(scenario, checks).dump(2) << "\n";
  } else {
    std::cout << report::CheckTable(scenario, checks);
  }
  return design::AllDesignsPass(checks) ? 0 : 1;
}

const bool kRegistered = RegisterCommand({"check", "roll up and design-rule-check every design of a scenario",
                                          [](CLI::App& sub) -> std::function<int()> {
                                            auto args = std::make_shared<CheckArgs>();
                                            sub.add_option("scenario", args->scenario, "scenario folder")->required();
                                            sub.add_flag("--json", args->json, "print JSON on stdout");
                                            return [args] { return RunCheck(*args); };
                                          }});

}  // namespace
}  // namespace rackforge::cli
