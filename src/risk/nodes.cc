#include "risk/nodes.h"

namespace rackforge::risk {

bool LineInPlan(const model::Scenario& scenario, const plan::PlanResult& baseline, int32_t line) {
  const int32_t e = scenario.lines.at(line).expansion;
  if (e < 0) return true;
  return static_cast<size_t>(e) < baseline.opened.size() && baseline.opened[e] != 0;
}

std::vector<int32_t> PlantLinesInLoopOrder(const model::Scenario& scenario, const plan::PlanResult& baseline,
                                           int32_t plant) {
  const model::Plant& p = scenario.plants.at(plant);
  std::vector<int32_t> lines(p.lines.begin(), p.lines.end());
  for (int32_t l : p.expansion_lines) {
    if (LineInPlan(scenario, baseline, l)) lines.push_back(l);
  }
  return lines;
}

bool ComponentLineInPlan(const model::Scenario& scenario, const plan::PlanResult& baseline, int32_t cline) {
  const int32_t e = scenario.component_lines.at(cline).expansion;
  if (e < 0) return true;
  return static_cast<size_t>(e) < baseline.opened.size() && baseline.opened[e] != 0;
}

std::vector<model::NodeRef> PlantLineNodesInLoopOrder(const model::Scenario& scenario, const plan::PlanResult& baseline,
                                                      int32_t plant) {
  const model::Plant& p = scenario.plants.at(plant);
  std::vector<model::NodeRef> nodes;
  for (int32_t l : p.lines) nodes.push_back({model::NodeKind::kLine, l});
  for (int32_t m : p.component_lines) nodes.push_back({model::NodeKind::kComponentLine, m});
  // Expansions of the plant that are lines of either kind, in expansion file order.
  for (size_t e = 0; e < scenario.expansions.size(); ++e) {
    const model::Expansion& x = scenario.expansions[e];
    if (x.plant != plant) continue;
    if (x.kind == model::ExpansionKind::kLine && LineInPlan(scenario, baseline, x.line)) {
      nodes.push_back({model::NodeKind::kLine, x.line});
    } else if (x.kind == model::ExpansionKind::kComponentLine &&
               ComponentLineInPlan(scenario, baseline, x.component_line)) {
      nodes.push_back({model::NodeKind::kComponentLine, x.component_line});
    }
  }
  return nodes;
}

std::vector<model::NodeRef> RiskNodes(const model::Scenario& scenario, const plan::PlanResult& baseline) {
  std::vector<model::NodeRef> nodes;
  const int32_t plants = static_cast<int32_t>(scenario.plants.size());
  for (int32_t p = 0; p < plants; ++p) nodes.push_back({model::NodeKind::kPlant, p});
  for (int32_t p = 0; p < plants; ++p) {
    for (const model::NodeRef& n : PlantLineNodesInLoopOrder(scenario, baseline, p)) nodes.push_back(n);
  }
  std::vector<bool> has_offer(scenario.suppliers.size(), false);
  for (const model::Offer& o : scenario.offers) has_offer.at(o.supplier) = true;
  for (size_t s = 0; s < scenario.suppliers.size(); ++s) {
    if (has_offer[s]) nodes.push_back({model::NodeKind::kSupplier, static_cast<int32_t>(s)});
  }
  return nodes;
}

}  // namespace rackforge::risk
