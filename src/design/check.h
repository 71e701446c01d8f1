#pragma once
// `check`: the roll-ups and rule results of every design of a scenario.
// Pure: no printing, no file access (report/check_report.h formats the result).

#include <cstdint>
#include <optional>
#include <vector>

#include "design/rollup.h"
#include "design/rules.h"
#include "model/scenario.h"

namespace rackforge::design {

/// Supply facts of one BOM component of a design.
struct ComponentSupply {
  int32_t component = -1;
  double qty = 0;
  int32_t suppliers = 0;       // distinct sources: suppliers with a usable offer + plants making it in-house
  int32_t in_house_plants = 0;  // plants with a component line making it (counted in suppliers)
  std::optional<double> hhi;   // Herfindahl index of source capacity (a plant's lines' units_per_week)
  std::optional<double> landed_cost_usd;  // price(c), in-house included; nullopt when it has no source
  std::optional<double> in_house_cost_usd;  // least in-house price; nullopt when no line makes it
};

/// The roll-ups `check` reports for one design.
struct Rollup {
  double accelerators = 0;
  double it_power_kw = 0;
  double heat_liquid_kw = 0;
  double heat_air_kw = 0;
  std::optional<double> coolant_flow_l_min;  // nullopt when coolant_delta_t_c <= 0
  double weight_kg = 0;
  double rack_units = 0;  // Σ q·height_u
  double ports_required = 0;
  double ports_provided = 0;
  double cost_usd = 0;  // priced components only (see unpriced_components)
  double domestic_share = 0;
  int32_t min_suppliers = 0;  // 0 for an empty BOM or a component without a source
  std::vector<int32_t> single_source_components;  // component indices with exactly one source (supplier or plant)
  std::vector<int32_t> unpriced_components;       // component indices with no price (no source)
  std::vector<ComponentSupply> components;        // BOM order
};

/// Roll-ups and rule results of one design.
struct DesignCheck {
  int32_t design = -1;  // index into Scenario::designs (-1 for a design built in code)
  Rollup rollup;
  BomTotals totals;
  RuleResults rules;
  bool pass = false;  // every rule passes
};

/// Rolls up and checks one design (which need not belong to the scenario, e.g.
/// an explore variant). `facts` must come from ComputeComponentFacts(scenario).
DesignCheck CheckDesign(const model::Scenario& scenario, const std::vector<ComponentFacts>& facts,
                        const model::Design& design);

/// Checks every design of the scenario, in file order.
std::vector<DesignCheck> CheckScenario(const model::Scenario& scenario);

/// True when every design passes.
bool AllDesignsPass(const std::vector<DesignCheck>& checks);

}  // namespace rackforge::design
