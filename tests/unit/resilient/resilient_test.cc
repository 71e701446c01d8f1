// The resilient plan (DESIGN.md "Resilient plan"): a hand-derived two-plant
// case, and generated scenarios checked against the definition built from
// separate per-scenario plan models.

#include "plan/resilient.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "common/errors.h"
#include "io/generate.h"
#include "io/scenario_loader.h"
#include "model/availability.h"
#include "plan/plan_model.h"
#include "report/resilient_report.h"
#include "unit/plan/plan_fixture.h"

namespace rackforge::plan {
namespace {

constexpr double kTol = 1e-6;

// Two plants, one unreliable. H = 3 (weeks 0-2), t0 = risk.start_week = 1.
// Demand: 10 firm racks at site d in week 2. A rack needs 2 parts c ($10, lead 0,
// holding $1/unit-week, supplier reliable); lanes to d: transit 0, $5/rack;
// rack holding h = $10/rack-week; firm penalty P = $1000/rack-week, end penalty
// E = $1000/rack (back[2] costs P + E = $2000 per rack).
//   plant b: line lb 10 racks/week from week 0, $100/rack; p_b = 0.5/week, R_b = 2.
//   plant a: line la 4 racks/week from week 1 (nothing in week 0), $120/rack; p_a = 0.
// A rack from b costs 20 + 100 + 5 = $125, from a $145.
// Contingency plant:b (out in weeks 1-2): π = 1 − 0.5^(3−1) = 0.75,
// w_b = 0.75/1.75 = 3/7, w_0 = 4/7.
// First stage = week 0: only b can build then (x racks, held in weeks 0 and 1: +2h each).
//   nominal cost(x) = 1250 + 20x (the rest built at b in week 2, just in time);
//   outage cost(x): a builds 4 in week 2 and 4 in week 1 (held 1 week): 8 racks for
//     8·145 + 4·10 = 1200; for x ≤ 2 the rest, 2 − x, is still owed at week 2:
//     145x + 1200 + 2000(2 − x); for 2 ≤ x ≤ 6 x replaces week-1 racks of a:
//     145x + 580 + 155(6 − x) = 1510 − 10x.
//   E(x) = (4·nominal + 3·outage)/7: slope (80 − 5565)/7 < 0 on [0,2] and
//   (80 − 30)/7 > 0 on [2,6] -> x* = 2.
// Resilient: nominal 1290, outage 1490 (no backlog), expected (4·1290 + 3·1490)/7 = 9630/7.
// Ordinary plan (x = 0): 1250; its outage best recourse 8·145 + 40 + 4000 = 5200
//   (2 racks owed at week 2: 2 rack-weeks), expected (4·1250 + 3·5200)/7 = 20600/7.
// Price of resilience 1290 − 1250 = 40 (holding: 2 racks × 2 weeks × $10);
// VSS = (20600 − 9630)/7 = 10970/7.
model::Scenario TwoPlants() {
  model::Scenario s = testing::BaseScenario();
  s.horizon_weeks = 3;
  s.risk_start_week = 1;
  s.policy.backlog_penalty.usd_per_rack_week = {1000, 1000, 1000};
  s.policy.end_backlog_penalty_usd_per_rack = {1000, 1000, 1000};
  s.policy.rack_holding_usd_per_week = 10;
  s.components[0].holding_usd_per_week = 1;
  s.demand = {{0, 0, 2, model::DemandKind::kFirm, 10, 1}};
  s.plants[0].id = "b";
  s.plants[0].recovery_weeks = 2;
  s.plants[0].outage_prob_per_week = 0.5;
  s.lines[0].id = "lb";
  model::Plant a;
  a.id = "a";
  a.test_cells = 1;
  a.test_hours_per_cell_week = 1000;
  a.recovery_weeks = 2;
  a.outage_prob_per_week = 0;
  a.lines = {1};
  s.plants.push_back(a);
  model::Line la;
  la.id = "la";
  la.plant = 1;
  la.designs = {0};
  la.racks_per_week = 4;
  la.start_week = 1;
  la.cost_usd_per_rack = 120;
  s.lines.push_back(la);
  s.lanes.push_back({1, 0, 0, 5});
  return s;
}

ResilientOptions Named(std::vector<std::string> names, int32_t threads = 1) {
  ResilientOptions o;
  o.contingencies.set = ContingencySpec::Set::kNamed;
  o.contingencies.names = std::move(names);
  o.threads = threads;
  return o;
}

double RackStock(const PlanResult& r, int32_t plant, int32_t week) { return r.inv[r.InvIndex(plant, 0, week)]; }

TEST(Resilient, HandDerivedTwoPlants) {
  const model::Scenario s = TwoPlants();
  const ResilientResult r = SolveResilient(s, {}, Named({"plant:b"}));
  ASSERT_TRUE(r.has_figures);
  EXPECT_EQ(r.plan.status, solver::SolveStatus::kOptimal);
  EXPECT_NEAR(r.ordinary.objective_usd, 1250, kTol);
  EXPECT_NEAR(r.plan.objective_usd, 1290, kTol);
  EXPECT_NEAR(r.plan.make[r.plan.MakeIndex(0, 0, 0)], 2, kTol);  // stock built at b before t0
  EXPECT_NEAR(RackStock(r.plan, 0, 0), 2, kTol);
  EXPECT_NEAR(RackStock(r.ordinary, 0, 0), 0, kTol);
  EXPECT_NEAR(r.weight_nominal, 4.0 / 7.0, 1e-12);
  ASSERT_EQ(r.contingencies.size(), 1u);
  const Contingency& b = r.contingencies[0];
  EXPECT_EQ(b.name, "plant:b");
  EXPECT_NEAR(b.probability, 0.75, 1e-12);
  EXPECT_NEAR(b.weight, 3.0 / 7.0, 1e-12);
  EXPECT_NEAR(b.cost_resilient_usd, 1490, kTol);
  EXPECT_NEAR(b.cost_ordinary_usd, 5200, kTol);
  EXPECT_NEAR(b.backlog_rack_weeks_resilient, 0, kTol);
  EXPECT_NEAR(b.backlog_rack_weeks_ordinary, 2, kTol);
  EXPECT_NEAR(r.expected_cost_usd, 9630.0 / 7.0, kTol);
  EXPECT_NEAR(r.ordinary_expected_cost_usd, 20600.0 / 7.0, kTol);
  EXPECT_NEAR(r.price_of_resilience_usd, 40, kTol);
  EXPECT_NEAR(r.vss_usd, 10970.0 / 7.0, kTol);
  ASSERT_EQ(r.stock_changes.size(), 1u);
  EXPECT_EQ(r.stock_changes[0].plant, "b");
  EXPECT_TRUE(r.stock_changes[0].racks);
  EXPECT_NEAR(r.stock_changes[0].units_resilient, 2, kTol);
  const std::string text = report::ResilienceText(s, r);
  EXPECT_NE(text.find("+ 2.0 racks of g at b"), std::string::npos) << text;
  EXPECT_NE(text.find("holding +$40"), std::string::npos) << text;
}

// The default set (plants) adds plant a with p = 0: weight 0, the same optimum.
TEST(Resilient, ZeroProbabilityNodeHasZeroWeight) {
  ResilientOptions o;
  o.threads = 1;
  const ResilientResult r = SolveResilient(TwoPlants(), {}, o);
  ASSERT_EQ(r.contingencies.size(), 2u);
  EXPECT_EQ(r.contingencies[0].name, "plant:b");
  EXPECT_EQ(r.contingencies[1].name, "plant:a");
  EXPECT_EQ(r.contingencies[1].weight, 0.0);
  EXPECT_NEAR(r.expected_cost_usd, 9630.0 / 7.0, kTol);
  // Plant a out in weeks 1-2: b builds the 8 others in week 2 anyway.
  EXPECT_NEAR(r.contingencies[1].cost_resilient_usd, 1290, kTol);
}

// With t0 = 0 nothing but open[e] is shared (no stock can be built before the outage).
TEST(Resilient, StartWeekZeroSharesNoWeek) {
  model::Scenario s = TwoPlants();
  s.risk_start_week = 0;
  const ResilientResult r = SolveResilient(s, {}, Named({"plant:b"}));
  // Outage of b in weeks 0-1 (π = 1 − 0.5^3 = 0.875): b still builds in week 2, no stock needed.
  EXPECT_NEAR(r.contingencies[0].probability, 0.875, 1e-12);
  EXPECT_NEAR(r.plan.objective_usd, 1250, kTol);
  EXPECT_NEAR(r.price_of_resilience_usd, 0, kTol);
  EXPECT_NEAR(r.vss_usd, 0, kTol);
  EXPECT_TRUE(r.stock_changes.empty());
}

TEST(Resilient, ContingencySpecs) {
  EXPECT_EQ(ParseContingencySpec("plants").set, ContingencySpec::Set::kPlants);
  EXPECT_EQ(ParseContingencySpec("lines").set, ContingencySpec::Set::kLines);
  EXPECT_EQ(ParseContingencySpec("suppliers").set, ContingencySpec::Set::kSuppliers);
  EXPECT_EQ(ParseContingencySpec("all").set, ContingencySpec::Set::kAll);
  const ContingencySpec named = ParseContingencySpec("plant:a,line:lb");
  EXPECT_EQ(named.names, (std::vector<std::string>{"plant:a", "line:lb"}));
  EXPECT_THROW(ParseContingencySpec(""), common::UsageError);
  EXPECT_THROW(ParseContingencySpec("plant:a,,line:lb"), common::UsageError);
  const model::Scenario s = TwoPlants();
  const PlanResult none;
  EXPECT_EQ(ResolveContingencies(s, none, ParseContingencySpec("lines")).size(), 2u);
  EXPECT_EQ(ResolveContingencies(s, none, ParseContingencySpec("suppliers")).size(), 1u);
  EXPECT_EQ(ResolveContingencies(s, none, ParseContingencySpec("all")).size(), 5u);
  const std::vector<model::NodeRef> two = ResolveContingencies(s, none, named);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0], (model::NodeRef{model::NodeKind::kPlant, 1}));
  EXPECT_EQ(two[1], (model::NodeRef{model::NodeKind::kLine, 0}));
  try {
    ResolveContingencies(s, none, ParseContingencySpec("plant:b,plant:zz"));
    FAIL() << "no error";
  } catch (const common::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("'plant:zz'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ResolveContingencies(s, none, ParseContingencySpec("plant:b,plant:b")), common::UsageError);
  // `lines`: per plant its lines, then its expansion lines the ordinary plan opens.
  model::Scenario x = TwoPlants();
  const int32_t e = testing::AddExpansionLine(x, 1000, 0, 1, 5);
  PlanResult opened;
  opened.opened.assign(x.expansions.size(), 0);
  EXPECT_EQ(ResolveContingencies(x, opened, ParseContingencySpec("lines")).size(), 2u);
  opened.opened[e] = 1;
  const std::vector<model::NodeRef> lines = ResolveContingencies(x, opened, ParseContingencySpec("lines"));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(model::NodeName(x, lines[0]), "line:lb");
  EXPECT_EQ(model::NodeName(x, lines[1]), "line:x0");
  EXPECT_EQ(model::NodeName(x, lines[2]), "line:la");
}

// ---- generated scenarios ------------------------------------------------------

model::Scenario Generated(uint64_t seed, int32_t t0) {
  io::GenerateOptions g;
  g.plants = 3;
  g.designs = 2;
  g.components = 14;
  g.suppliers = 6;
  g.weeks = 10;
  g.sites = 3;
  g.seed = seed;
  g.end_penalty_weeks = 4;
  model::Scenario s = io::LoadGeneratedScenario(g);
  s.risk_start_week = t0;
  for (model::Plant& p : s.plants) p.outage_prob_per_week = 0.02 + 0.01 * (&p - s.plants.data());
  return s;
}

/// The definition with t0 = 0, built from separate plan models: for every choice of open[e]
/// (fixed), Σ_s w_s · (the plan LP of scenario s: its disruptions, domestic and share rows only
/// in s = 0); the optimum is the least of them.
double EnumeratedOptimum(const model::Scenario& s, const ResilientResult& r) {
  const size_t E = s.expansions.size();
  double best = std::numeric_limits<double>::infinity();
  for (uint32_t mask = 0; mask < (1u << E); ++mask) {
    PlanResult choice;
    choice.weeks = s.horizon_weeks;
    choice.opened.assign(E, 0);
    for (size_t e = 0; e < E; ++e) choice.opened[e] = (mask >> e) & 1u;
    double budget = 0;
    for (size_t e = 0; e < E; ++e) budget += choice.opened[e] ? s.expansions[e].capex_usd : 0.0;
    if (s.policy.capex_budget_usd && budget > *s.policy.capex_budget_usd) continue;
    double expected = 0;
    bool feasible = true;
    for (size_t k = 0; k <= r.contingencies.size() && feasible; ++k) {
      PlanOptions o;
      o.bottlenecks = false;
      o.disruptions = s.disruptions;
      double weight = r.weight_nominal;
      if (k > 0) {
        const Contingency& c = r.contingencies[k - 1];
        o.disruptions->push_back({c.node, 0, c.recovery_weeks, 1.0});
        weight = c.weight;
      }
      ModelVariant v;
      v.domestic_and_share_rows = k == 0;
      v.integer_expansions = false;
      PlanModel m(s, o, v);
      m.FixBefore(choice, 0);
      const PlanResult x = m.Solve();
      feasible = x.status == solver::SolveStatus::kOptimal;
      expected += weight * x.objective_usd;
    }
    if (feasible) best = std::min(best, expected);
  }
  return best;
}

TEST(Resilient, GeneratedMatchesEnumeratedDefinition) {
  for (uint64_t seed : {1u}) {  // 2^6 choices of open[e] x 4 scenario LPs
    model::Scenario s = Generated(seed, 0);
    ASSERT_LE(s.expansions.size(), 8u);
    const ResilientResult r = SolveResilient(s, {}, ResilientOptions{});
    ASSERT_TRUE(r.has_figures);
    ASSERT_EQ(r.plan.status, solver::SolveStatus::kOptimal);
    const double enumerated = EnumeratedOptimum(s, r);
    EXPECT_NEAR(r.expected_cost_usd, enumerated, 1e-6 * std::abs(enumerated)) << "seed " << seed;
    EXPECT_GE(r.vss_usd, -1e-6 * std::abs(r.expected_cost_usd));
    EXPECT_GE(r.price_of_resilience_usd, -1e-6 * std::abs(r.plan.objective_usd));
  }
}

/// Each scenario's recourse in the two-stage solve is the best one for the resilient first
/// stage, and the weights sum the scenario costs to the expected cost.
TEST(Resilient, GeneratedRecourseIsOptimalPerScenario) {
  const model::Scenario s = Generated(3, 4);
  const ResilientResult r = SolveResilient(s, {}, ResilientOptions{});
  ASSERT_TRUE(r.has_figures);
  double expected = r.weight_nominal * r.plan.objective_usd, weights = r.weight_nominal;
  for (const Contingency& c : r.contingencies) {
    expected += c.weight * c.cost_resilient_usd;
    weights += c.weight;
    PlanOptions o;
    o.bottlenecks = false;
    o.disruptions = s.disruptions;
    o.disruptions->push_back({c.node, s.risk_start_week, c.recovery_weeks, 1.0});
    ModelVariant v;
    v.domestic_and_share_rows = false;
    v.integer_expansions = false;
    PlanModel m(s, o, v);
    m.FixBefore(r.plan, s.risk_start_week, 1e-7);
    const PlanResult x = m.Solve();
    ASSERT_EQ(x.status, solver::SolveStatus::kOptimal) << c.name;
    EXPECT_NEAR(x.objective_usd, c.cost_resilient_usd, 1e-5 * std::abs(x.objective_usd)) << c.name;
  }
  EXPECT_NEAR(weights, 1.0, 1e-12);
  EXPECT_NEAR(expected, r.expected_cost_usd, 1e-7 * std::abs(expected));
  EXPECT_GE(r.vss_usd, -1e-6 * std::abs(r.expected_cost_usd));
  EXPECT_GE(r.price_of_resilience_usd, -1e-6 * std::abs(r.plan.objective_usd));
  // The ordinary plan is one of the first stages the program may choose: never cheaper in expectation.
  EXPECT_LE(r.expected_cost_usd, r.ordinary_expected_cost_usd + 1e-6 * std::abs(r.expected_cost_usd));
}

/// The value of the stochastic solution's recourse LPs: each scenario's cost under the ordinary
/// first stage is that of a plan model built from scratch with the ordinary plan fixed before t0
/// (no domestic and share rows in the contingencies), the weighted sum is
/// ordinary_expected_cost_usd, and exact fixing needed no widening.
TEST(Resilient, GeneratedOrdinaryRecourseEqualsFreshModels) {
  for (const auto& [seed, t0] : {std::pair<uint64_t, int32_t>{3, 4}, {5, 2}}) {
    const model::Scenario s = Generated(seed, t0);
    ResilientOptions ro;
    ro.contingencies.set = ContingencySpec::Set::kLines;
    const ResilientResult r = SolveResilient(s, {}, ro);
    ASSERT_TRUE(r.has_figures);
    ASSERT_EQ(r.method, ResilientMethod::kExtensive);
    ASSERT_GT(r.contingencies.size(), 3u);
    double expected = 0;
    for (size_t k = 0; k <= r.contingencies.size(); ++k) {
      PlanOptions o;
      o.bottlenecks = false;
      o.disruptions = s.disruptions;
      if (k > 0) {
        const Contingency& c = r.contingencies[k - 1];
        o.disruptions->push_back({c.node, s.risk_start_week, c.recovery_weeks, 1.0});
      }
      ModelVariant v;
      v.domestic_and_share_rows = k == 0;
      v.integer_expansions = false;
      PlanModel m(s, o, v);
      m.FixBefore(r.ordinary, s.risk_start_week);
      const PlanResult x = m.Solve();
      ASSERT_EQ(x.status, solver::SolveStatus::kOptimal) << "seed " << seed << " scenario " << k;
      if (k > 0) {
        const Contingency& c = r.contingencies[k - 1];
        EXPECT_NEAR(c.cost_ordinary_usd, x.objective_usd, 1e-9 * std::abs(x.objective_usd)) << c.name;
        expected += c.weight * x.objective_usd;
      } else {
        expected += r.weight_nominal * x.objective_usd;
      }
    }
    EXPECT_NEAR(r.ordinary_expected_cost_usd, expected, 1e-9 * std::abs(expected)) << "seed " << seed;
    EXPECT_EQ(r.vss_fix_widen, 0.0);
  }
}

TEST(Resilient, SameJsonForOneAndTwoThreads) {
  const model::Scenario s = Generated(4, 3);
  ResilientOptions one, two;
  one.threads = 1;
  two.threads = 2;
  one.contingencies.set = two.contingencies.set = ContingencySpec::Set::kLines;
  const ResilientResult a = SolveResilient(s, {}, one);
  const ResilientResult b = SolveResilient(s, {}, two);
  ASSERT_TRUE(a.has_figures);
  EXPECT_GT(a.contingencies.size(), 3u);
  EXPECT_EQ(report::ResilientToJson(s, a).dump(), report::ResilientToJson(s, b).dump());
}

// ---- the L-shaped method against the extensive form -----------------------------

ResilientOptions WithMethod(ResilientMethod method, ContingencySpec::Set set, int32_t threads = 1) {
  ResilientOptions o;
  o.method = method;
  o.contingencies.set = set;
  o.threads = threads;
  return o;
}

// The hand-derived case solved by the decomposition: the same optimum and figures.
TEST(Resilient, LShapedHandDerivedTwoPlants) {
  ResilientOptions o = Named({"plant:b"});
  o.method = ResilientMethod::kLShaped;
  const ResilientResult r = SolveResilient(TwoPlants(), {}, o);
  ASSERT_TRUE(r.has_figures);
  EXPECT_EQ(r.method, ResilientMethod::kLShaped);
  EXPECT_EQ(r.plan.status, solver::SolveStatus::kOptimal);
  EXPECT_NEAR(r.plan.objective_usd, 1290, kTol);
  EXPECT_NEAR(r.plan.make[r.plan.MakeIndex(0, 0, 0)], 2, kTol);
  EXPECT_NEAR(r.expected_cost_usd, 9630.0 / 7.0, kTol);
  EXPECT_NEAR(r.contingencies[0].cost_resilient_usd, 1490, kTol);
  EXPECT_NEAR(r.contingencies[0].backlog_rack_weeks_resilient, 0, kTol);
  EXPECT_NEAR(r.vss_usd, 10970.0 / 7.0, kTol);
  EXPECT_NEAR(r.price_of_resilience_usd, 40, kTol);
}

// Generated scenarios, several start weeks and node sets: the decomposition's expected cost is the
// extensive form's to 1e-6 relative, each contingency's cost under the resilient first stage sums
// with the weights to it, and VSS and price of resilience are >= 0.
TEST(Resilient, LShapedEqualsExtensiveOnGenerated) {
  struct Case {
    uint64_t seed;
    int32_t t0;
    ContingencySpec::Set set;
  };
  for (const Case& c : {Case{3, 4, ContingencySpec::Set::kPlants}, Case{5, 2, ContingencySpec::Set::kPlants}}) {
    const model::Scenario s = Generated(c.seed, c.t0);
    const ResilientResult ext = SolveResilient(s, {}, WithMethod(ResilientMethod::kExtensive, c.set));
    const ResilientResult dec = SolveResilient(s, {}, WithMethod(ResilientMethod::kLShaped, c.set));
    ASSERT_TRUE(ext.has_figures && dec.has_figures) << "seed " << c.seed;
    EXPECT_EQ(ext.method, ResilientMethod::kExtensive);
    EXPECT_EQ(dec.method, ResilientMethod::kLShaped);
    EXPECT_EQ(dec.plan.status, solver::SolveStatus::kOptimal) << "seed " << c.seed;
    EXPECT_NEAR(dec.expected_cost_usd, ext.expected_cost_usd, 1e-6 * std::abs(ext.expected_cost_usd))
        << "seed " << c.seed;
    double expected = dec.weight_nominal * dec.plan.objective_usd;
    for (const Contingency& k : dec.contingencies) expected += k.weight * k.cost_resilient_usd;
    EXPECT_NEAR(expected, dec.expected_cost_usd, 1e-7 * std::abs(expected)) << "seed " << c.seed;
    EXPECT_NEAR(dec.ordinary_expected_cost_usd, ext.ordinary_expected_cost_usd,
                1e-9 * std::abs(ext.ordinary_expected_cost_usd));
    EXPECT_GE(dec.vss_usd, -1e-6 * std::abs(dec.expected_cost_usd));
    EXPECT_GE(dec.price_of_resilience_usd, -1e-6 * std::abs(dec.plan.objective_usd));
  }
}

TEST(Resilient, LShapedSameJsonForOneAndTwoThreads) {
  const model::Scenario s = Generated(5, 2);
  const ResilientResult a = SolveResilient(s, {}, WithMethod(ResilientMethod::kLShaped, ContingencySpec::Set::kPlants, 1));
  const ResilientResult b = SolveResilient(s, {}, WithMethod(ResilientMethod::kLShaped, ContingencySpec::Set::kPlants, 2));
  ASSERT_TRUE(a.has_figures);
  EXPECT_EQ(a.contingencies.size(), 3u);
  EXPECT_EQ(report::ResilientToJson(s, a).dump(), report::ResilientToJson(s, b).dump());
}

TEST(Resilient, MethodNames) {
  EXPECT_EQ(ParseResilientMethod("auto"), ResilientMethod::kAuto);
  EXPECT_EQ(ParseResilientMethod("extensive"), ResilientMethod::kExtensive);
  EXPECT_EQ(ParseResilientMethod("lshaped"), ResilientMethod::kLShaped);
  EXPECT_THROW(ParseResilientMethod("benders"), common::UsageError);
  EXPECT_STREQ(ToString(ResilientMethod::kLShaped), "lshaped");
}

}  // namespace
}  // namespace rackforge::plan
