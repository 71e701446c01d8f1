// Loading tests/scenarios/tiny: every id resolved to the right index, demand
// summed, expansion lines appended, late offers left out.
#include "io/scenario_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "model/availability.h"
#include "unit/io/scenario_fixture.h"

namespace rackforge::io {
namespace {

using model::DemandKind;
using model::FindById;
using testing::TinyDir;

class TinyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { scenario_ = new model::Scenario(LoadScenario(TinyDir())); }
  static void TearDownTestSuite() { delete scenario_; }
  static const model::Scenario& s() { return *scenario_; }
  static int32_t Component(const char* id) { return FindById(s().components, id); }
  static int32_t Supplier(const char* id) { return FindById(s().suppliers, id); }
  static model::Scenario* scenario_;
};
model::Scenario* TinyTest::scenario_ = nullptr;

TEST_F(TinyTest, ScenarioYaml) {
  EXPECT_EQ(s().name, "tiny");
  EXPECT_EQ(s().start_week, "2026-W01");
  EXPECT_EQ(s().horizon_weeks, 12);
  EXPECT_EQ(s().folder, TinyDir());
  EXPECT_DOUBLE_EQ(s().policy.domestic_content_min, 0.3);
  EXPECT_DOUBLE_EQ(s().policy.max_supplier_share, 0.8);
  ASSERT_TRUE(s().policy.capex_budget_usd.has_value());
  EXPECT_DOUBLE_EQ(*s().policy.capex_budget_usd, 50000000);
  EXPECT_EQ(s().policy.option_demand, model::OptionDemandMode::kExpected);
  EXPECT_EQ(s().policy.quantities, model::Quantities::kContinuous);  // absent: continuous
  EXPECT_DOUBLE_EQ(s().policy.backlog_penalty.usd_per_rack_week[0], 50000);
  EXPECT_DOUBLE_EQ(s().policy.backlog_penalty.usd_per_rack_week[1], 30000);
  EXPECT_DOUBLE_EQ(s().policy.backlog_penalty.usd_per_rack_week[2], 10000);
  EXPECT_DOUBLE_EQ(s().policy.rack_holding_usd_per_week, 500);
  EXPECT_EQ(s().risk_start_week, 2);
  ASSERT_EQ(s().target.size(), 2u);
  EXPECT_EQ(s().target[1].week, 8);
  EXPECT_DOUBLE_EQ(s().target[1].racks_per_week, 20);
}

TEST_F(TinyTest, DesignsResolveRequirementsAndBom) {
  ASSERT_EQ(s().requirements.size(), 2u);
  ASSERT_EQ(s().designs.size(), 2u);
  // designs/*.yaml in file-name order: alpha.yaml, beta.yaml.
  EXPECT_EQ(s().designs[0].id, "alpha");
  EXPECT_EQ(s().designs[1].id, "beta");
  EXPECT_EQ(s().designs[1].meets, 1);
  EXPECT_EQ(s().designs[1].available_from_week, 4);
  EXPECT_DOUBLE_EQ(s().designs[1].busbar_voltage_v, 800);
  EXPECT_DOUBLE_EQ(s().designs[0].footprint_m2, 0.72);
  ASSERT_EQ(s().designs[1].bom.size(), 5u);
  EXPECT_EQ(s().designs[1].bom[0].component, Component("tray-b"));
  EXPECT_DOUBLE_EQ(s().designs[1].bom[0].qty, 36);
  EXPECT_EQ(s().designs[1].bom[1].component, 2);  // ps-33kw is row 3 of components.csv
  EXPECT_THAT(s().designs[0].file, ::testing::EndsWith("designs/alpha.yaml"));
}

TEST_F(TinyTest, ComponentsSuppliersOffers) {
  ASSERT_EQ(s().components.size(), 9u);  // 6 rack components + psu-brick, psu-cell, ps-chassis
  EXPECT_EQ(s().components[0].name, "Compute tray A (2 CPU, 4 GPU)");  // quoted cell with commas
  ASSERT_EQ(s().on_hand.size(), 11u);  // on_hand.csv: tray-a 24 at wi-mp, 12 at tx-hou, ...
  EXPECT_DOUBLE_EQ(model::OnHandUnits(s(), 0, 0), 24);
  EXPECT_DOUBLE_EQ(model::OnHandUnits(s(), 1, 0), 12);
  EXPECT_DOUBLE_EQ(model::OnHandUnits(s(), 1, Component("tray-b")), 0);
  ASSERT_TRUE(s().supply_lanes.has_value());
  ASSERT_EQ(s().supply_lanes->size(), 7u);
  const model::SupplyLane& delta = (*s().supply_lanes)[4];  // delta-tw reaches tx-hou only, 1 week, $50/unit
  EXPECT_EQ(delta.supplier, Supplier("delta-tw"));
  EXPECT_EQ(delta.plant, 1);
  EXPECT_EQ(delta.transit_weeks, 1);
  EXPECT_DOUBLE_EQ(delta.cost_usd_per_unit, 50);
  EXPECT_EQ((*s().supply_lanes)[2].transit_weeks, 0);  // flex-us: empty cells are 0
  EXPECT_DOUBLE_EQ((*s().supply_lanes)[2].cost_usd_per_unit, 0);
  EXPECT_DOUBLE_EQ(s().components[4].ports_provided, 72);
  ASSERT_EQ(s().suppliers.size(), 4u);
  EXPECT_TRUE(s().suppliers[Supplier("flex-us")].domestic());
  EXPECT_FALSE(s().suppliers[Supplier("fii-tw")].domestic());
  EXPECT_EQ(s().suppliers[Supplier("fii-tw")].us_state, "");
  // 13 rows, flex-us/tray-b starts at week 20 >= H = 12: validated, then left out.
  ASSERT_EQ(s().offers.size(), 12u);
  const model::Component& tray_b = s().components[Component("tray-b")];
  EXPECT_EQ(tray_b.offer_rows_in_file, 2);
  ASSERT_EQ(tray_b.offers.size(), 1u);
  EXPECT_EQ(s().offers[tray_b.offers[0]].supplier, Supplier("fii-tw"));
  const model::Offer& cdu_delta = s().offers[6];  // row 8 of offers.csv (row 4 was left out)
  EXPECT_EQ(cdu_delta.supplier, Supplier("delta-tw"));
  EXPECT_EQ(cdu_delta.component, Component("cdu"));
  EXPECT_DOUBLE_EQ(cdu_delta.unit_cost_usd, 27000);
  EXPECT_EQ(cdu_delta.lead_time_weeks, 3);
  EXPECT_DOUBLE_EQ(cdu_delta.tariff_rate, 0.1);
  const model::Component& frame = s().components[Component("frame-orv3")];
  EXPECT_EQ(frame.offers, (std::vector<int32_t>{8, 9}));
  EXPECT_EQ(frame.offer_rows_in_file, 2);
  for (size_t c = 0; c < s().components.size(); ++c) {
    for (int32_t o : s().components[c].offers) EXPECT_EQ(s().offers[o].component, static_cast<int32_t>(c));
  }
}

TEST_F(TinyTest, PlantsLinesAndExpansions) {
  ASSERT_EQ(s().plants.size(), 2u);
  ASSERT_EQ(s().lines.size(), 4u);  // 3 existing + 1 expansion line
  EXPECT_EQ(s().plants[0].lines, (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(s().plants[1].lines, (std::vector<int32_t>{2}));
  EXPECT_TRUE(s().plants[0].expansion_lines.empty());
  EXPECT_EQ(s().plants[1].expansion_lines, (std::vector<int32_t>{3}));
  const model::Line& wi_l2 = s().lines[1];
  EXPECT_EQ(wi_l2.id, "wi-l2");
  EXPECT_EQ(wi_l2.plant, 0);
  EXPECT_EQ(wi_l2.designs, (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(wi_l2.start_week, 2);
  EXPECT_EQ(wi_l2.ramp_weeks, 4);
  EXPECT_DOUBLE_EQ(wi_l2.ramp_start_fraction, 0.5);
  EXPECT_EQ(wi_l2.expansion, -1);
  EXPECT_DOUBLE_EQ(s().lines[0].ramp_start_fraction, 1);  // default
  EXPECT_EQ(s().lines[0].start_week, 0);                   // default
  ASSERT_EQ(s().expansions.size(), 3u);                    // line, test cells, component line
  const model::Expansion& line_exp = s().expansions[0];
  EXPECT_EQ(line_exp.kind, model::ExpansionKind::kLine);
  EXPECT_EQ(line_exp.line, 3);
  EXPECT_EQ(line_exp.plant, 1);
  EXPECT_DOUBLE_EQ(line_exp.capex_usd, 40000000);
  const model::Line& tx_l2 = s().lines[3];
  EXPECT_EQ(tx_l2.id, "tx-l2");
  EXPECT_EQ(tx_l2.expansion, 0);
  EXPECT_EQ(tx_l2.plant, 1);
  EXPECT_EQ(tx_l2.start_week, 6);  // earliest_week 2 + lead_time_weeks 4
  EXPECT_EQ(tx_l2.designs, (std::vector<int32_t>{1}));
  EXPECT_DOUBLE_EQ(tx_l2.racks_per_week, 8);
  const model::Expansion& cells = s().expansions[1];
  EXPECT_EQ(cells.kind, model::ExpansionKind::kTestCells);
  EXPECT_EQ(cells.line, -1);
  EXPECT_EQ(cells.plant, 0);
  EXPECT_DOUBLE_EQ(cells.cells, 2);
  EXPECT_EQ(cells.active_from_week(), 3);
}

TEST_F(TinyTest, SitesLanesDemandSummed) {
  ASSERT_EQ(s().sites.size(), 2u);
  ASSERT_EQ(s().lanes.size(), 4u);
  EXPECT_EQ(s().lanes[2].plant, 1);
  EXPECT_EQ(s().lanes[2].site, 0);
  EXPECT_EQ(s().lanes[2].transit_weeks, 0);
  EXPECT_DOUBLE_EQ(s().lanes[2].cost_usd_per_rack, 1500);
  // 7 rows; two firm rows (abilene, alpha, 3) and two option rows (lordstown, beta, 8) are summed.
  ASSERT_EQ(s().demand.size(), 5u);
  const model::Demand& firm = s().demand[1];
  EXPECT_EQ(firm.site, 0);
  EXPECT_EQ(firm.design, 0);
  EXPECT_EQ(firm.week, 3);
  EXPECT_EQ(firm.kind, DemandKind::kFirm);
  EXPECT_DOUBLE_EQ(firm.racks, 8);
  EXPECT_DOUBLE_EQ(firm.probability, 1);
  const model::Demand& option = s().demand[3];
  EXPECT_EQ(option.kind, DemandKind::kOption);
  EXPECT_EQ(option.week, 8);
  EXPECT_DOUBLE_EQ(option.racks, 8);
  // probability * racks = 0.5 * 6 + 0.9 * 2 = 4.8.
  EXPECT_NEAR(option.probability, 0.6, 1e-12);
  EXPECT_NEAR(model::PlanDemandRacks(option, model::OptionDemandMode::kExpected), 4.8, 1e-12);
  EXPECT_EQ(s().demand[0].kind, DemandKind::kEvaluation);
  EXPECT_EQ(s().demand[4].week, 10);
}

// An option cell of one row keeps the probability written, bit for bit (the
// racks-weighted mean 0.35 * 3 / 3 is 0.3499999999999999), so writing a
// loaded scenario gives back the same text.
TEST(DemandProbability, OneRowCellKeepsItsProbabilityExactly) {
  testing::TempScenario t;
  t.Write("demand.csv", t.Read("demand.csv") + "abilene-tx,alpha,9,3,option,0.35\n");
  const model::Scenario s = LoadScenario(t.dir());
  const model::Demand& cell = s.demand.back();
  ASSERT_EQ(cell.kind, DemandKind::kOption);
  ASSERT_EQ(cell.racks, 3);
  EXPECT_EQ(cell.probability, 0.35);
}

TEST_F(TinyTest, DisruptionsAndDesignSpace) {
  ASSERT_EQ(s().disruptions.size(), 2u);
  EXPECT_EQ(s().disruptions[0].node, (model::NodeRef{model::NodeKind::kPlant, 1}));
  EXPECT_DOUBLE_EQ(s().disruptions[0].capacity_loss, 1);  // default
  EXPECT_EQ(s().disruptions[1].node, (model::NodeRef{model::NodeKind::kSupplier, Supplier("delta-tw")}));
  EXPECT_EQ(s().disruptions[1].weeks, 3);
  EXPECT_DOUBLE_EQ(s().disruptions[1].capacity_loss, 0.5);
  ASSERT_EQ(s().design_spaces.size(), 1u);
  const model::DesignSpace& space = s().design_spaces[0];
  EXPECT_EQ(space.design, 0);
  ASSERT_EQ(space.slots.size(), 2u);
  EXPECT_EQ(space.slots[0].slot, "power");
  EXPECT_EQ(space.slots[0].replaces, (std::vector<int32_t>{Component("ps-33kw")}));
  ASSERT_EQ(space.slots[0].options.size(), 2u);
  EXPECT_DOUBLE_EQ(space.slots[0].options[1].bom[0].qty, 7);
  ASSERT_EQ(space.slots[0].options[1].set.size(), 1u);
  EXPECT_EQ(space.slots[0].options[1].set[0].first, "electrical.redundant_power_shelves");
  EXPECT_DOUBLE_EQ(space.slots[0].options[1].set[0].second, 2);
  EXPECT_EQ(space.slots[1].options[1].set[0].first, "cooling.coolant_delta_t_c");
}

// plants.yaml's component line tx-ps (tx-hou) and expansion tx-ps2; component_boms.csv (two levels).
TEST_F(TinyTest, ComponentLinesAndBoms) {
  ASSERT_EQ(s().component_lines.size(), 2u);  // 1 existing + 1 expansion component line
  EXPECT_TRUE(s().plants[0].component_lines.empty());
  EXPECT_EQ(s().plants[1].component_lines, (std::vector<int32_t>{0}));
  EXPECT_EQ(s().plants[1].expansion_component_lines, (std::vector<int32_t>{1}));
  const model::ComponentLine& ps = s().component_lines[0];
  EXPECT_EQ(ps.id, "tx-ps");
  EXPECT_EQ(ps.plant, 1);
  EXPECT_EQ(ps.components, (std::vector<int32_t>{Component("ps-33kw"), Component("psu-brick")}));
  EXPECT_DOUBLE_EQ(ps.units_per_week, 40);
  EXPECT_EQ(ps.start_week, 1);
  EXPECT_EQ(ps.ramp_weeks, 3);
  EXPECT_DOUBLE_EQ(ps.ramp_start_fraction, 0.6);
  EXPECT_DOUBLE_EQ(ps.cost_usd_per_unit, 300);
  EXPECT_EQ(ps.expansion, -1);
  ASSERT_EQ(s().expansions.size(), 3u);
  const model::Expansion& x = s().expansions[2];
  EXPECT_EQ(x.kind, model::ExpansionKind::kComponentLine);
  EXPECT_EQ(x.component_line, 1);
  EXPECT_EQ(x.line, -1);
  const model::ComponentLine& ps2 = s().component_lines[1];
  EXPECT_EQ(ps2.id, "tx-ps2");
  EXPECT_EQ(ps2.expansion, 2);
  EXPECT_EQ(ps2.start_week, 3);  // earliest_week 1 + lead_time_weeks 2
  EXPECT_EQ(ps2.ramp_weeks, 0);  // defaults
  EXPECT_DOUBLE_EQ(ps2.ramp_start_fraction, 1);
  EXPECT_EQ(s().components[Component("ps-33kw")].made_by, (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(s().components[Component("psu-brick")].made_by, (std::vector<int32_t>{0}));
  EXPECT_TRUE(s().components[Component("psu-cell")].made_by.empty());
  const std::vector<model::BomEntry>& shelf = s().components[Component("ps-33kw")].parts;
  ASSERT_EQ(shelf.size(), 2u);
  EXPECT_EQ(shelf[0].component, Component("psu-brick"));
  EXPECT_DOUBLE_EQ(shelf[0].qty, 3);
  EXPECT_EQ(shelf[1].component, Component("ps-chassis"));
  const std::vector<model::BomEntry>& brick = s().components[Component("psu-brick")].parts;
  ASSERT_EQ(brick.size(), 1u);
  EXPECT_EQ(brick[0].component, Component("psu-cell"));
  EXPECT_DOUBLE_EQ(brick[0].qty, 2);
  EXPECT_TRUE(s().components[Component("tray-a")].parts.empty());
  EXPECT_TRUE(s().components[Component("psu-brick")].offers.empty());  // made only
}

// line:ID names a rack line or a component line (one id space).
TEST(ScenarioLoader, DisruptionOfAComponentLine) {
  ScenarioTexts texts = ReadScenarioFolder(TinyDir());
  texts.files["disruptions.yaml"] =
      "disruptions:\n  - {node: line:tx-ps, start_week: 2, weeks: 3, capacity_loss: 0.5}\n"
      "  - {node: line:tx-l1, start_week: 1, weeks: 1}\n  - {node: line:tx-ps2, start_week: 4, weeks: 1}\n";
  const model::Scenario s = LoadScenarioFromTexts(texts);
  ASSERT_EQ(s.disruptions.size(), 3u);
  EXPECT_EQ(s.disruptions[0].node, (model::NodeRef{model::NodeKind::kComponentLine, 0}));
  EXPECT_EQ(s.disruptions[1].node, (model::NodeRef{model::NodeKind::kLine, 2}));
  EXPECT_EQ(s.disruptions[2].node, (model::NodeRef{model::NodeKind::kComponentLine, 1}));
  EXPECT_EQ(model::NodeName(s, s.disruptions[0].node), "line:tx-ps");
  const model::Availability a(s, s.disruptions);
  // Ramp from week 1 over 3 weeks from 0.6: a(m,3) = 0.6 + 0.4 x 2/3, halved by the disruption.
  EXPECT_DOUBLE_EQ(a.component_line_availability(0, 3), (0.6 + 0.4 * 2.0 / 3.0) * 0.5);
  EXPECT_DOUBLE_EQ(a.component_line_availability(0, 0), 0.0);
  EXPECT_DOUBLE_EQ(a.component_line_availability(0, 6), 1.0);
}

TEST(ScenarioLoader, InMemoryTextsMatchFolder) {
  ScenarioTexts texts = ReadScenarioFolder(TinyDir());
  EXPECT_EQ(texts.files.count("designs/alpha.yaml"), 1u);
  texts.folder.clear();
  const model::Scenario s = LoadScenarioFromTexts(texts);
  EXPECT_EQ(s.lines.size(), 4u);
  EXPECT_EQ(s.demand.size(), 5u);
  // Without a folder, messages name the bare file.
  texts.files["lanes.csv"] += "wi-mp,nowhere,1,1\n";
  try {
    LoadScenarioFromTexts(texts);
    FAIL() << "expected a LoadError";
  } catch (const LoadError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].ToString(), "lanes.csv:6: site: 'nowhere' is not a site in sites.csv");
  }
}

TEST(ScenarioLoader, OptionalFilesMayBeAbsent) {
  ScenarioTexts texts = ReadScenarioFolder(TinyDir());
  texts.files.erase("disruptions.yaml");
  texts.files.erase("design_space.yaml");
  texts.files.erase("on_hand.csv");
  texts.files.erase("supply_lanes.csv");
  texts.files.erase("component_boms.csv");
  const model::Scenario s = LoadScenarioFromTexts(texts);
  EXPECT_TRUE(s.disruptions.empty());
  for (const model::Component& c : s.components) EXPECT_TRUE(c.parts.empty()) << c.id;
  EXPECT_TRUE(s.design_spaces.empty());
  EXPECT_TRUE(s.on_hand.empty());
  EXPECT_FALSE(s.supply_lanes.has_value());
}

// transfers.csv is optional (tiny has none); rows load in file order with
// empty transit/cost cells read as 0.
TEST(ScenarioLoader, TransfersLoadInFileOrder) {
  ScenarioTexts texts = ReadScenarioFolder(TinyDir());
  EXPECT_TRUE(LoadScenarioFromTexts(texts).transfers.empty());
  texts.files["transfers.csv"] =
      "from_plant,to_plant,component,transit_weeks,cost_usd_per_unit\n"
      "wi-mp,tx-hou,ps-33kw,2,35.5\n"
      "tx-hou,wi-mp,cdu,,\n";
  const model::Scenario s = LoadScenarioFromTexts(texts);
  ASSERT_EQ(s.transfers.size(), 2u);
  const int32_t wi = static_cast<int32_t>(FindById(s.plants, "wi-mp"));
  const int32_t tx = static_cast<int32_t>(FindById(s.plants, "tx-hou"));
  EXPECT_EQ(s.transfers[0].from_plant, wi);
  EXPECT_EQ(s.transfers[0].to_plant, tx);
  EXPECT_EQ(s.transfers[0].component, static_cast<int32_t>(FindById(s.components, "ps-33kw")));
  EXPECT_EQ(s.transfers[0].transit_weeks, 2);
  EXPECT_DOUBLE_EQ(s.transfers[0].cost_usd_per_unit, 35.5);
  EXPECT_EQ(s.transfers[1].from_plant, tx);
  EXPECT_EQ(s.transfers[1].to_plant, wi);
  EXPECT_EQ(s.transfers[1].component, static_cast<int32_t>(FindById(s.components, "cdu")));
  EXPECT_EQ(s.transfers[1].transit_weeks, 0);
  EXPECT_DOUBLE_EQ(s.transfers[1].cost_usd_per_unit, 0);
}

TEST(ScenarioLoader, CrlfAndByteOrderMarkAndMissingOptionalColumns) {
  ScenarioTexts texts = ReadScenarioFolder(TinyDir());
  // A spreadsheet export: BOM, CRLF, and only the required columns of lanes.csv.
  texts.files["lanes.csv"] = "\xEF\xBB\xBFplant,site\r\nwi-mp,abilene-tx\r\ntx-hou,lordstown-oh\r\n";
  const model::Scenario s = LoadScenarioFromTexts(texts);
  ASSERT_EQ(s.lanes.size(), 2u);
  EXPECT_EQ(s.lanes[1].plant, 1);
  EXPECT_EQ(s.lanes[1].site, 1);
  EXPECT_EQ(s.lanes[1].transit_weeks, 0);
  EXPECT_DOUBLE_EQ(s.lanes[1].cost_usd_per_rack, 0);
}

// Phase-out, last-time buy and the end-of-horizon penalty: absent means none
// (tiny has none of them), given they are read as written.
TEST(ScenarioLoader, LastWeeksAndEndPenalty) {
  ScenarioTexts texts = ReadScenarioFolder(TinyDir());
  {
    // tiny: alpha ends in week 11, no offer has a last order week, end penalty on evaluation only.
    const model::Scenario s = LoadScenarioFromTexts(texts);
    EXPECT_EQ(s.designs[FindById(s.designs, "alpha")].last_build_week, std::optional<int32_t>(11));
    EXPECT_FALSE(s.designs[FindById(s.designs, "beta")].last_build_week.has_value());
    for (const model::Offer& o : s.offers) EXPECT_FALSE(o.last_order_week.has_value());
    EXPECT_EQ(s.policy.end_backlog_penalty_usd_per_rack, (std::array<double, 3>{100000, 0, 0}));
  }
  {
    // Without the key every kind is 0.
    std::string& text = texts.files["scenario.yaml"];
    const std::string line = "  end_backlog_penalty_usd_per_rack: {evaluation: 100000}   # firm and option: 0\n";
    ASSERT_NE(text.find(line), std::string::npos);
    text.erase(text.find(line), line.size());
    for (double v : LoadScenarioFromTexts(texts).policy.end_backlog_penalty_usd_per_rack) EXPECT_EQ(v, 0.0);
  }
  std::string& scenario = texts.files["scenario.yaml"];
  const std::string holding = "  rack_holding_usd_per_week: 500\n";
  scenario.replace(scenario.find(holding), holding.size(),
                   holding + "  end_backlog_penalty_usd_per_rack: {evaluation: 250000, option: 40000}\n");
  std::string& alpha = texts.files["designs/alpha.yaml"];
  const std::string from = "last_build_week: 11";
  ASSERT_NE(alpha.find(from), std::string::npos);
  alpha.replace(alpha.find(from), from.size(), "last_build_week: 7");
  texts.files["offers.csv"] =
      "supplier,component,unit_cost_usd,capacity_per_week,lead_time_weeks,available_from_week,last_order_week,"
      "tariff_rate\n"
      "fii-tw,tray-a,150000,40,2,0,5,0.25\nflex-us,tray-a,160000,20,1,0,,0\nfii-tw,tray-b,190000,30,2,0,,0.25\n"
      "delta-tw,ps-33kw,4000,200,1,0,,0.1\nvertiv-us,cdu,30000,20,2,0,,0\nfii-tw,cable-cart,8000,100,1,0,11,0.25\n"
      "flex-us,frame-orv3,5000,50,1,0,,0\ndelta-tw,psu-cell,300,400,1,0,,0.1\nflex-us,ps-chassis,400,200,1,0,,0\n";
  const model::Scenario s = LoadScenarioFromTexts(texts);
  const int32_t alpha_ix = FindById(s.designs, "alpha");
  ASSERT_GE(alpha_ix, 0);
  EXPECT_EQ(s.designs[alpha_ix].last_build_week, std::optional<int32_t>(7));
  EXPECT_TRUE(s.designs[alpha_ix].buildable_in(7));
  EXPECT_FALSE(s.designs[alpha_ix].buildable_in(8));
  ASSERT_EQ(s.offers.size(), 9u);
  EXPECT_EQ(s.offers[0].last_order_week, std::optional<int32_t>(5));
  EXPECT_FALSE(s.offers[1].last_order_week.has_value());
  EXPECT_EQ(s.offers[5].last_order_week, std::optional<int32_t>(11));
  EXPECT_DOUBLE_EQ(s.offers[0].tariff_rate, 0.25);
  EXPECT_TRUE(s.offers[0].orderable_in(5));
  EXPECT_FALSE(s.offers[0].orderable_in(6));
  EXPECT_DOUBLE_EQ(s.policy.end_backlog_penalty_usd_per_rack[0], 250000);
  EXPECT_DOUBLE_EQ(s.policy.end_backlog_penalty_usd_per_rack[1], 0);
  EXPECT_DOUBLE_EQ(s.policy.end_backlog_penalty_usd_per_rack[2], 40000);
}

// last_order_week before available_from_week, and a bad week, name the row.
TEST(ScenarioLoader, LastOrderWeekRules) {
  ScenarioTexts texts = ReadScenarioFolder(TinyDir());
  texts.files["offers.csv"] =
      "supplier,component,unit_cost_usd,capacity_per_week,lead_time_weeks,available_from_week,last_order_week,"
      "tariff_rate\n"
      "fii-tw,tray-a,150000,40,2,3,2,0.25\nflex-us,tray-a,160000,20,1,0,1.5,0\nfii-tw,tray-b,190000,30,2,0,,0.25\n"
      "delta-tw,ps-33kw,4000,200,1,0,,0.1\nvertiv-us,cdu,30000,20,2,0,,0\nfii-tw,cable-cart,8000,100,1,0,,0.25\n"
      "flex-us,frame-orv3,5000,50,1,0,,0\n";
  try {
    LoadScenarioFromTexts(texts);
    FAIL() << "expected a LoadError";
  } catch (const LoadError& e) {
    // Both tray-a rows are rejected, so tray-a is also reported as unsold (a third diagnostic).
    const std::string text = e.what();
    EXPECT_THAT(text, ::testing::HasSubstr("offers.csv:2: last_order_week: 2 is before available_from_week 3 (the "
                                           "last order week cannot precede the first)\n"));
    EXPECT_THAT(text, ::testing::HasSubstr("offers.csv:3: last_order_week: 1.5 is not a whole number of weeks\n"));
  }
}

// With supply_lanes.csv, a supplier with a usable offer and no lane is an error;
// without the file every supplier reaches every plant (transit 0, cost 0).
TEST(ScenarioLoader, SupplyLanesRules) {
  ScenarioTexts texts = ReadScenarioFolder(TinyDir());
  std::string& lanes = texts.files["supply_lanes.csv"];
  const std::string delta = "delta-tw,tx-hou,1,50\n";
  ASSERT_NE(lanes.find(delta), std::string::npos);
  lanes.erase(lanes.find(delta), delta.size());
  try {
    LoadScenarioFromTexts(texts);
    FAIL() << "expected a LoadError";
  } catch (const LoadError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("supply_lanes.csv: supplier 'delta-tw' has an offer (offers.csv line 6) "
                                               "but no supply lane"));
  }
  texts.files.erase("supply_lanes.csv");
  const model::Scenario s = LoadScenarioFromTexts(texts);
  EXPECT_FALSE(s.supply_lanes.has_value());
  const std::vector<model::SupplyLane> all = model::SupplyLanes(s);
  ASSERT_EQ(all.size(), s.suppliers.size() * s.plants.size());
  EXPECT_EQ(all[1].supplier, 0);
  EXPECT_EQ(all[1].plant, 1);
  EXPECT_EQ(all[1].transit_weeks, 0);
  EXPECT_EQ(all[1].cost_usd_per_unit, 0);
}

TEST(ScenarioLoader, DefaultScenarioLoads) {
  const std::string dir = std::string(RACKFORGE_SOURCE_DIR) + "/scenarios/us-ai-racks-2026";
  const model::Scenario s = LoadScenario(dir);
  EXPECT_EQ(s.plants.size(), 5u);
  EXPECT_GE(s.designs.size(), 3u);
  for (const model::Line& l : s.lines) EXPECT_GE(l.plant, 0);
  EXPECT_EQ(s.policy.quantities, model::Quantities::kWhole);  // the default scenario plans whole racks and orders
  // The v2 model in use: component lines with multi-part BOMs in four plants, transfers of what they
  // make, a component-line expansion, suppliers that reach one plant only, stock per plant, a phase-out
  // and a last-time buy.
  std::set<int32_t> making_plants;
  for (const model::ComponentLine& m : s.component_lines) {
    if (m.expansion < 0) making_plants.insert(m.plant);
    for (int32_t c : m.components) EXPECT_GE(s.components[c].parts.size(), 1u) << s.components[c].id;
  }
  EXPECT_EQ(making_plants.size(), 4u);
  EXPECT_FALSE(s.transfers.empty());
  EXPECT_TRUE(std::any_of(s.expansions.begin(), s.expansions.end(),
                          [](const model::Expansion& e) { return e.kind == model::ExpansionKind::kComponentLine; }));
  ASSERT_TRUE(s.supply_lanes.has_value());
  std::vector<int> lanes_of(s.suppliers.size(), 0);
  for (const model::SupplyLane& l : *s.supply_lanes) ++lanes_of[l.supplier];
  EXPECT_TRUE(std::count(lanes_of.begin(), lanes_of.end(), 1) > 0);
  EXPECT_FALSE(s.on_hand.empty());
  EXPECT_TRUE(std::any_of(s.designs.begin(), s.designs.end(), [](const model::Design& d) { return d.last_build_week; }));
  EXPECT_TRUE(std::any_of(s.offers.begin(), s.offers.end(), [](const model::Offer& o) { return o.last_order_week; }));
}

TEST(ScenarioLoader, PolicyQuantitiesWhole) {
  testing::TempScenario t;
  t.Replace("scenario.yaml", "option_demand: expected", "option_demand: expected\n  quantities: whole");
  EXPECT_EQ(LoadScenario(t.dir()).policy.quantities, model::Quantities::kWhole);
  t.Replace("scenario.yaml", "quantities: whole", "quantities: continuous");
  EXPECT_EQ(LoadScenario(t.dir()).policy.quantities, model::Quantities::kContinuous);
}

}  // namespace
}  // namespace rackforge::io
