#include "explore/synthetic.h"

#include <algorithm>
#include <string>

#include "model/splitmix64.h"

namespace rackforge::explore {

namespace {

// SplitMix64 (model/splitmix64.h), so the scenario does not depend on the standard library's distributions.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed ^ model::SplitMix64::kGoldenGamma) {}
  uint64_t Next() { return state_.Next(); }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * state_.Uniform(); }
  int32_t Int(int32_t lo, int32_t hi) { return lo + static_cast<int32_t>(Next() % static_cast<uint64_t>(hi - lo + 1)); }

 private:
  model::SplitMix64 state_;
};

int32_t AddComponent(model::Scenario& s, model::Component c) {
  s.components.push_back(std::move(c));
  return static_cast<int32_t>(s.components.size()) - 1;
}

void AddOffers(model::Scenario& s, Random& random, int32_t component) {
  const int32_t count = random.Int(1, 3);
  const int32_t first = random.Int(0, static_cast<int32_t>(s.suppliers.size()) - 1);
  for (int32_t i = 0; i < count; ++i) {
    model::Offer o;
    o.supplier = (first + 2 * i) % static_cast<int32_t>(s.suppliers.size());
    o.component = component;
    o.unit_cost_usd = random.Uniform(100, 2000);
    o.capacity_per_week = random.Uniform(50, 500);
    o.tariff_rate = s.suppliers[o.supplier].domestic() ? 0.0 : 0.25;
    s.offers.push_back(o);
    s.components[component].offers.push_back(static_cast<int32_t>(s.offers.size()) - 1);
    s.components[component].offer_rows_in_file += 1;
  }
}

model::Component RandomPart(Random& random, const std::string& id, bool power_shelf) {
  model::Component c;
  c.id = id;
  c.name = id;
  c.category = power_shelf ? "power" : "part";
  if (power_shelf) {
    c.power_capacity_w = random.Uniform(3000, 12000);
    c.heat_air_w = random.Uniform(50, 200);
  } else {
    c.power_w = random.Uniform(300, 3000);
    c.heat_liquid_w = 0.85 * c.power_w;
    c.heat_air_w = 0.15 * c.power_w;
    c.accelerators = random.Int(0, 4);
    c.ports_required = random.Int(0, 4);
    c.ports_provided = random.Int(0, 6);
  }
  c.weight_kg = random.Uniform(5, 60);
  c.height_u = random.Int(1, 3);
  return c;
}

void AddLine(model::Scenario& s, int32_t plant, int32_t component, double cost, double units) {
  model::ComponentLine line;
  line.id = "m-" + s.components[component].id + "-" + s.plants[plant].id;
  line.plant = plant;
  line.components = {component};
  line.units_per_week = units;
  line.cost_usd_per_unit = cost;
  const int32_t m = static_cast<int32_t>(s.component_lines.size());
  s.plants[plant].component_lines.push_back(m);
  s.components[component].made_by.push_back(m);
  s.component_lines.push_back(std::move(line));
}

// Component lines for the slot options' components (see the header).
void AddInHouseSources(model::Scenario& s, uint32_t seed) {
  Random random(seed * 7919u + 17u);
  for (const char* id : {"oh", "tx"}) {
    model::Plant p;
    p.id = id;
    p.us_state = id == std::string("oh") ? "OH" : "TX";
    s.plants.push_back(p);
  }
  const int32_t option_components = static_cast<int32_t>(s.components.size());
  for (int32_t c = 1; c < option_components; ++c) {  // component 0 is the cdu
    const int32_t kind = random.Int(0, 3);
    if (kind == 0) continue;
    const double cost = random.Uniform(20, 600);
    AddLine(s, random.Int(0, 1), c, cost, random.Uniform(20, 400));
    if (kind == 2) {  // made from two bought raw parts
      for (int i = 0; i < 2; ++i) {
        model::Component raw;
        raw.id = "raw-" + s.components[c].id + "-" + std::to_string(i);
        raw.name = raw.id;
        raw.category = "raw";
        const int32_t r = AddComponent(s, raw);
        AddOffers(s, random, r);
        s.components[c].parts.push_back({r, static_cast<double>(random.Int(1, 2))});
      }
    }
    if (kind == 3) AddLine(s, 1 - s.component_lines.back().plant, c, random.Uniform(20, 600), random.Uniform(20, 400));
  }
}

}  // namespace

model::Scenario SyntheticSpaceScenario(uint32_t seed, int32_t slots, int32_t options, bool in_house) {
  Random random(seed);
  model::Scenario s;
  s.name = "synthetic-space";
  s.horizon_weeks = 52;
  for (int i = 0; i < 6; ++i) {
    model::Supplier supplier;
    supplier.id = "sup" + std::to_string(i);
    supplier.company = supplier.id;
    supplier.country = i % 2 == 0 ? "US" : "MX";
    s.suppliers.push_back(supplier);
  }
  model::Design d;
  d.id = "syn";
  d.name = "synthetic";
  d.meets = 0;
  d.available_from_week = 4;
  d.redundant_power_shelves = 1;
  d.busbar_voltage_v = 50;
  d.coolant_delta_t_c = 10;
  model::Component cdu;
  cdu.id = "cdu";
  cdu.name = "cdu";
  cdu.weight_kg = 50;
  cdu.height_u = 2;
  const int32_t cdu_index = AddComponent(s, cdu);
  AddOffers(s, random, cdu_index);
  d.bom.push_back({cdu_index, 1});

  // Mean totals of the variants, to put the limits near them.
  double power = 0, heat_liquid = 0, heat_air = 0, weight = 50, height = 2, accelerators = 0, ports_required = 0,
         ports_provided = 0;
  model::DesignSpace space;
  for (int32_t slot = 0; slot < slots; ++slot) {
    model::Slot sl;
    sl.slot = "slot" + std::to_string(slot);
    for (int32_t k = 0; k < options; ++k) {
      const std::string id = "c" + std::to_string(slot) + "-" + std::to_string(k);
      const int32_t c = AddComponent(s, RandomPart(random, id, slot == 0));
      AddOffers(s, random, c);
      const double qty = random.Int(1, slot == 0 ? 4 : 2);
      if (k == 0) {
        d.bom.push_back({c, qty});
        sl.replaces.push_back(c);
      }
      model::SlotOption option;
      option.bom.push_back({c, qty});
      if (slot == 1 && k == 1) option.set.push_back({"electrical.busbar_voltage_v", 54});
      if (slot == 2 && k == options - 1) option.set.push_back({"frame.max_weight_kg", 1e6});
      sl.options.push_back(option);
      const model::Component& comp = s.components[c];
      const double w = qty / options;
      power += w * comp.power_w;
      heat_liquid += w * comp.heat_liquid_w;
      heat_air += w * comp.heat_air_w;
      weight += w * comp.weight_kg;
      height += w * comp.height_u;
      accelerators += w * comp.accelerators;
      ports_required += w * comp.ports_required;
      ports_provided += w * comp.ports_provided;
    }
    space.slots.push_back(std::move(sl));
  }
  // Scale the shelves so that the mean variant has 10 % spare power after the
  // redundant (largest) shelf: Σ q·cap − cap = cap·(q − 1) for slot 0 alone.
  double spare = 0;
  for (const model::SlotOption& option : space.slots[0].options) {
    const model::BomEntry& e = option.bom[0];
    spare += s.components[e.component].power_capacity_w * (e.qty - 1) / options;
  }
  if (slots > 0 && spare > 0) {
    for (const model::SlotOption& option : space.slots[0].options) {
      s.components[option.bom[0].component].power_capacity_w *= 1.3 * power / spare;
    }
  }
  s.components[cdu_index].cooling_capacity_w = 1.2 * heat_liquid;
  d.busbar_rating_a = 1.2 * power / 50;
  d.max_air_heat_w = 1.2 * heat_air + 500;
  d.rack_units = 1.15 * height;
  d.max_weight_kg = 1.15 * weight;
  d.footprint_m2 = 1;
  s.components[cdu_index].ports_provided = std::max(0.0, 1.1 * ports_required - ports_provided);
  model::Requirement r;
  r.id = "req";
  r.generation = "syn";
  r.needed_by_week = 10;
  r.min_accelerators = 0.85 * accelerators;
  r.max_power_kw = 2 * power / 1000 + 1;
  r.max_floor_load_kg_m2 = 1.2 * weight;
  s.requirements.push_back(r);
  s.designs.push_back(d);
  space.design = 0;
  s.design_spaces.push_back(std::move(space));
  if (in_house) AddInHouseSources(s, seed);
  return s;
}

}  // namespace rackforge::explore
