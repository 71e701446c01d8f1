#include "risk/simulate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "risk/mpi_runs.h"
#include "risk/percentile.h"
#include "model/splitmix64.h"
#include "unit/risk/tiny_scenario.h"

namespace rackforge::risk {
namespace {

using testing::SetStockAtEveryPlant;
using testing::TinyBaseline;
using testing::TinyScenario;

// Reference values computed independently with Python's arbitrary-precision ints:
//   M = 2**64 - 1; state = (state + 0x9E3779B97F4A7C15) & M; z = state
//   z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M; z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
//   out = z ^ (z >> 31)
TEST(SplitMix64Test, MatchesReferenceOutputsForSeedZero) {
  SplitMix64 rng(0);
  EXPECT_EQ(rng.Next(), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(rng.Next(), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(rng.Next(), 0x06C45D188009454FULL);
}

TEST(SplitMix64Test, MatchesReferenceOutputsForSeed1234567) {
  SplitMix64 rng(1234567);
  EXPECT_EQ(rng.Next(), 0x599ED017FB08FC85ULL);
  EXPECT_EQ(rng.Next(), 0x2C73F08458540FA5ULL);
  EXPECT_EQ(rng.Next(), 0x883EBCE5A3F27C77ULL);
}

// Python: state = 42 ^ ((run + 1) * 0x9E3779B97F4A7C15 & M); u = (out >> 11) * 2**-53.
TEST(SplitMix64Test, RunStreamsAndUniformsMatchReference) {
  SplitMix64 run0 = SplitMix64::ForRun(42, 0);
  EXPECT_EQ(run0.Next(), 0x28EFE333B266F103ULL);
  SplitMix64 run0_u = SplitMix64::ForRun(42, 0);
  EXPECT_DOUBLE_EQ(run0_u.Uniform(), 0.1599103928769201);
  EXPECT_DOUBLE_EQ(run0_u.Uniform(), 0.27860113025513866);
  SplitMix64 run6 = SplitMix64::ForRun(42, 6);
  EXPECT_EQ(run6.Next(), 0xCBBD05C7DE73A889ULL);
  SplitMix64 run6_u = SplitMix64::ForRun(42, 6);
  EXPECT_DOUBLE_EQ(run6_u.Uniform(), 0.7958530056916532);
}

// The integer test of a draw must agree with DESIGN.md's u < p for every k, in particular at
// and next to the thresholds where p is itself a multiple of 2^-53 and for the scenario's p.
TEST(SimulateTest, OutageDrawThresholdMatchesUniformBelowProbability) {
  auto uniform = [](uint64_t k) { return static_cast<double>(k) * 0x1.0p-53; };
  std::vector<double> probs = {0.0, -0.0, -1.0, 1.0, 2.0, 0.5, 0.003, 0.004, 0.006, 1e-300, 0x1.0p-53,
                               3 * 0x1.0p-53, 0x1.0p-60, 1 - 0x1.0p-53, std::numeric_limits<double>::denorm_min(),
                               std::numeric_limits<double>::quiet_NaN()};
  SplitMix64 rng(42);
  for (int i = 0; i < 2000; ++i) probs.push_back(rng.Uniform());
  for (int i = 0; i < 200; ++i) probs.push_back(uniform(rng.Next() >> 11));  // exactly some u
  for (const double p : probs) {
    const uint64_t t = OutageDrawThreshold(p);
    std::vector<uint64_t> ks = {0, 1, (uint64_t{1} << 53) - 1, uint64_t{1} << 52};
    for (uint64_t d = 0; d < 3; ++d) {
      if (t >= d) ks.push_back(t - d);
      ks.push_back(t + d);
    }
    for (int j = 0; j < 20; ++j) ks.push_back(rng.Next() >> 11);
    for (const uint64_t k : ks) {
      if (k >= (uint64_t{1} << 53)) continue;  // not an output of next() >> 11
      EXPECT_EQ(k < t, uniform(k) < p) << "p " << p << " k " << k;
    }
  }
  EXPECT_EQ(OutageDrawThreshold(1.0), uint64_t{1} << 53);
  EXPECT_EQ(OutageDrawThreshold(0x1.0p-53), 1u);  // only k = 0 is below
  EXPECT_EQ(OutageDrawThreshold(std::nextafter(0x1.0p-53, 1.0)), 2u);
}

TEST(PercentileTest, NearestRankFollowsCeilOfQTimesNOver100) {
  EXPECT_EQ(NearestRank(5, 1), 1);
  EXPECT_EQ(NearestRank(50, 1), 1);
  EXPECT_EQ(NearestRank(95, 1), 1);
  EXPECT_EQ(NearestRank(5, 20), 1);   // 1.0
  EXPECT_EQ(NearestRank(5, 21), 2);   // 1.05 -> 2
  EXPECT_EQ(NearestRank(50, 10), 5);  // 5.0
  EXPECT_EQ(NearestRank(50, 11), 6);  // 5.5 -> 6
  EXPECT_EQ(NearestRank(95, 100), 95);
  EXPECT_EQ(NearestRank(95, 101), 96);  // 95.95 -> 96
  EXPECT_EQ(NearestRank(100, 7), 7);
}

TEST(PercentileTest, PicksTheRankedValue) {
  std::vector<double> v = {9, 1, 8, 2, 7, 3, 6, 4, 5, 10};
  EXPECT_EQ(NearestRankPercentile(v, 5), 1);
  EXPECT_EQ(NearestRankPercentile(v, 50), 5);
  EXPECT_EQ(NearestRankPercentile(v, 95), 10);
  std::vector<double> one = {3.5};
  EXPECT_EQ(NearestRankPercentile(one, 95), 3.5);
  std::vector<double> none;
  EXPECT_THROW(NearestRankPercentile(none, 50), std::invalid_argument);
}

TEST(SimulateTest, NoOutagesReproduceTheBaselineEveryRun) {
  const model::Scenario s = TinyScenario(2);
  const plan::PlanResult b = TinyBaseline(s);
  const Simulator sim(s, b, model::OptionDemandMode::kExpected);
  const RunOutcomes out = sim.RunRange(7, 0, 50, 1);
  ASSERT_EQ(out.runs(), 50);
  for (int64_t r = 0; r < 50; ++r) {
    for (int t = 0; t < 6; ++t) EXPECT_EQ(out.output_racks[r * 6 + t], b.racks_built_by_week[t]) << r << " " << t;
    for (int k = 0; k < 3; ++k) EXPECT_NEAR(out.backlog_rack_weeks[r * 3 + k], 0.0, 1e-9);
  }
  const SimulationResult res = sim.Summarize(out, 7);
  EXPECT_EQ(res.p_target_met_by_week, (std::vector<double>{1, 1, 1, 1, 1, 0}));  // week 5 builds nothing
  EXPECT_EQ(res.output_racks_by_week[2].p5, 20);
  EXPECT_EQ(res.output_racks_by_week[2].p95, 20);
  EXPECT_TRUE(res.top_loss_nodes.empty());
}

TEST(SimulateTest, AlwaysFailingPlantLosesItsShare) {
  model::Scenario s = TinyScenario(2);
  s.plants[0].outage_prob_per_week = 1.0;  // p0 (and its line) out every week
  const plan::PlanResult b = TinyBaseline(s);
  const Simulator sim(s, b, model::OptionDemandMode::kExpected);
  const SimulationResult res = Simulate(sim, 40, 3, 2);
  for (int t = 0; t < 5; ++t) {
    EXPECT_EQ(res.output_racks_by_week[t].p5, 10);
    EXPECT_EQ(res.output_racks_by_week[t].p95, 10);
    EXPECT_EQ(res.p_target_met_by_week[t], 0.0);
  }
  // Firm demand 20/week in weeks 1..5, only 10 arrive: 10 more backlog each week,
  // Σ_t back = 10 * (1 + 2 + 3 + 4 + 5) = 150 rack-weeks in every run.
  EXPECT_NEAR(res.backlog_rack_weeks_pct[1].p5, 150.0, 1e-9);
  EXPECT_NEAR(res.backlog_rack_weeks_pct[1].p95, 150.0, 1e-9);
  EXPECT_EQ(res.backlog_rack_weeks_pct[0].p50, 0.0);
  ASSERT_EQ(res.top_loss_nodes.size(), 2u);
  EXPECT_EQ(res.top_loss_nodes[0], (std::pair<std::string, double>{"plant:p0", 1.0}));
  EXPECT_EQ(res.top_loss_nodes[1], (std::pair<std::string, double>{"line:l0", 1.0}));
}

TEST(SimulateTest, OrdersOfAnAlwaysOutSupplierWaitAndTheBuildStops) {
  // The supplier is out every week (probability 1, recovery 1): every order
  // joins Q and none ships (there is never a week with spare capacity to send it).
  model::Scenario s = TinyScenario(1);
  SetStockAtEveryPlant(s, 0, 20);  // enough for week 0 only
  s.suppliers[0].outage_prob_per_week = 1.0;
  s.suppliers[0].recovery_weeks = 1;
  plan::PlanResult b = TinyBaseline(s);
  for (int t = 0; t < 4; ++t) b.buy[b.BuyIndex(0, 0, t)] = 20;  // orders for weeks 1..4 (lead 1)
  const Simulator sim(s, b, model::OptionDemandMode::kExpected);
  const SimulationResult res = Simulate(sim, 10, 11, 1);
  EXPECT_EQ(res.output_racks_by_week[0].p50, 10);
  for (int t = 1; t < 5; ++t) EXPECT_EQ(res.output_racks_by_week[t].p95, 0) << t;
  // Demand 10/week in weeks 1..5, 10 arrive in week 1: Σ_t back = 10 * (1+2+3+4) = 100.
  EXPECT_NEAR(res.backlog_rack_weeks_pct[1].p50, 100.0, 1e-9);
  ASSERT_EQ(res.top_loss_nodes.size(), 1u);
  EXPECT_EQ(res.top_loss_nodes[0].first, "supplier:sup");
}

TEST(SimulateTest, UnbuiltAndUnshippedRacksCatchUpAfterRecovery) {
  // One plant, line capacity 20, plan 10/week in weeks 0..4; plant and line (which
  // inherits the plant's probability) fail with probability 0.3 for one week.
  // Seed 116, run 0 draws (checked with a Python SplitMix64): plant out in week 1,
  // line out in week 2, nothing else. By hand:
  //   w0 build 10 ship 10 | w1 plant out: U=10, S=10 | w2 line out: U=20, inventory 0, S=20
  //   w3 build min(30, 20)=20, U=10, ship min(30, 20)=20, S=10 | w4 build 20, ship 20 | w5 no plan.
  // Arrivals (transit 1): 10 in w1, 20 in w4, 20 in w5; demand 10 in w1..w5:
  //   back = 0, 10, 20, 10, 0 in w1..w5 -> 40 rack-weeks.
  model::Scenario s = TinyScenario(1, 6);
  s.lines[0].racks_per_week = 20;
  s.plants[0].outage_prob_per_week = 0.3;
  s.plants[0].recovery_weeks = 1;
  const plan::PlanResult b = TinyBaseline(s);
  const Simulator sim(s, b, model::OptionDemandMode::kExpected);
  const RunOutcomes out = sim.RunRange(116, 0, 1, 1);
  EXPECT_EQ(out.output_racks, (std::vector<double>{10, 0, 0, 20, 20, 0}));
  EXPECT_NEAR(out.backlog_rack_weeks[1], 40.0, 1e-9);
  EXPECT_EQ(out.node_loss, (std::vector<uint8_t>{1, 1, 0}));  // plant, line, supplier
  // Short of the plan's 10 in weeks 1 and 2: the plant was out in one of them, the line in the other.
  EXPECT_EQ(out.node_short_weeks, (std::vector<uint16_t>{1, 1, 0}));
  const SimulationResult res = sim.Summarize(out, 116);
  EXPECT_EQ(res.p_target_met_by_week, (std::vector<double>{1, 0, 0, 1, 1, 0}));
  EXPECT_EQ(res.shortfall_weeks, 2);
  EXPECT_EQ(res.loss_node_shortfall_week_share, (std::vector<double>{0.5, 0.5}));
}

TEST(SimulateTest, RacksUnbuiltAtThePhaseOutAreNeverBuilt) {
  // As UnbuiltAndUnshippedRacksCatchUpAfterRecovery (seed 116, run 0: plant out
  // in week 1, line out in week 2), but the design's last build week is 3 and
  // the plan builds and ships 10/week in weeks 0..3 only. By hand:
  //   w0 build 10 ship 10 | w1 plant out: U=10, S=10 | w2 line out: U=20, S=20
  //   w3 build min(30, 20)=20, U=10, ship 20, S=10 | w4 after the last build week:
  //   U=10 is never built, nothing to ship | w5 nothing.
  // Arrivals (transit 1): 10 in w1, 20 in w4; demand 10 in w1..w5:
  //   back = 0, 10, 20, 10, 20 in w1..w5 -> 60 rack-weeks (50 if w4 built the 10).
  model::Scenario s = TinyScenario(1, 6);
  s.lines[0].racks_per_week = 20;
  s.plants[0].outage_prob_per_week = 0.3;
  s.plants[0].recovery_weeks = 1;
  s.designs[0].last_build_week = 3;
  plan::PlanResult b = TinyBaseline(s);
  b.make[b.MakeIndex(0, 0, 4)] = 0;
  b.ship[b.ShipIndex(0, 0, 1, 4)] = 0;
  b.racks_built_by_week[4] = 0;
  const Simulator sim(s, b, model::OptionDemandMode::kExpected);
  const RunOutcomes out = sim.RunRange(116, 0, 1, 1);
  EXPECT_EQ(out.output_racks, (std::vector<double>{10, 0, 0, 20, 0, 0}));
  EXPECT_NEAR(out.backlog_rack_weeks[1], 60.0, 1e-9);
}

TEST(SimulateTest, WaitingOrdersShipFromSpareCapacityAfterTheOutage) {
  // One plant, line capacity 30, plan 10/week in weeks 0..6 from 20 parts
  // ordered each week 0..5 (lead 1, capacity 1000: spare 980), 20 parts on hand.
  // Seed 42, run 0 (checked with a Python SplitMix64): the supplier goes out in
  // week 1 for 2 weeks (recovery 2), nothing else fails. By hand:
  //   w0 order 20 sent (due w1), build 10 from stock | w1 out: Q=20; 20 arrive, build 10
  //   w2 out: Q=40; nothing arrives, U=10 | w3 order 20 sent and Q=40 from spare: 60 due w4; U=20
  //   w4 60 arrive, build min(10+20, 30, 60/2)=30 | w5, w6 20 arrive, build 10 | w7 no plan.
  // With lost orders (the old rule) week 4 would build 10 and the 20 racks would never come.
  model::Scenario s = TinyScenario(1, 8);
  SetStockAtEveryPlant(s, 0, 20);
  s.lines[0].racks_per_week = 30;
  s.suppliers[0].outage_prob_per_week = 0.3;
  s.suppliers[0].recovery_weeks = 2;
  plan::PlanResult b = TinyBaseline(s);
  for (int t = 0; t < 6; ++t) b.buy[b.BuyIndex(0, 0, t)] = 20;
  const Simulator sim(s, b, model::OptionDemandMode::kExpected);
  const RunOutcomes out = sim.RunRange(42, 0, 1, 1);
  EXPECT_EQ(out.output_racks, (std::vector<double>{10, 10, 0, 0, 30, 10, 10, 0}));
  EXPECT_EQ(out.node_loss, (std::vector<uint8_t>{0, 0, 1}));  // plant, line, supplier
  // Short in weeks 2 and 3; the supplier was out in weeks 1 and 2: it explains one of the two.
  EXPECT_EQ(out.node_short_weeks, (std::vector<uint16_t>{0, 0, 1}));
  const SimulationResult res = sim.Summarize(out, 42);
  EXPECT_EQ(res.shortfall_weeks, 2);
  ASSERT_EQ(res.top_loss_nodes.size(), 1u);
  EXPECT_EQ(res.loss_node_shortfall_week_share, (std::vector<double>{0.5}));
}

TEST(SimulateTest, PartsAreHeldAtPlants) {
  // Two plants; all 120 parts of the plan's stock lie at p0 and none at p1: p1's
  // line has no parts (pools are per plant, parts do not move without a transfer),
  // so only p0 builds. No orders, no outages.
  model::Scenario s = TinyScenario(2, 6);
  SetStockAtEveryPlant(s, 0, 0);
  s.on_hand[0].units = 100;  // p0: 5 weeks of 10 racks
  const plan::PlanResult b = TinyBaseline(s);
  const Simulator sim(s, b, model::OptionDemandMode::kExpected);
  const RunOutcomes out = sim.RunRange(3, 0, 1, 1);
  EXPECT_EQ(out.output_racks, (std::vector<double>{10, 10, 10, 10, 10, 0}));
}

// Two plants of TinyScenario (plan: each line builds 10 racks = 20 parts in
// weeks 0..4); all stock lies at p0 and a transfer row p0 -> p1 of the part with
// transit `transit` carries xfer[0,t] = planned[t].
plan::PlanResult WithTransfer(model::Scenario& s, double stock_p0, double stock_p1, int32_t transit,
                              const std::vector<double>& planned) {
  SetStockAtEveryPlant(s, 0, 0);
  s.on_hand[0].units = stock_p0;
  s.on_hand[1].units = stock_p1;
  s.transfers.push_back({0, 1, 0, transit, 0.0});
  plan::PlanResult b = TinyBaseline(s);
  b.xfer.assign(s.horizon_weeks, 0.0);
  for (size_t t = 0; t < planned.size(); ++t) b.xfer[b.XferIndex(0, static_cast<int32_t>(t))] = planned[t];
  return b;
}

TEST(SimulateTest, TransfersFeedTheOtherPlantAsPlanned) {
  // Transit 0: 20 parts leave p0 and join p1's pool at once, before the rack
  // build: both plants build 10 every week 0..4 (the plan). Transit 1: p1
  // builds week 0 from its own 20, then from the 20 sent the week before.
  {
    model::Scenario s = TinyScenario(2, 6);
    const plan::PlanResult b = WithTransfer(s, 200, 0, 0, {20, 20, 20, 20, 20});
    const Simulator sim(s, b, model::OptionDemandMode::kExpected);
    EXPECT_EQ(sim.RunRange(3, 0, 1, 1).output_racks, (std::vector<double>{20, 20, 20, 20, 20, 0}));
  }
  {
    model::Scenario s = TinyScenario(2, 6);
    const plan::PlanResult b = WithTransfer(s, 180, 20, 1, {20, 20, 20, 20});
    const Simulator sim(s, b, model::OptionDemandMode::kExpected);
    EXPECT_EQ(sim.RunRange(3, 0, 1, 1).output_racks, (std::vector<double>{20, 20, 20, 20, 20, 0}));
  }
}

TEST(SimulateTest, TransfersComeBeforeTheRackBuildAndSendOnlyWhatIsThere) {
  // p0 holds 30 parts; the plan sends 30 to p1 in week 0 (transit 0). Step 5
  // before step 6: all 30 leave p0 (p0 builds 0 of its 10), p1 builds
  // min(10, 30/2) = 10 and keeps 10 parts; week 1: p1 builds 5, then nothing.
  // (Build before transfers would give 10 at p0 and 5 at p1 in week 0.)
  model::Scenario s = TinyScenario(2, 6);
  const plan::PlanResult b = WithTransfer(s, 30, 0, 0, {30});
  const Simulator sim(s, b, model::OptionDemandMode::kExpected);
  EXPECT_EQ(sim.RunRange(3, 0, 1, 1).output_racks, (std::vector<double>{10, 5, 0, 0, 0, 0}));
  // Only what the pool holds is sent: 40 planned from 30 parts sends 30 (X = 10
  // stays unsent, there is never more at p0): the same output.
  model::Scenario s2 = TinyScenario(2, 6);
  const plan::PlanResult b2 = WithTransfer(s2, 30, 0, 0, {40});
  const Simulator sim2(s2, b2, model::OptionDemandMode::kExpected);
  EXPECT_EQ(sim2.RunRange(3, 0, 1, 1).output_racks, (std::vector<double>{10, 5, 0, 0, 0, 0}));
}

TEST(SimulateTest, TransfersWaitWhileTheSendingPlantIsOut) {
  // p0 is out every week (probability 1): it builds nothing and sends nothing
  // (xfer joins X), so p1, with no stock of its own, builds nothing either.
  model::Scenario s = TinyScenario(2, 6);
  s.plants[0].outage_prob_per_week = 1.0;
  const plan::PlanResult b = WithTransfer(s, 200, 0, 0, {20, 20, 20, 20, 20});
  const Simulator sim(s, b, model::OptionDemandMode::kExpected);
  EXPECT_EQ(sim.RunRange(3, 0, 1, 1).output_racks, (std::vector<double>(6, 0.0)));
}

TEST(SimulateTest, IdenticalForOneAndTwoThreadsAndSeedDependent) {
  model::Scenario s = TinyScenario(3, 12);
  s.plants[0].outage_prob_per_week = 0.1;
  s.plants[1].outage_prob_per_week = 0.05;
  s.suppliers[0].outage_prob_per_week = 0.02;
  SetStockAtEveryPlant(s, 0, 40);
  plan::PlanResult b = TinyBaseline(s);
  for (int t = 0; t < 10; ++t) {
    for (int p = 0; p < 3; ++p) b.buy[b.BuyIndex(0, p, t)] = 20;
  }
  const Simulator sim(s, b, model::OptionDemandMode::kExpected);
  const RunOutcomes one = sim.RunRange(99, 0, 500, 1);
  const RunOutcomes two = sim.RunRange(99, 0, 500, 2);
  EXPECT_EQ(one.output_racks, two.output_racks);
  EXPECT_EQ(one.backlog_rack_weeks, two.backlog_rack_weeks);
  EXPECT_EQ(one.node_loss, two.node_loss);
  // A block of runs equals the same runs played alone (run r depends only on seed, r).
  const RunOutcomes block = sim.RunRange(99, 200, 300, 2);
  EXPECT_TRUE(std::equal(block.output_racks.begin(), block.output_racks.end(), one.output_racks.begin() + 200 * 12));
  const RunOutcomes other_seed = sim.RunRange(100, 0, 500, 1);
  EXPECT_NE(one.output_racks, other_seed.output_racks);
}

TEST(MpiSessionTest, BlocksPartitionTheRunsInOrder) {
  for (int size : {1, 2, 3, 7}) {
    EXPECT_EQ(BlockStart(1001, 0, size), 0);
    EXPECT_EQ(BlockStart(1001, size, size), 1001);
    for (int r = 0; r < size; ++r) {
      const int64_t a = BlockStart(1001, r, size), b = BlockStart(1001, r + 1, size);
      EXPECT_LE(a, b);
      EXPECT_LE(b - a, 1001 / size + 1);  // blocks differ by at most one run
    }
  }
  EXPECT_EQ(BlockStart(10, 1, 2), 5);
}

TEST(MpiSessionTest, OutsideMpirunIsOneProcessWithTheSameResult) {
  model::Scenario s = TinyScenario(2, 10);
  s.plants[1].outage_prob_per_week = 0.2;
  const plan::PlanResult b = TinyBaseline(s);
  const Simulator sim(s, b, model::OptionDemandMode::kExpected);
  const MpiSession mpi;
  EXPECT_EQ(mpi.rank(), 0);
  EXPECT_EQ(mpi.size(), 1);
  const SimulationResult a = mpi.Simulate(sim, 300, 4, 2);
  const SimulationResult c = Simulate(sim, 300, 4, 1);
  EXPECT_EQ(a.output_racks_by_week.size(), c.output_racks_by_week.size());
  EXPECT_EQ(a.p_target_met_by_week, c.p_target_met_by_week);
  EXPECT_EQ(a.top_loss_nodes, c.top_loss_nodes);
}

}  // namespace
}  // namespace rackforge::risk
