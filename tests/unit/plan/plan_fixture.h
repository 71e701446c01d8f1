#pragma once
// Scenarios built in C++ for the plan tests and the plan benchmark (no loader):
// a one-of-everything base case whose optimum is easy to derive by hand, and
// a synthetic generator for larger instances (invariants, benchmarks).

#include <cstdint>
#include <random>
#include <string>

#include "io/generate.h"
#include "model/scenario.h"

namespace rackforge::testing {

/// The small generated shape of the whole-quantity, table and sweep tests: 3 plants, 2 designs,
/// 14 components, 8 suppliers, 16 weeks, 3 sites (a test adds the v2 features it needs).
inline io::GenerateOptions SmallGenerated(uint64_t seed) {
  io::GenerateOptions o;
  o.plants = 3;
  o.designs = 2;
  o.components = 14;
  o.suppliers = 8;
  o.weeks = 16;
  o.sites = 3;
  o.seed = seed;
  return o;
}

/// H = 4 weeks; design g (test 2 h, BOM 2 x component c); supplier s (US) offers c
/// at $10, 100/week, lead 0; plant p (1 cell x 1000 h) with line l (10 racks/week,
/// $100/rack); site d with lane p->d (transit 0, $5/rack); firm demand 8 racks at
/// week 1; every backlog penalty $1000/rack-week. A rack costs 2*10 + 100 + 5 = $125.
inline model::Scenario BaseScenario() {
  model::Scenario s;
  s.name = "base";
  s.horizon_weeks = 4;
  s.policy.backlog_penalty.usd_per_rack_week = {1000, 1000, 1000};
  model::Design g;
  g.id = "g";
  g.test_hours = 2;
  g.bom = {{0, 2}};
  s.designs.push_back(g);
  model::Component c;
  c.id = "c";
  c.offers = {0};
  c.offer_rows_in_file = 1;
  s.components.push_back(c);
  s.suppliers.push_back({"s", "S Inc", "US", "WI", 2, 0.0});
  model::Offer o;
  o.supplier = 0;
  o.component = 0;
  o.unit_cost_usd = 10;
  o.capacity_per_week = 100;
  s.offers.push_back(o);
  model::Plant p;
  p.id = "p";
  p.test_cells = 1;
  p.test_hours_per_cell_week = 1000;
  p.lines = {0};
  s.plants.push_back(p);
  model::Line l;
  l.id = "l";
  l.plant = 0;
  l.designs = {0};
  l.racks_per_week = 10;
  l.cost_usd_per_rack = 100;
  s.lines.push_back(l);
  s.sites.push_back({"d", "Site D", "TX", "buyer"});
  s.lanes.push_back({0, 0, 0, 5});
  s.demand.push_back({0, 0, 1, model::DemandKind::kFirm, 8, 1});
  return s;
}

/// Adds a second offer for component 0 (and a second supplier) and sets
/// offer_rows_in_file = 2. Returns the offer index.
inline int32_t AddSecondOffer(model::Scenario& s, const std::string& country, double cost_usd, double tariff) {
  s.suppliers.push_back({"s2", "S2 Ltd", country, "", 4, 0.0});
  model::Offer o;
  o.supplier = static_cast<int32_t>(s.suppliers.size()) - 1;
  o.component = 0;
  o.unit_cost_usd = cost_usd;
  o.capacity_per_week = 100;
  o.tariff_rate = tariff;
  s.offers.push_back(o);
  s.components[0].offers.push_back(static_cast<int32_t>(s.offers.size()) - 1);
  s.components[0].offer_rows_in_file = 2;
  return static_cast<int32_t>(s.offers.size()) - 1;
}

/// Adds an expansion line at plant 0 (line id == expansion id). Returns the expansion index.
inline int32_t AddExpansionLine(model::Scenario& s, double capex_usd, int32_t earliest, int32_t lead, double rpw) {
  model::Expansion e;
  e.id = "x" + std::to_string(s.expansions.size());
  e.plant = 0;
  e.kind = model::ExpansionKind::kLine;
  e.capex_usd = capex_usd;
  e.earliest_week = earliest;
  e.lead_time_weeks = lead;
  e.line = static_cast<int32_t>(s.lines.size());
  model::Line l;
  l.id = e.id;
  l.plant = 0;
  l.designs = {0};
  l.racks_per_week = rpw;
  l.start_week = earliest + lead;
  l.cost_usd_per_rack = 100;
  l.expansion = static_cast<int32_t>(s.expansions.size());
  s.lines.push_back(l);
  s.plants[0].expansion_lines.push_back(e.line);
  s.expansions.push_back(e);
  return static_cast<int32_t>(s.expansions.size()) - 1;
}

/// Adds a test-cell expansion at plant 0. Returns the expansion index.
inline int32_t AddExpansionCells(model::Scenario& s, double capex_usd, int32_t earliest, int32_t lead, double cells) {
  model::Expansion e;
  e.id = "cells" + std::to_string(s.expansions.size());
  e.plant = 0;
  e.kind = model::ExpansionKind::kTestCells;
  e.capex_usd = capex_usd;
  e.earliest_week = earliest;
  e.lead_time_weeks = lead;
  e.cells = cells;
  s.expansions.push_back(e);
  return static_cast<int32_t>(s.expansions.size()) - 1;
}

/// Size knobs of a synthetic scenario.
struct SyntheticSize {
  int32_t plants = 3;
  int32_t lines_per_plant = 2;
  int32_t designs = 3;
  int32_t components = 8;
  int32_t suppliers = 5;
  int32_t sites = 4;
  int32_t weeks = 26;
  uint32_t seed = 1;
  /// Transfer rows from every plant p to p + 1 (mod plants) of every component: transit c % 2, $5 + c per unit.
  bool transfers = false;
  /// Component lines (components >= 8, plants >= 2): c2 = 2 x c3 + 1 x c5 and c3 = 1 x c7
  /// (component_boms, two levels); plant 0 makes c2 and c3 (one capacity), every other plant c2;
  /// plus a component_line expansion at plant 1 making c2.
  bool component_lines = false;
};

/// A random but valid scenario: every design has a BOM of 3 components, every
/// component 1-2 offers, lanes from every plant to every site, firm/option/
/// evaluation demand, a line and a test-cell expansion, one partial disruption.
inline model::Scenario SyntheticScenario(const SyntheticSize& n) {
  std::mt19937 rng(n.seed);
  auto uni = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); };
  auto pick = [&](int32_t count) { return std::uniform_int_distribution<int32_t>(0, count - 1)(rng); };
  model::Scenario s;
  s.name = "synthetic";
  s.horizon_weeks = n.weeks;
  s.policy.backlog_penalty.usd_per_rack_week = {20000, 50000, 8000};
  s.policy.rack_holding_usd_per_week = 300;
  s.policy.domestic_content_min = 0.3;
  s.policy.max_supplier_share = 0.8;
  s.policy.capex_budget_usd = 5e7;
  for (int32_t i = 0; i < n.suppliers; ++i) {
    s.suppliers.push_back({"s" + std::to_string(i), "Co", i % 2 == 0 ? "US" : "MX", "", 3, 0.01});
  }
  std::vector<double> stock(n.components);
  for (int32_t c = 0; c < n.components; ++c) {
    model::Component comp;
    comp.id = "c" + std::to_string(c);
    stock[c] = uni(0, 50);
    comp.holding_usd_per_week = uni(1, 20);
    const int32_t offers = 1 + c % 2;
    comp.offer_rows_in_file = offers;
    for (int32_t k = 0; k < offers; ++k) {
      model::Offer o;
      o.supplier = (c + k * 3) % n.suppliers;
      o.component = c;
      o.unit_cost_usd = uni(500, 20000);
      o.capacity_per_week = uni(200, 2000);
      o.lead_time_weeks = pick(4);
      o.available_from_week = pick(3);
      o.tariff_rate = s.suppliers[o.supplier].domestic() ? 0.0 : 0.25;
      comp.offers.push_back(static_cast<int32_t>(s.offers.size()));
      s.offers.push_back(o);
    }
    s.components.push_back(comp);
  }
  for (int32_t g = 0; g < n.designs; ++g) {
    model::Design d;
    d.id = "g" + std::to_string(g);
    d.available_from_week = g;
    d.test_hours = uni(4, 12);
    for (int32_t k = 0; k < 3; ++k) d.bom.push_back({(g * 3 + k) % n.components, static_cast<double>(1 + k)});
    s.designs.push_back(d);
  }
  for (int32_t p = 0; p < n.plants; ++p) {
    model::Plant plant;
    plant.id = "p" + std::to_string(p);
    plant.test_cells = 4;
    plant.test_hours_per_cell_week = 100;
    for (int32_t k = 0; k < n.lines_per_plant; ++k) {
      model::Line l;
      l.id = plant.id + "-l" + std::to_string(k);
      l.plant = p;
      for (int32_t g = 0; g < n.designs; ++g) {
        if ((g + k) % 2 == 0 || n.designs == 1) l.designs.push_back(g);
      }
      if (l.designs.empty()) l.designs.push_back(0);
      l.racks_per_week = uni(20, 60);
      l.start_week = pick(4);
      l.ramp_weeks = pick(6);
      l.ramp_start_fraction = 0.3;
      l.cost_usd_per_rack = uni(2000, 6000);
      plant.lines.push_back(static_cast<int32_t>(s.lines.size()));
      s.lines.push_back(l);
    }
    s.plants.push_back(plant);
  }
  const int32_t x = AddExpansionLine(s, 2e7, 2, 4, 40);
  s.lines[s.expansions[x].line].designs.clear();
  for (int32_t g = 0; g < n.designs; ++g) s.lines[s.expansions[x].line].designs.push_back(g);
  AddExpansionCells(s, 8e6, 1, 3, 2);
  for (int32_t d = 0; d < n.sites; ++d) {
    s.sites.push_back({"d" + std::to_string(d), "Site", "TX", "buyer"});
    for (int32_t p = 0; p < n.plants; ++p) s.lanes.push_back({p, d, pick(3), uni(500, 3000)});
  }
  for (int32_t d = 0; d < n.sites; ++d) {
    for (int32_t g = 0; g < n.designs; ++g) {
      for (int32_t t = 0; t < n.weeks; t += 2) {
        const auto kind = static_cast<model::DemandKind>(pick(3));
        s.demand.push_back({d, g, t, kind, uni(2, 30), kind == model::DemandKind::kOption ? uni(0.2, 0.9) : 1.0});
      }
    }
  }
  s.disruptions.push_back({{model::NodeKind::kPlant, 0}, n.weeks / 3, 3, 0.5});
  // v2: stock at plant c % plants; supply lanes (a foreign supplier skips plant p when (i + p) % 3 == 0,
  // transit (i + p) % 2, $10 + i per unit); the first design phases out at 2/3 of the horizon; end penalty.
  for (int32_t c = 0; c < n.components; ++c) s.on_hand.push_back({c % n.plants, c, stock[c]});
  s.supply_lanes.emplace();
  for (int32_t i = 0; i < n.suppliers; ++i) {
    for (int32_t p = 0; p < n.plants; ++p) {
      if (!s.suppliers[i].domestic() && n.plants > 1 && (i + p) % 3 == 0) continue;
      s.supply_lanes->push_back({i, p, (i + p) % 2, 10.0 + i});
    }
  }
  if (n.designs > 1) s.designs[0].last_build_week = 2 * n.weeks / 3;
  s.policy.end_backlog_penalty_usd_per_rack = {60000, 150000, 24000};
  for (int32_t p = 0; n.transfers && n.plants > 1 && p < n.plants; ++p) {
    for (int32_t c = 0; c < n.components; ++c) s.transfers.push_back({p, (p + 1) % n.plants, c, c % 2, 5.0 + c});
  }
  if (n.component_lines && n.components >= 8 && n.plants >= 2) {
    s.components[2].parts = {{3, 2}, {5, 1}};
    s.components[3].parts = {{7, 1}};
    auto add = [&](int32_t p, std::vector<int32_t> made, int32_t expansion) {
      model::ComponentLine m;
      m.id = "p" + std::to_string(p) + (expansion >= 0 ? "-mx" : "-m");
      m.plant = p;
      m.components = std::move(made);
      m.units_per_week = uni(30, 120);
      m.start_week = expansion >= 0 ? s.expansions[expansion].active_from_week() : pick(3);
      m.ramp_weeks = 2;
      m.ramp_start_fraction = 0.5;
      m.cost_usd_per_unit = uni(200, 2000);
      m.expansion = expansion;
      const int32_t index = static_cast<int32_t>(s.component_lines.size());
      for (int32_t c : m.components) s.components[c].made_by.push_back(index);
      (expansion >= 0 ? s.plants[p].expansion_component_lines : s.plants[p].component_lines).push_back(index);
      s.component_lines.push_back(std::move(m));
      return index;
    };
    add(0, {2, 3}, -1);
    for (int32_t p = 1; p < n.plants; ++p) add(p, {2}, -1);
    model::Expansion e;
    e.id = "p1-mx";
    e.plant = 1;
    e.kind = model::ExpansionKind::kComponentLine;
    e.capex_usd = 3e6;
    e.earliest_week = 2;
    e.lead_time_weeks = 3;
    s.expansions.push_back(e);
    s.expansions.back().component_line = add(1, {2}, static_cast<int32_t>(s.expansions.size()) - 1);
  }
  return s;
}

}  // namespace rackforge::testing
