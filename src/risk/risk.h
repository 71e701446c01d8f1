#pragma once
// Risk figures of DESIGN.md "Risk": per node (plant, line, supplier) the
// performance impact PI (extra rack-weeks of backlog when the node is out for
// its recovery time) and the time to survive TTS (how long the rest of the
// network keeps backlog at the baseline's), exposure, and a concentration view
// per US state and supplier country. Pure: no printing, no file access.

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/scenario.h"
#include "plan/plan.h"

namespace spdlog {
class logger;
}

namespace rackforge::risk {

/// Which nodes to report, worker threads and an optional progress callback.
struct RiskOptions {
  bool plants = true;
  bool lines = true;
  bool suppliers = true;
  int32_t threads = 0;  // 0 = all cores
  /// ComputeNodeFigures only: compute block `block` of `blocks` contiguous
  /// blocks of the node list (nodes floor(n·block/blocks) .. floor(n·(block+1)/blocks) − 1;
  /// one block per MPI rank).
  int32_t block = 0;
  int32_t blocks = 1;
  /// Called after each node with (done, total); may be called from any worker
  /// thread, never concurrently.
  std::function<void(int32_t done, int32_t total)> progress;
  /// Checked before each node (may be called from any worker thread at once):
  /// once it returns true no further node is started and ComputeNodeFigures /
  /// ComputeRisk throw Cancelled. Empty = never cancelled.
  std::function<bool()> cancelled;
  /// Per node PI, TTS and their seconds at debug level (null = silent).
  spdlog::logger* log = nullptr;
};

/// Thrown by the risk computations when RiskOptions::cancelled said so.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("risk: cancelled") {}
};

/// The figures of one node.
struct NodeRisk {
  model::NodeRef node;
  std::string name;  // "plant:ID" | "line:ID" | "supplier:ID"
  int32_t recovery_weeks = 0;
  int32_t tts_weeks = 0;
  double pi_rack_weeks = 0;
  double exposure_index = 0;  // PI / max PI over the reported nodes (0 when that max is 0)
  bool exposed = false;       // tts_weeks < recovery_weeks
};

/// One group of the concentration view (a US state or a supplier country).
struct ConcentrationRow {
  std::string key;    // "TX" or "CN"
  int32_t nodes = 0;  // reported nodes in the group
  int32_t exposed_nodes = 0;
  double max_pi_rack_weeks = 0;
  double output_share = 0;        // share of the baseline's planned output (plants and their lines)
  double supply_spend_share = 0;  // share of the baseline's pre-tariff component spend (suppliers)
};

struct RiskResult {
  int32_t start_week = 0;
  double baseline_backlog_rack_weeks = 0;    // B(no extra outage): least Σ_{t>=t0} Σ back
  double fix_widen = 0;                      // 0, or 1e-5 when fixing weeks < t0 exactly was infeasible
  std::vector<NodeRisk> nodes;               // loop order (plants, lines, suppliers)
  std::vector<ConcentrationRow> by_state;    // sorted by key
  std::vector<ConcentrationRow> by_country;  // sorted by key
  /// How ComputeNodeFigures worked (its block's nodes only; debug log and tests):
  /// LPs with several nodes out at once, and the nodes whose TTS = H - t0 one of them proved.
  int32_t group_lps = 0;
  int32_t nodes_settled_by_groups = 0;
  /// The weighted LPs on cut models whose witness started a TTS search (TimeToSurvive; this
  /// block's nodes only, like the two above).
  int32_t witness_lps = 0;
};

/// First item of block `block` when `items` are split into `blocks`
/// contiguous blocks: floor(items·block/blocks) (MPI ranks over runs or nodes).
int64_t BlockStart(int64_t items, int32_t block, int32_t blocks);

/// The baseline of the risk figures and the Monte Carlo: the cost-optimal plan
/// with the scenario's own disruptions (no bottleneck analysis). Throws
/// std::runtime_error naming the solve status when it has no solution.
plan::PlanResult SolveBaseline(const model::Scenario& scenario, spdlog::logger* log = nullptr);

/// Computes the figures against `baseline` (the cost-optimal plan with the
/// scenario's disruptions, with a solution). Parallel over nodes; each worker
/// re-solves its own copy of one built PlanModel. Nodes the baseline can likely
/// do without are first taken out together in group LPs whose plans, where they
/// meet every cap, settle TTS (and PI = 0) of each member (docs/model.md "Risk figures"). Throws std::runtime_error
/// when an LP that must be feasible is not (a solver failure).
RiskResult ComputeRisk(const model::Scenario& scenario, const plan::PlanResult& baseline, const RiskOptions& options);

/// The first half of ComputeRisk: every reported node listed, PI and TTS
/// computed for the nodes of options' block only (the others stay 0);
/// exposure and the concentration view are left for FinishRisk.
RiskResult ComputeNodeFigures(const model::Scenario& scenario, const plan::PlanResult& baseline,
                              const RiskOptions& options);

/// The second half: exposure index, `exposed` and the concentration view from
/// the nodes' PI and TTS (all of them known by then).
void FinishRisk(const model::Scenario& scenario, const plan::PlanResult& baseline, RiskResult& result);

/// The indices of `result.nodes` ordered by PI, so by exposure index (largest first; PIs within
/// 1e-6 rack-weeks of each other count as equal), then shorter TTS, then loop order: the order of
/// the printed table.
std::vector<size_t> ByExposure(const RiskResult& result);

/// Concentration groups from nodes whose figures are known (also used by tests).
void FillConcentration(const model::Scenario& scenario, const plan::PlanResult& baseline, RiskResult& result);

}  // namespace rackforge::risk
