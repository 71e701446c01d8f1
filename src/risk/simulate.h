#pragma once
// Reproducible Monte Carlo of DESIGN.md "Monte Carlo": random outages of the
// risk nodes played against the baseline plan, week by week. Run r depends
// only on (seed, r), so results are identical for any thread or rank count.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/scenario.h"
#include "model/splitmix64.h"
#include "plan/plan.h"

namespace rackforge::risk {

using model::SplitMix64;

/// Per-run outcomes of a contiguous block of runs, stored by run index.
struct RunOutcomes {
  int32_t weeks = 0;
  int32_t nodes = 0;
  std::vector<double> output_racks;        // [run][week]
  std::vector<double> backlog_rack_weeks;  // [run][kind]: Σ_t Σ_{d,g} back
  std::vector<uint8_t> node_loss;          // [run][node]: out in a week whose output fell short of the plan
  std::vector<uint16_t> node_short_weeks;  // [run][node]: weeks the node was out and output fell short of the plan
  int64_t runs() const { return weeks == 0 ? 0 : static_cast<int64_t>(output_racks.size()) / weeks; }
};

/// Percentiles P5 / P50 / P95.
struct Percentiles {
  double p5 = 0, p50 = 0, p95 = 0;
};

/// The summary that `simulate` prints (no timings: byte-identical across threads and ranks).
struct SimulationResult {
  int64_t runs = 0;
  uint64_t seed = 0;
  int32_t weeks = 0;
  std::vector<double> p_target_met_by_week;       // [week]: share of runs whose output met the target
  std::vector<Percentiles> output_racks_by_week;  // [week]
  std::array<Percentiles, model::kDemandKinds> backlog_rack_weeks_pct{};  // by kind
  std::vector<std::pair<std::string, double>> top_loss_nodes;             // [node name, share], largest first
  /// Per node of top_loss_nodes (same order): the share of all shortfall weeks (run, week with output more
  /// than 1e-6 below the plan's) in which the node was out. Several nodes can be out in one such week.
  std::vector<double> loss_node_shortfall_week_share;
  int64_t shortfall_weeks = 0;  // Σ over runs of the weeks whose output fell short of the plan
};

/// The simulation model: the baseline plan and the week-by-week capacities in
/// flat arrays by dense ids, built once and shared read-only by all threads.
class Simulator {
 public:
  /// Runs that one thread plays in lockstep (state laid out [item][lane]); no result depends on it.
  static constexpr int kLanes = 8;

  /// `baseline` must have a solution; its disruptions are the scenario's. `scenario`
  /// must outlive the simulator (the baseline is copied into flat arrays). Throws
  /// std::invalid_argument when the baseline's arrays do not match the scenario.
  Simulator(const model::Scenario& scenario, const plan::PlanResult& baseline, model::OptionDemandMode option_demand);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  /// Plays runs [first_run, last_run) with `threads` worker threads (0 = all cores).
  /// Thread-safe (const); allocation-free per week.
  RunOutcomes RunRange(uint64_t seed, int64_t first_run, int64_t last_run, int32_t threads) const;

  /// The instruction set of the week loop. kBest: AVX2 where the CPU has it, else the x86-64
  /// baseline (SSE2); kBaseline: the baseline always. Both give the same doubles for every run.
  enum class VectorIsa { kBest, kBaseline };
  void set_vector_isa(VectorIsa isa) { vector_isa_ = isa; }
  /// True when RunRange plays the AVX2 build of the week loop.
  bool UsesAvx2() const;

  /// Reduces the outcomes of runs 0..N-1 (in run order) to the printed summary.
  SimulationResult Summarize(const RunOutcomes& outcomes, uint64_t seed) const;

  /// Node names in loop order ("plant:ID", ...).
  const std::vector<std::string>& node_names() const;
  /// The baseline's output per week (Σ make).
  const std::vector<double>& planned_output_racks() const;

 private:
  struct Data;
  struct Workspace;
  /// Plays runs first_run .. first_run + count − 1 (count ≤ the lanes) in lockstep into slots first_slot...
  void PlayBlock(uint64_t seed, int64_t first_run, int64_t count, Workspace& ws, RunOutcomes& out,
                 int64_t first_slot) const;
  // The week loop (W = 2: SSE2; W = 4: compiled for AVX2) and its steps, W lanes per vector operation.
  void PlayWeeksBaseline(Workspace& ws) const;
  void PlayWeeksAvx2(Workspace& ws) const;
  template <int W>
  void DrawOutages(int32_t week, Workspace& ws) const;
  void GoOut(int32_t week, int32_t node, int lane, Workspace& ws) const;
  template <int W>
  void PlaceOrders(int32_t week, Workspace& ws) const;
  template <int W>
  void ReceiveParts(int32_t week, Workspace& ws) const;
  void MarkArrival(Workspace& ws, int32_t row, int32_t pool) const;  // a cell written outside the planned orders
  template <int W>
  void MakeComponents(int32_t week, Workspace& ws) const;
  template <int W>
  void SendTransfers(int32_t week, Workspace& ws) const;
  template <int W>
  void Build(int32_t week, Workspace& ws, std::array<double, kLanes>& output) const;  // output[lane]
  template <int W>
  void Ship(int32_t week, Workspace& ws) const;
  const model::Scenario& scenario_;
  std::unique_ptr<Data> data_;
  VectorIsa vector_isa_ = VectorIsa::kBest;
};

/// The draw of step 1 as integers: with k = next() >> 11 (so u = k · 2^-53), u < p exactly when
/// k < OutageDrawThreshold(p) = ceil(p · 2^53); 0 for p <= 0 or NaN, 2^53 for p >= 1.
uint64_t OutageDrawThreshold(double p);

/// Convenience: all runs in this process and the summary.
SimulationResult Simulate(const Simulator& simulator, int64_t runs, uint64_t seed, int32_t threads);

}  // namespace rackforge::risk
