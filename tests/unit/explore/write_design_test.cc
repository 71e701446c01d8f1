// Every front variant, written as designs/*.yaml with DesignYaml,
// loads with its scenario (the real loader) and passes check with the same
// objectives explore reported: on the default scenario and on generated ones.
#include <gtest/gtest.h>

#include "design/check.h"
#include "explore/explore.h"
#include "io/generate.h"
#include "io/scenario_loader.h"
#include "io/scenario_writer.h"
#include "model/availability.h"

namespace rackforge::explore {
namespace {

void ExpectFrontVariantsLoadAndPass(const io::ScenarioTexts& texts) {
  const model::Scenario scenario = io::LoadScenarioFromTexts(texts);
  const ExploreResult result = Explore(scenario, {});
  ASSERT_FALSE(result.designs.empty());
  io::ScenarioTexts with_variants = texts;
  std::vector<std::pair<std::string, Objectives>> written;
  for (const SpaceResult& r : result.designs) {
    const model::DesignSpace& space = *FindSpace(scenario, r.design);
    ASSERT_FALSE(r.front.empty());
    for (const FrontVariant& v : r.front) {
      const model::Design d = BuildVariant(scenario, space, v.choices);
      with_variants.files["designs/" + d.id + ".yaml"] = io::DesignYaml(scenario, d, "test variant");
      written.emplace_back(d.id, v.objectives);
    }
  }
  const model::Scenario loaded = io::LoadScenarioFromTexts(with_variants);
  const std::vector<design::DesignCheck> checks = design::CheckScenario(loaded);
  for (const auto& [id, objectives] : written) {
    const int32_t g = model::FindById(loaded.designs, id);
    ASSERT_GE(g, 0) << id;
    const design::DesignCheck& c = checks[g];
    EXPECT_TRUE(c.pass) << id;
    EXPECT_NEAR(c.rollup.cost_usd, objectives.cost_usd, 1e-9 * objectives.cost_usd) << id;
    EXPECT_NEAR(c.rollup.domestic_share, objectives.domestic_share, 1e-12) << id;
    EXPECT_EQ(c.rollup.min_suppliers, objectives.min_suppliers) << id;
    ASSERT_EQ(design::MinMargin(c.rules).has_value(), objectives.min_margin.has_value()) << id;
    if (objectives.min_margin) {
      EXPECT_NEAR(*design::MinMargin(c.rules), *objectives.min_margin, 1e-12) << id;
    }
  }
}

TEST(WriteDesign, DefaultScenarioFrontVariantsLoadAndPass) {
  io::ScenarioTexts texts = io::ReadScenarioFolder(std::string(RACKFORGE_SOURCE_DIR) + "/scenarios/us-ai-racks-2026");
  ExpectFrontVariantsLoadAndPass(texts);
}

class GeneratedWriteDesign : public ::testing::TestWithParam<uint64_t> {};

TEST_P(GeneratedWriteDesign, FrontVariantsLoadAndPass) {
  io::GenerateOptions options;
  options.seed = GetParam();
  options.design_space_slots = 4;
  options.design_space_options = 3;
  io::ScenarioTexts texts;
  texts.files = io::GenerateScenarioFiles(options);
  ExpectFrontVariantsLoadAndPass(texts);
}

INSTANTIATE_TEST_SUITE_P(Seeds, GeneratedWriteDesign, ::testing::Values(1u, 2u, 3u));

}  // namespace
}  // namespace rackforge::explore
