// Explorer throughput: variants/s of the incremental enumeration on a
// 12 slots x 4 options space (16.8 million variants), and the time to the
// least-cost and to the most-domestic variant of a 40 slots x 5 options space
// (5^40 variants) with the MILP.
#include <benchmark/benchmark.h>

#include "design/rollup.h"
#include "explore/explore.h"
#include "explore/milp.h"
#include "explore/synthetic.h"

namespace rackforge::explore {
namespace {

void BM_EnumerateVariants12x4(benchmark::State& state) {
  const model::Scenario s = SyntheticSpaceScenario(1, 12, 4);
  const std::vector<design::ComponentFacts> facts = design::ComputeComponentFacts(s);
  const SpaceModel model(s, facts, s.design_spaces[0]);
  double variants = 0;
  for (auto _ : state) {
    const SpaceResult r = EnumerateSpace(model);
    benchmark::DoNotOptimize(r.front.data());
    variants += r.variants_total;
    state.counters["passing"] = static_cast<double>(*r.variants_passing);
    state.counters["front"] = static_cast<double>(r.front.size());
  }
  state.counters["variants_per_s"] = benchmark::Counter(variants, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EnumerateVariants12x4)->Unit(benchmark::kMillisecond)->Iterations(3);

void MilpOptimumOf40x5(benchmark::State& state, MilpObjective objective) {
  const model::Scenario s = SyntheticSpaceScenario(1, 40, 5);
  const std::vector<design::ComponentFacts> facts = design::ComputeComponentFacts(s);
  const SpaceModel model(s, facts, s.design_spaces[0]);
  for (auto _ : state) {
    int32_t solves = 0;
    const std::optional<FrontVariant> v = MilpOptimum(model, objective, &solves, 60);
    if (!v) state.SkipWithError("no passing variant");
    state.counters["milp_solves"] = solves;
    if (v) state.counters["cost_usd"] = v->objectives.cost_usd;
    if (v) state.counters["domestic_share"] = v->objectives.domestic_share;
  }
}

void BM_MilpLeastCost40x5(benchmark::State& state) { MilpOptimumOf40x5(state, MilpObjective::kCost); }
BENCHMARK(BM_MilpLeastCost40x5)->Unit(benchmark::kMillisecond);

void BM_MilpMostDomestic40x5(benchmark::State& state) { MilpOptimumOf40x5(state, MilpObjective::kDomesticShare); }
BENCHMARK(BM_MilpMostDomestic40x5)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace rackforge::explore

BENCHMARK_MAIN();
