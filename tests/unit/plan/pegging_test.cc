// Pegging (DESIGN.md "Whole quantities, pegging and re-planning", bullet
// "Pegging"): a hand-derived case with two plants and transit, option
// weighting, the tolerance rules, and invariants of solved plans (pegged racks
// = demand per cell, arrivals conserved, the owed racks match the backlog row).

#include "plan/pegging.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <stdexcept>
#include <tuple>

#include "io/scenario_loader.h"
#include "model/availability.h"
#include "plan/plan.h"
#include "unit/plan/plan_fixture.h"

namespace rackforge::plan {
namespace {

using model::DemandKind;

constexpr int kEval = static_cast<int>(DemandKind::kEvaluation);
constexpr int kFirm = static_cast<int>(DemandKind::kFirm);
constexpr int kOption = static_cast<int>(DemandKind::kOption);

// H = 6, one design g, one site d, plants p0 and p1. Lanes in the order
// p1->d (transit 2) then p0->d (transit 0), so lane order differs from plant
// order. Firm demand: week 1: 5; week 2: 3 + 1 (two rows, summed to 4);
// week 4: 6. Evaluation demand: 2 at week 5, never shipped.
model::Scenario TwoPlantScenario() {
  model::Scenario s;
  s.name = "pegging";
  s.start_week = "2026-W01";
  s.horizon_weeks = 6;
  model::Design g;
  g.id = "g";
  s.designs.push_back(g);
  model::Plant p0, p1;
  p0.id = "p0";
  p1.id = "p1";
  s.plants = {p0, p1};
  s.sites.push_back({"d", "Site D", "TX", "buyer"});
  s.lanes.push_back({1, 0, 2, 0});  // lane 0: p1 -> d, transit 2
  s.lanes.push_back({0, 0, 0, 0});  // lane 1: p0 -> d, transit 0
  s.demand.push_back({0, 0, 1, DemandKind::kFirm, 5, 1});
  s.demand.push_back({0, 0, 2, DemandKind::kFirm, 3, 1});
  s.demand.push_back({0, 0, 2, DemandKind::kFirm, 1, 1});
  s.demand.push_back({0, 0, 4, DemandKind::kFirm, 6, 1});
  s.demand.push_back({0, 0, 5, DemandKind::kEvaluation, 2, 1});
  return s;
}

size_t ShipAt(const model::Scenario& s, int32_t lane, int32_t kind, int32_t week) {
  return ((static_cast<size_t>(lane) * s.designs.size() + 0) * model::kDemandKinds + kind) * s.horizon_weeks + week;
}

std::vector<double> NoShipments(const model::Scenario& s) {
  return std::vector<double>(s.lanes.size() * s.designs.size() * model::kDemandKinds * s.horizon_weeks, 0.0);
}

// Firm shipments: p1 ships 4 in week 0 (arrives 2) and 5 in week 2 (arrives 4);
// p0 ships 3 in week 1 and 2 in week 2 (arrive the same weeks). Cumulative
// arrivals 3, 9, 14 at weeks 1, 2, 4 never exceed cumulative demand 5, 9, 15.
std::vector<double> TwoPlantShipments(const model::Scenario& s) {
  std::vector<double> ship = NoShipments(s);
  ship[ShipAt(s, 0, kFirm, 0)] = 4;
  ship[ShipAt(s, 0, kFirm, 2)] = 5;
  ship[ShipAt(s, 1, kFirm, 1)] = 3;
  ship[ShipAt(s, 1, kFirm, 2)] = 2;
  return ship;
}

void ExpectRow(const PeggingRow& row, int kind, int32_t demand_week, int32_t plant, int32_t ship_week,
               int32_t arrival_week, double racks, int32_t weeks_late) {
  EXPECT_EQ(static_cast<int>(row.kind), kind);
  EXPECT_EQ(row.site, 0);
  EXPECT_EQ(row.design, 0);
  EXPECT_EQ(row.demand_week, demand_week);
  EXPECT_EQ(row.plant, plant);
  EXPECT_EQ(row.ship_week, ship_week);
  EXPECT_EQ(row.arrival_week, arrival_week);
  EXPECT_NEAR(row.racks, racks, 1e-12);
  EXPECT_EQ(row.weeks_late, weeks_late);
}

// Derivation (FIFO): the firm arrivals, by arrival week then plant, are
//   week 1 p0 (shipped 1) 3;  week 2 p0 (shipped 2) 2;  week 2 p1 (shipped 0) 4;  week 4 p1 (shipped 2) 5.
// 3 serve demand week 1 (owed 5 -> 2), on time. The next 2 (p0 before p1 in
// week 2) close week 1, one week late. p1's 4 serve week 2 (owed 4 -> 0), on
// time. The 5 of week 4 serve week 4 (owed 6 -> 1), on time. 1 rack of week 4
// is owed at the end: weeks_late = H - 4 = 2. Evaluation: 2 racks of week 5
// never arrive: weeks_late = 6 - 5 = 1.
TEST(Pegging, HandDerivedTwoPlantsWithTransit) {
  const model::Scenario s = TwoPlantScenario();
  const std::vector<PeggingRow> rows = PegShipments(s, model::OptionDemandMode::kExpected, 6, TwoPlantShipments(s));
  ASSERT_EQ(rows.size(), 6u);
  ExpectRow(rows[0], kEval, 5, -1, -1, -1, 2, 1);
  ExpectRow(rows[1], kFirm, 1, 0, 1, 1, 3, 0);
  ExpectRow(rows[2], kFirm, 1, 0, 2, 2, 2, 1);
  ExpectRow(rows[3], kFirm, 2, 1, 0, 2, 4, 0);
  ExpectRow(rows[4], kFirm, 4, 1, 2, 4, 5, 0);
  ExpectRow(rows[5], kFirm, 4, -1, -1, -1, 1, 2);
  EXPECT_FALSE(rows[0].served());
  EXPECT_TRUE(rows[1].served());
}

// Firm: on time 3 + 4 + 5 = 12 of 15 racks = 0.8; lateness 2·1 + 1·2 = 4 rack-weeks
// over 15 racks. Evaluation: 0 of 2 on time, 2·1 / 2 = 1 week. Option: no demand.
TEST(Pegging, PromiseFiguresHandChecked) {
  const model::Scenario s = TwoPlantScenario();
  const PromiseFigures f =
      SummarizePegging(PegShipments(s, model::OptionDemandMode::kExpected, 6, TwoPlantShipments(s)));
  ASSERT_TRUE(f.on_time_share[kFirm] && f.mean_weeks_late[kFirm]);
  EXPECT_NEAR(*f.on_time_share[kFirm], 0.8, 1e-12);
  EXPECT_NEAR(*f.mean_weeks_late[kFirm], 4.0 / 15.0, 1e-12);
  ASSERT_TRUE(f.on_time_share[kEval] && f.mean_weeks_late[kEval]);
  EXPECT_EQ(*f.on_time_share[kEval], 0.0);
  EXPECT_EQ(*f.mean_weeks_late[kEval], 1.0);
  EXPECT_FALSE(f.on_time_share[kOption]);
  EXPECT_FALSE(f.mean_weeks_late[kOption]);
}

TEST(Pegging, TotalsEqualArrivalsPlusUnserved) {
  const model::Scenario s = TwoPlantScenario();
  const std::vector<PeggingRow> rows = PegShipments(s, model::OptionDemandMode::kExpected, 6, TwoPlantShipments(s));
  double served = 0, unserved = 0;
  for (const PeggingRow& row : rows) (row.served() ? served : unserved) += row.racks;
  EXPECT_NEAR(served, 14.0, 1e-12);                   // all firm arrivals
  EXPECT_NEAR(unserved, 1.0 + 2.0, 1e-12);            // firm week 4, evaluation week 5
  EXPECT_NEAR(served + unserved, 15.0 + 2.0, 1e-12);  // all demand
}

TEST(Pegging, LatestOrdersRankByLatenessThenRacks) {
  const model::Scenario s = TwoPlantScenario();
  const std::vector<PeggingRow> rows = PegShipments(s, model::OptionDemandMode::kExpected, 6, TwoPlantShipments(s));
  // Late rows: [0] eval unserved 2 racks 1 week; [2] firm 2 racks 1 week; [5] firm unserved 1 rack 2 weeks.
  EXPECT_EQ(LatestOrders(rows, 10), (std::vector<size_t>{5, 0, 2}));
  EXPECT_EQ(LatestOrders(rows, 1), (std::vector<size_t>{5}));
}

// Option demand enters as the plan sees it: probability x racks (expected), racks (all) or 0 (none).
TEST(Pegging, OptionDemandWeightedByMode) {
  model::Scenario s = TwoPlantScenario();
  s.demand = {{0, 0, 3, DemandKind::kOption, 10, 0.3}};
  std::vector<double> ship = NoShipments(s);
  ship[ShipAt(s, 1, kOption, 3)] = 2;
  const auto expected = PegShipments(s, model::OptionDemandMode::kExpected, 6, ship);
  ASSERT_EQ(expected.size(), 2u);
  EXPECT_NEAR(expected[0].racks, 2, 1e-12);
  EXPECT_NEAR(expected[1].racks, 1, 1e-12);  // 3 owed, 2 arrived
  EXPECT_EQ(expected[1].weeks_late, 3);
  const auto all = PegShipments(s, model::OptionDemandMode::kAll, 6, ship);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_NEAR(all[1].racks, 8, 1e-12);
  const auto none = PegShipments(s, model::OptionDemandMode::kNone, 6, NoShipments(s));
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(SummarizePegging(none).on_time_share[kOption]);
}

// An arrival a hair ahead of demand (solver tolerance) serves the next demand
// week with weeks_late 0; rows of 1e-6 racks or less vanish; what exceeds all
// demand is not pegged; tiny negative solver values are ignored. No row is negative.
TEST(Pegging, ToleranceNeverGivesNegativeOrEarlyLateRows) {
  model::Scenario s = TwoPlantScenario();
  s.demand = {{0, 0, 1, DemandKind::kFirm, 10, 1}, {0, 0, 3, DemandKind::kFirm, 10, 1}};
  std::vector<double> ship = NoShipments(s);
  ship[ShipAt(s, 1, kFirm, 1)] = 10.0000004;  // 4e-7 ahead of week 1's demand
  ship[ShipAt(s, 1, kFirm, 2)] = -1e-12;      // solver noise
  ship[ShipAt(s, 1, kFirm, 3)] = 9.9999996;
  std::vector<PeggingRow> rows = PegShipments(s, model::OptionDemandMode::kExpected, 6, ship);
  ASSERT_EQ(rows.size(), 2u);
  ExpectRow(rows[0], kFirm, 1, 0, 1, 1, 10, 0);
  ExpectRow(rows[1], kFirm, 3, 0, 3, 3, 9.9999996, 0);  // the 4e-7 early part is below the cut

  // Ahead by more than the cut: the early part is its own row, on time, never negative lateness.
  ship[ShipAt(s, 1, kFirm, 1)] = 10.00002;
  ship[ShipAt(s, 1, kFirm, 3)] = 9.99998;
  rows = PegShipments(s, model::OptionDemandMode::kExpected, 6, ship);
  ASSERT_EQ(rows.size(), 3u);
  ExpectRow(rows[1], kFirm, 3, 0, 1, 1, 2e-5, 0);
  EXPECT_NEAR(rows[1].racks, 2e-5, 1e-11);

  // Arrivals beyond all demand: only the demand is pegged.
  ship = NoShipments(s);
  ship[ShipAt(s, 1, kFirm, 4)] = 25;
  rows = PegShipments(s, model::OptionDemandMode::kExpected, 6, ship);
  ASSERT_EQ(rows.size(), 2u);
  ExpectRow(rows[0], kFirm, 1, 0, 4, 4, 10, 3);
  ExpectRow(rows[1], kFirm, 3, 0, 4, 4, 10, 1);
  for (const PeggingRow& row : rows) EXPECT_GT(row.racks, kPeggingMinRacks);
}

TEST(Pegging, WrongShipmentLayoutThrows) {
  const model::Scenario s = TwoPlantScenario();
  EXPECT_THROW(PegShipments(s, model::OptionDemandMode::kExpected, 6, std::vector<double>(5)), std::invalid_argument);
  EXPECT_THROW(PegShipments(s, model::OptionDemandMode::kExpected, 0, {}), std::invalid_argument);
}

// Invariants of the pegging of a solved plan, checked against the plan's own
// shipments and backlog row.
void CheckPeggingInvariants(const model::Scenario& s, model::OptionDemandMode mode, const PlanResult& r) {
  ASSERT_TRUE(r.has_solution);
  const int32_t H = r.weeks;
  constexpr double kTol = 1e-5;
  using Cell = std::tuple<int32_t, int32_t, int>;  // site, design, kind
  std::map<Cell, double> demand, pegged;
  std::map<std::tuple<int32_t, int32_t, int, int32_t>, double> demand_by_week;
  for (const model::Demand& d : s.demand) {
    const double racks = model::PlanDemandRacks(d, mode);
    demand[{d.site, d.design, static_cast<int>(d.kind)}] += racks;
    demand_by_week[{d.site, d.design, static_cast<int>(d.kind), d.week}] += racks;
  }
  // lane of (plant, site)
  std::map<std::pair<int32_t, int32_t>, int32_t> lane_of;
  for (size_t i = 0; i < s.lanes.size(); ++i) lane_of[{s.lanes[i].plant, s.lanes[i].site}] = static_cast<int32_t>(i);
  std::vector<double> pegged_ship(r.ship.size(), 0.0);
  // served racks by (cell, demand week) with arrival <= t, for the backlog check
  std::map<std::tuple<int32_t, int32_t, int, int32_t>, std::vector<double>> arrived_by;  // per demand week, by arrival
  for (const PeggingRow& row : r.pegging) {
    const Cell cell{row.site, row.design, static_cast<int>(row.kind)};
    pegged[cell] += row.racks;
    EXPECT_GT(row.racks, kPeggingMinRacks);
    if (!row.served()) {
      EXPECT_EQ(row.weeks_late, H - row.demand_week);
      continue;
    }
    const int32_t lane = lane_of.at({row.plant, row.site});
    EXPECT_EQ(row.arrival_week, row.ship_week + s.lanes[lane].transit_weeks);
    EXPECT_EQ(row.weeks_late, std::max(0, row.arrival_week - row.demand_week));
    pegged_ship[r.ShipIndex(lane, row.design, static_cast<int>(row.kind), row.ship_week)] += row.racks;
    auto& by_arrival = arrived_by[{row.site, row.design, static_cast<int>(row.kind), row.demand_week}];
    by_arrival.resize(H, 0.0);
    by_arrival[row.arrival_week] += row.racks;
  }
  // Pegged racks per (site, design, kind) = demand (each dropped row is at most 1e-6).
  for (const auto& [cell, racks] : demand) {
    const auto it = pegged.find(cell);
    EXPECT_NEAR(it == pegged.end() ? 0.0 : it->second, racks, kTol);
  }
  // Every shipment is pegged in full (arrivals conserved).
  for (size_t i = 0; i < r.ship.size(); ++i) EXPECT_NEAR(pegged_ship[i], std::max(0.0, r.ship[i]), kTol) << i;
  // The racks still owed after week t (demand of weeks <= t minus what arrived by t) are the backlog row's back[t].
  for (size_t d = 0; d < s.sites.size(); ++d) {
    for (int32_t g = 0; g < r.designs; ++g) {
      for (int k = 0; k < model::kDemandKinds; ++k) {
        double owed = 0;
        for (int32_t t = 0; t < H; ++t) {
          const auto key = std::make_tuple(static_cast<int32_t>(d), g, k, t);
          if (auto it = demand_by_week.find(key); it != demand_by_week.end()) owed += it->second;
          for (auto& [rk, by_arrival] : arrived_by) {
            if (std::get<0>(rk) == int32_t(d) && std::get<1>(rk) == g && std::get<2>(rk) == k) owed -= by_arrival[t];
          }
          EXPECT_NEAR(owed, r.back[r.BackIndex(static_cast<int32_t>(d), g, k, t)], kTol)
              << s.sites[d].id << " " << s.designs[g].id << " " << k << " week " << t;
        }
      }
    }
  }
  // Promise figures agree with the rows.
  const PromiseFigures f = SummarizePegging(r.pegging);
  for (int k = 0; k < model::kDemandKinds; ++k) {
    EXPECT_EQ(r.promise.on_time_share[k].has_value(), f.on_time_share[k].has_value());
    if (f.on_time_share[k]) {
      EXPECT_DOUBLE_EQ(*r.promise.on_time_share[k], *f.on_time_share[k]);
    }
  }
}

TEST(PeggingInvariants, TinyScenario) {
  const model::Scenario s = io::LoadScenario(std::string(RACKFORGE_SOURCE_DIR) + "/tests/scenarios/tiny");
  PlanOptions options;
  options.bottlenecks = false;
  const PlanResult r = SolvePlan(s, options);
  EXPECT_FALSE(r.pegging.empty());
  CheckPeggingInvariants(s, s.policy.option_demand, r);
}

TEST(PeggingInvariants, SyntheticScenarioEveryOptionMode) {
  const model::Scenario s = testing::SyntheticScenario({});
  for (model::OptionDemandMode mode :
       {model::OptionDemandMode::kExpected, model::OptionDemandMode::kAll, model::OptionDemandMode::kNone}) {
    PlanOptions options;
    options.bottlenecks = false;
    options.option_demand = mode;
    const PlanResult r = SolvePlan(s, options);
    EXPECT_FALSE(r.pegging.empty());
    CheckPeggingInvariants(s, mode, r);
    if (mode == model::OptionDemandMode::kNone) {
      EXPECT_FALSE(r.promise.on_time_share[kOption]);
    }
  }
}

}  // namespace
}  // namespace rackforge::plan
