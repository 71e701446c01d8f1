// `check` output with in-house sources: the JSON per component carries the plants
// making it and its in-house price; the console lists the in-house sources.
#include "report/check_report.h"

#include <gtest/gtest.h>

#include "design/check.h"
#include "io/scenario_loader.h"
#include "unit/design/in_house_fixture.h"

namespace rackforge::report {
namespace {

TEST(CheckReport, InHouseSourcesInJsonAndConsole) {
  const model::Scenario s = testing::InHouseScenario();
  const std::vector<design::DesignCheck> checks = design::CheckScenario(s);
  const nlohmann::json j = CheckJson(s, checks);
  const nlohmann::json& shelf = j["designs"][0]["rollup"]["components"][1];
  EXPECT_EQ(shelf["component"], "shelf");
  EXPECT_EQ(shelf["suppliers"], 3);
  EXPECT_EQ(shelf["in_house_plants"], 2);
  EXPECT_DOUBLE_EQ(shelf["landed_cost_usd"].get<double>(), 194.5);
  EXPECT_DOUBLE_EQ(shelf["in_house_cost_usd"].get<double>(), 194.5);
  EXPECT_TRUE(j["designs"][0]["rollup"]["components"][0]["in_house_cost_usd"].is_null());  // tray: bought only
  EXPECT_EQ(j["designs"][1]["rollup"]["single_source_components"], nlohmann::json::array({"module"}));

  const std::string table = CheckTable(s, checks);
  EXPECT_NE(table.find("in-house sources: shelf (2 plants, $"), std::string::npos) << table;
  EXPECT_NE(table.find("cdu (1 plant, $600)"), std::string::npos) << table;
  EXPECT_NE(table.find("module (1 plant, $"), std::string::npos) << table;
  EXPECT_NE(table.find(", only in-house)"), std::string::npos) << table;
  // Without component lines there is no in-house line.
  const model::Scenario bought = testing::HandScenario();
  EXPECT_EQ(CheckTable(bought, design::CheckScenario(bought)).find("in-house sources"), std::string::npos);
}

// A rule that does not apply (tiny: alpha's requirement asks for no date) shows "-" for need and
// have, as the dashboard does, not the zeros that stand for "nothing to compare".
TEST(CheckReport, RuleThatDoesNotApplyShowsNoFigures) {
  const model::Scenario s = io::LoadScenario(std::string(RACKFORGE_SOURCE_DIR) + "/tests/scenarios/tiny");
  const std::vector<design::DesignCheck> checks = design::CheckScenario(s);
  bool seen = false;
  for (const design::DesignCheck& c : checks) {
    for (const design::RuleResult& r : c.rules) seen |= r.status == design::RuleStatus::kNotApplicable;
  }
  ASSERT_TRUE(seen) << "tiny has a rule that does not apply";
  const std::string table = CheckTable(s, checks);
  size_t lines = 0;
  for (size_t at = table.find("  date "); at != std::string::npos; at = table.find("  date ", at + 1)) {
    const std::string line = table.substr(at, table.find('\n', at) - at);
    if (line.find("n.a.") == std::string::npos) continue;
    ++lines;
    EXPECT_EQ(line.find("0.00"), std::string::npos) << line;
    EXPECT_NE(line.find(" - "), std::string::npos) << line;
  }
  EXPECT_GT(lines, 0u) << table;
}

}  // namespace
}  // namespace rackforge::report
