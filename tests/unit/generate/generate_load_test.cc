// Generated scenarios of several sizes load without error, have the
// requested sizes after loading, and every design passes every design rule.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "design/check.h"
#include "io/errors.h"
#include "io/generate.h"
#include "io/scenario_loader.h"
#include "plan/plan.h"

namespace rackforge::io {
namespace {

model::Scenario LoadGenerated(const GenerateOptions& o) {
  try {
    return LoadGeneratedScenario(o);
  } catch (const LoadError& e) {
    ADD_FAILURE() << e.what();
    throw;
  }
}

void ExpectValid(const GenerateOptions& o) {
  const model::Scenario s = LoadGenerated(o);
  EXPECT_EQ(static_cast<int32_t>(s.plants.size()), o.plants);
  EXPECT_EQ(static_cast<int32_t>(s.designs.size()), o.designs);
  EXPECT_EQ(static_cast<int32_t>(s.requirements.size()), o.designs);
  EXPECT_EQ(static_cast<int32_t>(s.components.size()), o.components);
  EXPECT_EQ(static_cast<int32_t>(s.suppliers.size()), o.suppliers);
  EXPECT_EQ(static_cast<int32_t>(s.sites.size()), o.sites);
  EXPECT_EQ(s.horizon_weeks, o.weeks);
  // A line and test cells per plant, plus one component_line expansion with --component-lines.
  EXPECT_EQ(static_cast<int32_t>(s.expansions.size()), 2 * o.plants + (o.component_lines > 0 ? 1 : 0));
  for (const model::Design& d : s.designs) {
    for (const model::BomEntry& e : d.bom) {
      EXPECT_FALSE(s.components[static_cast<size_t>(e.component)].offers.empty())
          << d.id << " uses " << s.components[static_cast<size_t>(e.component)].id << " without a usable offer";
    }
  }
  bool kinds[model::kDemandKinds] = {false, false, false};
  for (const model::Demand& d : s.demand) kinds[static_cast<int>(d.kind)] = true;
  EXPECT_TRUE(kinds[0] && kinds[1] && kinds[2]);
  for (const design::DesignCheck& check : design::CheckScenario(s)) {
    const model::Design& d = s.designs[static_cast<size_t>(check.design)];
    EXPECT_TRUE(check.pass) << d.id;
    for (const design::RuleResult& r : check.rules) {
      EXPECT_TRUE(r.pass()) << d.id << " rule " << design::RuleName(r.rule) << " need " << r.need << " have " << r.have;
    }
  }
  if (o.design_space_slots > 0) {
    ASSERT_EQ(s.design_spaces.size(), 1u);
    ASSERT_EQ(static_cast<int32_t>(s.design_spaces[0].slots.size()), o.design_space_slots);
    for (const model::Slot& slot : s.design_spaces[0].slots) {
      EXPECT_EQ(static_cast<int32_t>(slot.options.size()), o.design_space_options);
    }
  }
}

TEST(GenerateLoad, DefaultSizeLoadsAndPasses) { ExpectValid(GenerateOptions{}); }

TEST(GenerateLoad, SmallestSizeLoadsAndPasses) {
  GenerateOptions o;
  o.plants = 1;
  o.designs = 1;
  o.components = 10;
  o.suppliers = 1;
  o.weeks = 4;
  o.sites = 1;
  ExpectValid(o);
}

TEST(GenerateLoad, SeveralSeedsAndShapesLoadAndPass) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    GenerateOptions o;
    o.plants = static_cast<int32_t>(1 + seed);
    o.designs = static_cast<int32_t>(seed);
    o.components = static_cast<int32_t>(20 + 17 * seed);
    o.suppliers = static_cast<int32_t>(2 + 5 * seed);
    o.weeks = static_cast<int32_t>(8 + 9 * seed);
    o.sites = static_cast<int32_t>(seed + 2);
    o.seed = seed;
    o.design_space_slots = static_cast<int32_t>(seed % 4);
    o.design_space_options = seed % 4 == 0 ? 0 : 3;
    SCOPED_TRACE(seed);
    ExpectValid(o);
  }
}

TEST(GenerateLoad, ScaleSizeLoadsAndPasses) {
  GenerateOptions o;
  o.plants = 10;
  o.designs = 8;
  o.components = 500;
  o.suppliers = 300;
  o.weeks = 104;
  o.sites = 20;
  o.design_space_slots = 6;
  o.design_space_options = 4;
  ExpectValid(o);
}

TEST(GenerateLoad, DesignSpaceVariantsIncludePassingAndFailingOnes) {
  // The power-shelf slot of a 54 V / 800 V pool produces variants whose
  // busbar or power rule fails, next to the base option that passes.
  GenerateOptions o;
  o.designs = 2;
  o.components = 40;
  o.design_space_slots = 12;
  o.design_space_options = 3;
  const model::Scenario s = LoadGenerated(o);
  ASSERT_EQ(s.design_spaces.size(), 1u);
  const auto facts = design::ComputeComponentFacts(s);
  int passing = 0, failing = 0;
  const model::Design& base = s.designs[static_cast<size_t>(s.design_spaces[0].design)];
  for (const model::Slot& slot : s.design_spaces[0].slots) {
    for (const model::SlotOption& option : slot.options) {
      model::Design variant = base;
      variant.bom.clear();
      for (const model::BomEntry& e : base.bom) {
        if (std::find(slot.replaces.begin(), slot.replaces.end(), e.component) == slot.replaces.end()) {
          variant.bom.push_back(e);
        }
      }
      for (const model::BomEntry& e : option.bom) {
        auto it = std::find_if(variant.bom.begin(), variant.bom.end(),
                               [&](const model::BomEntry& x) { return x.component == e.component; });
        if (it == variant.bom.end()) {
          variant.bom.push_back(e);
        } else {
          it->qty += e.qty;
        }
      }
      for (const auto& [key, value] : option.set) {
        const auto field = design::ParseFieldKey(key);
        ASSERT_TRUE(field.has_value()) << key;
        design::SetField(variant, *field, value);
      }
      (design::CheckDesign(s, facts, variant).pass ? passing : failing) += 1;
    }
  }
  EXPECT_GT(passing, 0);
  EXPECT_GT(failing, 0);
}

// --phase-out and --end-penalty-weeks: the first design stops at weeks / 2,
// its compute tray's offers take their last orders 4 weeks earlier, the end
// penalty is N weekly penalties; without the flags nothing of it is written.
// --transfers: a few rows from the first plant to plants 2..5 of a part each
// receiving plant uses (so the plan can use them); they load and pass the
// loader's rules; with one plant there is no file.
TEST(GenerateLoad, TransfersFlag) {
  GenerateOptions o;
  o.weeks = 20;
  EXPECT_EQ(GenerateScenarioFiles(o).count("transfers.csv"), 0u);
  o.transfers = true;
  ExpectValid(o);
  const model::Scenario s = LoadGenerated(o);
  ASSERT_EQ(s.transfers.size(), 4u);  // 5 plants: to plants 2..5
  for (size_t i = 0; i < s.transfers.size(); ++i) {
    const model::Transfer& x = s.transfers[i];
    EXPECT_EQ(x.from_plant, 0);
    EXPECT_EQ(x.to_plant, static_cast<int32_t>(i + 1));
    EXPECT_EQ(x.transit_weeks, static_cast<int32_t>((i + 1) % 3));
    EXPECT_DOUBLE_EQ(x.cost_usd_per_unit, static_cast<double>(i + 1));
    bool used = false;
    for (const model::Line& l : s.lines) {
      if (l.plant != x.to_plant) continue;
      for (int32_t g : l.designs) {
        for (const model::BomEntry& e : s.designs[g].bom) used = used || e.component == x.component;
      }
    }
    EXPECT_TRUE(used) << i;
  }
  o.plants = 1;
  EXPECT_EQ(GenerateScenarioFiles(o).count("transfers.csv"), 0u);
}

// --component-lines N: N lines spread over the plants (line k at plant k % P), each making a
// shared component from 2 bought misc parts, the first line also one of those parts (two levels),
// one component_line expansion; the scenario loads (no cycle, every part buyable) and plans with
// some in-house production. Without the flag: no component lines, no component_boms.csv.
TEST(GenerateLoad, ComponentLinesFlag) {
  GenerateOptions o;
  o.weeks = 16;
  EXPECT_EQ(GenerateScenarioFiles(o).count("component_boms.csv"), 0u);
  EXPECT_TRUE(LoadGenerated(o).component_lines.empty());
  o.component_lines = 7;
  ExpectValid(o);
  const model::Scenario s = LoadGenerated(o);
  ASSERT_EQ(s.component_lines.size(), 8u);  // 7 existing + 1 expansion
  EXPECT_EQ(s.component_lines[7].expansion, static_cast<int32_t>(s.expansions.size()) - 1);
  EXPECT_EQ(s.expansions.back().kind, model::ExpansionKind::kComponentLine);
  std::vector<int32_t> per_plant(s.plants.size(), 0);
  for (size_t m = 0; m < 7; ++m) {
    const model::ComponentLine& line = s.component_lines[m];
    ++per_plant[line.plant];
    EXPECT_EQ(line.expansion, -1);
    ASSERT_FALSE(line.components.empty());
    const model::Component& made = s.components[line.components[0]];
    EXPECT_EQ(made.parts.size(), 2u) << made.id;
    for (const model::BomEntry& part : made.parts) EXPECT_FALSE(s.components[part.component].offers.empty());
  }
  EXPECT_EQ(per_plant, (std::vector<int32_t>{2, 2, 1, 1, 1}));  // plants in file order, line k at k % 5
  // Two levels: the first line also makes the first part of its component, from a third part.
  const model::ComponentLine& first = s.component_lines[0];
  ASSERT_EQ(first.components.size(), 2u);
  const model::Component& level2 = s.components[first.components[1]];
  EXPECT_EQ(s.components[first.components[0]].parts[0].component, first.components[1]);
  ASSERT_EQ(level2.parts.size(), 1u);
  EXPECT_TRUE(s.components[level2.parts[0].component].made_by.empty());
  plan::PlanOptions options;
  options.bottlenecks = false;
  const plan::PlanResult r = plan::SolvePlan(s, options);
  ASSERT_TRUE(r.has_solution);
  double made = 0;
  for (double v : r.units_made) made += v;
  EXPECT_GT(made, 0.0);
  EXPECT_GT(r.cost.in_house, 0.0);
}

TEST(GenerateLoad, PhaseOutAndEndPenaltyFlags) {
  GenerateOptions o;
  o.weeks = 40;
  const std::map<std::string, std::string> plain = GenerateScenarioFiles(o);
  EXPECT_EQ(plain.at("offers.csv").find("last_order_week"), std::string::npos);
  EXPECT_EQ(plain.at("scenario.yaml").find("end_backlog_penalty"), std::string::npos);
  o.phase_out = true;
  o.end_penalty_weeks = 3;
  ExpectValid(o);
  const model::Scenario s = LoadGenerated(o);
  ASSERT_TRUE(s.designs[0].last_build_week.has_value());
  EXPECT_EQ(*s.designs[0].last_build_week, 20);
  for (size_t g = 1; g < s.designs.size(); ++g) EXPECT_FALSE(s.designs[g].last_build_week.has_value());
  for (const model::Demand& d : s.demand) {
    if (d.design == 0) {
      EXPECT_LE(d.week, 20);
    }
  }
  int last_orders = 0;
  for (const model::Offer& offer : s.offers) {
    if (!offer.last_order_week) continue;
    ++last_orders;
    EXPECT_EQ(*offer.last_order_week, std::max(offer.available_from_week, 16));
    EXPECT_EQ(s.components[static_cast<size_t>(offer.component)].category, "compute_tray");
    for (size_t g = 1; g < s.designs.size(); ++g) {
      for (const model::BomEntry& e : s.designs[g].bom) EXPECT_NE(e.component, offer.component);
    }
  }
  EXPECT_GT(last_orders, 0);
  EXPECT_DOUBLE_EQ(s.policy.end_backlog_penalty_usd_per_rack[0], 6000000);
  EXPECT_DOUBLE_EQ(s.policy.end_backlog_penalty_usd_per_rack[1], 3000000);
  EXPECT_DOUBLE_EQ(s.policy.end_backlog_penalty_usd_per_rack[2], 1200000);
  // The other files do not change (the flags draw no random numbers).
  const std::map<std::string, std::string> flagged = GenerateScenarioFiles(o);
  for (const char* name : {"components.csv", "suppliers.csv", "plants.yaml", "lanes.csv", "roadmap.yaml"}) {
    EXPECT_EQ(flagged.at(name), plain.at(name)) << name;
  }
}

}  // namespace
}  // namespace rackforge::io
