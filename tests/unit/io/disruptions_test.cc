// --disruptions FILE and the server's JSON disruptions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "io/scenario_loader.h"
#include "unit/io/scenario_fixture.h"

namespace rackforge::io {
namespace {

using ::testing::HasSubstr;

const model::Scenario& Tiny() {
  static const model::Scenario s = LoadScenario(testing::TinyDir());
  return s;
}

TEST(DisruptionsFile, LoadsAndResolvesExpansionLines) {
  testing::TempScenario t;
  t.Write("what-if.yaml",
          "disruptions:\n"
          "  - {node: line:tx-l2, start_week: 7, weeks: 3, capacity_loss: 0.25}\n"
          "  - {node: supplier:fii-tw, start_week: 0, weeks: 12}\n");
  const std::vector<model::Disruption> d = LoadDisruptions(t.dir() + "/what-if.yaml", Tiny());
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].node, (model::NodeRef{model::NodeKind::kLine, 3}));
  EXPECT_EQ(d[0].start_week, 7);
  EXPECT_DOUBLE_EQ(d[0].capacity_loss, 0.25);
  EXPECT_EQ(d[1].node, (model::NodeRef{model::NodeKind::kSupplier, 0}));
  EXPECT_DOUBLE_EQ(d[1].capacity_loss, 1);
}

TEST(DisruptionsFile, ReportsEveryProblemWithFileAndLine) {
  testing::TempScenario t;
  t.Write("what-if.yaml",
          "disruptions:\n"
          "  - {node: plant:nowhere, start_week: 1, weeks: 1}\n"
          "  - node: supplier:fii-tw\n"
          "    start_week: 20\n"
          "    weeks: 2\n"
          "    capacity_loss: 1.5\n"
          "    colour: red\n");
  const std::string path = t.dir() + "/what-if.yaml";
  try {
    LoadDisruptions(path, Tiny());
    FAIL();
  } catch (const LoadError& e) {
    const auto& d = e.diagnostics();
    ASSERT_EQ(d.size(), 4u) << e.what();
    EXPECT_EQ(d[0].ToString(), path + ":2: disruptions[0].node: 'plant:nowhere' names no plant in plants.yaml");
    EXPECT_EQ(d[1].ToString(), path + ":4: disruptions[1].start_week: 20 is outside 0..11 (horizon_weeks 12)");
    EXPECT_EQ(d[2].ToString(), path + ":6: disruptions[1].capacity_loss: 1.5 is outside 0..1");
    EXPECT_THAT(d[3].ToString(), HasSubstr(path + ":7: disruptions[1].colour: unknown key"));
  }
}

TEST(DisruptionsFile, MissingFile) {
  try {
    LoadDisruptions("/nonexistent/what-if.yaml", Tiny());
    FAIL();
  } catch (const LoadError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].ToString(), "/nonexistent/what-if.yaml: no such file");
  }
}

TEST(DisruptionsJson, Valid) {
  const auto list = nlohmann::json::parse(
      R"([{"node": "plant:wi-mp", "start_week": 3, "weeks": 2}, {"node": "line:wi-l2", "start_week": 0, "weeks": 1, "capacity_loss": 0.5}])");
  const std::vector<model::Disruption> d = DisruptionsFromJson(list, Tiny());
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].node, (model::NodeRef{model::NodeKind::kPlant, 0}));
  EXPECT_EQ(d[0].weeks, 2);
  EXPECT_DOUBLE_EQ(d[0].capacity_loss, 1);
  EXPECT_EQ(d[1].node, (model::NodeRef{model::NodeKind::kLine, 1}));
  EXPECT_DOUBLE_EQ(d[1].capacity_loss, 0.5);
}

TEST(DisruptionsJson, ErrorsNameTheKey) {
  const auto list = nlohmann::json::parse(
      R"([{"node": "plant:wi-mp", "start_week": 3, "weeks": 2},
          {"node": "supplier:flex-us", "start_week": 1, "weeks": 2, "capacity_loss": 1.5},
          {"node": "depot:x", "start_week": 2.5, "weeks": "two", "extra": 1},
          {"start_week": 12, "weeks": 1}])");
  try {
    DisruptionsFromJson(list, Tiny());
    FAIL();
  } catch (const common::UsageError& e) {
    const std::string what = e.what();
    EXPECT_THAT(what, HasSubstr("disruptions[1].capacity_loss: 1.5 is outside 0..1"));
    EXPECT_THAT(what, HasSubstr("disruptions[2].extra: unknown key"));
    EXPECT_THAT(what, HasSubstr("disruptions[2].node: 'depot:x' is not plant:ID, line:ID or supplier:ID"));
    EXPECT_THAT(what, HasSubstr("disruptions[2].start_week: 2.5 is not a whole number of weeks"));
    EXPECT_THAT(what, HasSubstr("disruptions[2].weeks: \"two\" is not a number"));
    EXPECT_THAT(what, HasSubstr("disruptions[3].node: missing (required)"));
    EXPECT_THAT(what, HasSubstr("disruptions[3].start_week: 12 is outside 0..11 (horizon_weeks 12)"));
    EXPECT_THAT(what, ::testing::Not(HasSubstr("disruptions[0]")));
  }
}

TEST(DisruptionsJson, NotAList) {
  EXPECT_THROW(DisruptionsFromJson(nlohmann::json::object(), Tiny()), common::UsageError);
}

}  // namespace
}  // namespace rackforge::io
