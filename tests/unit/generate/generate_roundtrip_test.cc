// rackforge generate goes through the one scenario writer: its files load
// back into a scenario that the writer writes as the same files, the model
// it builds plans like the loaded one, and its output stays what it was
// before the writer existed (digests below).
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>

#include "io/errors.h"
#include "io/generate.h"
#include "io/scenario_loader.h"
#include "io/scenario_writer.h"
#include "plan/plan.h"
#include "unit/io/scenario_fixture.h"

namespace rackforge::io {
namespace {

using testing::ExpectSameFiles;

using testing::LoadFiles;

GenerateOptions Small(uint64_t seed) {
  return {.plants = 3, .designs = 3, .components = 40, .suppliers = 12, .weeks = 20, .sites = 4, .seed = seed};
}

/// Every v2 flag of generate at once.
GenerateOptions V2(uint64_t seed) {
  return {.plants = 4, .designs = 3, .components = 40, .suppliers = 12, .weeks = 30, .sites = 5, .seed = seed,
          .design_space_slots = 3, .design_space_options = 4, .phase_out = true, .end_penalty_weeks = 4,
          .supply_lanes = true, .transfers = true, .component_lines = 7};
}

// generate -> load -> write gives generate's files; load -> write again too.
void ExpectWriteLoadWrite(const GenerateOptions& o) {
  const GeneratedScenario generated = GenerateScenarioModel(o);
  const auto files = GenerateScenarioFiles(o);
  const model::Scenario loaded = LoadFiles(files);
  ExpectSameFiles(files, ScenarioFiles(loaded, generated.write));
  ExpectSameFiles(files, ScenarioFiles(LoadFiles(ScenarioFiles(loaded, generated.write)), generated.write));
}

TEST(GenerateRoundTrip, WriteLoadWriteGivesTheSameFiles) {
  for (uint64_t seed : {1, 2, 3}) ExpectWriteLoadWrite(Small(seed));
  for (uint64_t seed : {1, 2, 3, 4, 5}) ExpectWriteLoadWrite(V2(seed));
  ExpectWriteLoadWrite(GenerateOptions{});
}

TEST(GenerateRoundTrip, TheGeneratedModelPlansLikeItsLoadedFiles) {
  for (const GenerateOptions& o : {Small(4), V2(2)}) {
    const model::Scenario generated = GenerateScenarioModel(o).scenario;
    const model::Scenario loaded = LoadFiles(GenerateScenarioFiles(o));
    ASSERT_EQ(generated.lines.size(), loaded.lines.size());
    ASSERT_EQ(generated.component_lines.size(), loaded.component_lines.size());
    for (size_t c = 0; c < loaded.components.size(); ++c) {
      EXPECT_EQ(generated.components[c].made_by, loaded.components[c].made_by) << loaded.components[c].id;
      EXPECT_EQ(generated.components[c].offers, loaded.components[c].offers) << loaded.components[c].id;
    }
    for (size_t p = 0; p < loaded.plants.size(); ++p) {
      EXPECT_EQ(generated.plants[p].lines, loaded.plants[p].lines);
      EXPECT_EQ(generated.plants[p].expansion_lines, loaded.plants[p].expansion_lines);
      EXPECT_EQ(generated.plants[p].component_lines, loaded.plants[p].component_lines);
      EXPECT_EQ(generated.plants[p].expansion_component_lines, loaded.plants[p].expansion_component_lines);
    }
    for (size_t l = 0; l < loaded.lines.size(); ++l) {
      EXPECT_EQ(generated.lines[l].start_week, loaded.lines[l].start_week);
      EXPECT_EQ(generated.lines[l].expansion, loaded.lines[l].expansion);
    }
    plan::PlanOptions options;
    options.bottlenecks = false;
    const plan::PlanResult a = plan::SolvePlan(generated, options);
    const plan::PlanResult b = plan::SolvePlan(loaded, options);
    ASSERT_TRUE(a.has_solution);
    ASSERT_TRUE(b.has_solution);
    EXPECT_EQ(a.objective_usd, b.objective_usd);
  }
}

uint64_t Fnv1a(const std::string& text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 0x100000001b3ULL;
  }
  return h;
}

void ExpectDigests(const GenerateOptions& o, const std::map<std::string, uint64_t>& expected) {
  const auto files = GenerateScenarioFiles(o);
  ASSERT_EQ(files.size(), expected.size());
  for (const auto& [name, digest] : expected) {
    ASSERT_TRUE(files.count(name)) << name;
    EXPECT_EQ(Fnv1a(files.at(name)), digest) << name << " changed: 0x" << std::hex << Fnv1a(files.at(name));
  }
}

// The digests of the files generate wrote before it went through the writer
// (the same options and seed). Only v2's component_boms.csv differs from
// then: its rows are now grouped by component (the same rows, and each
// component's parts in the same order, so the loaded scenario is the same).
TEST(GenerateRoundTrip, FilesAreThoseOfTheHandWrittenGenerator) {
  ExpectDigests(GenerateOptions{}, {{"components.csv", 0xb3fd7ffa631b9d6eULL},
                                    {"demand.csv", 0x7954c27c8a6dc6bdULL},
                                    {"lanes.csv", 0xfa8bf51967474acaULL},
                                    {"offers.csv", 0x748b89fbbf0eadf1ULL},
                                    {"on_hand.csv", 0x8cd6ff5fb5081563ULL},
                                    {"plants.yaml", 0xc341a37d33673344ULL},
                                    {"roadmap.yaml", 0x130b9beccf2fbd17ULL},
                                    {"scenario.yaml", 0xf7d2f7406fc0d542ULL},
                                    {"sites.csv", 0xd0cded6800d4f137ULL},
                                    {"suppliers.csv", 0xb22381f2b914d345ULL},
                                    {"designs/g01.yaml", 0x5c2f9a4297b19a0cULL},
                                    {"designs/g02.yaml", 0xe4352f615198781bULL},
                                    {"designs/g03.yaml", 0x0006be429efb2c2fULL},
                                    {"designs/g04.yaml", 0x7850a15103cc8ec0ULL}});
  ExpectDigests(V2(1), {{"component_boms.csv", 0xdcb9ce7a016abf39ULL},
                        {"components.csv", 0x1cb195963fe96661ULL},
                        {"demand.csv", 0x4058c906309e91dcULL},
                        {"design_space.yaml", 0xddd9b40aea40a370ULL},
                        {"lanes.csv", 0xc09397606c72b7b0ULL},
                        {"offers.csv", 0x8bb75e1c69dea8efULL},
                        {"on_hand.csv", 0x23204d400d3450e2ULL},
                        {"plants.yaml", 0x7161fdfba8a3570bULL},
                        {"roadmap.yaml", 0x63495b32f4c86506ULL},
                        {"scenario.yaml", 0xc2097da256751be9ULL},
                        {"sites.csv", 0xbfb6121d5262f492ULL},
                        {"suppliers.csv", 0x6311795f5aace762ULL},
                        {"supply_lanes.csv", 0x9b98a35eef4d45a3ULL},
                        {"transfers.csv", 0x67ed597d29b6a692ULL},
                        {"designs/g01.yaml", 0xe4bb981427c6b83aULL},
                        {"designs/g02.yaml", 0x1f257e88b277c0a6ULL},
                        {"designs/g03.yaml", 0x4e56ce54189e4f9cULL}});
}

}  // namespace
}  // namespace rackforge::io
