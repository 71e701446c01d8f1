#include "design/rollup.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace rackforge::design {

namespace {

// Herfindahl index of capacity over the offers of one component.
std::optional<double> CapacityHhi(const model::Scenario& scenario, const model::Component& component) {
  double total = 0;
  for (int32_t o : component.offers) total += scenario.offers[o].capacity_per_week;
  if (component.offers.empty() || total <= 0) return std::nullopt;
  double hhi = 0;
  for (int32_t o : component.offers) {
    const double share = scenario.offers[o].capacity_per_week / total;
    hhi += share * share;
  }
  return hhi;
}

ComponentFacts FactsOf(const model::Scenario& scenario, const model::Component& component) {
  ComponentFacts facts;
  std::set<int32_t> suppliers;
  for (int32_t o : component.offers) {
    const model::Offer& offer = scenario.offers[o];
    const double landed = (1 + offer.tariff_rate) * offer.unit_cost_usd;
    facts.landed_cost_usd = facts.priced ? std::min(facts.landed_cost_usd, landed) : landed;
    facts.cheapest_cost_usd = facts.priced ? std::min(facts.cheapest_cost_usd, offer.unit_cost_usd) : offer.unit_cost_usd;
    facts.priced = true;
    if (scenario.suppliers[offer.supplier].domestic()) {
      facts.cheapest_domestic_cost_usd = facts.has_domestic_offer
                                             ? std::min(facts.cheapest_domestic_cost_usd, offer.unit_cost_usd)
                                             : offer.unit_cost_usd;
      facts.has_domestic_offer = true;
    }
    suppliers.insert(offer.supplier);
  }
  facts.suppliers = static_cast<int32_t>(suppliers.size());
  facts.hhi = CapacityHhi(scenario, component);
  return facts;
}

}  // namespace

std::vector<ComponentFacts> ComputeComponentFacts(const model::Scenario& scenario) {
  std::vector<ComponentFacts> facts;
  facts.reserve(scenario.components.size());
  for (const model::Component& component : scenario.components) facts.push_back(FactsOf(scenario, component));
  return facts;
}

void BomTotals::AddEntry(const model::Component& c, const ComponentFacts& facts, double qty) {
  auto add = [&](Sum s, double value) { sum[static_cast<int>(s)] += qty * value; };
  add(Sum::kPowerW, c.power_w);
  add(Sum::kHeatLiquidW, c.heat_liquid_w);
  add(Sum::kHeatAirW, c.heat_air_w);
  add(Sum::kWeightKg, c.weight_kg);
  add(Sum::kHeightU, c.height_u);
  add(Sum::kAccelerators, c.accelerators);
  add(Sum::kPortsRequired, c.ports_required);
  add(Sum::kPortsProvided, c.ports_provided);
  add(Sum::kPowerCapacityW, c.power_capacity_w);
  add(Sum::kCoolingCapacityW, c.cooling_capacity_w);
  if (facts.priced) {
    add(Sum::kCostUsd, facts.landed_cost_usd);
    if (facts.has_domestic_offer) {
      add(Sum::kDomesticUsd, facts.cheapest_domestic_cost_usd);
    } else {
      add(Sum::kForeignUsd, facts.cheapest_cost_usd);
    }
  }
  if (qty > 0) {
    max_power_capacity_w = std::max(max_power_capacity_w, c.power_capacity_w);
    min_suppliers = std::min(min_suppliers, facts.suppliers);
    if (!facts.priced) ++unpriced_components;
  }
}

void BomTotals::Merge(const BomTotals& other) {
  for (int i = 0; i < kSumCount; ++i) sum[i] += other.sum[i];
  max_power_capacity_w = std::max(max_power_capacity_w, other.max_power_capacity_w);
  min_suppliers = std::min(min_suppliers, other.min_suppliers);
  unpriced_components += other.unpriced_components;
}

BomTotals TotalsOf(const model::Scenario& scenario, const std::vector<ComponentFacts>& facts,
                   const std::vector<model::BomEntry>& bom) {
  BomTotals totals;
  for (const model::BomEntry& entry : bom) {
    totals.AddEntry(scenario.components[entry.component], facts[entry.component], entry.qty);
  }
  return totals;
}

DesignFields FieldsOf(const model::Design& d) {
  DesignFields f{};
  f[static_cast<int>(Field::kAvailableFromWeek)] = d.available_from_week;
  f[static_cast<int>(Field::kBuildHours)] = d.build_hours;
  f[static_cast<int>(Field::kTestHours)] = d.test_hours;
  f[static_cast<int>(Field::kBusbarVoltageV)] = d.busbar_voltage_v;
  f[static_cast<int>(Field::kBusbarRatingA)] = d.busbar_rating_a;
  f[static_cast<int>(Field::kRedundantPowerShelves)] = d.redundant_power_shelves;
  f[static_cast<int>(Field::kCoolantDeltaTC)] = d.coolant_delta_t_c;
  f[static_cast<int>(Field::kMaxAirHeatW)] = d.max_air_heat_w;
  f[static_cast<int>(Field::kRackUnits)] = d.rack_units;
  f[static_cast<int>(Field::kMaxWeightKg)] = d.max_weight_kg;
  f[static_cast<int>(Field::kFootprintM2)] = d.footprint_m2;
  return f;
}

void SetField(model::Design& d, Field field, double value) {
  switch (field) {
    case Field::kAvailableFromWeek: d.available_from_week = static_cast<int32_t>(std::lround(value)); return;
    case Field::kBuildHours: d.build_hours = value; return;
    case Field::kTestHours: d.test_hours = value; return;
    case Field::kBusbarVoltageV: d.busbar_voltage_v = value; return;
    case Field::kBusbarRatingA: d.busbar_rating_a = value; return;
    case Field::kRedundantPowerShelves: d.redundant_power_shelves = value; return;
    case Field::kCoolantDeltaTC: d.coolant_delta_t_c = value; return;
    case Field::kMaxAirHeatW: d.max_air_heat_w = value; return;
    case Field::kRackUnits: d.rack_units = value; return;
    case Field::kMaxWeightKg: d.max_weight_kg = value; return;
    case Field::kFootprintM2: d.footprint_m2 = value; return;
    case Field::kCount: break;
  }
}

const char* FieldKey(Field field) {
  switch (field) {
    case Field::kAvailableFromWeek: return "available_from_week";
    case Field::kBuildHours: return "build_hours";
    case Field::kTestHours: return "test_hours";
    case Field::kBusbarVoltageV: return "electrical.busbar_voltage_v";
    case Field::kBusbarRatingA: return "electrical.busbar_rating_a";
    case Field::kRedundantPowerShelves: return "electrical.redundant_power_shelves";
    case Field::kCoolantDeltaTC: return "cooling.coolant_delta_t_c";
    case Field::kMaxAirHeatW: return "cooling.max_air_heat_w";
    case Field::kRackUnits: return "frame.rack_units";
    case Field::kMaxWeightKg: return "frame.max_weight_kg";
    case Field::kFootprintM2: return "frame.footprint_m2";
    case Field::kCount: break;
  }
  return "";
}

std::optional<Field> ParseFieldKey(std::string_view key) {
  for (int i = 0; i < kFieldCount; ++i) {
    if (key == FieldKey(static_cast<Field>(i))) return static_cast<Field>(i);
  }
  return std::nullopt;
}

std::optional<double> CoolantFlowLPerMin(double heat_liquid_w, double coolant_delta_t_c) {
  if (coolant_delta_t_c <= 0) return std::nullopt;
  return heat_liquid_w / 1000.0 * 60.0 / (4.18 * coolant_delta_t_c);
}

double DomesticShare(const BomTotals& totals) {
  const double d = totals[Sum::kDomesticUsd];
  const double all = d + totals[Sum::kForeignUsd];
  return all > 0 ? d / all : 0.0;
}

}  // namespace rackforge::design
