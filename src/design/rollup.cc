#include "design/rollup.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

namespace rackforge::design {

namespace {

std::optional<double> Least(std::optional<double> a, std::optional<double> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

// The two costs of DESIGN.md "Design space" that recurse through component_boms.csv:
// price(c) (offers with tariff, in-house with parts at price) and the cheapest
// pre-tariff cost (offers' cost_o, in-house with parts at their cheapest pre-tariff
// cost). Memoized per component; a component met again while its own cost is being
// computed (a cycle, which the loader refuses) gives that path no cost.
class SourceCosts {
 public:
  enum Kind { kPrice = 0, kPreTariff = 1 };

  explicit SourceCosts(const model::Scenario& s) : s_(s), lines_of_(s.components.size()) {
    for (size_t m = 0; m < s.component_lines.size(); ++m) {
      for (int32_t c : s.component_lines[m].components) lines_of_.at(c).push_back(static_cast<int32_t>(m));
    }
    for (auto& memo : memo_) memo.assign(s.components.size(), Memo{});
  }

  /// Component lines (existing and expansion) that make c, in Scenario::component_lines order.
  const std::vector<int32_t>& LinesOf(int32_t c) const { return lines_of_[c]; }

  /// Least cost of c of this kind over every source; nullopt when it has none.
  std::optional<double> Cost(int32_t c, Kind kind) {
    Memo& memo = memo_[kind][c];
    if (memo.state == State::kDone) return memo.value;
    if (memo.state == State::kBusy) return std::nullopt;
    memo.state = State::kBusy;
    const std::optional<double> value = Least(OffersCost(c, kind), InHouse(c, kind));
    memo_[kind][c] = Memo{State::kDone, value};
    return value;
  }

  /// Least in-house cost of c: min over its lines of cost_usd_per_unit + Σ_part bom·Cost(part, kind).
  std::optional<double> InHouse(int32_t c, Kind kind) {
    if (lines_of_[c].empty()) return std::nullopt;
    double parts = 0;
    for (const model::BomEntry& part : s_.components[c].parts) {
      const std::optional<double> cost = Cost(part.component, kind);
      if (!cost) return std::nullopt;
      parts += part.qty * *cost;
    }
    std::optional<double> best;
    for (int32_t m : lines_of_[c]) best = Least(best, s_.component_lines[m].cost_usd_per_unit + parts);
    return best;
  }

 private:
  enum class State : uint8_t { kNew, kBusy, kDone };
  struct Memo {
    State state = State::kNew;
    std::optional<double> value;
  };

  std::optional<double> OffersCost(int32_t c, Kind kind) const {
    std::optional<double> best;
    for (int32_t o : s_.components[c].offers) {
      const model::Offer& offer = s_.offers[o];
      best = Least(best, kind == kPrice ? (1 + offer.tariff_rate) * offer.unit_cost_usd : offer.unit_cost_usd);
    }
    return best;
  }

  const model::Scenario& s_;
  std::vector<std::vector<int32_t>> lines_of_;
  std::array<std::vector<Memo>, 2> memo_;
};

// Capacity per source of one component: its usable offers, then one entry per
// plant with lines making it (Σ units_per_week of those lines).
std::vector<double> SourceCapacities(const model::Scenario& s, int32_t c, const std::vector<int32_t>& lines) {
  std::vector<double> capacity;
  for (int32_t o : s.components[c].offers) capacity.push_back(s.offers[o].capacity_per_week);
  std::vector<int32_t> plants;
  std::vector<double> plant_capacity;
  for (int32_t m : lines) {
    const model::ComponentLine& line = s.component_lines[m];
    const auto at = std::find(plants.begin(), plants.end(), line.plant);
    if (at == plants.end()) {
      plants.push_back(line.plant);
      plant_capacity.push_back(line.units_per_week);
    } else {
      plant_capacity[at - plants.begin()] += line.units_per_week;
    }
  }
  capacity.insert(capacity.end(), plant_capacity.begin(), plant_capacity.end());
  return capacity;
}

// Herfindahl index of capacity over the sources; nullopt with no source or no capacity.
std::optional<double> CapacityHhi(const std::vector<double>& capacity) {
  double total = 0;
  for (double c : capacity) total += c;
  if (capacity.empty() || total <= 0) return std::nullopt;
  double hhi = 0;
  for (double c : capacity) hhi += (c / total) * (c / total);
  return hhi;
}

ComponentFacts FactsOf(const model::Scenario& scenario, SourceCosts& costs, int32_t c) {
  const model::Component& component = scenario.components[c];
  ComponentFacts facts;
  std::set<int32_t> suppliers, plants;
  std::optional<double> domestic;
  for (int32_t o : component.offers) {
    const model::Offer& offer = scenario.offers[o];
    if (scenario.suppliers[offer.supplier].domestic()) domestic = Least(domestic, offer.unit_cost_usd);
    suppliers.insert(offer.supplier);
  }
  const std::vector<int32_t>& lines = costs.LinesOf(c);
  for (int32_t m : lines) plants.insert(scenario.component_lines[m].plant);
  domestic = Least(domestic, costs.InHouse(c, SourceCosts::kPreTariff));
  const std::optional<double> price = costs.Cost(c, SourceCosts::kPrice);
  const std::optional<double> pre_tariff = costs.Cost(c, SourceCosts::kPreTariff);
  facts.priced = price.has_value() && pre_tariff.has_value();
  facts.landed_cost_usd = price.value_or(0);
  facts.cheapest_cost_usd = pre_tariff.value_or(0);
  facts.has_domestic_source = domestic.has_value();
  facts.cheapest_domestic_cost_usd = domestic.value_or(0);
  facts.in_house_plants = static_cast<int32_t>(plants.size());
  facts.suppliers = static_cast<int32_t>(suppliers.size()) + facts.in_house_plants;
  facts.in_house_cost_usd = costs.InHouse(c, SourceCosts::kPrice);
  facts.hhi = CapacityHhi(SourceCapacities(scenario, c, lines));
  return facts;
}

}  // namespace

std::vector<ComponentFacts> ComputeComponentFacts(const model::Scenario& scenario) {
  SourceCosts costs(scenario);
  std::vector<ComponentFacts> facts;
  facts.reserve(scenario.components.size());
  for (size_t c = 0; c < scenario.components.size(); ++c) {
    facts.push_back(FactsOf(scenario, costs, static_cast<int32_t>(c)));
  }
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
    if (facts.has_domestic_source) {
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
