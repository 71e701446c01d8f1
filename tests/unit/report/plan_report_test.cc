// Plan and sweep outputs for a hand-filled PlanResult on a small scenario
// built in code (2 plants, 2 lines, 1 design, 1 component with a US and a
// foreign offer, 1 site, 4 weeks).

#include "report/plan_report.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <regex>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/errors.h"
#include "report/output_folder.h"
#include "unit/report/xml_check.h"

namespace rackforge::report {
namespace {

namespace fs = std::filesystem;

model::Scenario SmallScenario() {
  model::Scenario s;
  s.name = "small";
  s.start_week = "2026-W01";
  s.horizon_weeks = 4;
  s.policy.domestic_content_min = 0.5;
  s.target = {{0, 1}, {2, 2}};
  s.designs.push_back({});
  s.designs[0].id = "nvl";
  s.components.push_back({});
  s.components[0].id = "tray";
  s.components[0].offers = {0, 1};
  s.suppliers = {{"us-co", "US Co", "US", "WI", 2, 0.01}, {"tw-co", "TW Co", "TW", "", 4, 0.02}};
  s.offers = {{0, 0, 10.0, 100, 1, 0, 0.0, std::nullopt}, {1, 0, 8.0, 100, 2, 0, 0.25, std::nullopt}};
  s.plants.push_back({});
  s.plants[0].id = "wi";
  s.plants[0].lines = {0};
  s.plants.push_back({});
  s.plants[1].id = "oh";
  s.plants[1].lines = {1};
  s.lines.push_back({});
  s.lines[0].id = "wi-1";
  s.lines[0].plant = 0;
  s.lines[0].designs = {0};
  s.lines.push_back({});
  s.lines[1].id = "oh-1";
  s.lines[1].plant = 1;
  s.lines[1].designs = {0};
  s.sites.push_back({"dc-1", "Abilene", "TX", "openai"});
  s.lanes = {{0, 0, 1, 10.0}, {1, 0, 2, 12.0}};
  s.supply_lanes = std::vector<model::SupplyLane>{{0, 0, 0, 1.0}, {1, 1, 1, 2.0}};  // us-co -> wi, tw-co -> oh
  s.transfers = {{1, 0, 0, 0, 0.5}, {0, 1, 0, 2, 1.25}};  // oh -> wi (transit 0), wi -> oh (transit 2)
  // Component line oh-ps at oh makes shelves (made only) from 2 trays each, $2 per unit.
  s.components.push_back({});
  s.components[1].id = "shelf";
  s.components[1].parts = {{0, 2}};
  s.components[1].made_by = {0};
  s.component_lines.push_back({});
  s.component_lines[0].id = "oh-ps";
  s.component_lines[0].plant = 1;
  s.component_lines[0].components = {1};
  s.component_lines[0].units_per_week = 5;
  s.component_lines[0].cost_usd_per_unit = 2;
  s.plants[1].component_lines = {0};
  return s;
}

plan::PlanResult SmallResult() {
  plan::PlanResult r;
  r.status = solver::SolveStatus::kOptimal;
  r.has_solution = true;
  r.weeks = 4;
  r.designs = 1;
  r.plants = 2;
  r.make.assign(2 * 1 * 4, 0.0);
  r.ship.assign(2 * 1 * 3 * 4, 0.0);
  r.inv.assign(2 * 1 * 4, 0.0);
  r.back.assign(1 * 1 * 3 * 4, 0.0);
  r.buy.assign(2 * 2 * 4, 0.0);
  r.components = 2;
  r.cinv.assign(2 * 2 * 4, 0.0);
  r.makec.assign(1 * 2 * 4, 0.0);
  r.makec[r.MakecIndex(0, 1, 2)] = 3;  // oh-ps makes 3 shelves in week 2
  r.units_made = {0, 3};
  const double wi[] = {0.5, 2, 2, 1.5};
  for (int t = 0; t < 4; ++t) r.make[r.MakeIndex(0, 0, t)] = wi[t];
  r.make[r.MakeIndex(1, 0, 2)] = 1;
  r.ship[r.ShipIndex(0, 0, 1, 1)] = 2.5;  // wi -> dc-1, firm, departs week 1
  r.inv[r.InvIndex(1, 0, 2)] = 1;
  r.back[r.BackIndex(0, 0, 1, 2)] = 1.5;
  r.buy[r.BuyIndex(0, 0, 0)] = 10;  // us-co to wi in week 0
  r.buy[r.BuyIndex(1, 1, 1)] = 5;   // tw-co to oh in week 1 (lead 2 + transit 1)
  r.cinv[r.CinvIndex(0, 0, 0)] = 4;
  r.xfer.assign(2 * 4, 0.0);
  r.xfer[r.XferIndex(1, 1)] = 4;  // wi -> oh, departs week 1, arrives week 3
  r.cost = {.components = 100, .tariffs = 10, .in_house = 6, .production = 20, .transport = 25, .holding = 1,
            .backlog_penalty = 7.5, .capex = 0};  // in-house 3 x $2
  r.objective_usd = r.cost.total();
  r.racks_built = 7;
  r.racks_built_by_week = {0.5, 2, 3, 1.5};
  r.racks_built_by_plant = {6, 1};
  r.domestic_content = 100.0 / 140.0;
  r.backlog_rack_weeks = {0, 1.5, 0};
  r.expansions_opened = {"oh-cells"};
  plan::Bottleneck b;
  b.node = "line:wi-1";
  b.first_week = 1;
  b.last_week = 2;
  b.dual_usd_per_unit = 1234.5;
  b.peak_week = 1;
  b.weekly_usd_per_unit = 1000.25;
  b.relief = plan::BottleneckRelief{"wi-l9", false, 2, 5000, 2000.5};
  b.text = "line wi-1, weeks 1-2: +$1,234.50 per extra rack";
  r.bottlenecks.push_back(b);
  plan::LateDemand late;
  late.site = "dc-1";
  late.design = "nvl";
  late.rack_weeks = 1.5;
  late.held_back_by = {"line:wi-1"};
  late.held_back_share = {1.0};
  late.late_racks = 1.5;
  late.latest = plan::LatestOrder{1, -1, 1.5, 3};
  late.text = "firm nvl at dc-1: 1.5 rack-weeks late";
  r.late_demand.push_back(late);
  // Firm demand of 4 racks in week 1: 2.5 arrive from wi in week 2, 1.5 never do (H - 1 = 3 weeks late).
  r.pegging.push_back({0, 0, model::DemandKind::kFirm, 1, 0, 1, 2, 2.5, 1});
  r.pegging.push_back({0, 0, model::DemandKind::kFirm, 1, -1, -1, -1, 1.5, 3});
  r.promise = plan::SummarizePegging(r.pegging);
  return r;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string TempDir() {
  std::string pattern = (fs::temp_directory_path() / "rf-report-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp");
  return pattern;
}

std::string CommandOutput(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

TEST(PlanToJsonTest, HasExactlyTheDocumentedKeys) {
  const nlohmann::json j = PlanToJson(SmallScenario(), SmallResult());
  std::set<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.insert(key);
  const std::set<std::string> expected = {
      "objective_usd", "status", "gap", "cost_breakdown_usd", "racks_built", "racks_built_by_week",
      "racks_built_by_plant", "units_made", "domestic_content", "backlog_rack_weeks", "backlog_at_end_racks",
      "expansions_opened", "bottlenecks", "late_demand", "on_time_share", "mean_weeks_late",
      // extras
      "scenario", "domestic_content_min", "option_demand", "target_by_week", "first_week_target_met",
      "weeks_target_met", "ramp_reached",
      // re-planning against a stored run (null here)
      "racks_moved", "baseline",
      // whole quantities (null for a continuous plan)
      "quantities", "continuous_bound_usd", "whole_gap"};
  EXPECT_EQ(keys, expected);
  EXPECT_TRUE(j["racks_moved"].is_null());
  EXPECT_TRUE(j["baseline"].is_null());
  EXPECT_EQ(j["quantities"], "continuous");
  EXPECT_TRUE(j["whole_gap"].is_null());
  EXPECT_TRUE(j["continuous_bound_usd"].is_null());
  std::set<std::string> parts;
  for (const auto& [key, value] : j["cost_breakdown_usd"].items()) parts.insert(key);
  EXPECT_EQ(parts, (std::set<std::string>{"components", "tariffs", "in_house", "production", "transport", "holding",
                                          "backlog_penalty", "capex", "plan_changes"}));
  EXPECT_EQ(j["units_made"], (nlohmann::json{{"shelf", 3.0}}));  // components some line makes
  EXPECT_EQ(j["cost_breakdown_usd"]["in_house"], 6.0);
  EXPECT_EQ(j["bottlenecks"][0].size(), 9u);
  EXPECT_EQ(j["late_demand"][0].size(), 9u);
}

TEST(PlanToJsonTest, ValuesAndCostPartsSumToObjective) {
  const nlohmann::json j = PlanToJson(SmallScenario(), SmallResult());
  double sum = 0;
  for (const auto& [key, value] : j["cost_breakdown_usd"].items()) sum += value.get<double>();
  EXPECT_DOUBLE_EQ(sum, j["objective_usd"].get<double>());
  EXPECT_DOUBLE_EQ(j["objective_usd"].get<double>(), 169.5);  // 163.5 + in-house $6
  EXPECT_EQ(j["status"], "optimal");
  EXPECT_EQ(j["gap"], 0.0);
  EXPECT_EQ(j["racks_built_by_plant"], nlohmann::json({{"wi", 6.0}, {"oh", 1.0}}));
  EXPECT_EQ(j["racks_built_by_week"], nlohmann::json({0.5, 2.0, 3.0, 1.5}));
  EXPECT_EQ(j["backlog_rack_weeks"], nlohmann::json({{"evaluation", 0.0}, {"firm", 1.5}, {"option", 0.0}}));
  EXPECT_EQ(j["expansions_opened"], nlohmann::json({"oh-cells"}));
  EXPECT_EQ(j["bottlenecks"][0]["kind"], "line");
  EXPECT_EQ(j["bottlenecks"][0]["node"], "line:wi-1");
  EXPECT_EQ(j["bottlenecks"][0]["first_week"], 1);
  EXPECT_EQ(j["bottlenecks"][0]["dual_usd_per_unit"], 1234.5);
  EXPECT_EQ(j["bottlenecks"][0]["weekly_usd_per_unit"], 1000.25);
  EXPECT_EQ(j["bottlenecks"][0]["peak_week"], 1);
  EXPECT_EQ(j["bottlenecks"][0]["relief"],
            nlohmann::json({{"expansion", "wi-l9"}, {"opened", false}, {"active_from_week", 2}, {"capex_usd", 5000.0},
                            {"saving_usd", 2000.5}}));
  EXPECT_EQ(j["late_demand"][0]["kind"], "firm");
  EXPECT_EQ(j["late_demand"][0]["held_back_by"], nlohmann::json({"line:wi-1"}));
  EXPECT_EQ(j["late_demand"][0]["held_back_share"], nlohmann::json({1.0}));
  EXPECT_EQ(j["late_demand"][0]["late_racks"], 1.5);
  EXPECT_EQ(j["late_demand"][0]["latest_order"],
            nlohmann::json({{"demand_week", 1}, {"promised_week", nullptr}, {"racks", 1.5}, {"weeks_late", 3}}));
  EXPECT_EQ(j["on_time_share"], nlohmann::json({{"evaluation", nullptr}, {"firm", 0.0}, {"option", nullptr}}));
  EXPECT_EQ(j["mean_weeks_late"], nlohmann::json({{"evaluation", nullptr}, {"firm", 1.75}, {"option", nullptr}}));
  // Target 1 at week 0, 1.5 at week 1, 2 from week 2; output 0.5, 2, 3, 1.5.
  EXPECT_EQ(j["target_by_week"], nlohmann::json({1.0, 1.5, 2.0, 2.0}));
  EXPECT_EQ(j["first_week_target_met"], 1);
  EXPECT_EQ(j["weeks_target_met"], 2);
  EXPECT_EQ(j["ramp_reached"], false);
}

// A re-plan against a stored run: racks_moved, the baseline object and plan_changes in the JSON;
// the console names the run, the moved racks and the conflicting frozen quantities.
TEST(PlanToJsonTest, ReplanFiguresInJsonAndSummary) {
  plan::PlanResult r = SmallResult();
  r.cost.plan_changes = 12.5;
  r.objective_usd = r.cost.total();
  plan::BaselineReport b;
  b.run_id = "7";
  b.freeze_weeks = 2;
  b.change_penalty_usd = 2.5;
  b.frozen_cells = 14;
  b.penalized_cells = 3;
  b.common_weeks = 4;
  b.racks_moved = 5;
  b.dropped = {"make line old-line design g: not in this scenario"};
  r.baseline = b;
  const nlohmann::json j = PlanToJson(SmallScenario(), r);
  EXPECT_EQ(j["racks_moved"], 5.0);
  EXPECT_EQ(j["cost_breakdown_usd"]["plan_changes"], 12.5);
  EXPECT_EQ(j["baseline"]["run_id"], "7");
  EXPECT_EQ(j["baseline"]["freeze_weeks"], 2);
  EXPECT_EQ(j["baseline"]["change_penalty_usd"], 2.5);
  EXPECT_EQ(j["baseline"]["frozen_cells"], 14);
  EXPECT_EQ(j["baseline"]["dropped"][0], b.dropped[0]);
  const std::string text = PlanSummaryText(SmallScenario(), r);
  EXPECT_NE(text.find("Re-plan against run 7: 2 weeks frozen (14 cells)"), std::string::npos) << text;
  EXPECT_NE(text.find("Racks moved against run 7: 5.0"), std::string::npos) << text;
  EXPECT_NE(text.find("plan changes"), std::string::npos) << text;
  EXPECT_NE(text.find("dropped: make line old-line design g"), std::string::npos) << text;

  plan::PlanResult infeasible;
  infeasible.status = solver::SolveStatus::kInfeasible;
  plan::FrozenConflict c;
  c.key = "l,g";
  c.text = "line l design g week 0 (2026-W01): frozen 8 racks, capacity and parts allow 0";
  b.conflicts = {c};
  infeasible.baseline = b;
  const nlohmann::json ji = PlanToJson(SmallScenario(), infeasible);
  EXPECT_TRUE(ji["racks_moved"].is_null());
  EXPECT_EQ(ji["baseline"]["conflicts"][0]["family"], "make");
  EXPECT_EQ(ji["baseline"]["conflicts"][0]["key"], "l,g");
  const std::string no_plan = PlanSummaryText(SmallScenario(), infeasible);
  EXPECT_NE(no_plan.find("The frozen weeks cannot be met; 1 frozen quantities conflict:\n    - " + c.text),
            std::string::npos)
      << no_plan;
}

TEST(PlanToJsonTest, RampReachedWhenTheFinalTargetHolds) {
  plan::PlanResult r = SmallResult();
  r.racks_built_by_week = {0.5, 2, 3, 2 - 1e-10};  // within the 1e-9 tolerance
  const RampStatus ramp = ComputeRamp(SmallScenario(), r);
  EXPECT_TRUE(ramp.ramp_reached);
  EXPECT_EQ(ramp.weeks_target_met, 3);
  model::Scenario no_target = SmallScenario();
  no_target.target.clear();
  EXPECT_FALSE(ComputeRamp(no_target, r).ramp_reached);
}

TEST(PlanSummaryTest, ExplainsTheLastWeeksWhenTheHorizonEndsTheBuild) {
  // Target 1, 1.5, 2, 2. Weeks 2-3 build 1.2 and 0.5 (below the target and more than 5 % below the peak of 2):
  // with nothing owed at the end the console says why; with racks still owed it says nothing (the reason
  // is then something else), and a last week at the target is no tail.
  plan::PlanResult r = SmallResult();
  r.racks_built_by_week = {1, 2, 1.2, 0.5};
  r.backlog_at_end_racks = {0, 0, 0};
  const std::string note = EndOfHorizonNote(SmallScenario(), r, ComputeRamp(SmallScenario(), r));
  EXPECT_EQ(note.rfind("Weeks 2-3 build less than the peak of 2.0 racks/week (1.2 / 0.5) because the horizon ends", 0), 0u)
      << note;
  EXPECT_NE(PlanSummaryText(SmallScenario(), r).find("  " + note + "\n"), std::string::npos);
  EXPECT_NE(PlanHtml(SmallScenario(), r).find("The last weeks"), std::string::npos);

  // The peak reaches the last target point (2): the ramp line names no peak.
  EXPECT_EQ(PeakBelowTarget(SmallScenario(), r), "");
  plan::PlanResult low = r;
  low.racks_built_by_week = {1, 1.5, 1.2, 0.5};
  EXPECT_EQ(PeakBelowTarget(SmallScenario(), low), " (peak output 1.5 racks/week)");
  EXPECT_NE(PlanSummaryText(SmallScenario(), low).find("NOT reached (peak output 1.5 racks/week)\n"), std::string::npos);

  plan::PlanResult owed = r;
  owed.backlog_at_end_racks = {0, 0.5, 0};
  EXPECT_EQ(EndOfHorizonNote(SmallScenario(), owed, ComputeRamp(SmallScenario(), owed)), "");

  plan::PlanResult at_target = r;
  at_target.racks_built_by_week = {1, 2, 1.2, 2};
  EXPECT_EQ(EndOfHorizonNote(SmallScenario(), at_target, ComputeRamp(SmallScenario(), at_target)), "");
}

TEST(PlanToJsonTest, InfeasibleResultStillGivesTheKeys) {
  plan::PlanResult r;
  r.status = solver::SolveStatus::kInfeasible;
  const nlohmann::json j = PlanToJson(SmallScenario(), r);
  EXPECT_EQ(j["status"], "infeasible");
  EXPECT_EQ(j["racks_built_by_week"], nlohmann::json::array());
  EXPECT_EQ(j["racks_built_by_plant"]["wi"], 0.0);
  EXPECT_TRUE(j["first_week_target_met"].is_null());
}

TEST(PlanSummaryTest, TimeLimitBeforeAnyPlanSaysSoAndNotInfeasible) {
  plan::PlanResult r;
  r.status = solver::SolveStatus::kTimeLimit;
  r.has_solution = false;
  const std::string text = PlanSummaryText(SmallScenario(), r);
  EXPECT_NE(text.find("Status: stopped at the time limit before any plan was found"), std::string::npos) << text;
  EXPECT_NE(text.find("No plan: the time limit ran out before the solver found one"), std::string::npos) << text;
  EXPECT_EQ(text.find("gap"), std::string::npos) << text;
  EXPECT_EQ(text.find("found no solution"), std::string::npos) << text;
  EXPECT_EQ(PlanToJson(SmallScenario(), r)["status"], "time_limit");
  // The report shows the status and why, not figures of a plan that does not exist ($0, 0 racks).
  const std::string html = PlanHtml(SmallScenario(), r);
  EXPECT_NE(html.find("stopped at the time limit before any plan was found"), std::string::npos);
  EXPECT_NE(html.find("The time limit ran out before the solver found a plan"), std::string::npos);
  EXPECT_EQ(html.find("Total cost"), std::string::npos);
  EXPECT_EQ(html.find("Racks built"), std::string::npos);
}

TEST(PlanSummaryTest, ReadableForPlanners) {
  const std::string text = PlanSummaryText(SmallScenario(), SmallResult());
  EXPECT_NE(text.find("Ramp target: 2 racks/week from week 2: NOT reached\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Target first met in week 1"), std::string::npos) << text;
  EXPECT_NE(text.find("wi"), std::string::npos);
  EXPECT_NE(text.find("85.7 %"), std::string::npos) << text;  // wi's share of output
  EXPECT_NE(
      text.find("Domestic content achieved by this plan: 71.4 % of pre-tariff component spend plus in-house value "
                "added (floor 50.0 %, met)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("In-house: 3.0 shelf at oh (line oh-ps); value added $6\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Cost: $170 total"), std::string::npos) << text;
  EXPECT_NE(text.find("1. line wi-1, weeks 1-2"), std::string::npos) << text;
  EXPECT_NE(text.find("firm nvl at dc-1: 1.5 rack-weeks late"), std::string::npos) << text;
  EXPECT_NE(text.find("Expansions opened: oh-cells"), std::string::npos) << text;
  // Promise dates: both firm rows are late, (2.5·1 + 1.5·3) / 4 = 1.75 weeks on average.
  EXPECT_NE(text.find("firm 0.0 % on time, 1.75 weeks late on average"), std::string::npos) << text;
  const size_t latest = text.find("Latest orders:");
  ASSERT_NE(latest, std::string::npos) << text;
  const size_t unserved = text.find("1 (2026-W02)       not in horizon", latest);
  const size_t served = text.find("2 (2026-W03)", latest);
  ASSERT_NE(unserved, std::string::npos) << text;
  ASSERT_NE(served, std::string::npos) << text;
  EXPECT_LT(unserved, served) << text;  // 3 weeks late before 1 week late
}

// A whole plan: rack counts without decimals (its racks are whole numbers), the bound and the gap;
// a continuous plan keeps one decimal for display (its files keep every digit).
TEST(PlanSummaryTest, WholePlanShowsWholeRacksBoundAndGap) {
  plan::PlanResult r = SmallResult();
  EXPECT_NE(PlanSummaryText(SmallScenario(), r).find("Output: 7.0 racks over 4 weeks"), std::string::npos);
  r.whole = true;
  r.continuous_bound_usd = 150;
  r.whole_gap = (r.objective_usd - 150) / r.objective_usd;
  const std::string text = PlanSummaryText(SmallScenario(), r);
  EXPECT_NE(text.find("Output: 7 racks over 4 weeks"), std::string::npos) << text;
  EXPECT_NE(text.find("Whole quantities: continuous bound $150, whole gap 11.5044 %"), std::string::npos) << text;
  const nlohmann::json j = PlanToJson(SmallScenario(), r);
  EXPECT_EQ(j["quantities"], "whole");
  EXPECT_DOUBLE_EQ(j["continuous_bound_usd"].get<double>(), 150);
  EXPECT_DOUBLE_EQ(j["whole_gap"].get<double>(), r.whole_gap);
}

// With nothing bought the domestic row holds trivially (0 >= floor x 0): the
// summary says so instead of reporting a 0 % share that "misses" the floor.
TEST(PlanSummaryTest, NoPurchasesIsNotAMissedFloor) {
  plan::PlanResult r = SmallResult();
  r.cost.components = 0;
  r.cost.tariffs = 0;
  r.cost.in_house = 0;
  r.makec.assign(r.makec.size(), 0.0);
  r.domestic_content = 0;
  const std::string text = PlanSummaryText(SmallScenario(), r);
  EXPECT_NE(text.find("Domestic content achieved by this plan: no components bought (on-hand stock only); floor 50.0 %"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("NOT met"), std::string::npos) << text;
}

TEST(PlanTablesTest, CsvContentsOfTheHandFilledPlan) {
  std::vector<Table> tables = PlanTables(SmallScenario(), SmallResult());
  ASSERT_EQ(tables.size(), 9u);
  EXPECT_EQ(ToCsv(tables[0]),
            "line,plant,design,week,racks\n"
            "wi-1,wi,nvl,0,0.5\nwi-1,wi,nvl,1,2\nwi-1,wi,nvl,2,2\nwi-1,wi,nvl,3,1.5\noh-1,oh,nvl,2,1\n");
  EXPECT_EQ(tables[1].name, "component_builds");
  EXPECT_EQ(ToCsv(tables[1]), "line,plant,component,week,units,cost_usd\noh-ps,oh,shelf,2,3,6\n");
  tables.erase(tables.begin() + 1);  // the other tables as before
  EXPECT_EQ(ToCsv(tables[1]),
            "plant,site,design,kind,week,arrival_week,racks,cost_usd\nwi,dc-1,nvl,firm,1,2,2.5,25\n");
  EXPECT_EQ(ToCsv(tables[2]),
            "supplier,component,plant,order_week,arrival_week,units,cost_usd,tariff_usd,freight_usd,domestic\n"
            "us-co,tray,wi,0,1,10,100,0,10,yes\ntw-co,tray,oh,1,4,5,40,10,10,no\n");
  EXPECT_EQ(ToCsv(tables[3]),
            "from_plant,to_plant,component,week,arrival_week,units,cost_usd\nwi,oh,tray,1,3,4,5\n");
  EXPECT_EQ(ToCsv(tables[4]), "plant,design,week,racks\noh,nvl,2,1\n");
  EXPECT_EQ(ToCsv(tables[5]), "plant,component,week,units\nwi,tray,0,4\n");
  EXPECT_EQ(ToCsv(tables[6]), "site,design,kind,week,racks\ndc-1,nvl,firm,2,1.5\n");
  EXPECT_EQ(ToCsv(tables[7]),
            "site,design,kind,demand_week,plant,ship_week,arrival_week,racks,weeks_late,demand_iso_week,demand_date,"
            "arrival_iso_week,arrival_date\n"
            "dc-1,nvl,firm,1,wi,1,2,2.5,1,2026-W02,2026-01-05,2026-W03,2026-01-12\n"
            "dc-1,nvl,firm,1,,,,1.5,3,2026-W02,2026-01-05,,\n");
}

TEST(PlanTablesTest, CsvQuotesSpecialText) {
  Table t{"t", {"a", "b"}, {{std::string("x,y"), std::string("say \"hi\"")}, {std::string("plain"), 0.1}}};
  EXPECT_EQ(ToCsv(t), "a,b\n\"x,y\",\"say \"\"hi\"\"\"\nplain,0.1\n");
}

TEST(PlanHtmlTest, SelfContainedReportWithChartsAndTables) {
  const std::string html = PlanHtml(SmallScenario(), SmallResult());
  EXPECT_EQ(testing::CheckXml(html, true), "");
  for (const char* title :
       {"Weekly output vs ramp target", "Output by plant", "Domestic content of component orders", "Cost breakdown",
        "Backlog by demand kind", "Component builds by line", "Component builds per line"}) {
    EXPECT_NE(html.find(title), std::string::npos) << title;
  }
  EXPECT_NE(html.find("line wi-1, weeks 1-2: +$1,234.50 per extra rack"), std::string::npos);
  EXPECT_NE(html.find("firm nvl at dc-1: 1.5 rack-weeks late"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("Latest orders first"), std::string::npos);
  EXPECT_NE(html.find("not in horizon"), std::string::npos);
}

TEST(PlanHtmlTest, LoadHeatmapMarksTheBindingWeeks) {
  model::Scenario s = SmallScenario();
  s.lines[0].racks_per_week = 2;  // wi-1 builds 0.5, 2, 2, 1.5: binding in weeks 1 and 2
  s.lines[1].racks_per_week = 4;  // oh-1 builds 1 in week 2
  const std::string html = PlanHtml(s, SmallResult());
  EXPECT_EQ(testing::CheckXml(html, true), "");
  EXPECT_NE(html.find("<h2>Load by line and week</h2>"), std::string::npos);
  size_t cells = 0, marked = 0;
  for (size_t p = html.find("<rect class=\"cell"); p != std::string::npos; p = html.find("<rect class=\"cell", p + 1)) {
    ++cells;
    if (html.compare(p, 25, "<rect class=\"cell marked\"") == 0) ++marked;
  }
  EXPECT_EQ(cells, 5u * 4u);  // 2 lines + component line oh-ps + 2 plants' test cells, 4 weeks; no offer binds
  EXPECT_EQ(marked, 2u);
  EXPECT_NE(html.find("<title>wi-1, 2026-W02 (Mon 2026-01-05): 2.0 of 2.0 racks (100.0 %)</title>"), std::string::npos);
  EXPECT_NE(html.find("<title>oh-1, 2026-W03 (Mon 2026-01-12): 1.0 of 4.0 racks (25.0 %)</title>"), std::string::npos);
  EXPECT_NE(html.find("No supplier offer binds in any week."), std::string::npos);
}

TEST(PlanHtmlTest, LateDemandShowsTwentyRowsAndCollapsesTheRest) {
  plan::PlanResult r = SmallResult();
  const plan::LateDemand late = r.late_demand.front();
  r.late_demand.clear();
  for (int i = 0; i < 23; ++i) {
    r.late_demand.push_back(late);
    r.late_demand.back().text = fmt::format("late cell number {}.", i);
    r.late_demand.back().rack_weeks = i;  // the last is the latest: the table turns the order round
  }
  const std::string html = PlanHtml(SmallScenario(), r);
  EXPECT_EQ(testing::CheckXml(html, true), "");
  const size_t details = html.find("<details><summary>3 more late (site, design, kind) cells (open)</summary>");
  ASSERT_NE(details, std::string::npos);
  EXPECT_LT(html.find("late cell number 22."), html.find("late cell number 21."));
  EXPECT_LT(html.find("late cell number 3."), details);
  EXPECT_GT(html.find("late cell number 2."), details);
  EXPECT_GT(html.find("late cell number 0."), details);
}

TEST(WritePlanOutputsTest, WritesEveryFile) {
  const std::string root = TempDir();
  const std::string dir = root + "/out/plan-a";  // parent "out" is created
  WritePlanOutputs(dir, SmallScenario(), SmallResult());
  for (const char* name :
       {"build_plan.csv", "shipments.csv", "purchases.csv", "transfers_plan.csv", "rack_inventory.csv", "component_inventory.csv",
        "backlog.csv", "pegging.csv", "plan.json", "plan.xlsx", "report.html"}) {
    EXPECT_TRUE(fs::is_regular_file(fs::path(dir) / name)) << name;
  }
  const nlohmann::json j = nlohmann::json::parse(ReadFile(fs::path(dir) / "plan.json"));
  EXPECT_EQ(j, PlanToJson(SmallScenario(), SmallResult()));
  // Only DIR is left in its parent: no temporary folder.
  EXPECT_EQ(std::distance(fs::directory_iterator(root + "/out"), fs::directory_iterator()), 1);

  // A second write replaces the folder (a stray file disappears).
  std::ofstream(fs::path(dir) / "stray.txt") << "old";
  WritePlanOutputs(dir, SmallScenario(), SmallResult());
  EXPECT_FALSE(fs::exists(fs::path(dir) / "stray.txt"));
  EXPECT_TRUE(fs::exists(fs::path(dir) / "plan.xlsx"));
  EXPECT_EQ(std::distance(fs::directory_iterator(root + "/out"), fs::directory_iterator()), 1);
  fs::remove_all(root);
}

// 40 binding ranges: report.html shows the 15 strongest and says where the rest are.
TEST(PlanHtmlTest, BottleneckTableIsCutTo15Rows) {
  plan::PlanResult r = SmallResult();
  const plan::Bottleneck b = r.bottlenecks[0];
  for (int i = 0; i < 39; ++i) r.bottlenecks.push_back(b);
  const std::string html = PlanHtml(SmallScenario(), r);
  size_t rows = 0;
  for (size_t at = html.find("line wi-1, weeks 1-2"); at != std::string::npos;
       at = html.find("line wi-1, weeks 1-2", at + 1)) {
    ++rows;
  }
  EXPECT_EQ(rows, 15u);
  EXPECT_NE(html.find("The 15 strongest of 40 binding week ranges"), std::string::npos);
}

TEST(WritePlanOutputsTest, XlsxIsAZipWithTheExpectedSheets) {
  const std::string root = TempDir();
  WritePlanOutputs(root + "/o", SmallScenario(), SmallResult());
  const std::string xlsx = root + "/o/plan.xlsx";
  EXPECT_EQ(ReadFile(xlsx).substr(0, 2), "PK");
  const std::string workbook = CommandOutput("unzip -p " + xlsx + " xl/workbook.xml");
  size_t previous = 0;
  for (const char* sheet : {"summary", "build_plan", "shipments", "purchases", "transfers_plan", "rack_inventory", "component_inventory",
                            "backlog", "pegging", "late_demand", "bottlenecks"}) {
    const size_t at = workbook.find(std::string("<sheet name=\"") + sheet + "\"");
    ASSERT_NE(at, std::string::npos) << sheet << " in " << workbook;
    EXPECT_GT(at, previous) << sheet;  // in this order
    previous = at;
  }
  // Number formats for money, shares and weeks; week columns get their ISO week and Monday next to them.
  const std::string styles = CommandOutput("unzip -p " + xlsx + " xl/styles.xml");
  for (const char* pattern : {"$#,##0", "#,##0.0", "0"}) {
    EXPECT_NE(styles.find(std::string("formatCode=\"") + pattern + "\""), std::string::npos) << pattern << styles;
  }
  const std::string strings = CommandOutput("unzip -p " + xlsx + " xl/sharedStrings.xml");
  EXPECT_NE(strings.find("week_iso"), std::string::npos);
  EXPECT_NE(strings.find("latest_promised_week"), std::string::npos);
  EXPECT_NE(strings.find("not in horizon"), std::string::npos);  // the late-demand row of SmallResult
  EXPECT_NE(strings.find("line:wi-1 (100 %)"), std::string::npos);
  fs::remove_all(root);
}

TEST(WritePlanOutputsTest, FailureLeavesNothingBehind) {
  const std::string root = TempDir();
  std::ofstream(root + "/afile") << "x";
  try {
    WritePlanOutputs(root + "/afile/out", SmallScenario(), SmallResult());
    FAIL() << "no error";
  } catch (const common::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(root + "/afile/out"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::is_regular_file(root + "/afile"));
  EXPECT_EQ(ReadFile(root + "/afile"), "x");
  // DIR itself is an existing file: refused, file untouched.
  EXPECT_THROW(WritePlanOutputs(root + "/afile", SmallScenario(), SmallResult()), common::UsageError);
  EXPECT_EQ(ReadFile(root + "/afile"), "x");
  EXPECT_EQ(std::distance(fs::directory_iterator(root), fs::directory_iterator()), 1);  // no temp folders
  fs::remove_all(root);
}

// --out . or --out $HOME must never wipe a folder rackforge did not write.
TEST(WritePlanOutputsTest, RefusesAForeignNonEmptyFolder) {
  const std::string root = TempDir();
  fs::create_directories(root + "/mine");
  std::ofstream(root + "/mine/notes.txt") << "keep";
  try {
    WritePlanOutputs(root + "/mine", SmallScenario(), SmallResult());
    FAIL() << "no error";
  } catch (const common::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("was not written by rackforge"), std::string::npos) << e.what();
  }
  EXPECT_EQ(ReadFile(root + "/mine/notes.txt"), "keep");
  EXPECT_EQ(std::distance(fs::directory_iterator(root), fs::directory_iterator()), 1);  // no temp folder left
  // An empty folder is fine.
  fs::create_directories(root + "/empty");
  WritePlanOutputs(root + "/empty", SmallScenario(), SmallResult());
  EXPECT_TRUE(fs::exists(root + "/empty/plan.xlsx"));
  fs::remove_all(root);
}

TEST(WritePlanOutputsTest, FailureDuringWritingRemovesTheTemporaryFolder) {
  const std::string root = TempDir();
  {
    OutputFolder out(root + "/plan");
    out.WriteText("a.csv", "x\n");
    EXPECT_THROW(out.WriteXlsx("sub/does-not-exist/plan.xlsx", {}), common::UsageError);
    // No Commit: the destructor cleans up.
  }
  EXPECT_FALSE(fs::exists(root + "/plan"));
  EXPECT_EQ(std::distance(fs::directory_iterator(root), fs::directory_iterator()), 0);
  fs::remove_all(root);
}

plan::SweepResult SmallSweep() {
  plan::SweepResult sweep;
  for (double floor : {0.0, 0.5, 1.0}) {
    plan::SweepPoint p;
    p.domestic_content_min = floor;
    p.result = SmallResult();
    p.result.cost.components = 100 + 40 * floor;
    p.result.objective_usd = p.result.cost.total();
    p.result.domestic_content = floor;
    sweep.points.push_back(p);
  }
  return sweep;
}

TEST(SweepReportTest, JsonPointsHaveTheDocumentedKeys) {
  const nlohmann::json j = SweepToJson(SmallSweep());
  ASSERT_EQ(j["points"].size(), 3u);
  for (const char* key : {"domestic_content_min", "status", "objective_usd", "cost_breakdown_usd", "domestic_content",
                          "backlog_rack_weeks"}) {
    EXPECT_TRUE(j["points"][1].contains(key)) << key;
  }
  EXPECT_EQ(j["points"][1]["domestic_content_min"], 0.5);
  EXPECT_DOUBLE_EQ(j["points"][2]["objective_usd"].get<double>(), 209.5);
  EXPECT_EQ(j["points"][2]["cost_breakdown_usd"]["components"], 140.0);
}

TEST(SweepReportTest, TableAndFiles) {
  const std::string text = SweepSummaryText(SmallSweep());
  EXPECT_NE(text.find("100.0 %"), std::string::npos) << text;
  EXPECT_NE(text.find("+$40"), std::string::npos) << text;
  const std::string root = TempDir();
  WriteSweepOutputs(root + "/s", SmallScenario(), SmallSweep());
  const std::string csv = ReadFile(root + "/s/sweep.csv");
  EXPECT_EQ(
      csv.substr(0, csv.find('\n')),
      "domestic_content_min,status,objective_usd,components_usd,tariffs_usd,in_house_usd,production_usd,transport_usd,"
      "holding_usd,backlog_penalty_usd,capex_usd,racks_built,domestic_content,backlog_evaluation_rack_weeks,"
      "backlog_firm_rack_weeks,backlog_option_rack_weeks");
  EXPECT_NE(csv.find("\n0.5,optimal,189.5,120,10,6,20,25,1,7.5,0,7,0.5,0,1.5,0\n"), std::string::npos) << csv;
  const std::string html = ReadFile(root + "/s/sweep.html");
  EXPECT_EQ(testing::CheckXml(html, true), "");
  EXPECT_NE(html.find("Cost increase against the first point, by part"), std::string::npos);
  fs::remove_all(root);
}

// Floor 1.0 costs $40 more in parts and $10 more in backlog penalty: the console and the HTML give the
// total change (+$50) and its parts apart, and the chart plots changes (from 0), not totals (~$200).
TEST(SweepReportTest, CostChangeSplitIntoPartsTariffsAndPenalty) {
  plan::SweepResult sweep = SmallSweep();
  for (plan::SweepPoint& p : sweep.points) {
    p.result.cost.backlog_penalty = 7.5 + 10 * p.domestic_content_min;
    p.result.objective_usd = p.result.cost.total();
  }
  const std::string text = SweepSummaryText(sweep);
  const std::string last = text.substr(text.rfind("100.0 %", text.rfind("100.0 %") - 1));
  EXPECT_TRUE(std::regex_search(last, std::regex(R"(\+\$50 +\+\$40 +\$0 +\+\$10 )"))) << text;
  const std::string html = SweepHtml(SmallScenario(), sweep);
  EXPECT_EQ(testing::CheckXml(html, true), "");
  for (const char* header : {"vs first point", "components vs first", "tariffs vs first", "penalty vs first"}) {
    EXPECT_NE(html.find(std::string("<th>") + header), std::string::npos) << header;
  }
  EXPECT_NE(html.find(">+$50</td>"), std::string::npos);
  EXPECT_NE(html.find(">+$10</td>"), std::string::npos);
  const size_t chart = html.find("Cost increase against the first point");
  ASSERT_NE(chart, std::string::npos);
  const std::string curve = html.substr(chart, html.find("</svg>", chart) - chart);
  EXPECT_NE(curve.find("Cost change vs first point"), std::string::npos);
  EXPECT_NE(curve.find(">50<"), std::string::npos) << curve;
  EXPECT_EQ(curve.find(">200<"), std::string::npos) << "the curve's axis reaches the totals";
}

// A change below half a dollar is no change: "$0" whether it is a hair above or below 0 (a column
// of unchanged parts does not mix "+$0" and "$0"), and 0 in the chart.
TEST(SweepReportTest, ChangeThatRoundsToZeroHasNoSign) {
  plan::SweepResult sweep = SmallSweep();
  sweep.points[1].result.cost.tariffs += 1e-4;
  sweep.points[2].result.cost.tariffs -= 1e-4;
  const std::string text = SweepSummaryText(sweep);
  EXPECT_EQ(text.find("+$0 "), std::string::npos) << text;
  EXPECT_EQ(text.find("-$0 "), std::string::npos) << text;
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(\+\$40 +\$0 +\$0 )"))) << text;
  // The chart plots the same changes: where nothing changes but the solver's 1e-10 noise, its axis
  // does not span that noise.
  for (plan::SweepPoint& p : sweep.points) p.result.cost.components = 100;
  sweep.points[2].result.cost.backlog_penalty -= 5e-10;
  for (plan::SweepPoint& p : sweep.points) p.result.objective_usd = p.result.cost.total();
  const std::string html = SweepHtml(SmallScenario(), sweep);
  const size_t chart = html.find("Cost increase against the first point");
  ASSERT_NE(chart, std::string::npos);
  const std::string curve = html.substr(chart, html.find("</svg>", chart) - chart);
  EXPECT_FALSE(std::regex_search(curve, std::regex(R"(>-?[0-9.]+e-[0-9]+<)"))) << curve;  // a tick like 1e-10
}

}  // namespace
}  // namespace rackforge::report
