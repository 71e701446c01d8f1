#include "risk/risk.h"

#include <spdlog/logger.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "common/cpu_time.h"
#include "model/availability.h"
#include "plan/plan_model.h"
#include "risk/nodes.h"
#include "risk/spare_supply.h"

namespace rackforge::risk {

namespace {

constexpr double kWiden = 1e-5;
constexpr double kCapSlack = 1e-6;
constexpr double kPiTolerance = 1e-6;
constexpr double kEarlyWeekWeight = 1.25;  // TTS objective: a week's backlog weighs 1.25x the next week's
constexpr size_t kMaxGroup = 16;           // nodes taken out together in one group LP
// TTS probes on cut models for w = 1, 2, 4, 8; then, when the cut at t0 + 16
// keeps at most half the weeks from t0 on, 16; then, when half the weeks from t0
// on is more than 16, that half, ⌊(H - t0)/2⌋. On the default scenario a cut
// probe costs 0.1-0.6 s up to w = 22 against 3-5.6 s for the weighted full LP,
// so a node that fails by the last probe is settled by bisection on cut models;
// on a short horizon the cut at 16 is hardly smaller than the full model. Where
// the baseline has no backlog in those weeks, the long cuts first get a weighted
// LP whose witness usually is the TTS (TimeToSurvive).
constexpr int32_t kCutWeeks = 8;
constexpr int32_t kLongCutWeeks = 16;
constexpr size_t kMinSplit = 4;            // a failed group of at least this many nodes is tested in halves

/// The long cuts, 16 and ⌊(H - t0)/2⌋, where they apply (the comment above).
std::vector<int32_t> WitnessCutWeeks(int32_t horizon) {
  std::vector<int32_t> weeks;
  if (2 * kLongCutWeeks <= horizon) weeks.push_back(kLongCutWeeks);
  if (horizon / 2 > kLongCutWeeks) weeks.push_back(horizon / 2);
  return weeks;
}

/// The cut probes' w for `horizon` weeks from t0, ascending (the comment above).
std::vector<int32_t> CutProbeWeeks(int32_t horizon) {
  std::vector<int32_t> weeks;
  for (int32_t w = 1; w <= std::min(kCutWeeks, horizon); w *= 2) weeks.push_back(w);
  for (const int32_t w : WitnessCutWeeks(horizon)) weeks.push_back(w);
  return weeks;
}

using common::ThreadCpuSeconds;

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

/// True when a plan uses node n in weeks [from, to): some column that
/// PlanModel::SetOutage(n, from, to) sets to 0 (make of its rack lines, makec of
/// its component lines, buy of its supplier's offers) is non-zero in `r`. A
/// family the plan leaves empty counts as used (nothing is known about it).
bool UsesNode(const model::Scenario& s, const plan::PlanResult& r, model::NodeRef node, int32_t from, int32_t to) {
  to = std::min(to, r.weeks);
  auto make_used = [&](int32_t line) {
    if (r.make.size() < static_cast<size_t>(s.lines.size()) * r.designs * r.weeks) return true;
    for (int32_t g : s.lines[line].designs) {
      for (int32_t t = from; t < to; ++t) {
        if (r.make[r.MakeIndex(line, g, t)] != 0.0) return true;
      }
    }
    return false;
  };
  auto makec_used = [&](int32_t cline) {
    if (r.makec.size() < static_cast<size_t>(s.component_lines.size()) * r.components * r.weeks) return true;
    for (int32_t c : s.component_lines[cline].components) {
      for (int32_t t = from; t < to; ++t) {
        if (r.makec[r.MakecIndex(cline, c, t)] != 0.0) return true;
      }
    }
    return false;
  };
  switch (node.kind) {
    case model::NodeKind::kLine:
      return make_used(node.index);
    case model::NodeKind::kComponentLine:
      return makec_used(node.index);
    case model::NodeKind::kPlant:
      for (size_t l = 0; l < s.lines.size(); ++l) {
        if (s.lines[l].plant == node.index && make_used(static_cast<int32_t>(l))) return true;
      }
      for (size_t m = 0; m < s.component_lines.size(); ++m) {
        if (s.component_lines[m].plant == node.index && makec_used(static_cast<int32_t>(m))) return true;
      }
      return false;
    case model::NodeKind::kSupplier:
      if (r.buy.size() < s.offers.size() * static_cast<size_t>(r.plants) * r.weeks) return true;
      for (size_t o = 0; o < s.offers.size(); ++o) {
        if (s.offers[o].supplier != node.index) continue;
        for (int32_t p = 0; p < r.plants; ++p) {
          for (int32_t t = from; t < to; ++t) {
            if (r.buy[r.BuyIndex(static_cast<int32_t>(o), p, t)] != 0.0) return true;
          }
        }
      }
      return false;
  }
  return true;
}

/// What every node's LPs share: the risk model with weeks < t0 fixed, not yet
/// solved (every LP starts from its own copy, so no figure depends on which LPs
/// a thread solved before), the solved base LP and its optimal basis (each PI
/// LP starts from that basis: an outage only lowers upper bounds, so the basis
/// stays dual feasible; see docs/model.md "Risk figures") and the baseline's
/// backlog.
struct SharedInputs {
  const model::Scenario& scenario;
  const plan::PlanResult& baseline;
  const plan::PlanModel& unsolved;  // FixBefore applied, never solved
  const plan::PlanResult& base_lp;  // the solution of B(no extra outage)
  const solver::LpBasis& base_basis;  // its optimal basis (the dual simplex with perturbation 50)
  int32_t t0, weeks;
  double b0;
  double baseline_b;  // Σ_{t>=t0} back of the baseline itself
  std::vector<double> caps;
  std::vector<double> tts_weights;
};

/// The number of weeks from t0 on for which the plan's backlog stays within the caps.
int32_t CapWitness(const SharedInputs& in, const plan::PlanResult& r) {
  const std::vector<double> by_week = BacklogByWeek(r);
  int32_t w = 0;
  while (in.t0 + w < in.weeks && by_week[in.t0 + w] <= in.caps[w]) ++w;
  return w;
}

/// One node's LPs, each on its own copy of the unsolved model.
class NodeSolver {
 public:
  explicit NodeSolver(const SharedInputs& in) : in_(in) {}

  /// PI = B(n out for t0..t0+R-1) - B0. Without an LP when a plan with n out
  /// for those weeks (or longer) has a backlog within kPiTolerance of B0, so
  /// that PI is 0 by the definition: the base LP's own solution or the
  /// baseline when they do not use n in those weeks, or a plan the TTS search
  /// found (n out from t0 to the horizon; `tts_backlog` is the least
  /// Σ_{t>=t0} back of those plans).
  double PerformanceImpact(model::NodeRef node, int32_t recovery_weeks, double tts_backlog) {
    const int32_t to = std::min(in_.weeks, in_.t0 + recovery_weeks);
    if (tts_backlog - in_.b0 <= kPiTolerance) return 0.0;
    if (!UsesNode(in_.scenario, in_.base_lp, node, in_.t0, to)) return 0.0;
    if (in_.baseline_b - in_.b0 <= kPiTolerance && !UsesNode(in_.scenario, in_.baseline, node, in_.t0, to)) {
      return 0.0;
    }
    const double b1 = BacklogFrom(SolvePerformanceLp(node, to), in_.t0);
    const double pi = b1 - in_.b0;
    return pi > kPiTolerance ? pi : 0.0;  // PI >= 0; differences within the LP tolerance are 0
  }

  /// True when TimeToSurvive or PerformanceImpact would solve an LP for this
  /// node (without help from a group LP).
  bool NeedsLp(model::NodeRef node, int32_t recovery_weeks) const {
    if (UsesNode(in_.scenario, in_.baseline, node, in_.t0, in_.weeks)) return true;
    const int32_t to = std::min(in_.weeks, in_.t0 + recovery_weeks);
    if (!UsesNode(in_.scenario, in_.base_lp, node, in_.t0, to)) return false;
    return !(in_.baseline_b - in_.b0 <= kPiTolerance && !UsesNode(in_.scenario, in_.baseline, node, in_.t0, to));
  }

  /// The largest feasible w. Without an LP when the baseline does not use n
  /// from t0 on: the baseline itself is then a plan with n out whose backlog
  /// meets every cap, so TTS = H - t0 (likewise after KnowFeasiblePlan).
  /// Otherwise searched with witnesses: the plan an LP returns keeps the
  /// backlog under the caps for some prefix of weeks, so every w up to that
  /// prefix is feasible without an LP of its own. When the baseline has no
  /// backlog in the weeks of a long cut c (WitnessCutWeeks: 16, then
  /// ⌊(H - t0)/2⌋), after the probe at w = 1 the weighted LP (below) on the model
  /// cut at t0 + c gives a witness W (WeightedCutWitness): with every cap at
  /// kCapSlack, keeping the backlog at 0 is what that objective pursues, so W is
  /// mostly the TTS, and a failed probe at W + 1 proves it (W >= c: the next cut;
  /// the probe at W + 1 holds: the probes below go on from there). Then the w of
  /// CutProbeWeeks(H - t0) above those proven, on cut models (SurvivesCut), with bisection once one fails; when
  /// all hold, one LP with no cap rows whose objective weights early weeks more
  /// (this node's copy only), so its plan stays under the caps as long as it
  /// can, then probes that re-solve a copy of the last feasible model from its
  /// basis (cap rows added).
  int32_t TimeToSurvive(model::NodeRef node) {
    best_backlog_ = std::numeric_limits<double>::infinity();
    const int32_t horizon = in_.weeks - in_.t0;
    if (known_backlog_) {  // a group LP's plan has n out from t0 on and meets every cap
      best_backlog_ = *known_backlog_;
      return horizon;
    }
    if (!UsesNode(in_.scenario, in_.baseline, node, in_.t0, in_.weeks)) return horizon;
    // Short survivals first, on models cut after the weeks the caps cover: the
    // witnesses of weighted cut LPs where the caps are 0, then w of
    // CutProbeWeeks(H - t0), then bisection once one fails. A w that an earlier
    // probe's plan already proved feasible (w <= lo) needs no probe.
    int32_t lo = 0, hi = horizon;
    const std::vector<int32_t> witness_cuts = WitnessCutWeeks(horizon);
    const int32_t zero_caps = ZeroCapWeeks();
    if (!witness_cuts.empty() && zero_caps >= witness_cuts.front()) {
      const std::optional<int32_t> first = SurvivesCut(node, 1);
      if (!first) return 0;
      lo = *first;
      for (const int32_t c : witness_cuts) {
        if (zero_caps < c) break;  // the cuts ascend
        if (lo >= c) continue;
        lo = std::max(lo, WeightedCutWitness(node, c));
        if (lo >= c) continue;
        const std::optional<int32_t> next = SurvivesCut(node, lo + 1);
        if (!next) return lo;
        lo = std::max(lo + 1, *next);
        break;  // the witness was not the answer: the probes below go on from lo
      }
      if (lo >= horizon) return horizon;
    }
    for (const int32_t w : CutProbeWeeks(horizon)) {
      if (w <= lo) continue;
      const std::optional<int32_t> survives = SurvivesCut(node, w);
      if (!survives) {
        hi = w - 1;
        while (lo < hi) {
          const int32_t mid = (lo + hi + 1) / 2;
          const std::optional<int32_t> s = SurvivesCut(node, mid);
          if (s) {
            lo = std::max(mid, std::min(*s, hi));
          } else {
            hi = mid - 1;
          }
        }
        return lo;
      }
      lo = std::max(lo, *survives);
      if (lo >= horizon) return horizon;
    }
    auto model = std::make_unique<plan::PlanModel>(in_.unsolved);
    model->SetOutage(node, in_.t0, in_.weeks);
    WeighBacklog(*model);  // the probes below re-solve it warm
    ++tts_lps_;
    lo = std::max(lo, Witness(SolveOrThrow(*model, "time-to-survive")));  // w = lo is feasible
    if (lo == horizon) return lo;
    // Exponential search up from the witness (lo + 1, lo + 2, lo + 4, ...; the
    // witness is often the answer), then bisection once an upper end failed.
    int32_t step = 1;
    bool bracketed = false;
    while (lo < hi) {
      const int32_t mid = bracketed ? (lo + hi + 1) / 2 : std::min(hi, lo + step);
      auto probe = std::make_unique<plan::PlanModel>(*model);
      const std::optional<int32_t> survives = Survives(*probe, mid);
      if (survives) {
        lo = std::max(mid, *survives);
        step *= 2;
        model = std::move(probe);
      } else {
        hi = mid - 1;
        bracketed = true;
      }
    }
    return lo;
  }

  /// The least Σ_{t>=t0} back of the plans the last TimeToSurvive found (n out
  /// from t0 on; infinity when it solved no LP).
  double best_backlog() const { return best_backlog_; }

  /// LPs the TimeToSurvive calls solved, and how many of its probes were feasible.
  int32_t tts_lps() const { return tts_lps_; }
  int32_t tts_feasible_probes() const { return tts_feasible_probes_; }
  /// Of those, the probes on cut models and their thread CPU seconds.
  int32_t cut_lps() const { return cut_lps_; }
  /// Of those, the weighted LPs on cut models (WeightedCutWitness).
  int32_t witness_lps() const { return witness_lps_; }
  double cut_cpu_seconds() const { return cut_cpu_seconds_; }

  /// Tells TimeToSurvive that a plan with n (and other nodes) out from t0 on
  /// meets every cap and has this backlog: TTS = H - t0 without an LP.
  void KnowFeasiblePlan(double backlog) { known_backlog_ = backlog; }

 private:
  /// The number of weeks from t0 on for which the plan's backlog stays within
  /// the caps; also keeps the least backlog of the plans seen.
  int32_t Witness(const plan::PlanResult& r) {
    best_backlog_ = std::min(best_backlog_, BacklogFrom(r, in_.t0));
    return CapWitness(in_, r);
  }

  /// Survives(w) on a copy of the unsolved model with n out from t0 on and the
  /// model cut at week t0 + w: make, makec and buy of every plant, line and
  /// supplier 0 from that week on. The cut changes nothing that decides w: no
  /// decision of a week changes the backlog of an earlier week, and any plan
  /// stays a plan when every make, makec and buy from some week on is set to 0
  /// (shipments, transfers and stock then stay or run out; backlog only grows,
  /// and no row has a lower bound that activity must meet). The cut model is much
  /// smaller after presolve when w is short.
  std::optional<int32_t> SurvivesCut(model::NodeRef node, int32_t w) {
    const double start = ThreadCpuSeconds();
    plan::PlanModel model(in_.unsolved);
    CutAndOut(model, node, w);
    const std::optional<int32_t> survives = Survives(model, w);
    ++cut_lps_;
    cut_cpu_seconds_ += ThreadCpuSeconds() - start;
    return survives;
  }

  /// The number of weeks from t0 on in which the baseline has no backlog (its cap is kCapSlack).
  int32_t ZeroCapWeeks() const {
    int32_t w = 0;
    while (w < static_cast<int32_t>(in_.caps.size()) && in_.caps[w] <= 2 * kCapSlack) ++w;
    return w;
  }

  /// The witness of the weighted LP (no cap rows) on the model cut at t0 + w.
  int32_t WeightedCutWitness(model::NodeRef node, int32_t w) {
    const double start = ThreadCpuSeconds();
    plan::PlanModel model(in_.unsolved);
    CutAndOut(model, node, w);
    WeighBacklog(model);
    ++tts_lps_;
    ++witness_lps_;
    const int32_t witness = Witness(SolveOrThrow(model, "time-to-survive"));
    ++cut_lps_;
    cut_cpu_seconds_ += ThreadCpuSeconds() - start;
    return witness;
  }

  /// The TTS objective (back[·,t] weighted 1.25^(H−1−t)), solved cold by the primal simplex: with
  /// weighted costs CLP's automatic choice is the dual simplex, and the primal takes fewer and
  /// cheaper iterations here (docs/model.md "Risk figures").
  void WeighBacklog(plan::PlanModel& model) const {
    model.SetBacklogWeights(in_.tts_weights);
    model.SetColdLpMethod(solver::LpMethod::kPrimal);
  }

  /// n out from t0 on and every make, makec and buy from week t0 + w on set to 0.
  void CutAndOut(plan::PlanModel& model, model::NodeRef node, int32_t w) const {
    model.SetOutage(node, in_.t0, in_.weeks);
    const int32_t cut = in_.t0 + w;
    for (size_t p = 0; p < in_.scenario.plants.size(); ++p) {
      model.SetOutage({model::NodeKind::kPlant, static_cast<int32_t>(p)}, cut, in_.weeks);
    }
    for (size_t i = 0; i < in_.scenario.suppliers.size(); ++i) {
      model.SetOutage({model::NodeKind::kSupplier, static_cast<int32_t>(i)}, cut, in_.weeks);
    }
  }

  /// Empty when no plan keeps the backlog within the caps of weeks t0..t0+w-1;
  /// otherwise the witness of the plan found (>= w).
  std::optional<int32_t> Survives(plan::PlanModel& model, int32_t w) {
    model.SetBacklogCaps(in_.t0, std::vector<double>(in_.caps.begin(), in_.caps.begin() + w));
    ++tts_lps_;
    const plan::PlanResult r = model.Solve();
    if (r.status == solver::SolveStatus::kOptimal && r.has_solution) ++tts_feasible_probes_;
    if (r.status == solver::SolveStatus::kOptimal && r.has_solution) return std::max(w, Witness(r));
    if (r.status == solver::SolveStatus::kInfeasible) return std::nullopt;
    throw std::runtime_error(std::string("risk: the time-to-survive LP ended ") + solver::ToString(r.status));
  }

  /// B(n out for t0..to-1): a copy of the unsolved model started from the base LP's optimal
  /// basis (the dual simplex re-solves it); should that end other than optimal, a cold copy.
  plan::PlanResult SolvePerformanceLp(model::NodeRef node, int32_t to) const {
    {
      plan::PlanModel model(in_.unsolved);
      model.SetBasis(in_.base_basis);
      model.SetOutage(node, in_.t0, to);
      plan::PlanResult r = model.Solve();
      if (r.status == solver::SolveStatus::kOptimal && r.has_solution) return r;
    }
    plan::PlanModel model(in_.unsolved);
    model.SetOutage(node, in_.t0, to);
    return SolveOrThrow(model, "performance-impact");
  }

  const SharedInputs& in_;
  double best_backlog_ = std::numeric_limits<double>::infinity();
  std::optional<double> known_backlog_;
  int32_t tts_lps_ = 0, tts_feasible_probes_ = 0, cut_lps_ = 0, witness_lps_ = 0;
  double cut_cpu_seconds_ = 0;
};

/// TTS objective per week: 0 before t0, then 1.25^(H−1−t), so a week's backlog
/// weighs 1.25× the next week's and the last week weighs 1.
std::vector<double> TtsWeights(int32_t t0, int32_t weeks) {
  std::vector<double> weights(weeks, 0.0);
  for (int32_t t = weeks - 1, i = 0; t >= t0; --t, ++i) weights[t] = std::pow(kEarlyWeekWeight, i);
  return weights;
}

/// `candidates` (indices into `nodes`) in groups of at most kMaxGroup whose
/// nodes share no part, greedily in loop order (each node joins the first group
/// it fits); groups of one are dropped.
std::vector<std::vector<int32_t>> GroupCandidates(const model::Scenario& s, const std::vector<NodeRisk>& nodes,
                                                  const std::vector<int32_t>& candidates) {
  std::vector<std::vector<int32_t>> groups;
  std::vector<std::vector<int32_t>> group_parts;  // sorted
  for (int32_t i : candidates) {
    const std::vector<int32_t> parts = NodeParts(s, nodes[i].node);
    size_t g = 0;
    for (; g < groups.size(); ++g) {
      if (groups[g].size() >= kMaxGroup) continue;
      std::vector<int32_t> common;
      std::set_intersection(parts.begin(), parts.end(), group_parts[g].begin(), group_parts[g].end(),
                            std::back_inserter(common));
      if (common.empty()) break;
    }
    if (g == groups.size()) {
      groups.emplace_back();
      group_parts.emplace_back();
    }
    groups[g].push_back(i);
    std::vector<int32_t> merged;
    std::merge(parts.begin(), parts.end(), group_parts[g].begin(), group_parts[g].end(), std::back_inserter(merged));
    group_parts[g] = std::move(merged);
  }
  std::erase_if(groups, [](const std::vector<int32_t>& g) { return g.size() < 2; });
  return groups;
}

/// What the group LPs proved per node: a plan with the node out from t0 on
/// (among others) and its Σ_{t>=t0} back, and whether it meets every cap.
struct GroupProof {
  std::optional<double> backlog;
  bool meets_caps = false;
};

/// One LP with every node of `members` out from t0 to the horizon (the unweighted
/// backlog objective of the risk model): when its plan meets every cap, each
/// member has TTS = H - t0 and, when its backlog is within kPiTolerance of B0,
/// PI = 0 (the plan is one with that node out, so the definitions give those
/// values). Otherwise a group of at least kMinSplit nodes is tested in halves;
/// the nodes left unproven get their own LPs.
void ProveGroup(const SharedInputs& in, const std::vector<NodeRisk>& nodes, const std::vector<int32_t>& members,
                std::vector<GroupProof>& proofs, std::atomic<int32_t>& lps, spdlog::logger* log) {
  const double start = ThreadCpuSeconds();
  ++lps;
  plan::PlanModel model(in.unsolved);
  for (int32_t i : members) model.SetOutage(nodes[i].node, in.t0, in.weeks);
  const plan::PlanResult r = SolveOrThrow(model, "group");
  const double backlog = BacklogFrom(r, in.t0);
  const bool meets_caps = CapWitness(in, r) == in.weeks - in.t0;
  if (log != nullptr) {
    std::string names;
    for (int32_t i : members) names += (names.empty() ? "" : " ") + nodes[i].name;
    log->debug("risk: group of {} ({}) {} every cap, backlog {:.6g}, in {:.3f} s CPU", members.size(), names,
               meets_caps ? "meets" : "misses", backlog, ThreadCpuSeconds() - start);
  }
  for (int32_t i : members) {
    GroupProof& p = proofs[i];
    p.backlog = std::min(p.backlog.value_or(backlog), backlog);
    p.meets_caps = p.meets_caps || meets_caps;
  }
  if (meets_caps || members.size() < kMinSplit) return;
  const auto half = static_cast<std::ptrdiff_t>(members.size() / 2);
  ProveGroup(in, nodes, std::vector<int32_t>(members.begin(), members.begin() + half), proofs, lps, log);
  ProveGroup(in, nodes, std::vector<int32_t>(members.begin() + half, members.end()), proofs, lps, log);
}

/// The risk LP with weeks < t0 fixed, unsolved, and its solution with no extra
/// outage and that solution's basis; widens the fixing when exact fixing is infeasible.
struct FixedModel {
  std::unique_ptr<plan::PlanModel> unsolved;
  plan::PlanResult solved;
  solver::LpBasis basis;
  double widen = 0;
};

FixedModel BuildFixedModel(const model::Scenario& s, const plan::PlanResult& baseline, int32_t t0) {
  plan::PlanOptions options;
  options.bottlenecks = false;
  plan::ModelVariant variant;
  variant.objective = plan::ModelVariant::Objective::kUnweightedBacklog;
  variant.backlog_from_week = t0;
  variant.domestic_and_share_rows = false;
  variant.integer_expansions = false;
  FixedModel fixed;
  fixed.unsolved = std::make_unique<plan::PlanModel>(s, options, variant);
  for (double w : {0.0, kWiden}) {
    fixed.unsolved->FixBefore(baseline, t0, w);
    plan::PlanModel model(*fixed.unsolved);
    model.SetColdLpMethod(solver::LpMethod::kDual);  // the vertex the PI LPs start from (LpMethod::kDual)
    fixed.solved = model.Solve();
    if (fixed.solved.status == solver::SolveStatus::kOptimal && fixed.solved.has_solution) {
      fixed.basis = model.GetBasis();
      fixed.widen = w;
      return fixed;
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
  const FixedModel fixed = BuildFixedModel(scenario, baseline, t0);
  result.fix_widen = fixed.widen;
  result.baseline_backlog_rack_weeks = BacklogFrom(fixed.solved, t0);
  const std::vector<double> by_week = BacklogByWeek(baseline);
  std::vector<double> caps;
  for (int32_t t = t0; t < H; ++t) caps.push_back(by_week[t] + kCapSlack);
  const SharedInputs inputs{scenario,
                            baseline,
                            *fixed.unsolved,
                            fixed.solved,
                            fixed.basis,
                            t0,
                            H,
                            result.baseline_backlog_rack_weeks,
                            BacklogFrom(baseline, t0),
                            std::move(caps),
                            TtsWeights(t0, H)};

  if (options.log != nullptr) {
    options.log->debug("risk: B0 {:.6f} rack-weeks from week {}, the baseline's own {:.6f}", inputs.b0, t0,
                       inputs.baseline_b);
  }
  std::mutex progress_mutex;
  int32_t done = 0;
  const int64_t count = static_cast<int64_t>(result.nodes.size());
  const auto first = static_cast<int32_t>(BlockStart(count, options.block, options.blocks));
  const auto last = static_cast<int32_t>(BlockStart(count, options.block + 1, options.blocks));
  const int32_t total = last - first;
  // Group LPs first: nodes that the baseline can likely do without (SpareSupply), several
  // taken out at once (see ProveGroup). Groups are formed from this block's
  // nodes only and do not depend on the thread count; every figure they give
  // is the one the node's own LPs would give.
  std::vector<int32_t> candidates;
  const SpareSupply spare(scenario, baseline, t0);
  for (int32_t i = first; i < last; ++i) {
    const NodeRisk& n = result.nodes[i];
    if (!NodeSolver(inputs).NeedsLp(n.node, n.recovery_weeks)) continue;
    const std::optional<Shortfall> shortfall = spare.FirstShortfall(n.node);
    if (!shortfall) {
      candidates.push_back(i);
    } else if (options.log != nullptr && shortfall->component >= 0) {
      options.log->debug("risk: {} not tried in a group: {} short by week {} ({:.6g} units needed, {:.6g} spare)",
                         n.name, scenario.components[shortfall->component].id, shortfall->week,
                         shortfall->need_units, shortfall->spare_units);
    }
  }
  const std::vector<std::vector<int32_t>> groups = GroupCandidates(scenario, result.nodes, candidates);
  std::vector<GroupProof> proofs(result.nodes.size());
  std::atomic<int32_t> group_lps{0}, witness_lps{0};
  std::atomic<bool> stop{false};  // options.cancelled said so once: no further group or node starts
  auto cancelled = [&] {
    if (!stop && options.cancelled && options.cancelled()) stop = true;
    return stop.load();
  };
  tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
  arena.execute([&] {
    tbb::parallel_for(size_t{0}, groups.size(), [&](size_t g) {
      if (cancelled()) return;
      ProveGroup(inputs, result.nodes, groups[g], proofs, group_lps, options.log);
    });
  });
  if (stop) throw Cancelled();
  result.group_lps = group_lps.load();
  for (const GroupProof& p : proofs) result.nodes_settled_by_groups += p.meets_caps ? 1 : 0;
  arena.execute([&] {
    tbb::parallel_for(first, last, [&](int32_t i) {
      if (cancelled()) return;  // the remaining nodes are skipped
      // Every LP of a node starts from its own copy of the same unsolved model,
      // so the figures do not depend on the thread count or the node order.
      NodeSolver solver(inputs);
      NodeRisk& n = result.nodes[i];
      const GroupProof& proof = proofs[i];
      if (proof.meets_caps) solver.KnowFeasiblePlan(*proof.backlog);
      // TTS first: its plans (n out from t0 to the horizon) are feasible for
      // the PI LP too and often prove PI = 0 without one.
      const double start = ThreadCpuSeconds();
      n.tts_weeks = solver.TimeToSurvive(n.node);
      const double between = ThreadCpuSeconds();
      const double plan_backlog = std::min(solver.best_backlog(), proof.backlog.value_or(solver.best_backlog()));
      n.pi_rack_weeks = solver.PerformanceImpact(n.node, n.recovery_weeks, plan_backlog);
      witness_lps += solver.witness_lps();
      if (options.log != nullptr) {
        options.log->debug(
            "risk: {} TTS {} in {:.3f} s CPU ({} LPs, {} feasible probes; {} on cut models, {} of them weighted, in "
            "{:.3f} s), PI {:.6g} in {:.3f} s CPU",
            n.name, n.tts_weeks, between - start, solver.tts_lps(), solver.tts_feasible_probes(), solver.cut_lps(),
            solver.witness_lps(), solver.cut_cpu_seconds(), n.pi_rack_weeks, ThreadCpuSeconds() - between);
      }
      if (options.progress) {
        const std::lock_guard<std::mutex> lock(progress_mutex);
        options.progress(++done, total);
      }
    });
  });
  if (stop || (options.cancelled && options.cancelled())) throw Cancelled();
  result.witness_lps = witness_lps.load();
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
  // PIs are LP differences: two that agree to the PI tolerance are equal (the last bits of an LP
  // optimum depend on the vertex the simplex took, and must not swap two tied nodes).
  auto pi_steps = [](const NodeRisk& n) { return std::round(n.pi_rack_weeks / kPiTolerance); };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const NodeRisk& x = result.nodes[a];
    const NodeRisk& y = result.nodes[b];
    if (pi_steps(x) != pi_steps(y)) return pi_steps(x) > pi_steps(y);
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
