// plan_extras on a hand-built plan: every figure below is worked out by hand
// from the base scenario of tests/unit/plan/plan_fixture.h and the values set
// in the PlanResult (no solver involved).
#include "server/plan_extras.h"

#include <gtest/gtest.h>

#include "unit/plan/plan_fixture.h"

namespace rackforge::server {
namespace {

using nlohmann::json;

// H = 4. Line l ramps from week 1 over 2 weeks from half rate: a = 0, .5, .75, 1;
// plant p loses half its capacity in week 3 (line and test cells);
// supplier s loses a quarter in week 0; the offer has lead time 1, so an order
// in week 3 cannot arrive. A second (foreign) offer at $20; an opened test-cell
// expansion (1 cell from week 2) and an expansion line that stays closed.
struct Case {
  model::Scenario s = testing::BaseScenario();
  std::vector<model::Disruption> disruptions;
  plan::PlanResult r;

  Case() {
    s.lines[0].start_week = 1;
    s.lines[0].ramp_weeks = 2;
    s.lines[0].ramp_start_fraction = 0.5;
    s.offers[0].lead_time_weeks = 1;
    testing::AddSecondOffer(s, "TW", 20, 0.0);
    testing::AddExpansionCells(s, 1e6, 0, 2, 1);
    testing::AddExpansionLine(s, 1e6, 0, 1, 10);
    disruptions.push_back({{model::NodeKind::kPlant, 0}, 3, 1, 0.5});
    disruptions.push_back({{model::NodeKind::kSupplier, 0}, 0, 1, 0.25});

    r.has_solution = true;
    r.weeks = 4;
    r.designs = 1;
    r.plants = 1;
    r.components = 1;
    r.make.assign(2 * 4, 0.0);  // [line][design][week]; the closed expansion line makes nothing
    const double make[4] = {0, 5, 6, 5};
    for (int32_t t = 0; t < 4; ++t) r.make[r.MakeIndex(0, 0, t)] = make[t];
    r.buy.assign(2 * 4, 0.0);  // [offer][plant][week]
    r.buy[r.BuyIndex(0, 0, 0)] = 75;
    r.buy[r.BuyIndex(0, 0, 1)] = 10;
    r.buy[r.BuyIndex(1, 0, 1)] = 5;
    r.cinv.assign(4, 10.0);
    r.cinv[r.CinvIndex(0, 0, 2)] = 0;  // none in stock in week 2 ...
    r.back.assign(3 * 4, 0.0);
    r.back[r.BackIndex(0, 0, 1, 2)] = 1.5;  // ... while 1.5 firm racks are owed
    r.opened = {1, 0};                      // cells open, expansion line closed
    plan::PeggingRow served{0, 0, model::DemandKind::kFirm, 1, 0, 2, 2, 6.5, 1};
    plan::PeggingRow unserved{0, 0, model::DemandKind::kFirm, 1, -1, -1, -1, 1.5, 3};
    r.pegging = {served, unserved};
  }
};

const json* Row(const json& rows, const std::string& kind, const std::string& id) {
  for (const json& row : rows) {
    if (row["kind"] == kind && row["id"] == id) return &row;
  }
  return nullptr;
}

TEST(PlanExtras, LineUsedAgainstRampAndPlantOutage) {
  Case c;
  const json out = PlanExtrasJson(c.s, c.disruptions, c.r);
  const json& rows = out["load"]["rows"];
  ASSERT_EQ(rows.size(), 4u);  // line l (the closed expansion line has no row), test p, two offers
  const json* line = Row(rows, "line", "l");
  ASSERT_NE(line, nullptr);
  EXPECT_EQ((*line)["plant"], "p");
  EXPECT_EQ((*line)["used"], json({0, 5, 6, 5}));
  EXPECT_EQ((*line)["available"], json({0, 5, 7.5, 5}));  // 10 x (0, .5, .75, 1 x .5)
  EXPECT_EQ((*line)["binding_weeks"], json({1, 3}));      // 5/5 twice; 6/7.5 = 80 % does not bind
  EXPECT_EQ(Row(rows, "line", "x1"), nullptr);
}

TEST(PlanExtras, TestCellsCountOpenedCellsFromTheirFirstWeek) {
  Case c;
  const json rows = PlanExtrasJson(c.s, c.disruptions, c.r)["load"]["rows"];
  const json* test = Row(rows, "test", "p");
  ASSERT_NE(test, nullptr);
  EXPECT_EQ((*test)["unit"], "test hours");
  EXPECT_EQ((*test)["used"], json({0, 10, 12, 10}));                  // 2 h per rack
  EXPECT_EQ((*test)["available"], json({1000, 1000, 2000, 1000}));  // + 1 cell from week 2, x .5 in week 3
  EXPECT_EQ((*test)["binding_weeks"], json::array());
  c.r.opened = {0, 0};
  const json closed = PlanExtrasJson(c.s, c.disruptions, c.r)["load"]["rows"];
  EXPECT_EQ((*Row(closed, "test", "p"))["available"], json({1000, 1000, 1000, 500}));
}

TEST(PlanExtras, OfferCapacityBySupplierOutageAndLastUsefulOrderWeek) {
  Case c;
  const json rows = PlanExtrasJson(c.s, c.disruptions, c.r)["load"]["rows"];
  const json* us = Row(rows, "supply", "s/c");
  ASSERT_NE(us, nullptr);
  EXPECT_EQ((*us)["used"], json({75, 10, 0, 0}));
  EXPECT_EQ((*us)["available"], json({75, 100, 100, 0}));  // 100 x .75 in week 0; week 3 + lead 1 > H - 1
  EXPECT_EQ((*us)["binding_weeks"], json({0}));
  const json* tw = Row(rows, "supply", "s2/c");
  ASSERT_NE(tw, nullptr);
  EXPECT_EQ((*tw)["available"], json({100, 100, 100, 100}));  // lead 0, no outage
}

TEST(PlanExtras, BuildPlanPeggingAndDomesticShare) {
  Case c;
  const json out = PlanExtrasJson(c.s, c.disruptions, c.r);
  ASSERT_EQ(out["build_plan"].size(), 1u);  // the closed line makes nothing: no row
  EXPECT_EQ(out["build_plan"][0]["line"], "l");
  EXPECT_EQ(out["build_plan"][0]["design"], "g");
  EXPECT_EQ(out["build_plan"][0]["racks"], json({0, 5, 6, 5}));

  ASSERT_EQ(out["pegging"].size(), 2u);
  EXPECT_EQ(out["pegging"][0], json({{"site", "d"}, {"design", "g"}, {"kind", "firm"}, {"demand_week", 1},
                                     {"plant", "p"}, {"ship_week", 2}, {"arrival_week", 2}, {"racks", 6.5},
                                     {"weeks_late", 1}}));
  EXPECT_TRUE(out["pegging"][1]["plant"].is_null());
  EXPECT_TRUE(out["pegging"][1]["arrival_week"].is_null());
  EXPECT_EQ(out["pegging"][1]["weeks_late"], 3);

  ASSERT_EQ(out["domestic_by_quarter"].size(), 1u);  // 4 weeks: one quarter
  const json& q = out["domestic_by_quarter"][0];
  EXPECT_EQ(q["first_week"], 0);
  EXPECT_EQ(q["last_week"], 3);
  EXPECT_DOUBLE_EQ(q["domestic_usd"].get<double>(), 850.0);  // 85 units x $10 from the US supplier
  EXPECT_DOUBLE_EQ(q["total_usd"].get<double>(), 950.0);     // + 5 x $20 from TW
  EXPECT_DOUBLE_EQ(q["share"].get<double>(), 850.0 / 950.0);
}

TEST(PlanExtras, PartRunsOutWhileTheLineHasRoomAndRacksAreOwed) {
  // Week 2: no stock, the line has room (6 of 7.5), racks are owed, but offer s/c (lead 1) still has room
  // in order week 1 (10 of 100): the plan chose to wait, so nothing ran out.
  Case c;
  EXPECT_TRUE(PlanExtrasJson(c.s, c.disruptions, c.r)["part_shortages"].empty());
  // Both offers full in the order weeks that arrive in week 2 (s/c in week 1, s2/c with lead 0 in week 2).
  c.r.buy[c.r.BuyIndex(0, 0, 1)] = 100;
  c.r.buy[c.r.BuyIndex(1, 0, 2)] = 100;
  json shortages = PlanExtrasJson(c.s, c.disruptions, c.r)["part_shortages"];
  ASSERT_EQ(shortages.size(), 1u);
  EXPECT_EQ(shortages[0], json({{"component", "c"}, {"plant", "p"}, {"first_week", 2}, {"last_week", 2},
                                {"lines", {"l"}}}));
  // Nothing owed: an empty bin is no shortage.
  Case idle = c;
  idle.r.back.assign(idle.r.back.size(), 0.0);
  EXPECT_TRUE(PlanExtrasJson(idle.s, idle.disruptions, idle.r)["part_shortages"].empty());
  // The line at full rate in week 2: it does not wait for parts.
  Case full = c;
  full.r.make[full.r.MakeIndex(0, 0, 2)] = 7.5;
  EXPECT_TRUE(PlanExtrasJson(full.s, full.disruptions, full.r)["part_shortages"].empty());
  // A component line at the plant with room could have made it.
  Case made = c;
  model::ComponentLine m;
  m.id = "m";
  m.plant = 0;
  m.components = {0};
  m.units_per_week = 50;
  made.s.component_lines.push_back(m);
  made.s.components[0].made_by = {0};
  made.r.makec.assign(4, 0.0);
  EXPECT_TRUE(PlanExtrasJson(made.s, made.disruptions, made.r)["part_shortages"].empty());
  made.r.makec[made.r.MakecIndex(0, 0, 2)] = 50;  // the component line is full in week 2
  const json out = PlanExtrasJson(made.s, made.disruptions, made.r);
  EXPECT_EQ(out["part_shortages"].size(), 1u);
  // The component line has its own load row: 50 units a week, half in week 3 (plant outage).
  const json* row = Row(out["load"]["rows"], "component_line", "m");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ((*row)["used"], json({0, 0, 50, 0}));
  EXPECT_EQ((*row)["available"], json({50, 50, 50, 25}));
  EXPECT_EQ((*row)["binding_weeks"], json({2}));
}

// The shortage case above (both offers full for week 2) with a second plant q that holds parts in
// `q_stock` weeks and a transfer q -> p with transit 1. Offer s2/c is full in week 1 too, so q
// cannot get more in week 1 either (offer capacity is shared by all plants).
Case WithTransferFromSecondPlant(std::initializer_list<int32_t> q_stock) {
  Case c;
  c.r.buy[c.r.BuyIndex(0, 0, 1)] = 100;
  c.r.buy[c.r.BuyIndex(1, 0, 1)] = 100;
  c.r.buy[c.r.BuyIndex(1, 0, 2)] = 100;
  model::Plant q;
  q.id = "q";
  c.s.plants.push_back(q);
  c.s.transfers.push_back({1, 0, 0, 1, 2.0});
  const plan::PlanResult one = c.r;
  c.r.plants = 2;
  c.r.buy.assign(2 * 2 * 4, 0.0);
  c.r.cinv.assign(2 * 4, 0.0);
  for (int32_t t = 0; t < 4; ++t) {
    for (int32_t o = 0; o < 2; ++o) c.r.buy[c.r.BuyIndex(o, 0, t)] = one.buy[one.BuyIndex(o, 0, t)];
    c.r.cinv[c.r.CinvIndex(0, 0, t)] = one.cinv[one.CinvIndex(0, 0, t)];
  }
  for (int32_t t : q_stock) c.r.cinv[c.r.CinvIndex(0, 1, t)] = 30;
  c.r.xfer.assign(4, 0.0);
  return c;
}

TEST(PlanExtras, APartAnotherPlantCouldHaveSentHasNotRunOut) {
  // q holds no parts: it could not have sent any, and the offers are full for it too: the part runs
  // out at p in week 2, as without the transfer.
  const Case none = WithTransferFromSecondPlant({});
  json shortages = PlanExtrasJson(none.s, none.disruptions, none.r)["part_shortages"];
  ASSERT_EQ(shortages.size(), 1u);
  EXPECT_EQ(shortages[0]["plant"], "p");
  EXPECT_EQ(shortages[0]["first_week"], 2);
  // q kept 30 parts after week 1 = 2 - transit: it could have sent them over the lane; nothing ran out.
  const Case kept = WithTransferFromSecondPlant({1});
  EXPECT_TRUE(PlanExtrasJson(kept.s, kept.disruptions, kept.r)["part_shortages"].empty());
  // Stock at q only in week 2 is too late for week 2 at p (one week in transit).
  const Case late = WithTransferFromSecondPlant({2});
  EXPECT_EQ(PlanExtrasJson(late.s, late.disruptions, late.r)["part_shortages"].size(), 1u);
  // q could have bought more in week 1 (s2/c, lead 0, has room then; without supply_lanes.csv every
  // supplier reaches every plant): sent in week 1, it arrives in week 2.
  Case bought = WithTransferFromSecondPlant({});
  bought.r.buy[bought.r.BuyIndex(1, 0, 1)] = 0;
  EXPECT_TRUE(PlanExtrasJson(bought.s, bought.disruptions, bought.r)["part_shortages"].empty());
}

TEST(PlanExtras, DomesticQuartersOfThirteenWeeks) {
  Case c;
  c.s.horizon_weeks = 27;
  c.r.weeks = 27;
  c.r.make.assign(2 * 27, 0.0);
  c.r.buy.assign(2 * 27, 0.0);
  c.r.buy[c.r.BuyIndex(0, 0, 12)] = 1;  // quarter 0: $10 domestic
  c.r.buy[c.r.BuyIndex(1, 0, 13)] = 1;  // quarter 1: $20 foreign
  c.r.cinv.assign(27, 10.0);
  c.r.back.assign(3 * 27, 0.0);
  const json q = PlanExtrasJson(c.s, c.disruptions, c.r)["domestic_by_quarter"];
  ASSERT_EQ(q.size(), 3u);
  EXPECT_DOUBLE_EQ(q[0]["share"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(q[1]["share"].get<double>(), 0.0);
  EXPECT_TRUE(q[2]["share"].is_null());  // nothing bought in weeks 26..26
  EXPECT_EQ(q[2]["first_week"], 26);
  EXPECT_EQ(q[2]["last_week"], 26);
}

TEST(PlanExtras, NoSolutionGivesEmptyFigures) {
  Case c;
  c.r.has_solution = false;
  const json out = PlanExtrasJson(c.s, c.disruptions, c.r);
  EXPECT_TRUE(out["load"]["rows"].empty());
  EXPECT_TRUE(out["pegging"].empty());
  EXPECT_TRUE(out["build_plan"].empty());
}

}  // namespace
}  // namespace rackforge::server
