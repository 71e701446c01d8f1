// io::ScenarioFiles: what it writes loads back as the same scenario, and
// writing that again gives the same files (the writer is the loader's inverse).
#include "io/scenario_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "io/scenario_loader.h"
#include "unit/io/scenario_fixture.h"

namespace rackforge::io {
namespace {

using ::testing::HasSubstr;

using testing::ExpectSameFiles;

using testing::LoadFiles;

/// write(load(write(s))) == write(s), and the reloaded scenario has what s had.
void ExpectRoundTrip(const model::Scenario& s) {
  const auto first = ScenarioFiles(s);
  const model::Scenario back = LoadFiles(first);
  ExpectSameFiles(first, ScenarioFiles(back));
  EXPECT_EQ(back.name, s.name);
  EXPECT_EQ(back.start_week, s.start_week);
  EXPECT_EQ(back.horizon_weeks, s.horizon_weeks);
  EXPECT_EQ(back.policy.capex_budget_usd, s.policy.capex_budget_usd);
  EXPECT_EQ(back.policy.quantities, s.policy.quantities);
  EXPECT_EQ(back.policy.end_backlog_penalty_usd_per_rack, s.policy.end_backlog_penalty_usd_per_rack);
  ASSERT_EQ(back.components.size(), s.components.size());
  for (size_t c = 0; c < s.components.size(); ++c) {
    EXPECT_EQ(back.components[c].name, s.components[c].name);
    EXPECT_EQ(back.components[c].parts.size(), s.components[c].parts.size());
    EXPECT_EQ(back.components[c].made_by, s.components[c].made_by);
    EXPECT_EQ(back.components[c].offers, s.components[c].offers);
  }
  ASSERT_EQ(back.designs.size(), s.designs.size());
  for (size_t g = 0; g < s.designs.size(); ++g) {
    EXPECT_EQ(back.designs[g].name, s.designs[g].name);
    EXPECT_EQ(back.designs[g].last_build_week, s.designs[g].last_build_week);
    EXPECT_EQ(back.designs[g].footprint_m2, s.designs[g].footprint_m2);
    EXPECT_EQ(back.designs[g].bom.size(), s.designs[g].bom.size());
  }
  ASSERT_EQ(back.offers.size(), s.offers.size());
  for (size_t o = 0; o < s.offers.size(); ++o) {
    EXPECT_EQ(back.offers[o].last_order_week, s.offers[o].last_order_week);
    EXPECT_EQ(back.offers[o].tariff_rate, s.offers[o].tariff_rate);
  }
  EXPECT_EQ(back.lines.size(), s.lines.size());
  EXPECT_EQ(back.component_lines.size(), s.component_lines.size());
  EXPECT_EQ(back.expansions.size(), s.expansions.size());
  EXPECT_EQ(back.suppliers.size(), s.suppliers.size());
  EXPECT_EQ(back.sites.size(), s.sites.size());
  EXPECT_EQ(back.lanes.size(), s.lanes.size());
  EXPECT_EQ(back.supply_lanes.has_value(), s.supply_lanes.has_value());
  EXPECT_EQ(back.transfers.size(), s.transfers.size());
  EXPECT_EQ(back.on_hand.size(), s.on_hand.size());
  EXPECT_EQ(back.demand.size(), s.demand.size());
  EXPECT_EQ(back.disruptions.size(), s.disruptions.size());
  EXPECT_EQ(back.design_spaces.size(), s.design_spaces.size());
  EXPECT_EQ(back.target.size(), s.target.size());
}

TEST(ScenarioWriter, TinyRoundTrips) {
  const model::Scenario tiny = LoadScenario(testing::TinyDir());
  ASSERT_FALSE(tiny.disruptions.empty());
  ASSERT_FALSE(tiny.design_spaces.empty());
  ASSERT_TRUE(tiny.supply_lanes.has_value());
  ExpectRoundTrip(tiny);
}

TEST(ScenarioWriter, DefaultScenarioRoundTrips) {
  ExpectRoundTrip(LoadScenario(std::string(RACKFORGE_SOURCE_DIR) + "/scenarios/us-ai-racks-2026"));
}

// Text that YAML or CSV would misread if written bare: commas, quotes, line
// breaks, a '#', YAML booleans and null, text that looks like a number.
TEST(ScenarioWriter, TextIsQuotedWhereItMustBe) {
  model::Scenario s = LoadScenario(testing::TinyDir());
  s.name = "tiny: \"quoted\" # not a comment";
  s.components[0].name = "Shelf, 54 V \"A\"";
  s.components[1].category = "yes";
  s.suppliers[0].company = "Fábrica, S.A.\nPlant 2";
  s.sites[0].name = "null";
  s.plants[0].us_state = "NO";
  s.designs[0].name = "1e3";
  s.requirements[0].generation = "on";
  s.policy.capex_budget_usd.reset();
  s.policy.quantities = model::Quantities::kWhole;
  s.policy.end_backlog_penalty_usd_per_rack = {5, 0, 1.25};
  s.offers[0].last_order_week = s.offers[0].available_from_week + 3;
  const auto files = ScenarioFiles(s);
  EXPECT_THAT(files.at("components.csv"), HasSubstr("\"Shelf, 54 V \"\"A\"\"\""));
  EXPECT_THAT(files.at("plants.yaml"), HasSubstr("us_state: \"NO\""));
  EXPECT_THAT(files.at("offers.csv"), HasSubstr("last_order_week"));
  const model::Scenario back = LoadFiles(files);
  EXPECT_EQ(back.name, s.name);
  EXPECT_EQ(back.components[0].name, s.components[0].name);
  EXPECT_EQ(back.components[1].category, "yes");
  EXPECT_EQ(back.suppliers[0].company, s.suppliers[0].company);
  EXPECT_EQ(back.sites[0].name, "null");
  EXPECT_EQ(back.plants[0].us_state, "NO");
  EXPECT_EQ(back.designs[0].name, "1e3");
  EXPECT_EQ(back.requirements[0].generation, "on");
  EXPECT_FALSE(back.policy.capex_budget_usd.has_value());
  EXPECT_EQ(back.policy.quantities, model::Quantities::kWhole);
  EXPECT_EQ(back.policy.end_backlog_penalty_usd_per_rack, s.policy.end_backlog_penalty_usd_per_rack);
  EXPECT_EQ(back.offers[0].last_order_week, s.offers[0].last_order_week);
  ExpectRoundTrip(s);
}

TEST(ScenarioWriter, OptionalFilesOnlyWithTheirData) {
  model::Scenario s = LoadScenario(testing::TinyDir());
  s.disruptions.clear();
  s.design_spaces.clear();
  s.supply_lanes.reset();
  s.on_hand.clear();
  for (model::Component& c : s.components) c.parts.clear();
  for (model::Offer& o : s.offers) o.last_order_week.reset();
  const auto files = ScenarioFiles(s);
  for (const char* name : {"disruptions.yaml", "design_space.yaml", "supply_lanes.csv", "on_hand.csv",
                           "component_boms.csv", "transfers.csv"}) {
    EXPECT_EQ(files.count(name), 0u) << name;
  }
  EXPECT_THAT(files.at("offers.csv"), ::testing::Not(HasSubstr("last_order_week")));
  EXPECT_EQ(files.count("designs/" + s.designs[0].id + ".yaml"), 1u);
}

TEST(ScenarioWriter, CommentsGoFirst) {
  const model::Scenario s = LoadScenario(testing::TinyDir());
  ScenarioWriteOptions options;
  options.comments["scenario.yaml"] = "line one\nline two";
  const auto files = ScenarioFiles(s, options);
  EXPECT_EQ(files.at("scenario.yaml").rfind("# line one\n# line two\nname: ", 0), 0u);
  EXPECT_EQ(files.at("roadmap.yaml").rfind("requirements:\n", 0), 0u);
}

}  // namespace
}  // namespace rackforge::io
