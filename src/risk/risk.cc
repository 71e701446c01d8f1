#include "risk/risk.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "model/availability.h"
#include "plan/plan_model.h"
#include "risk/nodes.h"

namespace rackforge::risk {

namespace {

constexpr double kWiden = 1e-5;
constexpr double kCapSlack = 1e-6;
constexpr double kPiTolerance = 1e-6;
constexpr double kEarlyWeekWeight = 1.25;  // TTS objective: a week's backlog weighs 1.25x the next week's

/// Σ_{t>=t0} Σ_{d,g,k} back[d,g,k,t] of a solved plan.
double BacklogFrom(const plan::PlanResult& r, int32_t t0) {
  double total = 0;
  for (size_t i = 0; i < r.back.size(); ++i) {
    if (static_cast<int32_t>(i % r.weeks) >= t0) total += r.back[i];
  }
  return total;
}

/// Σ_{d,g,k} back[d,g,k,t] of the baseline, per week.
std::vector<double> BacklogByWeek(const plan::PlanResult& r) {
  std::vector<double> by_week(r.weeks, 0.0);
  for (size_t i = 0; i < r.back.size(); ++i) by_week[i % r.weeks] += r.back[i];
  return by_week;
}

bool Keep(const RiskOptions& o, model::NodeKind kind) {
  switch (kind) {
    case model::NodeKind::kPlant:
      return o.plants;
    case model::NodeKind::kLine:
    case model::NodeKind::kComponentLine:
      return o.lines;
    case model::NodeKind::kSupplier:
      return o.suppliers;
  }
  return false;
}

plan::PlanResult SolveOrThrow(plan::PlanModel& model, const char* what) {
  plan::PlanResult r = model.Solve();
  if (r.status != solver::SolveStatus::kOptimal || !r.has_solution) {
    throw std::runtime_error(std::string("risk: the ") + what + " LP ended " + solver::ToString(r.status));
  }
  return r;
}

/// One worker's re-solves against its own copy of the built model.
class NodeSolver {
 public:
  NodeSolver(const plan::PlanModel& base, int32_t t0, int32_t weeks, double b0, const std::vector<double>& caps,
             const std::vector<double>& tts_weights)
      : model_(base), t0_(t0), weeks_(weeks), b0_(b0), caps_(caps), tts_weights_(tts_weights) {}

  double PerformanceImpact(model::NodeRef node, int32_t recovery_weeks) {
    model_.SetOutage(node, t0_, std::min(weeks_, t0_ + recovery_weeks));
    const double b1 = BacklogFrom(SolveOrThrow(model_, "performance-impact"), t0_);
    model_.ClearOutages();
    const double pi = b1 - b0_;
    return pi > kPiTolerance ? pi : 0.0;  // PI >= 0; differences within the LP tolerance are 0
  }

  /// The largest feasible w, searched with witnesses: the plan an LP returns
  /// keeps the backlog under the caps for some prefix of weeks, so every w up
  /// to that prefix is feasible without an LP of its own. The first LP has no
  /// cap rows; its objective weights early weeks more (this node's copy only),
  /// so its plan stays under the caps as long as it can.
  int32_t TimeToSurvive(model::NodeRef node) {
    model_.SetOutage(node, t0_, weeks_);
    model_.SetBacklogWeights(tts_weights_);
    int32_t lo = Witness(SolveOrThrow(model_, "time-to-survive"));  // w = lo is feasible
    int32_t hi = weeks_ - t0_;
    // Exponential search up from the witness (lo + 1, lo + 2, lo + 4, ...; the
    // witness is often the answer), then bisection once an upper end failed.
    int32_t step = 1;
    bool bracketed = false;
    while (lo < hi) {
      const int32_t mid = bracketed ? (lo + hi + 1) / 2 : std::min(hi, lo + step);
      const std::optional<int32_t> survives = Survives(mid);
      if (survives) {
        lo = std::max(mid, *survives);
        step *= 2;
      } else {
        hi = mid - 1;
        bracketed = true;
      }
    }
    model_.SetBacklogCaps(t0_, {});
    model_.ClearOutages();
    return lo;
  }

 private:
  /// The number of weeks from t0 on for which the plan's backlog stays within the caps.
  int32_t Witness(const plan::PlanResult& r) const {
    const std::vector<double> by_week = BacklogByWeek(r);
    int32_t w = 0;
    while (t0_ + w < weeks_ && by_week[t0_ + w] <= caps_[w]) ++w;
    return w;
  }

  /// Empty when no plan keeps the backlog within the caps of weeks t0..t0+w-1;
  /// otherwise the witness of the plan found (>= w).
  std::optional<int32_t> Survives(int32_t w) {
    model_.SetBacklogCaps(t0_, std::vector<double>(caps_.begin(), caps_.begin() + w));
    const plan::PlanResult r = model_.Solve();
    if (r.status == solver::SolveStatus::kOptimal && r.has_solution) return std::max(w, Witness(r));
    if (r.status == solver::SolveStatus::kInfeasible) return std::nullopt;
    throw std::runtime_error(std::string("risk: the time-to-survive LP ended ") + solver::ToString(r.status));
  }

  plan::PlanModel model_;
  int32_t t0_, weeks_;
  double b0_;
  const std::vector<double>& caps_;
  const std::vector<double>& tts_weights_;
};

/// TTS objective per week: 0 before t0, then 1.25^(H−1−t), so a week's backlog
/// weighs 1.25× the next week's and the last week weighs 1.
std::vector<double> TtsWeights(int32_t t0, int32_t weeks) {
  std::vector<double> weights(weeks, 0.0);
  for (int32_t t = weeks - 1, i = 0; t >= t0; --t, ++i) weights[t] = std::pow(kEarlyWeekWeight, i);
  return weights;
}

/// Builds the risk LP with weeks < t0 fixed; widens the fixing when exact fixing is infeasible.
std::unique_ptr<plan::PlanModel> BuildFixedModel(const model::Scenario& s, const plan::PlanResult& baseline, int32_t t0,
                                                 double& widen, double& b0) {
  plan::PlanOptions options;
  options.bottlenecks = false;
  plan::ModelVariant variant;
  variant.objective = plan::ModelVariant::Objective::kUnweightedBacklog;
  variant.backlog_from_week = t0;
  variant.domestic_and_share_rows = false;
  variant.integer_expansions = false;
  auto model = std::make_unique<plan::PlanModel>(s, options, variant);
  for (double w : {0.0, kWiden}) {
    model->FixBefore(baseline, t0, w);
    const plan::PlanResult r = model->Solve();
    if (r.status == solver::SolveStatus::kOptimal && r.has_solution) {
      widen = w;
      b0 = BacklogFrom(r, t0);
      return model;
    }
  }
  throw std::runtime_error("risk: the baseline plan cannot be reproduced before week " + std::to_string(t0) +
                           " even with bounds widened by 1e-5");
}

void CheckInputs(const model::Scenario& s, const plan::PlanResult& baseline) {
  if (!baseline.has_solution || baseline.weeks != s.horizon_weeks) {
    throw std::invalid_argument("risk: the baseline plan has no solution");
  }
  if (s.risk_start_week < 0 || s.risk_start_week >= s.horizon_weeks) {
    throw std::invalid_argument("risk: risk.start_week " + std::to_string(s.risk_start_week) + " is outside 0.." +
                                std::to_string(s.horizon_weeks - 1));
  }
}

void FillExposure(RiskResult& result) {
  double max_pi = 0;
  for (const NodeRisk& n : result.nodes) max_pi = std::max(max_pi, n.pi_rack_weeks);
  for (NodeRisk& n : result.nodes) {
    n.exposure_index = max_pi > 0 ? n.pi_rack_weeks / max_pi : 0.0;
    n.exposed = n.tts_weeks < n.recovery_weeks;
  }
}

}  // namespace

int64_t BlockStart(int64_t items, int32_t block, int32_t blocks) { return items * block / blocks; }

plan::PlanResult SolveBaseline(const model::Scenario& scenario, spdlog::logger* log) {
  plan::PlanOptions options;
  options.bottlenecks = false;
  plan::PlanResult baseline = plan::SolvePlan(scenario, options, log);
  if (!baseline.has_solution) {
    throw std::runtime_error(std::string("the baseline plan has no solution (status ") +
                             solver::ToString(baseline.status) + ")");
  }
  return baseline;
}

RiskResult ComputeNodeFigures(const model::Scenario& scenario, const plan::PlanResult& baseline,
                              const RiskOptions& options) {
  CheckInputs(scenario, baseline);
  if (options.blocks < 1 || options.block < 0 || options.block >= options.blocks) {
    throw std::invalid_argument("risk: block " + std::to_string(options.block) + " of " +
                                std::to_string(options.blocks) + " does not exist");
  }
  RiskResult result;
  const int32_t t0 = scenario.risk_start_week;
  const int32_t H = scenario.horizon_weeks;
  result.start_week = t0;
  for (const model::NodeRef& node : RiskNodes(scenario, baseline)) {
    if (!Keep(options, node.kind)) continue;
    NodeRisk n;
    n.node = node;
    n.name = model::NodeName(scenario, node);
    n.recovery_weeks = model::NodeRecoveryWeeks(scenario, node);
    result.nodes.push_back(n);
  }
  const std::unique_ptr<plan::PlanModel> base =
      BuildFixedModel(scenario, baseline, t0, result.fix_widen, result.baseline_backlog_rack_weeks);
  const std::vector<double> by_week = BacklogByWeek(baseline);
  std::vector<double> caps;
  for (int32_t t = t0; t < H; ++t) caps.push_back(by_week[t] + kCapSlack);
  const std::vector<double> tts_weights = TtsWeights(t0, H);

  const double b0 = result.baseline_backlog_rack_weeks;
  std::mutex progress_mutex;
  int32_t done = 0;
  const int64_t count = static_cast<int64_t>(result.nodes.size());
  const auto first = static_cast<int32_t>(BlockStart(count, options.block, options.blocks));
  const auto last = static_cast<int32_t>(BlockStart(count, options.block + 1, options.blocks));
  const int32_t total = last - first;
  tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
  arena.execute([&] {
    tbb::parallel_for(first, last, [&](int32_t i) {
      if (options.cancelled && options.cancelled()) return;  // the remaining nodes are skipped
      // A fresh copy of the solved base model per node: every node's re-solves start
      // from the same warm start, so the figures do not depend on the thread count.
      NodeSolver solver(*base, t0, H, b0, caps, tts_weights);
      NodeRisk& n = result.nodes[i];
      n.pi_rack_weeks = solver.PerformanceImpact(n.node, n.recovery_weeks);
      n.tts_weeks = solver.TimeToSurvive(n.node);
      if (options.progress) {
        const std::lock_guard<std::mutex> lock(progress_mutex);
        options.progress(++done, total);
      }
    });
  });
  if (options.cancelled && options.cancelled()) throw Cancelled();
  return result;
}

void FinishRisk(const model::Scenario& scenario, const plan::PlanResult& baseline, RiskResult& result) {
  FillExposure(result);
  FillConcentration(scenario, baseline, result);
}

RiskResult ComputeRisk(const model::Scenario& scenario, const plan::PlanResult& baseline, const RiskOptions& options) {
  RiskOptions all = options;
  all.block = 0;
  all.blocks = 1;
  RiskResult result = ComputeNodeFigures(scenario, baseline, all);
  FinishRisk(scenario, baseline, result);
  return result;
}

std::vector<size_t> ByExposure(const RiskResult& result) {
  std::vector<size_t> order(result.nodes.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const NodeRisk& x = result.nodes[a];
    const NodeRisk& y = result.nodes[b];
    if (x.exposure_index != y.exposure_index) return x.exposure_index > y.exposure_index;
    if (x.pi_rack_weeks != y.pi_rack_weeks) return x.pi_rack_weeks > y.pi_rack_weeks;
    return x.tts_weeks < y.tts_weeks;
  });
  return order;
}

namespace {

struct GroupSums {
  ConcentrationRow row;
  double output = 0;
  double spend = 0;
};

std::vector<ConcentrationRow> Finish(std::map<std::string, GroupSums>& groups, double total_output,
                                     double total_spend) {
  std::vector<ConcentrationRow> rows;
  for (auto& [key, g] : groups) {
    g.row.key = key;
    g.row.output_share = total_output > 0 ? g.output / total_output : 0.0;
    g.row.supply_spend_share = total_spend > 0 ? g.spend / total_spend : 0.0;
    rows.push_back(g.row);
  }
  return rows;
}

void AddNode(GroupSums& g, const NodeRisk& n) {
  g.row.nodes += 1;
  g.row.exposed_nodes += n.exposed ? 1 : 0;
  g.row.max_pi_rack_weeks = std::max(g.row.max_pi_rack_weeks, n.pi_rack_weeks);
}

}  // namespace

void FillConcentration(const model::Scenario& s, const plan::PlanResult& baseline, RiskResult& result) {
  std::map<std::string, GroupSums> states, countries;
  // Planned output per plant and spend per supplier from the baseline.
  std::vector<double> plant_output(s.plants.size(), 0.0), supplier_spend(s.suppliers.size(), 0.0);
  for (size_t l = 0; l < s.lines.size(); ++l) {
    for (int32_t g = 0; g < baseline.designs; ++g) {
      for (int32_t t = 0; t < baseline.weeks; ++t)
        plant_output[s.lines[l].plant] += baseline.make[baseline.MakeIndex(l, g, t)];
    }
  }
  for (size_t o = 0; o < s.offers.size(); ++o) {
    for (int32_t t = 0; t < baseline.weeks; ++t) {
      supplier_spend[s.offers[o].supplier] += s.offers[o].unit_cost_usd * baseline.BuyAllPlants(o, t);
    }
  }
  double total_output = 0, total_spend = 0;
  for (size_t p = 0; p < s.plants.size(); ++p) {
    states[s.plants[p].us_state].output += plant_output[p];
    total_output += plant_output[p];
  }
  for (size_t i = 0; i < s.suppliers.size(); ++i) {
    if (!s.suppliers[i].us_state.empty()) states[s.suppliers[i].us_state].spend += supplier_spend[i];
    countries[s.suppliers[i].country].spend += supplier_spend[i];
    total_spend += supplier_spend[i];
  }
  for (const NodeRisk& n : result.nodes) {
    switch (n.node.kind) {
      case model::NodeKind::kPlant:
        AddNode(states[s.plants[n.node.index].us_state], n);
        break;
      case model::NodeKind::kLine:
        AddNode(states[s.plants[s.lines[n.node.index].plant].us_state], n);
        break;
      case model::NodeKind::kComponentLine:
        AddNode(states[s.plants[s.component_lines[n.node.index].plant].us_state], n);
        break;
      case model::NodeKind::kSupplier: {
        const model::Supplier& sup = s.suppliers[n.node.index];
        if (!sup.us_state.empty()) AddNode(states[sup.us_state], n);
        AddNode(countries[sup.country], n);
        break;
      }
    }
  }
  result.by_state = Finish(states, total_output, total_spend);
  result.by_country = Finish(countries, 0.0, total_spend);
}

}  // namespace rackforge::risk
