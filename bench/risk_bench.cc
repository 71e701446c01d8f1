// Benchmarks of the risk engine on the default scenario: the Monte Carlo in
// runs per second with 1 and 2 threads (target: >= 30,000 runs/s per thread, issue 17: the counter
// runs_per_cpu_s; >= 1.8x from 1 to 2 threads), and the full node sweep (TTS/PI of all nodes).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <string>
#include <utility>
#include <vector>

#include "io/scenario_loader.h"
#include "plan/plan.h"
#include "risk/risk.h"
#include "risk/simulate.h"
#include "unit/risk/hand_component_lines.h"

namespace {

using namespace rackforge;

/// CPU seconds (user + sys) of the process, all threads: the load-independent measure on a shared machine.
double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

/// Plays kRuns runs per iteration; items/s = runs/s of wall time, runs_per_cpu_s = runs per CPU
/// second of all threads (= runs/s per thread; the figure of the issue-17 goal of 30,000).
void PlayRuns(benchmark::State& state, const risk::Simulator& simulator, int32_t threads) {
  constexpr int64_t kRuns = 4000;
  uint64_t seed = 1;
  double cpu = 0;
  for (auto _ : state) {
    const double before = ProcessCpuSeconds();
    const risk::RunOutcomes out = simulator.RunRange(seed++, 0, kRuns, threads);
    cpu += ProcessCpuSeconds() - before;
    benchmark::DoNotOptimize(out.output_racks.data());
  }
  state.SetItemsProcessed(state.iterations() * kRuns);  // items/s = runs/s
  state.counters["threads"] = threads;
  state.counters["runs_per_cpu_s"] = cpu > 0 ? static_cast<double>(state.iterations() * kRuns) / cpu : 0.0;
}

struct Fixture {
  model::Scenario scenario;
  plan::PlanResult baseline;
};

/// Loads the default scenario and solves its baseline once for all benchmarks.
const Fixture& Default() {
  static const Fixture fixture = [] {
    Fixture f;
    f.scenario = io::LoadScenario(std::string(RACKFORGE_SOURCE_DIR) + "/scenarios/us-ai-racks-2026");
    plan::PlanOptions options;
    options.bottlenecks = false;
    f.baseline = plan::SolvePlan(f.scenario, options);
    return f;
  }();
  return fixture;
}

void BM_SimulateRunsPerSecond(benchmark::State& state) {
  const Fixture& f = Default();
  const risk::Simulator simulator(f.scenario, f.baseline, f.scenario.policy.option_demand);
  PlayRuns(state, simulator, static_cast<int32_t>(state.range(0)));
}
BENCHMARK(BM_SimulateRunsPerSecond)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

/// The default scenario with component lines added by hand (the golden test's
/// helper): per plant one line making its power shelves, busbars and CDUs (the
/// components of those categories its rack lines use) from one bought raw part each
/// (bom 1, stock for the horizon), with makec = the baseline's use of them at that plant.
const Fixture& WithComponentLines() {
  static const Fixture fixture = [] {
    Fixture f = Default();
    auto shelves_busbars_cdus = [](const model::Component& c, int32_t) {
      return c.category == "power_shelf" || c.category == "busbar" || c.category == "cdu";
    };
    risk::testing::AddHandComponentLines(f.scenario, f.baseline, {shelves_busbars_cdus, 1, 1e6, 1});
    return f;
  }();
  return fixture;
}

void BM_SimulateWithComponentLines(benchmark::State& state) {
  const Fixture& f = WithComponentLines();
  const risk::Simulator simulator(f.scenario, f.baseline, f.scenario.policy.option_demand);
  PlayRuns(state, simulator, static_cast<int32_t>(state.range(0)));
  state.counters["component_lines"] = static_cast<double>(f.scenario.component_lines.size());
}
BENCHMARK(BM_SimulateWithComponentLines)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_SimulateSummary(benchmark::State& state) {
  const Fixture& f = Default();
  const risk::Simulator simulator(f.scenario, f.baseline, f.scenario.policy.option_demand);
  const risk::RunOutcomes out = simulator.RunRange(1, 0, 20000, 0);
  for (auto _ : state) benchmark::DoNotOptimize(simulator.Summarize(out, 1).runs);
}
BENCHMARK(BM_SimulateSummary)->Unit(benchmark::kMillisecond);

void BM_RiskAllNodes(benchmark::State& state) {
  const Fixture& f = Default();
  risk::RiskOptions options;
  options.threads = static_cast<int32_t>(state.range(0));
  for (auto _ : state) {
    const risk::RiskResult r = risk::ComputeRisk(f.scenario, f.baseline, options);
    state.counters["nodes"] = static_cast<double>(r.nodes.size());
    state.counters["group_lps"] = r.group_lps;                       // LPs with several nodes out
    state.counters["settled_by_groups"] = r.nodes_settled_by_groups;  // nodes they proved TTS = H - t0 for
  }
}
BENCHMARK(BM_RiskAllNodes)->Arg(2)->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
