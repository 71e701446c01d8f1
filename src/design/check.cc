#include "design/check.h"

namespace rackforge::design {

namespace {

Rollup RollupOf(const model::Scenario& scenario, const std::vector<ComponentFacts>& facts,
                const model::Design& design, const BomTotals& t) {
  Rollup r;
  r.accelerators = t[Sum::kAccelerators];
  r.it_power_kw = t[Sum::kPowerW] / 1000.0;
  r.heat_liquid_kw = t[Sum::kHeatLiquidW] / 1000.0;
  r.heat_air_kw = t[Sum::kHeatAirW] / 1000.0;
  r.coolant_flow_l_min = CoolantFlowLPerMin(t[Sum::kHeatLiquidW], design.coolant_delta_t_c);
  r.weight_kg = t[Sum::kWeightKg];
  r.rack_units = t[Sum::kHeightU];
  r.ports_required = t[Sum::kPortsRequired];
  r.ports_provided = t[Sum::kPortsProvided];
  r.cost_usd = t[Sum::kCostUsd];
  r.domestic_share = DomesticShare(t);
  r.min_suppliers = t.min_suppliers == kNoComponents ? 0 : t.min_suppliers;
  for (const model::BomEntry& entry : design.bom) {
    const ComponentFacts& f = facts[entry.component];
    ComponentSupply supply{entry.component, entry.qty, f.suppliers, f.in_house_plants, f.hhi, std::nullopt,
                           f.in_house_cost_usd};
    if (f.priced) supply.landed_cost_usd = f.landed_cost_usd;
    r.components.push_back(supply);
    if (entry.qty <= 0) continue;
    if (f.suppliers == 1) r.single_source_components.push_back(entry.component);
    if (!f.priced) r.unpriced_components.push_back(entry.component);
  }
  return r;
}

}  // namespace

DesignCheck CheckDesign(const model::Scenario& scenario, const std::vector<ComponentFacts>& facts,
                        const model::Design& design) {
  DesignCheck check;
  check.totals = TotalsOf(scenario, facts, design.bom);
  check.rollup = RollupOf(scenario, facts, design, check.totals);
  check.rules = EvaluateRules(check.totals, FieldsOf(design), RequirementOf(scenario, design));
  check.pass = AllPass(check.rules);
  return check;
}

std::vector<DesignCheck> CheckScenario(const model::Scenario& scenario) {
  const std::vector<ComponentFacts> facts = ComputeComponentFacts(scenario);
  std::vector<DesignCheck> checks;
  for (size_t g = 0; g < scenario.designs.size(); ++g) {
    checks.push_back(CheckDesign(scenario, facts, scenario.designs[g]));
    checks.back().design = static_cast<int32_t>(g);
  }
  return checks;
}

bool AllDesignsPass(const std::vector<DesignCheck>& checks) {
  for (const DesignCheck& c : checks) {
    if (!c.pass) return false;
  }
  return true;
}

}  // namespace rackforge::design
