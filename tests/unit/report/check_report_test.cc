// `check` output with in-house sources: the JSON per component carries the plants
// making it and its in-house price; the console lists the in-house sources.
#include "report/check_report.h"

#include <gtest/gtest.h>

#include "design/check.h"
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

}  // namespace
}  // namespace rackforge::report
