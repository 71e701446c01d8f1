// Plan engine benchmarks: model build speed (columns/s) at about 10k, 100k and
// 1M columns, solve time at 10k and 100k, and an 11-point domestic sweep on
// one reused model against 11 separate SolvePlan calls. Scenarios are built
// in code (tests/unit/plan/plan_fixture.h), so no loader is needed.

#include <benchmark/benchmark.h>

#include "../tests/unit/plan/plan_fixture.h"
#include "plan/plan.h"
#include "plan/plan_model.h"
#include "plan/sweep.h"

namespace {

using rackforge::testing::SyntheticScenario;
using rackforge::testing::SyntheticSize;

/// Sizes giving about 10k, 100k and 1M columns (ship columns dominate).
SyntheticSize SizeFor(int64_t k) {
  if (k == 0) return {3, 2, 3, 20, 20, 5, 40, 1};     // ~10k columns
  if (k == 1) return {8, 2, 6, 100, 100, 10, 52, 1};  // ~100k columns
  return {12, 2, 8, 300, 300, 30, 104, 1};            // ~1M columns
}

const rackforge::model::Scenario& ScenarioFor(int64_t k) {
  static const rackforge::model::Scenario cached[3] = {SyntheticScenario(SizeFor(0)), SyntheticScenario(SizeFor(1)),
                                                       SyntheticScenario(SizeFor(2))};
  return cached[k];
}

void BM_PlanBuild(benchmark::State& state) {
  const rackforge::model::Scenario& s = ScenarioFor(state.range(0));
  int64_t columns = 0;
  for (auto _ : state) {
    rackforge::plan::PlanModel model(s, {});
    columns = model.columns();
    benchmark::DoNotOptimize(columns);
  }
  state.counters["columns"] = static_cast<double>(columns);
  state.counters["columns_per_s"] =
      benchmark::Counter(static_cast<double>(columns) * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PlanBuild)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

/// Args: scenario size (0 = 10k, 1 = 100k columns), branch-and-bound workers.
void BM_PlanSolve(benchmark::State& state) {
  const rackforge::model::Scenario& s = ScenarioFor(state.range(0));
  rackforge::plan::PlanOptions options;
  options.workers = static_cast<int32_t>(state.range(1));
  for (auto _ : state) {
    rackforge::plan::PlanResult r = rackforge::plan::SolvePlan(s, options);
    benchmark::DoNotOptimize(r.objective_usd);
  }
}
BENCHMARK(BM_PlanSolve)->ArgsProduct({{0, 1}, {1, 2}})->Unit(benchmark::kSecond)->Iterations(1);

const std::vector<double>& ElevenPoints() {
  static const std::vector<double> points = rackforge::plan::SweepPoints(0.0, 0.5, 0.05);
  return points;
}

void BM_SweepReusedModel(benchmark::State& state) {
  const rackforge::model::Scenario& s = ScenarioFor(0);
  for (auto _ : state) {
    rackforge::plan::SweepResult r = rackforge::plan::RunSweep(s, {}, ElevenPoints());
    state.counters["build_s"] = r.build_seconds;
    state.counters["solve_s"] = r.solve_seconds;
  }
}
BENCHMARK(BM_SweepReusedModel)->Unit(benchmark::kSecond)->Iterations(1);

void BM_SweepSeparateSolves(benchmark::State& state) {
  const rackforge::model::Scenario& s = ScenarioFor(0);
  for (auto _ : state) {
    for (double p : ElevenPoints()) {
      rackforge::plan::PlanOptions o;
      o.domestic_content_min = p;
      benchmark::DoNotOptimize(rackforge::plan::SolvePlan(s, o).objective_usd);
    }
  }
}
BENCHMARK(BM_SweepSeparateSolves)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
