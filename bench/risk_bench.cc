// Benchmarks of the risk engine on the default scenario: the Monte Carlo in
// runs per second with 1 and 2 threads (target: >= 30,000 runs/s per thread, issue 17;
// >= 1.8x from 1 to 2 threads), and the full node sweep (TTS/PI of all nodes).
#include <benchmark/benchmark.h>

#include <string>
#include <utility>
#include <vector>

#include "io/scenario_loader.h"
#include "plan/plan.h"
#include "risk/risk.h"
#include "risk/simulate.h"

namespace {

using namespace rackforge;

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
  const int32_t threads = static_cast<int32_t>(state.range(0));
  constexpr int64_t kRuns = 4000;
  uint64_t seed = 1;
  for (auto _ : state) {
    const risk::RunOutcomes out = simulator.RunRange(seed++, 0, kRuns, threads);
    benchmark::DoNotOptimize(out.output_racks.data());
  }
  state.SetItemsProcessed(state.iterations() * kRuns);  // items/s = runs/s
  state.counters["threads"] = threads;
}
BENCHMARK(BM_SimulateRunsPerSecond)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

/// The default scenario with component lines added by hand until the loader and plan
/// make them: per plant one line making its power shelves, busbars and CDUs (the
/// components of those categories its rack lines use) from one bought raw part each
/// (bom 1, stock for the horizon), with makec = the baseline's use of them at that plant.
const Fixture& WithComponentLines() {
  static const Fixture fixture = [] {
    Fixture f = Default();
    model::Scenario& s = f.scenario;
    plan::PlanResult& b = f.baseline;
    const int32_t C = static_cast<int32_t>(s.components.size()), H = s.horizon_weeks;
    std::vector<int32_t> raw(C, -1);
    for (int32_t c = 0; c < C; ++c) {
      const std::string& cat = s.components[c].category;
      if (cat != "power_shelf" && cat != "busbar" && cat != "cdu") continue;
      model::Component part;
      part.id = "raw-" + s.components[c].id;
      raw[c] = static_cast<int32_t>(s.components.size());
      s.components.push_back(part);
      s.components[c].parts = {{raw[c], 1}};
    }
    std::vector<std::vector<double>> use(s.plants.size(), std::vector<double>(static_cast<size_t>(C) * H, 0.0));
    for (size_t l = 0; l < s.lines.size(); ++l) {
      for (int32_t g : s.lines[l].designs) {
        for (const model::BomEntry& e : s.designs[g].bom) {
          std::vector<double>& at = use[s.lines[l].plant];
          for (int32_t t = 0; t < H; ++t) at[e.component * H + t] += e.qty * b.make[b.MakeIndex(l, g, t)];
        }
      }
    }
    std::vector<std::pair<int32_t, int32_t>> made;  // (line, component)
    for (int32_t p = 0; p < static_cast<int32_t>(s.plants.size()); ++p) {
      model::ComponentLine line;
      line.id = "cl-" + s.plants[p].id;
      line.plant = p;
      line.units_per_week = 1e6;
      for (int32_t c = 0; c < C; ++c) {
        double total = 0;
        for (int32_t t = 0; t < H; ++t) total += use[p][c * H + t];
        if (raw[c] < 0 || total <= 0) continue;
        line.components.push_back(c);
        s.on_hand.push_back({p, raw[c], total});
      }
      const int32_t m = static_cast<int32_t>(s.component_lines.size());
      for (int32_t c : line.components) {
        s.components[c].made_by.push_back(m);
        made.emplace_back(m, c);
      }
      s.plants[p].component_lines.push_back(m);
      s.component_lines.push_back(std::move(line));
    }
    b.components = static_cast<int32_t>(s.components.size());
    b.makec.assign(s.component_lines.size() * s.components.size() * H, 0.0);
    for (const auto& [m, c] : made) {
      for (int32_t t = 0; t < H; ++t) b.makec[b.MakecIndex(m, c, t)] = use[s.component_lines[m].plant][c * H + t];
    }
    return f;
  }();
  return fixture;
}

void BM_SimulateWithComponentLines(benchmark::State& state) {
  const Fixture& f = WithComponentLines();
  const risk::Simulator simulator(f.scenario, f.baseline, f.scenario.policy.option_demand);
  const int32_t threads = static_cast<int32_t>(state.range(0));
  constexpr int64_t kRuns = 4000;
  uint64_t seed = 1;
  for (auto _ : state) {
    const risk::RunOutcomes out = simulator.RunRange(seed++, 0, kRuns, threads);
    benchmark::DoNotOptimize(out.output_racks.data());
  }
  state.SetItemsProcessed(state.iterations() * kRuns);
  state.counters["threads"] = threads;
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
  }
}
BENCHMARK(BM_RiskAllNodes)->Arg(2)->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
