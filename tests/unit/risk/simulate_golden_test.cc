// Golden equivalence of the Monte Carlo: risk::Simulator (flat week plans, only the
// items with something to do visited) against the simulator as it was before that
// restructuring (unit/risk/reference_simulator), which visits every entry every week.
// For the same seed both must give identical per-run outcomes (every week's output,
// the backlog by kind, which nodes cost output) and identical summaries (percentiles,
// top_loss_nodes, the share of runs meeting the target by week), with both builds of the week
// loop (AVX2 where the CPU has it, and the x86-64 baseline).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "io/generate.h"
#include "io/scenario_loader.h"
#include "plan/plan.h"
#include "risk/simulate.h"
#include "unit/risk/hand_component_lines.h"
#include "unit/risk/reference_simulator.h"
#include "unit/risk/tiny_scenario.h"

namespace rackforge::risk {
namespace {

void ExpectSamePercentiles(const Percentiles& a, const Percentiles& b, const std::string& what) {
  EXPECT_EQ(a.p5, b.p5) << what;
  EXPECT_EQ(a.p50, b.p50) << what;
  EXPECT_EQ(a.p95, b.p95) << what;
}

// Runs both simulators on runs [0, runs) and compares everything they return.
// Returns the number of runs in which some node went out and cost output (so that a
// caller can check that the case exercised outages at all).
int64_t ExpectSameAsReference(const model::Scenario& s, const plan::PlanResult& b, uint64_t seed, int64_t runs) {
  const Simulator sim(s, b, s.policy.option_demand);
  const reference::ReferenceSimulator ref(s, b, s.policy.option_demand);
  const RunOutcomes want = ref.RunRange(seed, 0, runs);
  const RunOutcomes got = sim.RunRange(seed, 0, runs, 1);
  EXPECT_EQ(got.weeks, want.weeks);
  EXPECT_EQ(got.nodes, want.nodes);
  EXPECT_EQ(got.output_racks, want.output_racks);
  EXPECT_EQ(got.backlog_rack_weeks, want.backlog_rack_weeks);
  EXPECT_EQ(got.node_loss, want.node_loss);

  const SimulationResult rs = ref.Summarize(want, seed);
  const SimulationResult gs = sim.Summarize(got, seed);
  EXPECT_EQ(gs.runs, rs.runs);
  EXPECT_EQ(gs.p_target_met_by_week, rs.p_target_met_by_week);
  EXPECT_EQ(gs.output_racks_by_week.size(), rs.output_racks_by_week.size());
  for (size_t t = 0; t < rs.output_racks_by_week.size() && t < gs.output_racks_by_week.size(); ++t) {
    ExpectSamePercentiles(gs.output_racks_by_week[t], rs.output_racks_by_week[t], "week " + std::to_string(t));
  }
  for (int k = 0; k < model::kDemandKinds; ++k) {
    ExpectSamePercentiles(gs.backlog_rack_weeks_pct[k], rs.backlog_rack_weeks_pct[k], "kind " + std::to_string(k));
  }
  EXPECT_EQ(gs.top_loss_nodes, rs.top_loss_nodes);

  // The baseline (SSE2) build of the week loop gives the same as the one RunRange picks (AVX2
  // where the CPU has it), bit for bit.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)  // the compilers that build PlayWeeksAvx2
  EXPECT_EQ(sim.UsesAvx2(), __builtin_cpu_supports("avx2") != 0);  // so the runs above were the AVX2 build here
#endif
  Simulator baseline_isa(s, b, s.policy.option_demand);
  baseline_isa.set_vector_isa(Simulator::VectorIsa::kBaseline);
  EXPECT_FALSE(baseline_isa.UsesAvx2());
  const RunOutcomes plain = baseline_isa.RunRange(seed, 0, runs, 1);
  EXPECT_EQ(plain.output_racks, want.output_racks);
  EXPECT_EQ(plain.backlog_rack_weeks, want.backlog_rack_weeks);
  EXPECT_EQ(plain.node_loss, want.node_loss);
  EXPECT_EQ(plain.node_short_weeks, got.node_short_weeks);

  // Threads and blocks of runs change nothing.
  const RunOutcomes two = sim.RunRange(seed, 0, runs, 2);
  EXPECT_EQ(two.output_racks, want.output_racks);
  EXPECT_EQ(two.node_loss, want.node_loss);
  if (runs > 3) {
    const RunOutcomes tail = sim.RunRange(seed, 3, runs, 2);
    EXPECT_EQ(std::vector<double>(want.output_racks.begin() + 3 * want.weeks, want.output_racks.end()),
              tail.output_racks);
  }
  int64_t lossy = 0;
  for (int64_t r = 0; r < want.runs(); ++r) {
    bool any = false;
    for (int32_t n = 0; n < want.nodes; ++n) any = any || want.node_loss[r * want.nodes + n] != 0;
    lossy += any ? 1 : 0;
  }
  return lossy;
}

void ScaleOutageProbabilities(model::Scenario& s, double factor) {
  for (model::Plant& p : s.plants) p.outage_prob_per_week = std::min(1.0, p.outage_prob_per_week * factor);
  for (model::Supplier& x : s.suppliers) x.outage_prob_per_week = std::min(1.0, x.outage_prob_per_week * factor);
}

plan::PlanResult Solve(const model::Scenario& s) {
  plan::PlanOptions options;
  options.bottlenecks = false;
  plan::PlanResult b = plan::SolvePlan(s, options);
  EXPECT_TRUE(b.has_solution);
  return b;
}

model::Scenario Generated(const io::GenerateOptions& o, const std::string& name) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("rackforge-golden-" + name);
  std::filesystem::remove_all(dir);
  io::GenerateScenario(o, dir.string());
  model::Scenario s = io::LoadScenario(dir.string());
  std::filesystem::remove_all(dir);
  return s;
}

TEST(SimulateGoldenTest, TinyScenarioWithFrequentOutages) {
  model::Scenario s = testing::TinyScenario(2, 12);
  const plan::PlanResult b = testing::TinyBaseline(s);
  s.plants[0].outage_prob_per_week = 0.15;
  s.plants[1].outage_prob_per_week = 0.05;
  s.suppliers[0].outage_prob_per_week = 0.2;
  testing::SetStockAtEveryPlant(s, 0, 30);  // parts run short: orders and waiting orders matter
  plan::PlanResult with_orders = b;
  for (int t = 0; t < 10; ++t) {
    for (int p = 0; p < 2; ++p) with_orders.buy[with_orders.BuyIndex(0, p, t)] = 20;
  }
  EXPECT_GT(ExpectSameAsReference(s, with_orders, 11, 400), 50);
}

TEST(SimulateGoldenTest, DefaultScenario) {
  model::Scenario s = io::LoadScenario(std::string(RACKFORGE_SOURCE_DIR) + "/scenarios/us-ai-racks-2026");
  const plan::PlanResult b = Solve(s);
  EXPECT_GT(ExpectSameAsReference(s, b, 1, 150), 10);
  ScaleOutageProbabilities(s, 8);
  EXPECT_GT(ExpectSameAsReference(s, b, 7, 100), 50);
}

// The draw loop at its edges, against the reference: nodes that never go out (probability 0),
// that always go out (1), that go out for no week (recovery 0) and many nodes out at once (next
// to each other and at both ends of the loop order).
TEST(SimulateGoldenTest, DefaultScenarioWithCertainImpossibleAndZeroLengthOutages) {
  model::Scenario s = io::LoadScenario(std::string(RACKFORGE_SOURCE_DIR) + "/scenarios/us-ai-racks-2026");
  const plan::PlanResult b = Solve(s);
  ASSERT_GE(s.suppliers.size(), 12u);
  s.plants.front().outage_prob_per_week = 0;       // the first node never goes out
  s.plants.back().outage_prob_per_week = 1;         // always out again when it recovers
  s.plants.back().recovery_weeks = 2;
  const size_t last = s.suppliers.size() - 1;
  s.suppliers[last].outage_prob_per_week = 0.6;     // the last node, out often
  s.suppliers[last].recovery_weeks = 1;
  s.suppliers[last - 1].outage_prob_per_week = 1;   // goes out every week for no week: always draws
  s.suppliers[last - 1].recovery_weeks = 0;
  for (size_t i = 0; i + 2 < last; ++i) {
    model::Supplier& x = s.suppliers[i];
    x.outage_prob_per_week = i % 4 == 0 ? 0.0 : 0.04 * static_cast<double>(i % 7);
    x.recovery_weeks = static_cast<int32_t>(i % 5);
  }
  EXPECT_GT(ExpectSameAsReference(s, b, 3, 64), 30);
}

TEST(SimulateGoldenTest, GeneratedScenariosWithTransfersExpansionsPhaseOutAndComponentLines) {
  io::GenerateOptions o;
  o.plants = 3;
  o.designs = 3;
  o.components = 20;
  o.suppliers = 8;
  o.weeks = 20;
  o.sites = 3;
  o.supply_lanes = true;
  o.transfers = true;
  o.phase_out = true;
  for (uint64_t seed : {5u, 9u}) {
    o.seed = seed;
    model::Scenario s = Generated(o, std::to_string(seed));
    s.disruptions.push_back({{model::NodeKind::kPlant, 0}, 4, 3, 0.5});  // the scenario's own disruption
    const plan::PlanResult b = Solve(s);
    ASSERT_FALSE(s.transfers.empty());
    double sent = 0;
    for (double x : b.xfer) sent += x;
    EXPECT_GT(sent, 0) << "the baseline uses its transfers";
    ScaleOutageProbabilities(s, 20);
    EXPECT_GT(ExpectSameAsReference(s, b, seed, 300), 30) << seed;

    // The same with component lines (some parts short: their lines make less than planned).
    plan::PlanResult bc = b;
    // Every third component is made in house, from 1.5 raw parts, 60 % of them in stock.
    testing::AddHandComponentLines(
        s, bc, {[](const model::Component&, int32_t c) { return c % 3 == 0; }, 1.5, 1e5, 0.6});
    EXPECT_GT(ExpectSameAsReference(s, bc, seed + 1, 300), 30) << seed;
  }
}

}  // namespace
}  // namespace rackforge::risk
