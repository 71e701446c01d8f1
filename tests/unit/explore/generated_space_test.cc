// Properties on generated design spaces: the front is non-dominated and
// complete, variants_total is the product of the option counts, incremental
// evaluation equals checking the materialized variant, and the MILP finds the
// same single-objective optima as enumeration.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <tuple>

#include "design/check.h"
#include "explore/explore.h"
#include "explore/milp.h"
#include "explore/synthetic.h"

namespace rackforge::explore {
namespace {

std::vector<std::vector<int32_t>> AllChoices(const model::DesignSpace& space) {
  std::vector<std::vector<int32_t>> all{{}};
  for (const model::Slot& slot : space.slots) {
    std::vector<std::vector<int32_t>> next;
    for (const auto& prefix : all) {
      for (int32_t k = 0; k < static_cast<int32_t>(slot.options.size()); ++k) {
        next.push_back(prefix);
        next.back().push_back(k);
      }
    }
    all = std::move(next);
  }
  return all;
}

// Objectives of a variant through the independent path: materialize, then check.
std::optional<Objectives> CheckedObjectives(const model::Scenario& s, const std::vector<design::ComponentFacts>& facts,
                                            const std::vector<int32_t>& choices) {
  const design::DesignCheck c = design::CheckDesign(s, facts, BuildVariant(s, s.design_spaces[0], choices));
  if (!c.pass) return std::nullopt;
  return Objectives{c.rollup.cost_usd, c.rollup.domestic_share, c.rollup.min_suppliers, design::MinMargin(c.rules)};
}

// (seed, in-house sources): with in-house sources, component lines change prices,
// domestic costs and source counts, and the MILP must still agree with enumeration.
class GeneratedSpace : public ::testing::TestWithParam<std::tuple<uint32_t, bool>> {
 protected:
  model::Scenario Space(int32_t slots, int32_t options) const {
    return SyntheticSpaceScenario(std::get<0>(GetParam()), slots, options, std::get<1>(GetParam()));
  }
};

TEST_P(GeneratedSpace, FrontIsNonDominatedAndComplete) {
  const model::Scenario s = Space(4, 3);
  const std::vector<design::ComponentFacts> facts = design::ComputeComponentFacts(s);
  const SpaceResult r = Explore(s, {}).designs.at(0);
  EXPECT_DOUBLE_EQ(r.variants_total, 81);
  uint64_t passing = 0;
  for (const std::vector<int32_t>& choices : AllChoices(s.design_spaces[0])) {
    const std::optional<Objectives> o = CheckedObjectives(s, facts, choices);
    if (!o) continue;
    ++passing;
    const bool on_front =
        std::any_of(r.front.begin(), r.front.end(), [&](const FrontVariant& f) { return f.choices == choices; });
    const bool dominated = std::any_of(r.front.begin(), r.front.end(),
                                       [&](const FrontVariant& f) { return Dominates(f.objectives, *o); });
    EXPECT_NE(on_front, dominated) << VariantId(s, s.design_spaces[0], choices);
  }
  EXPECT_EQ(*r.variants_passing, passing);
  EXPECT_GT(passing, 0u);
  for (const FrontVariant& a : r.front) {
    for (const FrontVariant& b : r.front) EXPECT_FALSE(Dominates(a.objectives, b.objectives));
  }
}

TEST_P(GeneratedSpace, IncrementalEvaluationEqualsCheckingTheVariant) {
  const model::Scenario s = Space(3, 4);
  const std::vector<design::ComponentFacts> facts = design::ComputeComponentFacts(s);
  const SpaceModel model(s, facts, s.design_spaces[0]);
  const SpaceResult r = EnumerateSpace(model);
  for (const FrontVariant& f : r.front) {
    const std::optional<Objectives> o = CheckedObjectives(s, facts, f.choices);
    ASSERT_TRUE(o);
    EXPECT_NEAR(o->cost_usd, f.objectives.cost_usd, 1e-9 * o->cost_usd);
    EXPECT_NEAR(o->domestic_share, f.objectives.domestic_share, 1e-12);
    EXPECT_EQ(o->min_suppliers, f.objectives.min_suppliers);
    EXPECT_NEAR(*o->min_margin, *f.objectives.min_margin, 1e-12);
  }
}

TEST_P(GeneratedSpace, MilpAndEnumerationAgreeOnEachSingleObjectiveOptimum) {
  const model::Scenario s = Space(5, 3);
  const std::vector<design::ComponentFacts> facts = design::ComputeComponentFacts(s);
  const SpaceModel model(s, facts, s.design_spaces[0]);
  const SpaceResult exact = EnumerateSpace(model);
  ASSERT_FALSE(exact.front.empty());
  double best_cost = 1e300, best_share = -1, best_margin = -1;
  int32_t best_suppliers = -1;
  for (const FrontVariant& f : exact.front) {  // every objective's optimum lies on the front
    best_cost = std::min(best_cost, f.objectives.cost_usd);
    best_share = std::max(best_share, f.objectives.domestic_share);
    best_suppliers = std::max(best_suppliers, f.objectives.min_suppliers);
    best_margin = std::max(best_margin, *f.objectives.min_margin);
  }
  EXPECT_NEAR(MilpOptimum(model, MilpObjective::kCost)->objectives.cost_usd, best_cost, 1e-6 * best_cost);
  EXPECT_NEAR(MilpOptimum(model, MilpObjective::kDomesticShare)->objectives.domestic_share, best_share, 1e-9);
  EXPECT_EQ(MilpOptimum(model, MilpObjective::kMinSuppliers)->objectives.min_suppliers, best_suppliers);
  EXPECT_NEAR(*MilpOptimum(model, MilpObjective::kMinMargin)->objectives.min_margin, best_margin, 1e-5);
  // Every MILP front point is on the exact front.
  ExploreOptions options;
  options.enumeration_limit = 0;
  const SpaceResult milp = SolveSpaceMilp(model, options);
  for (const FrontVariant& v : milp.front) {
    const bool dominated = std::any_of(exact.front.begin(), exact.front.end(),
                                       [&](const FrontVariant& f) { return Dominates(f.objectives, v.objectives); });
    EXPECT_FALSE(dominated) << VariantId(s, s.design_spaces[0], v.choices);
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, GeneratedSpace,
                         ::testing::Combine(::testing::Values(1u, 2u, 3u, 4u, 5u, 6u), ::testing::Bool()));

TEST(GeneratedSpaceInHouse, InHouseSourcesChangeTheFiguresOfTheSameSeed) {
  // The in-house variant keeps the offers of the seed and adds lines: some component
  // gets cheaper, more sources, and a domestic source it lacked.
  const model::Scenario bought = SyntheticSpaceScenario(3, 5, 3);
  const model::Scenario made = SyntheticSpaceScenario(3, 5, 3, true);
  ASSERT_FALSE(made.component_lines.empty());
  const std::vector<design::ComponentFacts> a = design::ComputeComponentFacts(bought);
  const std::vector<design::ComponentFacts> b = design::ComputeComponentFacts(made);
  bool cheaper = false, more_sources = false, new_domestic = false;
  for (size_t c = 0; c < a.size(); ++c) {
    EXPECT_LE(b[c].landed_cost_usd, a[c].landed_cost_usd);
    EXPECT_GE(b[c].suppliers, a[c].suppliers);
    cheaper = cheaper || b[c].landed_cost_usd < a[c].landed_cost_usd;
    more_sources = more_sources || b[c].suppliers > a[c].suppliers;
    new_domestic = new_domestic || (b[c].has_domestic_source && !a[c].has_domestic_source);
  }
  EXPECT_TRUE(cheaper);
  EXPECT_TRUE(more_sources);
  EXPECT_TRUE(new_domestic);
}

TEST(GeneratedSpaceTotals, VariantsTotalIsTheProductOfOptionCounts) {
  const model::Scenario s = SyntheticSpaceScenario(7, 40, 5);
  const std::vector<design::ComponentFacts> facts = design::ComputeComponentFacts(s);
  const SpaceModel model(s, facts, s.design_spaces[0]);
  EXPECT_DOUBLE_EQ(model.VariantsTotal(), std::pow(5.0, 40));
}

}  // namespace
}  // namespace rackforge::explore
