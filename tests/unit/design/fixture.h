#pragma once
// A small hand-computed scenario shared by the design and explore tests.
//
// Design d1 (meets r1: needed by week 10, >= 8 accelerators, <= 20 kW, <= 1500 kg/m2):
//   tray x4   (2000 W, 1800 W liquid, 200 W air, 30 kg, 1 U, 4 accel, 2 ports required)
//   shelf x3  (50 W air, 20 kg, 1 U, 6000 W power capacity)
//   cdu x1    (40 kg, 2 U, 10000 W cooling capacity)
//   switch x1 (500 W, 500 W air, 10 kg, 1 U, 10 ports provided)
//   busbar 50 V / 250 A, 1 redundant shelf, ΔT 10 °C, air 2000 W, 12 U, 300 kg, 0.5 m2, week 5.
// Offers (supplier country, cost, tariff, capacity/week):
//   tray:   s-tw (TW) 1000, 25 %, 100;  s-us (US) 1300, 0 %, 300   -> landed 1250, domestic 1300, HHI 0.625
//   shelf:  s-mx (MX) 200, 10 %, 50                                 -> landed 220, foreign 200, single source
//   cdu:    s-us 500, 0 %, 20;  s-mx 450, 10 %, 20                  -> landed 495, domestic 500, HHI 0.5
//   switch: s-tw 300, 25 %, 10; s-mx 280, 10 %, 30                  -> landed 308, foreign 280, HHI 0.625
//   shelf-us (as shelf): s-us 260, s-us2 (US) 270                   -> landed 260, domestic 260, 2 suppliers
//   tray-us (as tray):   s-us 1350                                  -> landed 1350, domestic 1350, 1 supplier
//   tray-dense (2x tray: 4000 W, 3600 W liquid, 400 W air, 50 kg, 1 U, 8 accel, 4 ports required):
//                        s-tw 2200, 25 %; s-us 2500                  -> landed 2500, domestic 2500, 2 suppliers
// Roll-ups of d1: IT power 8500 W, cost 4·1250 + 3·220 + 495 + 308 = 6463 USD,
//   D = 4·1300 + 500 = 5700, F = 3·200 + 280 = 880, domestic share 5700/6580.
#include <string>

#include "model/scenario.h"

namespace rackforge::testing {

inline int32_t AddSupplier(model::Scenario& s, const std::string& id, const std::string& country) {
  model::Supplier supplier;
  supplier.id = id;
  supplier.company = id;
  supplier.country = country;
  s.suppliers.push_back(supplier);
  return static_cast<int32_t>(s.suppliers.size()) - 1;
}

inline int32_t AddComponent(model::Scenario& s, model::Component c) {
  s.components.push_back(std::move(c));
  return static_cast<int32_t>(s.components.size()) - 1;
}

inline void AddOffer(model::Scenario& s, const std::string& supplier, const std::string& component, double cost,
                     double tariff, double capacity) {
  model::Offer o;
  for (size_t i = 0; i < s.suppliers.size(); ++i) {
    if (s.suppliers[i].id == supplier) o.supplier = static_cast<int32_t>(i);
  }
  for (size_t i = 0; i < s.components.size(); ++i) {
    if (s.components[i].id == component) o.component = static_cast<int32_t>(i);
  }
  o.unit_cost_usd = cost;
  o.tariff_rate = tariff;
  o.capacity_per_week = capacity;
  s.offers.push_back(o);
  s.components[o.component].offers.push_back(static_cast<int32_t>(s.offers.size()) - 1);
  s.components[o.component].offer_rows_in_file += 1;
}

inline model::Component Tray(const std::string& id) {
  model::Component c;
  c.id = id;
  c.name = id;
  c.category = "compute";
  c.power_w = 2000;
  c.heat_liquid_w = 1800;
  c.heat_air_w = 200;
  c.weight_kg = 30;
  c.height_u = 1;
  c.accelerators = 4;
  c.ports_required = 2;
  return c;
}

inline model::Component Shelf(const std::string& id) {
  model::Component c;
  c.id = id;
  c.name = id;
  c.category = "power";
  c.heat_air_w = 50;
  c.weight_kg = 20;
  c.height_u = 1;
  c.power_capacity_w = 6000;
  return c;
}

/// The scenario described at the top of this file.
inline model::Scenario HandScenario() {
  model::Scenario s;
  s.name = "hand";
  s.horizon_weeks = 20;
  model::Requirement r;
  r.id = "r1";
  r.generation = "g1";
  r.needed_by_week = 10;
  r.min_accelerators = 8;
  r.max_power_kw = 20;
  r.max_floor_load_kg_m2 = 1500;
  s.requirements.push_back(r);

  AddSupplier(s, "s-us", "US");
  AddSupplier(s, "s-mx", "MX");
  AddSupplier(s, "s-tw", "TW");
  AddSupplier(s, "s-us2", "US");

  const int32_t tray = AddComponent(s, Tray("tray"));
  const int32_t shelf = AddComponent(s, Shelf("shelf"));
  model::Component cdu;
  cdu.id = "cdu";
  cdu.name = "cdu";
  cdu.weight_kg = 40;
  cdu.height_u = 2;
  cdu.cooling_capacity_w = 10000;
  const int32_t cdu_idx = AddComponent(s, cdu);
  model::Component sw;
  sw.id = "switch";
  sw.name = "switch";
  sw.power_w = 500;
  sw.heat_air_w = 500;
  sw.weight_kg = 10;
  sw.height_u = 1;
  sw.ports_provided = 10;
  const int32_t sw_idx = AddComponent(s, sw);
  AddComponent(s, Shelf("shelf-us"));
  AddComponent(s, Tray("tray-us"));
  model::Component dense = Tray("tray-dense");
  dense.power_w = 4000;
  dense.heat_liquid_w = 3600;
  dense.heat_air_w = 400;
  dense.weight_kg = 50;
  dense.accelerators = 8;
  dense.ports_required = 4;
  AddComponent(s, dense);

  AddOffer(s, "s-tw", "tray", 1000, 0.25, 100);
  AddOffer(s, "s-us", "tray", 1300, 0, 300);
  AddOffer(s, "s-mx", "shelf", 200, 0.10, 50);
  AddOffer(s, "s-us", "cdu", 500, 0, 20);
  AddOffer(s, "s-mx", "cdu", 450, 0.10, 20);
  AddOffer(s, "s-tw", "switch", 300, 0.25, 10);
  AddOffer(s, "s-mx", "switch", 280, 0.10, 30);
  AddOffer(s, "s-us", "shelf-us", 260, 0, 40);
  AddOffer(s, "s-us2", "shelf-us", 270, 0, 40);
  AddOffer(s, "s-us", "tray-us", 1350, 0, 100);
  AddOffer(s, "s-tw", "tray-dense", 2200, 0.25, 50);
  AddOffer(s, "s-us", "tray-dense", 2500, 0, 50);

  model::Design d;
  d.id = "d1";
  d.name = "Design one";
  d.meets = 0;
  d.available_from_week = 5;
  d.test_hours = 4;
  d.bom = {{tray, 4}, {shelf, 3}, {cdu_idx, 1}, {sw_idx, 1}};
  d.busbar_voltage_v = 50;
  d.busbar_rating_a = 250;
  d.redundant_power_shelves = 1;
  d.coolant_delta_t_c = 10;
  d.max_air_heat_w = 2000;
  d.rack_units = 12;
  d.max_weight_kg = 300;
  d.footprint_m2 = 0.5;
  s.designs.push_back(d);
  return s;
}

/// Component index by id (-1 when absent).
inline int32_t ComponentIndex(const model::Scenario& s, const std::string& id) {
  for (size_t i = 0; i < s.components.size(); ++i) {
    if (s.components[i].id == id) return static_cast<int32_t>(i);
  }
  return -1;
}

}  // namespace rackforge::testing
