// Component lines in the plan model: makec columns, the cline row, the parts row terms of made
// components and their parts (one and two levels), the in-house cost, the domestic row with the
// value added, component_line expansions, bottlenecks, and PlanModel outages and fixing.
//
// The shelf case, on top of plan_fixture.h's base (H = 4, line l 10 racks/week at $100, lane $5,
// firm demand 8 racks at week 1, penalties $1000/rack-week): design g needs 2 power shelves
// (component 0, no offer: made only); component line m at plant p makes shelves, 30 units/week at
// $1/unit; one shelf = 2 psu (component 1, supplier s, US, $3) + 1 chassis (component 2, supplier
// s2, MX, $2, no tariff). A shelf costs 1 + 2·3 + 2 = $9, a rack 2·9 + 100 + 5 = $123.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "plan/plan.h"
#include "plan/plan_model.h"
#include "unit/plan/plan_fixture.h"

namespace rackforge::plan {
namespace {

using model::NodeKind;
constexpr double kTol = 1e-6;

int32_t AddBoughtComponent(model::Scenario& s, const std::string& id, int32_t supplier, double cost_usd) {
  model::Component c;
  c.id = id;
  c.offers = {static_cast<int32_t>(s.offers.size())};
  c.offer_rows_in_file = 1;
  s.components.push_back(c);
  model::Offer o;
  o.supplier = supplier;
  o.component = static_cast<int32_t>(s.components.size()) - 1;
  o.unit_cost_usd = cost_usd;
  o.capacity_per_week = 1000;
  s.offers.push_back(o);
  return o.component;
}

/// Adds a component line at plant 0 (existing, or an expansion when capex_usd >= 0); fills made_by.
int32_t AddComponentLine(model::Scenario& s, const std::string& id, std::vector<int32_t> components, double upw,
                         double cost_usd, double capex_usd = -1) {
  model::ComponentLine m;
  m.id = id;
  m.plant = 0;
  m.components = std::move(components);
  m.units_per_week = upw;
  m.cost_usd_per_unit = cost_usd;
  const int32_t index = static_cast<int32_t>(s.component_lines.size());
  if (capex_usd >= 0) {
    model::Expansion e;
    e.id = id;
    e.plant = 0;
    e.kind = model::ExpansionKind::kComponentLine;
    e.capex_usd = capex_usd;
    e.component_line = index;
    m.expansion = static_cast<int32_t>(s.expansions.size());
    m.start_week = e.active_from_week();
    s.expansions.push_back(e);
    s.plants[0].expansion_component_lines.push_back(index);
  } else {
    s.plants[0].component_lines.push_back(index);
  }
  for (int32_t c : m.components) s.components[c].made_by.push_back(index);
  s.component_lines.push_back(m);
  return index;
}

model::Scenario ShelfScenario(double line_units_per_week = 30) {
  model::Scenario s = testing::BaseScenario();
  s.components[0].id = "shelf";
  s.components[0].offers.clear();
  s.components[0].offer_rows_in_file = 0;
  s.suppliers.push_back({"s2", "S2 SA", "MX", "", 4, 0.0});
  s.offers[0].component = 1;  // supplier s now sells psu
  s.offers[0].unit_cost_usd = 3;
  model::Component psu;
  psu.id = "psu";
  psu.offers = {0};
  psu.offer_rows_in_file = 1;
  s.components.push_back(psu);
  AddBoughtComponent(s, "chassis", 1, 2);
  s.components[0].parts = {{1, 2}, {2, 1}};
  AddComponentLine(s, "m", {0}, line_units_per_week, 1);
  return s;
}

PlanResult Solve(const model::Scenario& s, PlanOptions options = {}) {
  PlanResult r = SolvePlan(s, options);
  EXPECT_EQ(r.status, solver::SolveStatus::kOptimal);
  EXPECT_TRUE(r.has_solution);
  EXPECT_NEAR(r.cost.total(), r.objective_usd, 1e-9 * std::max(1.0, r.objective_usd));
  return r;
}

double Made(const PlanResult& r, int32_t line, int32_t component) {
  double units = 0;
  for (int32_t t = 0; t < r.weeks; ++t) units += r.makec[r.MakecIndex(line, component, t)];
  return units;
}

double Bought(const PlanResult& r, int32_t offer) {
  double units = 0;
  for (int32_t t = 0; t < r.weeks; ++t) units += r.BuyAllPlants(offer, t);
  return units;
}

/// The parts row recomputed from the result at every (component, plant, week), lead times and
/// transits included: cinv[t] − cinv[t−1] = arrivals + made + transfers in − transfers out − used by
/// racks − used by lines.
void ExpectPartsBalance(const model::Scenario& s, const PlanResult& r) {
  const std::vector<model::SupplyLane> lanes = model::SupplyLanes(s);
  for (size_t c = 0; c < s.components.size(); ++c) {
    for (int32_t p = 0; p < r.plants; ++p) {
      double previous = model::OnHandUnits(s, p, static_cast<int32_t>(c));
      for (int32_t t = 0; t < r.weeks; ++t) {
        double flow = 0;
        for (int32_t o : s.components[c].offers) {
          for (const model::SupplyLane& sl : lanes) {
            if (sl.supplier != s.offers[o].supplier || sl.plant != p) continue;
            const int32_t order = t - s.offers[o].lead_time_weeks - sl.transit_weeks;
            if (order >= 0) flow += r.buy[r.BuyIndex(o, p, order)];
          }
        }
        for (size_t m = 0; m < s.component_lines.size(); ++m) {
          const model::ComponentLine& line = s.component_lines[m];
          if (line.plant != p) continue;
          for (int32_t made : line.components) {
            const double units = r.makec[r.MakecIndex(static_cast<int32_t>(m), made, t)];
            if (made == static_cast<int32_t>(c)) flow += units;
            for (const model::BomEntry& part : s.components[made].parts) {
              if (part.component == static_cast<int32_t>(c)) flow -= part.qty * units;
            }
          }
        }
        for (size_t l = 0; l < s.lines.size(); ++l) {
          if (s.lines[l].plant != p) continue;
          for (int32_t g : s.lines[l].designs) {
            for (const model::BomEntry& b : s.designs[g].bom) {
              if (b.component == static_cast<int32_t>(c))
                flow -= b.qty * r.make[r.MakeIndex(static_cast<int32_t>(l), g, t)];
            }
          }
        }
        for (size_t x = 0; x < s.transfers.size(); ++x) {
          const model::Transfer& tr = s.transfers[x];
          if (tr.component != static_cast<int32_t>(c)) continue;
          if (tr.from_plant == p) flow -= r.xfer[r.XferIndex(static_cast<int32_t>(x), t)];
          if (tr.to_plant == p && t >= tr.transit_weeks) {
            flow += r.xfer[r.XferIndex(static_cast<int32_t>(x), t - tr.transit_weeks)];
          }
        }
        const double now = r.cinv[r.CinvIndex(static_cast<int32_t>(c), p, t)];
        EXPECT_NEAR(now - previous, flow, 1e-6) << s.components[c].id << " plant " << p << " week " << t;
        EXPECT_GE(now, -1e-9);
        previous = now;
      }
    }
  }
}

// 8 racks = 16 shelves made = 32 psu ($96, US) + 16 chassis ($32, MX) bought; in-house $16;
// 8 x $123 = $984. Domestic share = (96 + 16) / (128 + 16) = 112 / 144: the value added of a
// US plant counts on both sides.
TEST(PlanComponentLines, MadeShelfFromTwoBoughtParts) {
  const model::Scenario s = ShelfScenario();
  const PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 984, kTol);
  EXPECT_NEAR(r.cost.in_house, 16, kTol);
  EXPECT_NEAR(r.cost.components, 128, kTol);
  EXPECT_NEAR(r.cost.production, 800, kTol);
  EXPECT_NEAR(r.cost.transport, 40, kTol);
  EXPECT_EQ(r.components, 3);
  EXPECT_NEAR(Made(r, 0, 0), 16, kTol);
  ASSERT_EQ(r.units_made.size(), 3u);
  EXPECT_NEAR(r.units_made[0], 16, kTol);
  EXPECT_NEAR(r.units_made[1], 0, kTol);
  EXPECT_NEAR(Bought(r, 0), 32, kTol);
  EXPECT_NEAR(Bought(r, 1), 16, kTol);
  EXPECT_NEAR(r.domestic_content, 112.0 / 144.0, kTol);
  EXPECT_NEAR(r.racks_built, 8, kTol);
  EXPECT_TRUE(r.late_demand.empty());
  ExpectPartsBalance(s, r);
}

// Make or buy: shelves are also sold by s2 (MX) at $8.50 < $9 in-house. Without a floor all 16
// are bought ($984 − 16 x 0.5 = $976). With a domestic floor of 0.5 and x shelves made: D = 7x
// (psu $6 + value added $1 per shelf), T = 9x + 8.5 (16 − x) = 136 + 0.5x, D ≥ 0.5 T gives
// x ≥ 68 / 6.75; the cost 800 + 40 + 136 + 0.5x is least at x = 68 / 6.75.
TEST(PlanComponentLines, DomesticFloorCountsValueAdded) {
  model::Scenario s = ShelfScenario();
  s.offers.push_back({1, 0, 8.5, 1000, 0, 0, 0.0, std::nullopt});
  s.components[0].offers = {2};
  s.components[0].offer_rows_in_file = 1;
  const PlanResult buy_all = Solve(s);
  EXPECT_NEAR(buy_all.objective_usd, 976, kTol);
  EXPECT_NEAR(Made(buy_all, 0, 0), 0, kTol);
  s.policy.domestic_content_min = 0.5;
  const PlanResult r = Solve(s);
  const double x = 68.0 / 6.75;
  EXPECT_NEAR(Made(r, 0, 0), x, kTol);
  EXPECT_NEAR(Bought(r, 2), 16 - x, kTol);
  EXPECT_NEAR(r.objective_usd, 976 + 0.5 * x, kTol);
  EXPECT_NEAR(r.cost.in_house, x, kTol);
  EXPECT_NEAR(r.domestic_content, 0.5, kTol);
  ExpectPartsBalance(s, r);
  // The same floor through PlanModel::SetDomesticContentMin (the sweep's path) gives the same optimum.
  s.policy.domestic_content_min = 0;
  PlanModel model(s, {});
  model.SetDomesticContentMin(0.5);
  EXPECT_NEAR(model.Solve().objective_usd, 976 + 0.5 * x, kTol);
}

// Two levels: the line makes shelves and bricks (one capacity, 36 units/week); shelf = 2 bricks +
// 1 chassis ($2), brick = 3 raw ($1, US). A brick costs 1 + 3 = $4, a shelf 1 + 8 + 2 = $11, a
// rack 22 + 105 = $127, and takes 2 + 4 = 6 units of line capacity: 6 racks a week. Demand 15 at
// week 1: 12 on time (weeks 0-1), 3 one week late: 15 x 127 + 3 x 1000 = 4905. One more unit of
// line capacity in week 0 or 1 brings 1/6 rack forward a week: dual 1000 / 6.
TEST(PlanComponentLines, TwoLevelBomAndComponentLineBottleneck) {
  model::Scenario s = testing::BaseScenario();
  s.components[0].id = "shelf";
  s.components[0].offers.clear();
  s.components[0].offer_rows_in_file = 0;
  s.suppliers.push_back({"s2", "S2 SA", "MX", "", 4, 0.0});
  s.offers.clear();
  const int32_t raw = AddBoughtComponent(s, "raw", 0, 1);
  const int32_t chassis = AddBoughtComponent(s, "chassis", 1, 2);
  model::Component brick;
  brick.id = "brick";
  brick.parts = {{raw, 3}};
  s.components.push_back(brick);
  const int32_t b = static_cast<int32_t>(s.components.size()) - 1;
  s.components[0].parts = {{b, 2}, {chassis, 1}};
  AddComponentLine(s, "m", {0, b}, 36, 1);
  s.demand[0].racks = 15;
  const PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 4905, kTol);
  EXPECT_NEAR(Made(r, 0, 0), 30, kTol);
  EXPECT_NEAR(Made(r, 0, b), 60, kTol);
  EXPECT_NEAR(Bought(r, 0), 180, kTol);
  EXPECT_NEAR(Bought(r, 1), 30, kTol);
  EXPECT_NEAR(r.cost.in_house, 90, kTol);
  EXPECT_NEAR(r.backlog_rack_weeks[1], 3, kTol);
  ExpectPartsBalance(s, r);
  ASSERT_FALSE(r.bottlenecks.empty());
  const Bottleneck& top = r.bottlenecks.front();
  EXPECT_EQ(top.kind, BottleneckKind::kComponentLine);
  EXPECT_STREQ(ToString(top.kind), "component_line");
  EXPECT_EQ(top.node, "line:m");
  EXPECT_EQ(top.first_week, 0);
  EXPECT_EQ(top.last_week, 1);
  EXPECT_NEAR(top.dual_usd_per_unit, 1000.0 / 6.0, kTol);
  EXPECT_FALSE(top.relief.has_value());
  EXPECT_EQ(top.text.rfind("component line m at plant p (makes shelf, brick), weeks 0-1: ", 0), 0u) << top.text;
  ASSERT_EQ(r.late_demand.size(), 1u);
  EXPECT_EQ(r.late_demand[0].held_back_by, std::vector<std::string>{"line:m"});
}

/// Late demand across plants: part c (no offer) is made only at plant w (no rack line) by component
/// line m ($1/unit, `units_per_week`) and moved to p by transfer w->p ($1/unit, `transit` weeks).
model::Scenario MadeAtWMovedToP(double units_per_week, int32_t transit) {
  model::Scenario s = testing::BaseScenario();
  s.offers.clear();
  s.components[0].offers.clear();
  s.components[0].offer_rows_in_file = 0;
  model::Plant w = s.plants[0];
  w.id = "w";
  w.lines = {};
  w.component_lines = {0};
  s.plants.push_back(w);
  model::ComponentLine m;
  m.id = "m";
  m.plant = 1;
  m.components = {0};
  m.units_per_week = units_per_week;
  m.cost_usd_per_unit = 1;
  s.component_lines.push_back(m);
  s.components[0].made_by = {0};
  s.transfers.push_back({1, 0, 0, transit, 1});
  return s;
}

// The transit holds the demand back: 8 racks due in week 0 at p, whose parts are made at w and take
// 1 week to p. Nothing reaches p before week 1, so the 8 racks are built in week 1, 1 week late:
// 16 x (1 + 1) + 8 x 105 + 8 x 1000 = 8872. Neither line binds (m 100 units/week, l 10 racks/week),
// no supplier is involved; what binds is the transit: a shelf at w in week 0 is worth $1 (one less
// to make), at p in week 0 about $500 (half a rack one week earlier), and no transfer column can
// close that gap. With transit 0 the racks are on time (872) and nothing is late.
TEST(PlanComponentLines, LateDemandNamesTheTransferWhoseTransitHoldsItBack) {
  model::Scenario s = MadeAtWMovedToP(100, 1);
  s.demand[0].week = 0;
  const PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 8872, kTol);
  EXPECT_NEAR(r.backlog_rack_weeks[1], 8, kTol);
  EXPECT_NEAR(r.xfer[r.XferIndex(0, 0)], 16, kTol);
  ExpectPartsBalance(s, r);
  ASSERT_EQ(r.late_demand.size(), 1u);
  EXPECT_EQ(r.late_demand[0].held_back_by, std::vector<std::string>{"transfer:w->p:c"});
  EXPECT_NE(r.late_demand[0].text.find("held back most by transfer:w->p:c (100 %)"), std::string::npos)
      << r.late_demand[0].text;

  model::Scenario instant = MadeAtWMovedToP(100, 0);
  instant.demand[0].week = 0;
  const PlanResult on_time = Solve(instant);
  EXPECT_NEAR(on_time.objective_usd, 872, kTol);
  EXPECT_TRUE(on_time.late_demand.empty());
}

// The component line at the other plant holds the demand back: m makes 10 shelves a week (5 racks),
// the transfer is instant. 15 racks due in week 1 need 30 shelves; weeks 0-1 make 20 (10 racks on
// time, built in weeks 0-1), week 2 the last 10 (5 racks 1 week late): 30 x 2 + 15 x 105 + 5 x 1000
// = 6635. m's row binds in weeks 0-1 (its plant w ships nothing to the site: it is named through the
// transfer that feeds p); the transit-0 transfer itself holds nothing back and is not named.
TEST(PlanComponentLines, LateDemandNamesTheComponentLineOfTheSendingPlant) {
  model::Scenario s = MadeAtWMovedToP(10, 0);
  s.demand[0].racks = 15;
  const PlanResult r = Solve(s);
  EXPECT_NEAR(r.objective_usd, 6635, kTol);
  EXPECT_NEAR(r.backlog_rack_weeks[1], 5, kTol);
  EXPECT_NEAR(Made(r, 0, 0), 30, kTol);
  ExpectPartsBalance(s, r);
  ASSERT_EQ(r.late_demand.size(), 1u);
  EXPECT_EQ(r.late_demand[0].held_back_by, std::vector<std::string>{"line:m"});
}

// The existing line makes 4 shelves a week (2 racks): 4 racks on time, 2 in week 2 (1 week late),
// 2 in week 3 (2 weeks late): 6 rack-weeks, 984 + 6000 = 6984. A component_line expansion x
// (30 units/week from week 0, $1/unit) serves all 8 on time for its capex: 984 + capex. It is
// opened at capex $500 (1484 < 6984), not at $10,000 (6984 < 10,984).
TEST(PlanComponentLines, ExpansionOpenedWhenItPays) {
  model::Scenario s = ShelfScenario(4);
  AddComponentLine(s, "x", {0}, 30, 1, 500);
  const PlanResult opened = Solve(s);
  EXPECT_NEAR(opened.objective_usd, 1484, kTol);
  EXPECT_EQ(opened.expansions_opened, std::vector<std::string>{"x"});
  EXPECT_NEAR(opened.cost.capex, 500, kTol);
  EXPECT_NEAR(Made(opened, 0, 0) + Made(opened, 1, 0), 16, kTol);
  ExpectPartsBalance(s, opened);

  s.expansions[0].capex_usd = 10000;
  const PlanResult closed = Solve(s);
  EXPECT_NEAR(closed.objective_usd, 6984, kTol);
  EXPECT_TRUE(closed.expansions_opened.empty());
  EXPECT_NEAR(Made(closed, 1, 0), 0, kTol);
  EXPECT_NEAR(closed.backlog_rack_weeks[1], 6, kTol);
  // The bottleneck is line m; the unopened expansion x makes what m makes, so it is the relief.
  const auto it = std::find_if(closed.bottlenecks.begin(), closed.bottlenecks.end(),
                               [](const Bottleneck& b) { return b.kind == BottleneckKind::kComponentLine; });
  ASSERT_NE(it, closed.bottlenecks.end());
  EXPECT_EQ(it->node, "line:m");
  ASSERT_TRUE(it->relief.has_value());
  EXPECT_EQ(it->relief->expansion, "x");
  EXPECT_FALSE(it->relief->opened);
  EXPECT_NEAR(it->relief->capex_usd, 10000, kTol);
}

// An expansion component line has no capacity unless opened: the cline row carries open[e]. With
// the only shelf line an unaffordable expansion (capex $1e9) nothing is built: 8 racks owed in
// weeks 1-3, 24 rack-weeks = $24,000.
TEST(PlanComponentLines, ExpansionLineNeedsOpen) {
  model::Scenario s = ShelfScenario(0);
  AddComponentLine(s, "x", {0}, 30, 1, 1e9);
  const PlanResult r = Solve(s);
  EXPECT_TRUE(r.expansions_opened.empty());
  EXPECT_NEAR(r.racks_built, 0, kTol);
  EXPECT_NEAR(Made(r, 1, 0), 0, kTol);
  EXPECT_NEAR(r.objective_usd, 24000, kTol);
}

// A component_line expansion adds no test hours: a test bottleneck at its plant has no relief.
TEST(PlanComponentLines, TestBottleneckIsNotRelievedByAComponentLineExpansion) {
  model::Scenario s = ShelfScenario();
  s.plants[0].test_hours_per_cell_week = 10;  // 5 racks a week: with 15 owed in week 1 the test row binds
  s.demand[0].racks = 15;
  AddComponentLine(s, "x", {0}, 30, 1, 1e6);
  const PlanResult r = Solve(s);
  EXPECT_TRUE(r.expansions_opened.empty());
  const auto it = std::find_if(r.bottlenecks.begin(), r.bottlenecks.end(),
                               [](const Bottleneck& b) { return b.kind == BottleneckKind::kTest; });
  ASSERT_NE(it, r.bottlenecks.end());
  EXPECT_FALSE(it->relief.has_value()) << it->relief->expansion;
}

// Outages in PlanModel: component line m out in weeks 0-1 -> no shelves until week 2, all 8 racks
// one week late: 984 + 8000. A plant outage also stops its component lines.
TEST(PlanComponentLines, OutageOfAComponentLine) {
  PlanModel m(ShelfScenario(), {});
  EXPECT_NEAR(m.Solve().objective_usd, 984, kTol);
  m.SetOutage({NodeKind::kComponentLine, 0}, 0, 2);
  const PlanResult out = m.Solve();
  EXPECT_NEAR(out.objective_usd, 8984, kTol);
  for (int32_t t = 0; t < 2; ++t) EXPECT_NEAR(out.makec[out.MakecIndex(0, 0, t)], 0, kTol) << t;
  m.ClearOutages();
  EXPECT_NEAR(m.Solve().objective_usd, 984, kTol);
  m.SetOutage({NodeKind::kPlant, 0}, 0, 2);
  const PlanResult plant_out = m.Solve();
  EXPECT_NEAR(plant_out.objective_usd, 8984, kTol);
  for (int32_t t = 0; t < 2; ++t) EXPECT_NEAR(plant_out.makec[plant_out.MakecIndex(0, 0, t)], 0, kTol) << t;
}

// FixBefore fixes makec like make: a baseline that makes all 16 shelves in week 0 (parts bought in
// week 0, no racks that week) is kept in week 0, so the shelves wait a week at $1/shelf-week:
// 984 + 16. Left free, the shelves would be made in week 1 (984).
TEST(PlanComponentLines, FixBeforeFixesMakec) {
  model::Scenario s = ShelfScenario();
  s.components[0].holding_usd_per_week = 1;
  PlanModel m(s, {});
  PlanResult baseline = m.Solve();
  ASSERT_NEAR(baseline.objective_usd, 984, kTol);
  for (size_t i = 0; i < baseline.make.size(); i += baseline.weeks) baseline.make[i] = 0;
  for (size_t i = 0; i < baseline.ship.size(); i += baseline.weeks) baseline.ship[i] = 0;
  for (size_t i = 0; i < baseline.makec.size(); i += baseline.weeks) baseline.makec[i] = 0;
  baseline.buy[baseline.BuyIndex(0, 0, 0)] = 32;
  baseline.buy[baseline.BuyIndex(1, 0, 0)] = 16;
  baseline.makec[baseline.MakecIndex(0, 0, 0)] = 16;
  m.FixBefore(baseline, 1);
  const PlanResult r = m.Solve();
  EXPECT_NEAR(r.objective_usd, 1000, kTol);
  EXPECT_NEAR(r.makec[r.MakecIndex(0, 0, 0)], 16, kTol);
  EXPECT_NEAR(r.cinv[r.CinvIndex(0, 0, 0)], 16, kTol);
}

}  // namespace
}  // namespace rackforge::plan
