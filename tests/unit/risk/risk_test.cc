#include "risk/risk.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "model/availability.h"
#include "plan/plan.h"
#include "plan/plan_model.h"
#include "risk/nodes.h"
#include "risk/simulate.h"
#include "risk/spare_supply.h"
#include "unit/plan/plan_fixture.h"
#include "unit/risk/tiny_scenario.h"

namespace rackforge::risk {
namespace {

// One plant (WI) with one line of 10 racks/week, design BOM 2 x part, 60 parts on
// hand (3 weeks of building), one supplier (OH, US) with lead time 1, transit 1,
// firm demand 10/week in weeks 1..7 (H = 8), penalty 1000 $/rack-week, part
// holding 1 $/week. The cost-optimal plan is unique: build and ship 10 in weeks
// 0..6 (no backlog), use the stock in weeks 0..2 and order 20 parts in weeks 2..5.
model::Scenario StockScenario() {
  model::Scenario s = testing::TinyScenario(1, 8);
  s.policy.backlog_penalty.usd_per_rack_week = {1000, 1000, 1000};
  testing::SetStockAtEveryPlant(s, 0, 60);
  s.components[0].holding_usd_per_week = 1;
  s.plants[0].recovery_weeks = 2;
  s.suppliers[0].recovery_weeks = 5;
  return s;
}

plan::PlanResult Baseline(const model::Scenario& s) {
  plan::PlanOptions options;
  options.bottlenecks = false;
  const plan::PlanResult b = plan::SolvePlan(s, options);
  EXPECT_TRUE(b.has_solution);
  return b;
}

const NodeRisk& Find(const RiskResult& r, const std::string& name) {
  for (const NodeRisk& n : r.nodes) {
    if (n.name == name) return n;
  }
  throw std::runtime_error("no node " + name);
}

TEST(RiskTest, TtsAndPiOfAHandSolvedScenarioFromWeekZero) {
  const model::Scenario s = StockScenario();
  const plan::PlanResult b = Baseline(s);
  const RiskResult r = ComputeRisk(s, b, RiskOptions{});
  ASSERT_EQ(r.nodes.size(), 3u);  // plant, line, supplier in loop order
  EXPECT_EQ(r.nodes[0].name, "plant:p0");
  EXPECT_EQ(r.nodes[1].name, "line:l0");
  EXPECT_EQ(r.nodes[2].name, "supplier:sup");
  EXPECT_NEAR(r.baseline_backlog_rack_weeks, 0.0, 1e-6);

  // Plant out in weeks 0..1: builds 10/week in weeks 2..6 only, arrivals in 3..7;
  // back = 10, 20, 20, 20, 20, 20, 20 in weeks 1..7 -> 130. Out for good: week 1
  // already has 10 backlog, so only week 0 survives: TTS 1 < recovery 2.
  const NodeRisk& plant = Find(r, "plant:p0");
  EXPECT_NEAR(plant.pi_rack_weeks, 130.0, 1e-5);
  EXPECT_EQ(plant.tts_weeks, 1);
  EXPECT_TRUE(plant.exposed);
  const NodeRisk& line = Find(r, "line:l0");  // inherits the plant's recovery
  EXPECT_EQ(line.recovery_weeks, 2);
  EXPECT_NEAR(line.pi_rack_weeks, 130.0, 1e-5);
  EXPECT_EQ(line.tts_weeks, 1);

  // Supplier out in weeks 0..4: the stock builds 10 in weeks 0..2, the first order
  // (week 5) arrives in week 6 and builds 10 more; arrivals in weeks 1, 2, 3, 7:
  // back = 10, 20, 30, 30 in weeks 4..7 -> 90. Out for good: the stock lasts 3
  // weeks and covers demand up to week 3: TTS 4 < recovery 5.
  const NodeRisk& sup = Find(r, "supplier:sup");
  EXPECT_NEAR(sup.pi_rack_weeks, 90.0, 1e-5);
  EXPECT_EQ(sup.tts_weeks, 4);
  EXPECT_TRUE(sup.exposed);
  EXPECT_NEAR(sup.exposure_index, 90.0 / 130.0, 1e-6);
  EXPECT_NEAR(plant.exposure_index, 1.0, 1e-9);
}

TEST(RiskTest, MoreStockLengthensTimeToSurvive) {
  model::Scenario s = StockScenario();
  testing::SetStockAtEveryPlant(s, 0, 100);  // 5 weeks of building: demand covered up to week 5
  const plan::PlanResult b = Baseline(s);
  RiskOptions options;
  options.plants = options.lines = false;
  const RiskResult r = ComputeRisk(s, b, options);
  ASSERT_EQ(r.nodes.size(), 1u);
  EXPECT_EQ(r.nodes[0].tts_weeks, 6);
  EXPECT_FALSE(r.nodes[0].exposed);  // recovery 5 <= TTS 6
  EXPECT_NEAR(r.nodes[0].exposure_index, r.nodes[0].pi_rack_weeks > 0 ? 1.0 : 0.0, 1e-12);
}

TEST(RiskTest, StartWeekFixesThePastToTheBaseline) {
  model::Scenario s = StockScenario();
  s.risk_start_week = 2;
  const plan::PlanResult b = Baseline(s);
  RiskOptions options;
  options.lines = options.suppliers = false;
  const RiskResult r = ComputeRisk(s, b, options);
  ASSERT_EQ(r.nodes.size(), 1u);
  EXPECT_EQ(r.start_week, 2);
  // Weeks 0..1 built and shipped as planned (arrivals in weeks 1, 2). Plant out in
  // weeks 2..3: builds in weeks 4..6 arrive in 5..7; back = 0, 10, 20, 20, 20, 20
  // in weeks 2..7 -> 90. Out for good: week 2 is covered, week 3 is not: TTS 1.
  EXPECT_NEAR(r.nodes[0].pi_rack_weeks, 90.0, 1e-5);
  EXPECT_EQ(r.nodes[0].tts_weeks, 1);
}

TEST(RiskTest, ConcentrationGroupsByStateAndCountry) {
  const model::Scenario s = StockScenario();
  const plan::PlanResult b = Baseline(s);
  const RiskResult r = ComputeRisk(s, b, RiskOptions{});
  ASSERT_EQ(r.by_state.size(), 2u);  // OH (supplier), WI (plant and line), sorted by key
  EXPECT_EQ(r.by_state[0].key, "OH");
  EXPECT_EQ(r.by_state[0].nodes, 1);
  EXPECT_EQ(r.by_state[0].exposed_nodes, 1);
  EXPECT_NEAR(r.by_state[0].max_pi_rack_weeks, 90.0, 1e-5);
  EXPECT_NEAR(r.by_state[0].supply_spend_share, 1.0, 1e-12);
  EXPECT_EQ(r.by_state[0].output_share, 0.0);
  EXPECT_EQ(r.by_state[1].key, "WI");
  EXPECT_EQ(r.by_state[1].nodes, 2);
  EXPECT_NEAR(r.by_state[1].output_share, 1.0, 1e-12);
  ASSERT_EQ(r.by_country.size(), 1u);
  EXPECT_EQ(r.by_country[0].key, "US");
  EXPECT_NEAR(r.by_country[0].supply_spend_share, 1.0, 1e-12);
}

// The risk LP of DESIGN.md built the slow way, from scratch: unweighted backlog from t0 on, no
// domestic and share rows, expansions continuous (fixed by FixBefore), weeks < t0 fixed.
plan::PlanModel RiskModelByDefinition(const model::Scenario& s, const plan::PlanResult& baseline, double widen) {
  plan::PlanOptions options;
  options.bottlenecks = false;
  plan::ModelVariant variant;
  variant.objective = plan::ModelVariant::Objective::kUnweightedBacklog;
  variant.backlog_from_week = s.risk_start_week;
  variant.domestic_and_share_rows = false;
  variant.integer_expansions = false;
  plan::PlanModel m(s, options, variant);
  m.FixBefore(baseline, s.risk_start_week, widen);
  return m;
}

// The feasibility LPs of the TTS definition: with the node out from t0 on, is
// there a plan whose backlog stays within the caps (the baseline's per week,
// plus 1e-6) in weeks t0..t0+w-1? A fresh copy of the risk model each time.
class TtsDefinition {
 public:
  TtsDefinition(const model::Scenario& s, const plan::PlanResult& baseline)
      : s_(s), base_(RiskModelByDefinition(s, baseline, 0.0)) {
    for (int32_t t = s.risk_start_week; t < s.horizon_weeks; ++t) {
      double total = 0;
      for (size_t i = t; i < baseline.back.size(); i += s.horizon_weeks) total += baseline.back[i];
      caps_.push_back(total + 1e-6);
    }
  }

  bool Survives(model::NodeRef node, int32_t w) const {
    plan::PlanModel m(base_);
    m.SetOutage(node, s_.risk_start_week, s_.horizon_weeks);
    m.SetBacklogCaps(s_.risk_start_week, std::vector<double>(caps_.begin(), caps_.begin() + w));
    return m.Solve().status == solver::SolveStatus::kOptimal;
  }

 private:
  const model::Scenario& s_;
  plan::PlanModel base_;
  std::vector<double> caps_;
};

// TTS by its definition, the slow way: with the node out from t0 on, test every
// w = 0..H-t0 with its own feasibility LP (a fresh copy of the model each time)
// and take the largest feasible one. ComputeRisk's witness search must agree.
int32_t TtsByDefinition(const model::Scenario& s, const plan::PlanResult& baseline, model::NodeRef node) {
  const TtsDefinition definition(s, baseline);
  int32_t largest = 0;
  for (int32_t w = 1; w <= s.horizon_weeks - s.risk_start_week; ++w) {
    if (definition.Survives(node, w)) largest = w;
  }
  return largest;
}

// A synthetic scenario from t0 = 3 with `units` of every part on hand at every plant.
model::Scenario StockedSynthetic(int32_t weeks, uint32_t seed, double units) {
  rackforge::testing::SyntheticSize size;
  size.weeks = weeks;
  size.seed = seed;
  model::Scenario s = rackforge::testing::SyntheticScenario(size);
  s.risk_start_week = 3;
  for (model::OnHand& h : s.on_hand) h.units = units;
  return s;
}

TEST(RiskTest, WitnessSearchFindsTheTtsOfTheDefinition) {
  const model::Scenario s = StockedSynthetic(14, 7, 40);  // some nodes survive for a while on stock
  const plan::PlanResult b = Baseline(s);
  const RiskResult r = ComputeRisk(s, b, {});
  std::set<int32_t> distinct;
  for (const NodeRisk& n : r.nodes) {
    EXPECT_EQ(n.tts_weeks, TtsByDefinition(s, b, n.node)) << n.name;
    distinct.insert(n.tts_weeks);
  }
  EXPECT_GE(distinct.size(), 3u) << "the instance should exercise short, medium and full-horizon TTS";
}

// A longer horizon (t0 = 3, H - t0 = 33) with stock for a node to survive 9
// weeks: w = 8 holds, w = 16 fails on its cut model, and bisection on cut
// models between them finds the TTS (the others fail earlier).
// Checked against the definition at TTS and TTS + 1 (feasibility is monotone in
// w, so these two LPs decide it; the full scan is in the test above).
TEST(RiskTest, CutProbesUpToSixteenWeeksFindTheTtsOfTheDefinition) {
  const model::Scenario s = StockedSynthetic(36, 1, 300);
  const plan::PlanResult b = Baseline(s);
  const RiskResult r = ComputeRisk(s, b, {});
  const TtsDefinition definition(s, b);
  const int32_t horizon = s.horizon_weeks - s.risk_start_week;
  int32_t between = 0;
  for (const NodeRisk& n : r.nodes) {
    if (n.tts_weeks > 0) {
      EXPECT_TRUE(definition.Survives(n.node, n.tts_weeks)) << n.name;
    }
    if (n.tts_weeks < horizon) {
      EXPECT_FALSE(definition.Survives(n.node, n.tts_weeks + 1)) << n.name;
    }
    between += n.tts_weeks > 8 && n.tts_weeks < 16 ? 1 : 0;
  }
  EXPECT_GE(between, 1) << "no node with 8 < TTS < 16";
}

// The longest horizon (t0 = 3, H - t0 = 44): the cut probes run w = 1, 2, 4, 8,
// 16 and ⌊44/2⌋ = 22. Lines and offers 1.5x their synthetic capacity, and stock
// for one supplier's part to carry the program 21 weeks (600 units of every part
// at every plant) or 25 weeks (750): the first fails its cut probe at 22 and is
// settled by bisection on cut models between 17 and 21, the second holds at 22
// and goes on to the weighted full LP. Both checked against the definition at
// TTS and TTS + 1, as above.
TEST(RiskTest, CutProbeAtHalfTheHorizonFindsTheTtsOfTheDefinition) {
  struct Case {
    double units;              // of every part at every plant
    int32_t tts_from, tts_to;  // some node's TTS lies in [from, to)
  };
  for (const Case& c : {Case{600, 17, 22}, Case{750, 22, 44}}) {
    model::Scenario s = StockedSynthetic(47, 1, c.units);
    for (model::Line& l : s.lines) l.racks_per_week *= 1.5;
    for (model::Offer& o : s.offers) o.capacity_per_week *= 1.5;
    const plan::PlanResult b = Baseline(s);
    const RiskResult r = ComputeRisk(s, b, {});
    const TtsDefinition definition(s, b);
    const int32_t horizon = s.horizon_weeks - s.risk_start_week;
    ASSERT_EQ(horizon, 44);
    int32_t in_range = 0;
    for (const NodeRisk& n : r.nodes) {
      if (n.tts_weeks > 0) {
        EXPECT_TRUE(definition.Survives(n.node, n.tts_weeks)) << n.name << " at " << c.units;
      }
      if (n.tts_weeks < horizon) {
        EXPECT_FALSE(definition.Survives(n.node, n.tts_weeks + 1)) << n.name << " at " << c.units;
      }
      in_range += n.tts_weeks >= c.tts_from && n.tts_weeks < c.tts_to ? 1 : 0;
    }
    EXPECT_GE(in_range, 1) << "no node with " << c.tts_from << " <= TTS < " << c.tts_to << " at " << c.units;
  }
}

// The witness start of the TTS search: with no baseline backlog in the 16 weeks
// from t0 (every cap is 1e-6), the weighted LP on the model cut at t0 + 16 keeps
// the backlog at 0 as long as it can, so its witness W is usually the TTS and a
// failing probe at W + 1 settles the node. Whatever the witness, the TTS must be
// the definition's: checked at TTS and TTS + 1 (monotone in w), node by node.
TEST(RiskTest, WitnessOfTheWeightedCutLpStartsTheSearchAndKeepsTheDefinition) {
  for (const double units : {150.0, 600.0}) {
    model::Scenario s = StockedSynthetic(47, 1, units);
    for (model::Line& l : s.lines) l.racks_per_week *= 1.5;
    for (model::Offer& o : s.offers) o.capacity_per_week *= 1.5;
    s.risk_start_week = 7;  // the baseline's backlog of the ramp is gone by then
    const plan::PlanResult b = Baseline(s);
    const int32_t t0 = s.risk_start_week;
    for (int32_t t = t0; t < t0 + 16; ++t) {
      for (size_t i = t; i < b.back.size(); i += s.horizon_weeks) ASSERT_LE(b.back[i], 1e-9) << "week " << t;
    }
    const RiskResult r = ComputeRisk(s, b, {});
    const TtsDefinition definition(s, b);
    const int32_t horizon = s.horizon_weeks - t0;
    int32_t short_survivals = 0;
    for (const NodeRisk& n : r.nodes) {
      if (n.tts_weeks > 0) {
        EXPECT_TRUE(definition.Survives(n.node, n.tts_weeks)) << n.name << " at " << units;
      }
      if (n.tts_weeks < horizon) {
        EXPECT_FALSE(definition.Survives(n.node, n.tts_weeks + 1)) << n.name << " at " << units;
      }
      short_survivals += n.tts_weeks > 1 && n.tts_weeks < 16 ? 1 : 0;
    }
    EXPECT_GE(r.witness_lps, 1) << units;
    EXPECT_GE(short_survivals, 1) << "no node with 1 < TTS < 16 at " << units;
  }
}

TEST(RiskTest, CancelStopsBeforeTheNextNode) {
  model::Scenario s = testing::TinyScenario(3, 10);
  const plan::PlanResult b = Baseline(s);
  RiskOptions options;
  options.threads = 1;
  std::atomic<int> checks{0};
  std::atomic<int> nodes_done{0};
  options.progress = [&](int32_t, int32_t) { ++nodes_done; };
  options.cancelled = [&] { return ++checks > 2; };  // two nodes run, then the flag is up
  EXPECT_THROW(ComputeRisk(s, b, options), Cancelled);
  EXPECT_EQ(nodes_done, 2);
  options.cancelled = [] { return false; };
  nodes_done = 0;
  const size_t all = ComputeRisk(s, b, options).nodes.size();
  EXPECT_EQ(all, static_cast<size_t>(nodes_done.load()));
  EXPECT_GT(all, 2u);
}

TEST(RiskTest, BlocksOfNodesCombineToTheWholeResult) {
  model::Scenario s = testing::TinyScenario(3, 10);
  s.policy.backlog_penalty.usd_per_rack_week = {1000, 1000, 1000};
  s.plants[1].recovery_weeks = 4;
  const plan::PlanResult b = Baseline(s);
  const RiskResult whole = ComputeRisk(s, b, {});
  RiskOptions first, second;
  first.blocks = second.blocks = 2;
  first.block = 0;
  second.block = 1;
  RiskResult a = ComputeNodeFigures(s, b, first);
  const RiskResult c = ComputeNodeFigures(s, b, second);
  ASSERT_EQ(a.nodes.size(), whole.nodes.size());
  const size_t split = whole.nodes.size() / 2;  // floor(7 * 1 / 2) = 3: nodes 0..2, then 3..6
  for (size_t i = split; i < a.nodes.size(); ++i) {
    EXPECT_EQ(a.nodes[i].pi_rack_weeks, 0.0) << "block 0 computed node " << i;
    a.nodes[i].pi_rack_weeks = c.nodes[i].pi_rack_weeks;
    a.nodes[i].tts_weeks = c.nodes[i].tts_weeks;
  }
  FinishRisk(s, b, a);
  for (size_t i = 0; i < whole.nodes.size(); ++i) {
    EXPECT_EQ(a.nodes[i].pi_rack_weeks, whole.nodes[i].pi_rack_weeks) << whole.nodes[i].name;
    EXPECT_EQ(a.nodes[i].tts_weeks, whole.nodes[i].tts_weeks) << whole.nodes[i].name;
    EXPECT_EQ(a.nodes[i].exposure_index, whole.nodes[i].exposure_index) << whole.nodes[i].name;
    EXPECT_EQ(a.nodes[i].exposed, whole.nodes[i].exposed) << whole.nodes[i].name;
  }
  EXPECT_EQ(a.by_state.size(), whole.by_state.size());
  RiskOptions bad;
  bad.blocks = 2;
  bad.block = 2;
  EXPECT_THROW(ComputeNodeFigures(s, b, bad), std::invalid_argument);
}

TEST(RiskTest, JsonIsIdenticalForOneAndTwoThreadsAndSortedByExposure) {
  model::Scenario s = testing::TinyScenario(3, 10);
  s.policy.backlog_penalty.usd_per_rack_week = {1000, 1000, 1000};
  s.plants[1].recovery_weeks = 4;
  const plan::PlanResult b = Baseline(s);
  RiskOptions one, two;
  one.threads = 1;
  two.threads = 2;
  // test_risk links only rf_risk (+ rf_io); the JSON byte comparison is in tests/e2e/risk_cli.sh.
  const RiskResult a = ComputeRisk(s, b, one);
  const RiskResult c = ComputeRisk(s, b, two);
  ASSERT_EQ(a.nodes.size(), 7u);  // 3 plants, 3 lines, 1 supplier
  ASSERT_EQ(c.nodes.size(), 7u);
  for (size_t i = 0; i < a.nodes.size(); ++i) {
    EXPECT_EQ(a.nodes[i].name, c.nodes[i].name);
    EXPECT_EQ(a.nodes[i].pi_rack_weeks, c.nodes[i].pi_rack_weeks) << a.nodes[i].name;  // bit-identical
    EXPECT_EQ(a.nodes[i].tts_weeks, c.nodes[i].tts_weeks) << a.nodes[i].name;
    EXPECT_EQ(a.nodes[i].exposure_index, c.nodes[i].exposure_index) << a.nodes[i].name;
  }
  const std::vector<size_t> order = ByExposure(a);
  EXPECT_EQ(a.nodes[order[0]].name, "plant:p1");  // the longest recovery hurts most
  EXPECT_EQ(a.nodes[order[1]].name, "line:l1");   // same PI, loop order breaks the tie
  EXPECT_EQ(a.nodes[order[0]].exposure_index, 1.0);
  for (size_t i = 1; i < order.size(); ++i) {
    EXPECT_GE(a.nodes[order[i - 1]].exposure_index, a.nodes[order[i]].exposure_index);
  }
}

// PIs that differ by less than the PI tolerance (1e-6 rack-weeks: the last bits of two LP
// optima) are a tie, broken by the shorter TTS and then loop order; a real difference wins.
TEST(RiskTest, ByExposureTreatsPisWithinTheToleranceAsEqual) {
  RiskResult r;
  auto add = [&](const char* name, double pi, int32_t tts) {
    NodeRisk n;
    n.name = name;
    n.pi_rack_weeks = pi;
    n.tts_weeks = tts;
    r.nodes.push_back(n);
  };
  add("plant:a", 100.0, 5);
  add("line:a1", 100.0 + 4e-12, 5);  // larger in the last bits only: tied with plant:a
  add("supplier:s", 100.0 - 2e-12, 3);  // tied too, but survives less long: first
  add("line:b1", 100.5, 9);           // a real difference: ahead of all three
  add("plant:b", 0.0, 2);
  const std::vector<size_t> order = ByExposure(r);
  std::vector<std::string> names;
  for (size_t i : order) names.push_back(r.nodes[i].name);
  EXPECT_EQ(names, (std::vector<std::string>{"line:b1", "supplier:s", "plant:a", "line:a1", "plant:b"}));
}

TEST(SimulateJsonTest, IdenticalForOneAndTwoThreads) {
  model::Scenario s = testing::TinyScenario(3, 20);
  s.plants[0].outage_prob_per_week = 0.1;
  s.plants[2].outage_prob_per_week = 0.03;
  s.suppliers[0].outage_prob_per_week = 0.05;
  const plan::PlanResult b = Baseline(s);
  const Simulator sim(s, b, s.policy.option_demand);
  const SimulationResult one = Simulate(sim, 2000, 5, 1);
  const SimulationResult two = Simulate(sim, 2000, 5, 2);
  EXPECT_EQ(one.p_target_met_by_week, two.p_target_met_by_week);
  ASSERT_EQ(one.output_racks_by_week.size(), two.output_racks_by_week.size());
  for (size_t t = 0; t < one.output_racks_by_week.size(); ++t) {
    EXPECT_EQ(one.output_racks_by_week[t].p5, two.output_racks_by_week[t].p5);
    EXPECT_EQ(one.output_racks_by_week[t].p50, two.output_racks_by_week[t].p50);
    EXPECT_EQ(one.output_racks_by_week[t].p95, two.output_racks_by_week[t].p95);
  }
  for (int k = 0; k < 3; ++k) EXPECT_EQ(one.backlog_rack_weeks_pct[k].p50, two.backlog_rack_weeks_pct[k].p50);
  EXPECT_EQ(one.top_loss_nodes, two.top_loss_nodes);
  EXPECT_FALSE(one.top_loss_nodes.empty());
  EXPECT_NE(one.p_target_met_by_week, Simulate(sim, 2000, 6, 2).p_target_met_by_week);
}

TEST(SimulateJsonTest, NoOutagesReproduceTheSolvedBaselineOutput) {
  const model::Scenario s = testing::TinyScenario(2, 8);
  const plan::PlanResult b = Baseline(s);
  const Simulator sim(s, b, s.policy.option_demand);
  const RunOutcomes out = sim.RunRange(1, 0, 20, 2);
  for (int64_t r = 0; r < 20; ++r) {
    for (int t = 0; t < 8; ++t) EXPECT_NEAR(out.output_racks[r * 8 + t], b.racks_built_by_week[t], 1e-9);
    for (int k = 0; k < 3; ++k) EXPECT_NEAR(out.backlog_rack_weeks[r * 3 + k], b.backlog_rack_weeks[k], 1e-6);
  }
}

// Component lines are nodes, in DESIGN.md's loop order: per plant its rack lines, its component
// lines, then the expansions of the plant that are lines of either kind and that the baseline
// opens (expansion file order).
TEST(RiskNodesTest, ComponentLinesInLoopOrder) {
  model::Scenario s = testing::TinyScenario(2);
  auto add_cline = [&](const std::string& id, int32_t plant, int32_t expansion) {
    model::ComponentLine m;
    m.id = id;
    m.plant = plant;
    m.components = {0};
    m.units_per_week = 5;
    m.expansion = expansion;
    const int32_t index = static_cast<int32_t>(s.component_lines.size());
    s.component_lines.push_back(m);
    (expansion < 0 ? s.plants[plant].component_lines : s.plants[plant].expansion_component_lines).push_back(index);
    return index;
  };
  add_cline("m0", 0, -1);
  // Expansions in file order: a rack line at p0, a component line at p0, a component line at p1 (not opened).
  model::Line xl;
  xl.id = "xl";
  xl.plant = 0;
  xl.designs = {0};
  xl.expansion = 0;
  s.lines.push_back(xl);
  s.plants[0].expansion_lines.push_back(2);
  s.expansions.push_back({"xl", 0, model::ExpansionKind::kLine, 0, 0, 0, 2, 0, -1});
  s.expansions.push_back({"xm", 0, model::ExpansionKind::kComponentLine, 0, 0, 0, -1, 0, add_cline("xm", 0, 1)});
  s.expansions.push_back({"xq", 1, model::ExpansionKind::kComponentLine, 0, 0, 0, -1, 0, add_cline("xq", 1, 2)});
  add_cline("m1", 1, -1);  // an existing component line of p1, listed after the expansions in the vector
  s.plants[1].component_lines = {3};
  plan::PlanResult baseline;
  baseline.opened = {1, 1, 0};
  std::vector<std::string> names;
  for (const model::NodeRef& n : RiskNodes(s, baseline)) names.push_back(model::NodeName(s, n));
  EXPECT_EQ(names, (std::vector<std::string>{"plant:p0", "plant:p1", "line:l0", "line:m0", "line:xl", "line:xm",
                                             "line:l1", "line:m1", "supplier:sup"}));
  baseline.opened = {0, 0, 1};
  names.clear();
  for (const model::NodeRef& n : RiskNodes(s, baseline)) names.push_back(model::NodeName(s, n));
  EXPECT_EQ(names, (std::vector<std::string>{"plant:p0", "plant:p1", "line:l0", "line:m0", "line:l1", "line:m1",
                                             "line:xq", "supplier:sup"}));
}

// One plant, rack line l0 (10 racks/week), design BOM 2 x part, demand 10/week in weeks 1..5
// (H = 6, lane transit 1). The part is not bought: component line m0 makes it, 20 units/week,
// from no parts. The plan builds 10 racks in weeks 0..4, no backlog. m0 out in weeks 0..1 (the
// plant's recovery 2): no racks in weeks 0-1 and no capacity to catch up, arrivals in weeks 3..5
// only: back = 10, 20, 20, 20, 20 in weeks 1..5 -> PI 90, like the plant's. Out for good: week 1
// already has backlog: TTS 1 < 2 (exposed).
TEST(RiskTest, ComponentLineOutageHandDerived) {
  model::Scenario s = testing::TinyScenario(1, 6);
  s.offers.clear();
  s.components[0].offers.clear();
  s.on_hand.clear();
  model::ComponentLine m;
  m.id = "m0";
  m.plant = 0;
  m.components = {0};
  m.units_per_week = 20;
  s.component_lines.push_back(m);
  s.plants[0].component_lines = {0};
  s.components[0].made_by = {0};
  s.plants[0].recovery_weeks = 2;
  const plan::PlanResult b = Baseline(s);
  ASSERT_NEAR(b.backlog_rack_weeks[1], 0.0, 1e-6);
  const RiskResult r = ComputeRisk(s, b, RiskOptions{});
  ASSERT_EQ(r.nodes.size(), 3u);  // plant, rack line, component line; the supplier has no usable offer
  EXPECT_EQ(r.nodes[2].name, "line:m0");
  const NodeRisk& cline = Find(r, "line:m0");
  EXPECT_EQ(cline.recovery_weeks, 2);  // inherited from the plant
  EXPECT_NEAR(cline.pi_rack_weeks, 90.0, 1e-5);
  EXPECT_EQ(cline.tts_weeks, 1);
  EXPECT_TRUE(cline.exposed);
  EXPECT_NEAR(Find(r, "plant:p0").pi_rack_weeks, 90.0, 1e-5);
}

}  // namespace
}  // namespace rackforge::risk

namespace rackforge::risk {
namespace {

// PI by its definition, the slow way: a fresh model per node (built, fixed
// before t0 and solved from scratch, with no shortcut for nodes the plans do
// not use): B(n out for t0..t0+R-1) - B(no extra outage), 0 within 1e-6.
double PiByDefinition(const model::Scenario& s, const plan::PlanResult& baseline, const NodeRisk& n, double widen) {
  auto backlog = [&](bool out) {
    plan::PlanModel m = RiskModelByDefinition(s, baseline, widen);
    if (out) m.SetOutage(n.node, s.risk_start_week, s.risk_start_week + n.recovery_weeks);
    const plan::PlanResult r = m.Solve();
    EXPECT_EQ(r.status, solver::SolveStatus::kOptimal) << n.name;
    double total = 0;
    for (size_t i = 0; i < r.back.size(); ++i) {
      if (static_cast<int32_t>(i % r.weeks) >= s.risk_start_week) total += r.back[i];
    }
    return total;
  };
  const double pi = backlog(true) - backlog(false);
  return pi > 1e-6 ? pi : 0.0;
}

// Every node's PI and TTS of `r` (ComputeRisk: group LPs, shortcuts for unused
// nodes, LPs on copies of one unsolved model, witness search) equal the
// definition computed node by node from scratch.
void ExpectNodesByDefinition(const model::Scenario& s, const plan::PlanResult& b, const RiskResult& r) {
  ASSERT_EQ(r.fix_widen, 0.0);  // TtsByDefinition fixes exactly
  for (const NodeRisk& n : r.nodes) {
    const double pi = PiByDefinition(s, b, n, r.fix_widen);
    EXPECT_NEAR(n.pi_rack_weeks, pi, 1e-6 * std::max(1.0, pi)) << n.name;
    EXPECT_EQ(n.tts_weeks, TtsByDefinition(s, b, n.node)) << n.name;
  }
}

// The same for ComputeRisk(s, b), and the instance has nodes of every sort
// (unused: PI 0 and TTS H - t0; exposed; partly surviving).
void ExpectFiguresByDefinition(const model::Scenario& s, const plan::PlanResult& b) {
  const RiskResult r = ComputeRisk(s, b, {});
  ExpectNodesByDefinition(s, b, r);
  const int32_t horizon = s.horizon_weeks - s.risk_start_week;
  int32_t unused = 0, hit = 0, partial = 0;
  for (const NodeRisk& n : r.nodes) {
    unused += n.pi_rack_weeks == 0.0 && n.tts_weeks == horizon ? 1 : 0;
    hit += n.pi_rack_weeks > 0.0 ? 1 : 0;
    partial += n.tts_weeks > 0 && n.tts_weeks < horizon ? 1 : 0;
  }
  EXPECT_GE(unused, 1) << "no node that the plans leave unused";
  EXPECT_GE(hit, 1) << "no node with PI > 0";
  EXPECT_GE(partial, 1) << "no node with 0 < TTS < H - t0";
}

// Two plants with a line each (10 racks/week, demand 20 in weeks 1..9, H = 10,
// t0 = 2), a rack of one unit each of parts A..F, no stock. Each part has a
// cheap supplier (X1, lead time 1, used by the baseline); A and B also a dear
// one (X2, 1000 units a week), C and D instead component line m at plant p0
// making either, 20 units a week in all, E and F line m2 likewise (both dear,
// unused by the baseline), with transfers to p1. The grouping's estimate
// counts a line's capacity for each of its parts, so every X1 supplier is a
// candidate. Which nodes need an LP, and so join a group, depends on the vertex
// of the base LP (its objective is backlog only, so any mix of suppliers is
// optimal). At the vertex of the dual simplex with perturbation 50 (risk's B0,
// LpMethod::kDual) the groups are {m, A1, B1, E1, F1} and {A2, B2, C1, D1}
// (no part in common within a group); both miss a cap (m2 cannot make 20 E and
// 20 F a week; m cannot make 20 C and 20 D), so both are split in halves:
// {m, A1} meets, {B1, E1, F1} misses, {A2, B2} meets, {C1, D1} misses: 6 group
// LPs, 4 nodes settled. A node can be settled by a group only when its figures
// are TTS = H - t0 and PI = 0, and every figure equals the definition.
TEST(RiskTest, GroupLpsSettleReplaceableSuppliersAndFailedGroupsSplit) {
  model::Scenario s = testing::TinyScenario(2, 10);
  s.risk_start_week = 2;
  s.designs[0].bom.clear();
  s.offers.clear();
  s.on_hand.clear();
  s.suppliers.clear();
  const model::Component first = s.components[0];
  s.components.clear();
  const std::vector<std::string> parts = {"a", "b", "c", "d", "e", "f"};
  for (size_t c = 0; c < parts.size(); ++c) {
    model::Component comp = first;
    comp.id = parts[c];
    comp.offers.clear();
    s.components.push_back(comp);
    s.designs[0].bom.push_back({static_cast<int32_t>(c), 1});
    const int suppliers = c < 2 ? 2 : 1;
    for (int k = 1; k <= suppliers; ++k) {
      const auto supplier = static_cast<int32_t>(s.suppliers.size());
      s.suppliers.push_back({parts[c] + std::to_string(k), "Sup", "US", "OH", 2, 0.0});
      s.components[c].offers.push_back(static_cast<int32_t>(s.offers.size()));
      s.offers.push_back({supplier, static_cast<int32_t>(c), k == 1 ? 50.0 : 150.0, 1000.0, 1, 0, 0.0, std::nullopt});
    }
    s.components[c].offer_rows_in_file = suppliers;
    for (int32_t p = 0; p < 2; ++p) s.on_hand.push_back({p, static_cast<int32_t>(c), 0.0});
  }
  for (int32_t first_part : {2, 4}) {
    model::ComponentLine m;
    m.id = first_part == 2 ? "m" : "m2";
    m.plant = 0;
    m.components = {first_part, first_part + 1};
    m.units_per_week = 20;
    m.cost_usd_per_unit = 500;
    const auto line = static_cast<int32_t>(s.component_lines.size());
    s.component_lines.push_back(m);
    s.plants[0].component_lines.push_back(line);
    for (int32_t c : m.components) {
      s.components[c].made_by = {line};
      s.transfers.push_back({0, 1, c, 0, 1.0});
    }
  }
  const plan::PlanResult b = Baseline(s);
  ASSERT_TRUE(b.has_solution);
  const RiskResult r = ComputeRisk(s, b, {});
  EXPECT_EQ(r.group_lps, 6);                // two groups, both missing, and their halves
  EXPECT_EQ(r.nodes_settled_by_groups, 4);  // m, a1, a2, b2
  const int32_t horizon = s.horizon_weeks - s.risk_start_week;
  int32_t untouched = 0;  // TTS = H - t0 and PI = 0: the only figures a group can settle
  for (const NodeRisk& n : r.nodes) untouched += n.tts_weeks == horizon && n.pi_rack_weeks == 0.0 ? 1 : 0;
  EXPECT_LE(r.nodes_settled_by_groups, untouched);
  EXPECT_LT(untouched, static_cast<int32_t>(r.nodes.size()));  // the plants and rack lines are exposed
  for (const char* name : {"supplier:a1", "supplier:b1", "supplier:c1", "supplier:f1"}) {
    EXPECT_EQ(Find(r, name).tts_weeks, horizon) << name;
    EXPECT_EQ(Find(r, name).pi_rack_weeks, 0.0) << name;
  }
  ExpectNodesByDefinition(s, b, r);
}

TEST(RiskTest, FiguresEqualTheDefinitionNodeByNodeOnATinyScenario) {
  model::Scenario s = testing::TinyScenario(3, 10);
  s.policy.backlog_penalty.usd_per_rack_week = {1000, 1000, 1000};
  s.plants[1].recovery_weeks = 4;
  s.risk_start_week = 2;
  testing::SetStockAtEveryPlant(s, 0, 25);  // a few weeks of parts: the supplier is needed from week 3 on
  model::Supplier spare = s.suppliers[0];   // a second supplier with a dearer offer the plan never uses
  spare.id = "spare";
  s.suppliers.push_back(spare);
  model::Offer dear = s.offers[0];
  dear.supplier = 1;
  dear.unit_cost_usd = s.offers[0].unit_cost_usd * 3;
  s.components[0].offers.push_back(static_cast<int32_t>(s.offers.size()));
  s.offers.push_back(dear);
  ExpectFiguresByDefinition(s, Baseline(s));
}

TEST(RiskTest, FiguresEqualTheDefinitionNodeByNodeWithComponentLinesAndTransfers) {
  rackforge::testing::SyntheticSize size;
  size.weeks = 14;
  size.seed = 11;
  size.component_lines = true;
  size.transfers = true;
  model::Scenario s = rackforge::testing::SyntheticScenario(size);
  s.risk_start_week = 3;
  for (model::OnHand& h : s.on_hand) h.units = 40;
  const plan::PlanResult b = Baseline(s);
  ASSERT_FALSE(s.component_lines.empty());
  ExpectFiguresByDefinition(s, b);
}


// Two plants with a line each (10 racks/week, demand 20 in weeks 1..9, H = 10,
// t0 = 2), a rack of one unit each of parts a and b, no stock. Each part has a
// cheap supplier (lead time 1) that the baseline buys from, and component line
// m1 at plant p1 makes both (dear, 1000 units a week, unused by the baseline),
// with transfers p1 -> p0 of both parts (transit 0). No other supplier offers
// them, so only the component line can replace a supplier: the estimate counts
// its unused capacity and picks both suppliers (no part in common) for one
// group LP, whose plan (m1 makes both parts from week 2, the racks of p0 get
// theirs by transfer) meets every cap. Every figure equals the definition.
model::Scenario InHouseBackupScenario(double line_units_per_week) {
  model::Scenario s = testing::TinyScenario(2, 10);
  s.risk_start_week = 2;
  s.designs[0].bom = {{0, 1}, {1, 1}};
  s.components[0].id = "a";
  s.components[0].holding_usd_per_week = 1;
  model::Component b = s.components[0];
  b.id = "b";
  b.offers = {1};
  s.components.push_back(b);
  s.suppliers[0].id = "sa";
  model::Supplier sb = s.suppliers[0];
  sb.id = "sb";
  s.suppliers.push_back(sb);
  s.offers[0].capacity_per_week = 1000;
  model::Offer ob = s.offers[0];
  ob.supplier = 1;
  ob.component = 1;
  s.offers.push_back(ob);
  s.on_hand.clear();
  model::ComponentLine m;
  m.id = "m1";
  m.plant = 1;
  m.components = {0, 1};
  m.units_per_week = line_units_per_week;
  m.cost_usd_per_unit = 500;
  s.component_lines.push_back(m);
  s.plants[1].component_lines = {0};
  for (int32_t c = 0; c < 2; ++c) {
    s.components[c].made_by = {0};
    s.transfers.push_back({1, 0, c, 0, 1.0});
    for (int32_t p = 0; p < 2; ++p) s.on_hand.push_back({p, c, 0.0});
  }
  return s;
}

TEST(RiskTest, GroupEstimateCountsAComponentLineAtAnotherPlantWithATransfer) {
  const model::Scenario s = InHouseBackupScenario(1000);
  const plan::PlanResult b = Baseline(s);
  ASSERT_TRUE(b.has_solution);
  for (double units : b.makec) ASSERT_NEAR(units, 0.0, 1e-9);  // the baseline buys every part
  const SpareSupply spare(s, b, s.risk_start_week);
  EXPECT_FALSE(spare.FirstShortfall({model::NodeKind::kSupplier, 0}).has_value());
  EXPECT_FALSE(spare.FirstShortfall({model::NodeKind::kSupplier, 1}).has_value());
  const RiskResult r = ComputeRisk(s, b, {});
  EXPECT_EQ(r.group_lps, 1);
  EXPECT_EQ(r.nodes_settled_by_groups, 2);
  const int32_t horizon = s.horizon_weeks - s.risk_start_week;
  for (const char* name : {"supplier:sa", "supplier:sb"}) {
    EXPECT_EQ(Find(r, name).tts_weeks, horizon) << name;
    EXPECT_EQ(Find(r, name).pi_rack_weeks, 0.0) << name;
  }
  ExpectNodesByDefinition(s, b, r);
}

// The same with a component line of 10 units a week: it cannot make up a
// supplier's 20 parts a week, so the estimate reports the part short and no
// group LP is solved; the figures
// (now TTS < H - t0, PI > 0) still equal the definition.
TEST(RiskTest, GroupEstimateLeavesOutASupplierTheComponentLineCannotReplace) {
  const model::Scenario s = InHouseBackupScenario(10);
  const plan::PlanResult b = Baseline(s);
  ASSERT_TRUE(b.has_solution);
  const SpareSupply spare(s, b, s.risk_start_week);
  const std::optional<Shortfall> shortfall = spare.FirstShortfall({model::NodeKind::kSupplier, 0});
  ASSERT_TRUE(shortfall.has_value());
  EXPECT_EQ(shortfall->component, 0);
  // sa's orders from t0 on arrive from week 3 (20 a week for both plants' racks); m1
  // has 10 a week from week 2 and there is no stock: by week 4, 40 needed, 30 spare.
  EXPECT_EQ(shortfall->week, s.risk_start_week + 2);
  EXPECT_NEAR(shortfall->need_units, 40.0, 1e-6);
  EXPECT_NEAR(shortfall->spare_units, 30.0, 1e-6);
  const RiskResult r = ComputeRisk(s, b, {});
  EXPECT_EQ(r.group_lps, 0);
  const int32_t horizon = s.horizon_weeks - s.risk_start_week;
  EXPECT_LT(Find(r, "supplier:sa").tts_weeks, horizon);
  ExpectNodesByDefinition(s, b, r);
}

}  // namespace
}  // namespace rackforge::risk
