#pragma once
// Hand-built tiny scenarios for the risk tests: `plants` plants with one line
// each (10 racks/week), one design (test 1 h, BOM 2 x part), one supplier, one
// site 1 week away, firm demand 10 racks per plant in weeks 1..H-1, and the
// baseline plan written by hand (build 10 per line in weeks 0..H-2, ship at once).

#include <string>

#include "model/scenario.h"
#include "plan/plan.h"

namespace rackforge::risk::testing {

/// Sets the week-0 stock of component c at every plant to `units` (on_hand.csv rows).
inline void SetStockAtEveryPlant(model::Scenario& s, int32_t c, double units) {
  for (model::OnHand& h : s.on_hand) {
    if (h.component == c) h.units = units;
  }
}

inline model::Scenario TinyScenario(int plants, int weeks = 6) {
  model::Scenario s;
  s.name = "tiny";
  s.horizon_weeks = weeks;
  s.policy.backlog_penalty.usd_per_rack_week = {100, 100, 100};
  s.target = {{0, 10.0 * plants}};
  s.requirements.push_back({"req", "g1", 0, 0, 0, 0});
  model::Design d;
  d.id = "rack";
  d.meets = 0;
  d.test_hours = 1;
  d.bom = {{0, 2}};
  s.designs.push_back(d);
  model::Component c;
  c.id = "part";
  c.offers = {0};
  c.offer_rows_in_file = 1;
  s.components.push_back(c);
  s.suppliers.push_back({"sup", "Sup Inc", "US", "OH", 3, 0.0});
  s.offers.push_back({0, 0, 50.0, 1000.0, 1, 0, 0.0, std::nullopt});
  s.sites.push_back({"site", "Site", "TX", "buyer"});
  for (int p = 0; p < plants; ++p) {
    model::Plant plant;
    plant.id = "p" + std::to_string(p);
    plant.us_state = p == 0 ? "WI" : "OH";
    plant.test_cells = 1;
    plant.test_hours_per_cell_week = 100;
    plant.recovery_weeks = 2;
    plant.lines = {p};
    s.plants.push_back(plant);
    model::Line line;
    line.id = "l" + std::to_string(p);
    line.plant = p;
    line.designs = {0};
    line.racks_per_week = 10;
    s.lines.push_back(line);
    s.lanes.push_back({p, 0, 1, 0.0});
    s.on_hand.push_back({p, 0, 2.0 * 10 * (weeks - 1)});  // every plant: parts for all its racks
  }
  for (int t = 1; t < weeks; ++t) {
    model::Demand dm;
    dm.site = 0;
    dm.design = 0;
    dm.week = t;
    dm.kind = model::DemandKind::kFirm;
    dm.racks = 10.0 * plants;
    s.demand.push_back(dm);
  }
  return s;
}

/// The optimal plan of TinyScenario, by hand: every line builds 10 racks in
/// weeks 0..H-2 and ships them the same week (they arrive one week later).
inline plan::PlanResult TinyBaseline(const model::Scenario& s) {
  plan::PlanResult b;
  b.status = solver::SolveStatus::kOptimal;
  b.has_solution = true;
  b.weeks = s.horizon_weeks;
  b.designs = static_cast<int32_t>(s.designs.size());
  b.plants = static_cast<int32_t>(s.plants.size());
  const size_t H = b.weeks, G = b.designs, K = model::kDemandKinds, P = b.plants;
  b.make.assign(s.lines.size() * G * H, 0.0);
  b.ship.assign(s.lanes.size() * G * K * H, 0.0);
  b.inv.assign(s.plants.size() * G * H, 0.0);
  b.back.assign(s.sites.size() * G * K * H, 0.0);
  b.buy.assign(s.offers.size() * P * H, 0.0);
  b.cinv.assign(s.components.size() * P * H, 0.0);
  b.opened.assign(s.expansions.size(), 0);
  b.racks_built_by_week.assign(H, 0.0);
  for (size_t l = 0; l < s.lines.size(); ++l) {
    for (int t = 0; t + 1 < b.weeks; ++t) {
      b.make[b.MakeIndex(l, 0, t)] = 10;
      b.ship[b.ShipIndex(l, 0, 1, t)] = 10;  // lane l belongs to plant l
      b.racks_built_by_week[t] += 10;
    }
  }
  return b;
}

}  // namespace rackforge::risk::testing
