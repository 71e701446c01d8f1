// Console and HTML wording of the risk figures: a TTS capped at the horizon, the
// label of the backlog reference and the part behind a supplier's exposure.
#include "report/risk_report.h"

#include <gtest/gtest.h>

#include <string>

#include "risk/risk.h"
#include "unit/plan/plan_fixture.h"

namespace rackforge::report {
namespace {

// H = 4, t0 = 1: the TTS cap is 3 weeks. Supplier s is the only source of c; s2 offers c too.
risk::RiskResult HandResult() {
  risk::RiskResult r;
  r.start_week = 1;
  r.baseline_backlog_rack_weeks = 0;
  risk::NodeRisk capped{{model::NodeKind::kPlant, 0}, "plant:p", 2, 3, 0.0, 0.0, false};
  risk::NodeRisk supplier{{model::NodeKind::kSupplier, 0}, "supplier:s", 2, 1, 8.0, 1.0, true};
  r.nodes = {capped, supplier};
  return r;
}

TEST(RiskReport, TtsAtTheHorizonReadsToHorizon) {
  const model::Scenario s = testing::BaseScenario();
  const std::string table = RiskTable(s, HandResult());
  EXPECT_NE(table.find("plant:p                                 2 to horizon"), std::string::npos) << table;
  EXPECT_NE(table.find("supplier:s                              2          1"), std::string::npos) << table;
  EXPECT_NE(RiskHtml(s, HandResult()).find(">to horizon</td>"), std::string::npos);
}

TEST(RiskReport, BacklogReferenceIsNamedForWhatItIs) {
  const model::Scenario s = testing::BaseScenario();
  const std::string table = RiskTable(s, HandResult());
  EXPECT_EQ(table.find("baseline backlog"), std::string::npos) << table;
  EXPECT_NE(table.find("least possible backlog from week 1 without an extra outage: 0.0 rack-weeks"), std::string::npos)
      << table;
  EXPECT_NE(table.find("not the cost-optimal plan's backlog"), std::string::npos) << table;
}

TEST(RiskReport, SupplierNamesTheCriticalPart) {
  model::Scenario s = testing::BaseScenario();
  EXPECT_NE(RiskTable(s, HandResult()).find("c (single source)"), std::string::npos);
  testing::AddSecondOffer(s, "MX", 12, 0);  // s2: 100/week of c next to s's 100/week
  s.offers[1].capacity_per_week = 25;
  const std::string table = RiskTable(s, HandResult());
  EXPECT_NE(table.find("c (other sources 25.0 % of its 100/week)"), std::string::npos) << table;
}

// 7 loss nodes over 40 shortfall weeks: the console and the HTML show the 5 strongest (by share of
// runs) with the share of the shortfall weeks each was out in; the JSON keeps all 7 of both lists.
risk::SimulationResult HandSimulation() {
  risk::SimulationResult r;
  r.runs = 100;
  r.seed = 1;
  r.weeks = 0;
  r.shortfall_weeks = 40;
  for (int i = 0; i < 7; ++i) {
    r.top_loss_nodes.emplace_back("line:l" + std::to_string(i), 0.5 - 0.05 * i);
    r.loss_node_shortfall_week_share.push_back(0.4 - 0.05 * i);
  }
  return r;
}

TEST(RiskReport, SimulationShowsTheFewLossNodesWithTheirShareOfShortfallWeeks) {
  const model::Scenario s = testing::BaseScenario();
  const risk::SimulationResult r = HandSimulation();
  const std::string table = SimulationTable(s, r);
  EXPECT_NE(table.find("(40 shortfall weeks over all runs)"), std::string::npos) << table;
  EXPECT_NE(table.find("of runs   of short weeks"), std::string::npos) << table;
  EXPECT_NE(table.find("line:l0                            50.0 %           40.0 %"), std::string::npos) << table;
  EXPECT_NE(table.find("line:l4                            30.0 %           20.0 %"), std::string::npos) << table;
  EXPECT_EQ(table.find("line:l5 "), std::string::npos) << table;
  EXPECT_NE(table.find("... and 2 more nodes, each at most 25.0 %"), std::string::npos) << table;
  const std::string html = SimulationHtml(s, r);
  EXPECT_NE(html.find("share of the shortfall weeks it was out in"), std::string::npos);
  EXPECT_NE(html.find(">40.0 %</td>"), std::string::npos);
  const nlohmann::json json = SimulationJson(r);
  EXPECT_EQ(json["shortfall_weeks"], 40);
  ASSERT_EQ(json["loss_node_shortfall_week_share"].size(), 7u);
  EXPECT_EQ(json["loss_node_shortfall_week_share"][6][0], "line:l6");
  EXPECT_DOUBLE_EQ(json["loss_node_shortfall_week_share"][6][1].get<double>(), 0.1);
  EXPECT_EQ(json["top_loss_nodes"].size(), 7u);
}

}  // namespace
}  // namespace rackforge::report
