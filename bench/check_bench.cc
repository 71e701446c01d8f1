// Load + check time: the default scenario, and a generated scenario of
// 10 plants, 8 designs, 500 components, 300 suppliers and 104 weeks (loaded
// from in-memory texts, so the disk is not measured).
#include <benchmark/benchmark.h>

#include "design/check.h"
#include "io/generate.h"
#include "io/scenario_loader.h"

namespace rackforge {
namespace {

void BM_LoadAndCheckDefault(benchmark::State& state) {
  const std::string folder = std::string(RACKFORGE_SOURCE_DIR) + "/scenarios/us-ai-racks-2026";
  for (auto _ : state) {
    const model::Scenario scenario = io::LoadScenario(folder);
    const std::vector<design::DesignCheck> checks = design::CheckScenario(scenario);
    benchmark::DoNotOptimize(checks.data());
  }
}
BENCHMARK(BM_LoadAndCheckDefault)->Unit(benchmark::kMillisecond);

void BM_CheckDefault(benchmark::State& state) {
  const model::Scenario scenario = io::LoadScenario(std::string(RACKFORGE_SOURCE_DIR) + "/scenarios/us-ai-racks-2026");
  for (auto _ : state) {
    const std::vector<design::DesignCheck> checks = design::CheckScenario(scenario);
    benchmark::DoNotOptimize(checks.data());
  }
}
BENCHMARK(BM_CheckDefault)->Unit(benchmark::kMicrosecond);

void BM_LoadAndCheckGenerated(benchmark::State& state) {
  io::GenerateOptions options;
  options.plants = 10;
  options.designs = 8;
  options.components = 500;
  options.suppliers = 300;
  options.weeks = 104;
  io::ScenarioTexts texts;
  texts.files = io::GenerateScenarioFiles(options);
  for (auto _ : state) {
    const model::Scenario scenario = io::LoadScenarioFromTexts(texts);
    const std::vector<design::DesignCheck> checks = design::CheckScenario(scenario);
    benchmark::DoNotOptimize(checks.data());
    state.counters["designs"] = static_cast<double>(checks.size());
  }
}
BENCHMARK(BM_LoadAndCheckGenerated)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace rackforge

BENCHMARK_MAIN();
