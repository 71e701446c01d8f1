#pragma once
// fixture.h's hand scenario with in-house sources: plants, component lines and
// component_boms.csv rows built in code (the figures are derived in
// tests/unit/design/in_house_test.cc).
#include <string>
#include <utility>
#include <vector>

#include "unit/design/fixture.h"

namespace rackforge::testing {

inline int32_t AddPlant(model::Scenario& s, const std::string& id) {
  model::Plant p;
  p.id = id;
  p.us_state = "OH";
  s.plants.push_back(p);
  return static_cast<int32_t>(s.plants.size()) - 1;
}

inline int32_t AddComponentLine(model::Scenario& s, const std::string& id, int32_t plant,
                                std::vector<int32_t> components, double units_per_week, double cost_usd_per_unit,
                                bool expansion = false) {
  model::ComponentLine line;
  line.id = id;
  line.plant = plant;
  line.components = std::move(components);
  line.units_per_week = units_per_week;
  line.cost_usd_per_unit = cost_usd_per_unit;
  const int32_t m = static_cast<int32_t>(s.component_lines.size());
  if (expansion) {
    model::Expansion e;
    e.id = id;
    e.plant = plant;
    e.kind = model::ExpansionKind::kComponentLine;
    e.component_line = m;
    line.expansion = static_cast<int32_t>(s.expansions.size());
    s.expansions.push_back(e);
    s.plants[plant].expansion_component_lines.push_back(m);
  } else {
    s.plants[plant].component_lines.push_back(m);
  }
  for (int32_t c : line.components) s.components[c].made_by.push_back(m);
  s.component_lines.push_back(std::move(line));
  return m;
}

inline model::Component Part(const std::string& id) {
  model::Component c;
  c.id = id;
  c.name = id;
  c.category = "part";
  return c;
}

/// The scenario of in_house_test.cc: bar, pcb bought; module made only at p-oh (line m-oh);
/// shelf bought and made (m-oh, expansion x-tx at p-tx); cdu bought and made dearer (m-cdu);
/// designs d1 and d2 = d1 + module x2.
inline model::Scenario InHouseScenario() {
  model::Scenario s = HandScenario();
  const int32_t bar = AddComponent(s, Part("bar"));
  const int32_t pcb = AddComponent(s, Part("pcb"));
  const int32_t module = AddComponent(s, Part("module"));
  AddOffer(s, "s-mx", "bar", 40, 0.10, 100);
  AddOffer(s, "s-us", "bar", 50, 0, 100);
  AddOffer(s, "s-tw", "pcb", 30, 0.25, 100);
  s.components[module].parts = {{bar, 2}, {pcb, 1}};
  const int32_t shelf = ComponentIndex(s, "shelf");
  s.components[shelf].parts = {{module, 1}, {bar, 1}};
  const int32_t oh = AddPlant(s, "p-oh");
  const int32_t tx = AddPlant(s, "p-tx");
  AddComponentLine(s, "m-oh", oh, {module, shelf}, 150, 20);
  AddComponentLine(s, "m-cdu", tx, {ComponentIndex(s, "cdu")}, 30, 600);
  AddComponentLine(s, "x-tx", tx, {shelf}, 50, 5, /*expansion=*/true);
  model::Design d2 = s.designs[0];
  d2.id = "d2";
  d2.bom.push_back({module, 2});
  s.designs.push_back(d2);
  return s;
}

}  // namespace rackforge::testing
