#pragma once
// The contingency nodes of the resilient plan (DESIGN.md "Resilient plan"):
// the --contingencies value and the nodes it names in a scenario. Kept apart
// from resilient.cc so that request parsers (the server, its fuzz target)
// can check a request without the solver.

#include <string>
#include <vector>

#include "model/scenario.h"
#include "plan/plan.h"

namespace rackforge::plan {

/// Which nodes get a contingency scenario: `--contingencies plants|lines|suppliers|all|NODE,NODE…`.
struct ContingencySpec {
  enum class Set { kPlants, kLines, kSuppliers, kAll, kNamed };
  Set set = Set::kPlants;
  std::vector<std::string> names;  // kNamed: "plant:ID" | "line:ID" | "supplier:ID", in the order given
};

/// Parses the --contingencies value. Throws common::UsageError naming the value when it is empty
/// or holds an empty name. Node names are checked against a scenario by ResolveContingencies.
ContingencySpec ParseContingencySpec(const std::string& text);

/// The nodes of a spec in loop order (DESIGN.md "Risk": plants in file order; per plant its rack
/// lines, its component lines, then its expansion lines the ordinary plan opens, in expansion file
/// order; suppliers with a usable offer in file order), or in the order named. `ordinary.opened` is
/// the ordinary plan's choice (empty = nothing opened). Throws common::UsageError naming an unknown or
/// repeated node ("--contingencies: 'plant:xx' names no plant, line or supplier of the scenario").
std::vector<model::NodeRef> ResolveContingencies(const model::Scenario& scenario, const PlanResult& ordinary,
                                                 const ContingencySpec& spec);

}  // namespace rackforge::plan
