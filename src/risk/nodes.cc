#include "risk/nodes.h"

namespace rackforge::risk {

namespace {

bool Opened(const plan::PlanResult& baseline, int32_t expansion) {
  if (expansion < 0) return true;
  return static_cast<size_t>(expansion) < baseline.opened.size() && baseline.opened[expansion] != 0;
}

}  // namespace

bool LineInPlan(const model::Scenario& scenario, const plan::PlanResult& baseline, int32_t line) {
  return Opened(baseline, scenario.lines.at(line).expansion);
}

bool ComponentLineInPlan(const model::Scenario& scenario, const plan::PlanResult& baseline, int32_t component_line) {
  return Opened(baseline, scenario.component_lines.at(component_line).expansion);
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

std::vector<int32_t> PlantComponentLinesInLoopOrder(const model::Scenario& scenario,
                                                    const plan::PlanResult& baseline, int32_t plant) {
  const model::Plant& p = scenario.plants.at(plant);
  std::vector<int32_t> lines(p.component_lines.begin(), p.component_lines.end());
  for (int32_t m : p.expansion_component_lines) {
    if (ComponentLineInPlan(scenario, baseline, m)) lines.push_back(m);
  }
  return lines;
}

std::vector<model::NodeRef> RiskNodes(const model::Scenario& scenario, const plan::PlanResult& baseline) {
  std::vector<model::NodeRef> nodes;
  const int32_t plants = static_cast<int32_t>(scenario.plants.size());
  for (int32_t p = 0; p < plants; ++p) nodes.push_back({model::NodeKind::kPlant, p});
  for (int32_t p = 0; p < plants; ++p) {
    const model::Plant& plant = scenario.plants[p];
    for (int32_t l : plant.lines) nodes.push_back({model::NodeKind::kLine, l});
    for (int32_t m : plant.component_lines) nodes.push_back({model::NodeKind::kComponentLine, m});
    for (size_t e = 0; e < scenario.expansions.size(); ++e) {  // expansion lines of either kind, file order
      const model::Expansion& x = scenario.expansions[e];
      if (x.plant != p || !Opened(baseline, static_cast<int32_t>(e))) continue;
      if (x.kind == model::ExpansionKind::kLine) nodes.push_back({model::NodeKind::kLine, x.line});
      if (x.kind == model::ExpansionKind::kComponentLine) {
        nodes.push_back({model::NodeKind::kComponentLine, x.component_line});
      }
    }
  }
  std::vector<bool> has_offer(scenario.suppliers.size(), false);
  for (const model::Offer& o : scenario.offers) has_offer.at(o.supplier) = true;
  for (size_t s = 0; s < scenario.suppliers.size(); ++s) {
    if (has_offer[s]) nodes.push_back({model::NodeKind::kSupplier, static_cast<int32_t>(s)});
  }
  return nodes;
}

}  // namespace rackforge::risk
