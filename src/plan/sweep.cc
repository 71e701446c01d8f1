#include "plan/sweep.h"

#include <fmt/format.h>
#include <spdlog/logger.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <exception>
#include <numeric>
#include <optional>
#include <thread>

#include "common/errors.h"
#include "plan/plan_model.h"

namespace rackforge::plan {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::vector<double> SweepPoints(double from, double to, double step) {
  if (!(step > 0)) throw common::UsageError(fmt::format("domestic sweep: STEP {} must be > 0", step));
  if (!(from >= 0 && from <= 1)) throw common::UsageError(fmt::format("domestic sweep: FROM {} is outside 0..1", from));
  if (!(to >= 0 && to <= 1)) throw common::UsageError(fmt::format("domestic sweep: TO {} is outside 0..1", to));
  if (to < from) throw common::UsageError(fmt::format("domestic sweep: TO {} is below FROM {}", to, from));
  const auto n = static_cast<int64_t>(std::llround((to - from) / step)) + 1;
  std::vector<double> points;
  points.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    // Clean binary noise (0.1 * 3 = 0.30000000000000004) and never pass TO.
    const double p = std::round((from + static_cast<double>(i) * step) * 1e12) / 1e12;
    points.push_back(std::min(p, to));
  }
  return points;
}

namespace {

/// LPs one point's proof may solve inside the boxes beyond the boxes themselves (branching on
/// expansions where a box's LP bound falls short); past it the point is searched.
constexpr int32_t kBranchLpsPerPoint = 48;

/// What one model carries from a point to the next: the expansions of the last plan and the
/// warm-start bases of the LPs that prove them optimal (see ProveExpansions), and counts for the log.
struct ExpansionProof {
  int32_t lps = 0, cold_lps = 0;       // LPs solved by the last proof, of them re-solved cold
  std::vector<int8_t> pattern;         // open[e] of the last plan; empty: none yet
  solver::LpBasis pattern_basis;       // of the LP with every expansion fixed at `pattern`
  std::vector<solver::LpBasis> boxes;  // per expansion k: of the LP of box k
};

/// Box k of `pattern`: the expansions before k as in the pattern, k the other way, the rest free.
/// Boxes 0..n-1 and the pattern itself partition every choice of expansions.
std::vector<int8_t> Box(const std::vector<int8_t>& pattern, size_t k) {
  std::vector<int8_t> fixed(pattern.size(), -1);
  for (size_t j = 0; j < k; ++j) fixed[j] = pattern[j];
  fixed[k] = static_cast<int8_t>(1 - pattern[k]);
  return fixed;
}

/// An LP of SolveExpansionsFixed, re-solved cold on CLP's presolve when the warm start ended
/// neither optimal nor infeasible.
solver::Solution SolveFixed(PlanModel& model, const std::vector<int8_t>& fixed, solver::LpBasis& basis,
                            ExpansionProof& counts) {
  ++counts.lps;
  solver::Solution s = model.SolveExpansionsFixed(fixed, basis);
  if (s.status != solver::SolveStatus::kOptimal && s.status != solver::SolveStatus::kInfeasible) {
    ++counts.cold_lps;
    s = model.SolveExpansionsFixed(fixed, basis, /*cold=*/true);
  }
  return s;
}

/// Branch and bound on the LP bounds of the plans whose expansions agree with `fixed`: true when
/// every such plan costs at least `cutoff` (LP infeasible or bound >= cutoff, branching on the most
/// fractional free expansion while `budget` lasts); `min_bound` is lowered to the bounds that closed
/// it. False when some LP is not optimal, the budget runs out, or an LP within the box has integral
/// expansions below the cutoff (a cheaper plan than the pattern's: the point needs a search).
bool CloseBox(PlanModel& model, std::vector<int8_t> fixed, solver::LpBasis& basis, double cutoff, int32_t& budget,
              double& min_bound, ExpansionProof& counts) {
  const solver::Solution s = SolveFixed(model, fixed, basis, counts);
  if (s.status == solver::SolveStatus::kInfeasible) return true;
  if (s.status != solver::SolveStatus::kOptimal) return false;
  if (s.objective >= cutoff) {
    min_bound = std::min(min_bound, s.objective);
    return true;
  }
  const std::vector<double> values = model.ExpansionValues(s);
  size_t branch = values.size();
  double most = 1e-6;
  for (size_t e = 0; e < values.size(); ++e) {
    const double fractional = std::min(values[e], 1.0 - values[e]);
    if (fixed[e] < 0 && fractional > most) {
      most = fractional;
      branch = e;
    }
  }
  if (branch == values.size()) return false;  // integral and cheaper than the pattern
  for (const int8_t side : {int8_t{0}, int8_t{1}}) {
    if (--budget < 0) return false;
    fixed[branch] = side;
    solver::LpBasis child = basis;
    if (!CloseBox(model, fixed, child, cutoff, budget, min_bound, counts)) return false;
  }
  return true;
}

/// The pattern's LP and boxes [from, to) solved at the model's floor. Returns the pattern's LP
/// (its best_bound lowered to the lowest bound that closed a box), or none when that LP is not
/// optimal or some box could not be closed against it (the criterion of the search: CBC's
/// allowable gaps, 1e-10 absolute and `relative_gap` relative).
std::optional<solver::Solution> SolveBoxes(PlanModel& model, ExpansionProof& proof, size_t from, size_t to,
                                           double relative_gap, spdlog::logger* log) {
  proof.lps = proof.cold_lps = 0;
  solver::Solution incumbent = SolveFixed(model, proof.pattern, proof.pattern_basis, proof);
  if (incumbent.status != solver::SolveStatus::kOptimal) return std::nullopt;
  const double cutoff = incumbent.objective - std::max(1e-10, relative_gap * std::fabs(incumbent.objective));
  proof.boxes.resize(proof.pattern.size());
  int32_t budget = kBranchLpsPerPoint;
  for (size_t k = from; k < to; ++k) {
    double min_bound = incumbent.best_bound;
    if (!CloseBox(model, Box(proof.pattern, k), proof.boxes[k], cutoff, budget, min_bound, proof)) {
      if (log != nullptr) {
        log->info("sweep: box {} of the previous expansions not closed by LP bounds ({} LPs, {} cold)", k, proof.lps,
                  proof.cold_lps);
      }
      return std::nullopt;
    }
    incumbent.best_bound = std::min(incumbent.best_bound, min_bound);
  }
  return incumbent;
}

/// The plan at the model's floor when the expansions of `proof.pattern` are provably optimal there:
/// the LP with them fixed gives the plan and its cost U, and every box closes against U. None
/// otherwise (the point needs a search).
std::optional<PlanResult> ProveExpansions(PlanModel& model, ExpansionProof& proof, double relative_gap,
                                          spdlog::logger* log) {
  if (proof.pattern.empty() && model.expansions() > 0) return std::nullopt;
  std::optional<solver::Solution> u = SolveBoxes(model, proof, 0, proof.pattern.size(), relative_gap, log);
  if (!u) return std::nullopt;
  const double gap = std::max(0.0, (u->objective - u->best_bound) / std::max(1e-10, std::fabs(u->objective)));
  u->relative_gap = gap <= 1e-9 ? 0.0 : gap;  // as SolveMilp reports a search within 1e-9
  return model.ResultOf(*u);
}

/// One run of points, solved in order: each point first by ProveExpansions with the last plan's
/// expansions on `model`, and by a search on a fresh copy of `pristine` (a cold root, the same solve
/// as `plan` at that floor) when that fails.
struct Run {
  PlanModel* model = nullptr;
  const PlanModel* pristine = nullptr;
  ExpansionProof proof;
  std::vector<size_t> order;  // indices into points
};

void SolveRun(Run& run, const std::vector<double>& points, bool prove, double relative_gap, spdlog::logger* log,
              std::vector<SweepPoint>& out) {
  for (size_t i : run.order) {
    const auto point_start = std::chrono::steady_clock::now();
    run.model->SetDomesticContentMin(points[i]);
    std::optional<PlanResult> r = prove ? ProveExpansions(*run.model, run.proof, relative_gap, log) : std::nullopt;
    const bool searched = !r;
    if (searched) {
      PlanModel fresh(*run.pristine);
      fresh.SetDomesticContentMin(points[i]);
      r = fresh.Solve(log);
      run.proof.pattern_basis = {};  // start the next pattern LP from the model's last basis
    }
    if (log != nullptr) {
      log->info("sweep: point {}/{}: domestic content >= {:.4g}: {} ({}; {} LPs, {} re-solved cold, {:.1f} s)", i + 1,
                points.size(), points[i], solver::ToString(r->status),
                searched ? "searched" : "the previous point's expansions proven optimal", run.proof.lps,
                run.proof.cold_lps, SecondsSince(point_start));
    }
    if (r->has_solution) run.proof.pattern.assign(r->opened.begin(), r->opened.end());
    out[i] = {points[i], std::move(*r), searched};
  }
}

/// Runs f(0) and f(1) on two threads (or in turn when `parallel` is false); rethrows the first failure
/// after both have stopped.
template <typename F>
void TwoWays(bool parallel, F f) {
  if (!parallel) {
    f(0);
    f(1);
    return;
  }
  std::exception_ptr failure;
  std::thread second([&] {
    try {
      f(1);
    } catch (...) {
      failure = std::current_exception();
    }
  });
  try {
    f(0);
  } catch (...) {
    second.join();
    throw;
  }
  second.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

SweepResult RunSweep(const model::Scenario& scenario, const PlanOptions& base, const std::vector<double>& points,
                     spdlog::logger* log) {
  for (double p : points) {
    if (!(p >= 0 && p <= 1)) throw common::UsageError(fmt::format("domestic sweep: point {} is outside 0..1", p));
  }
  SweepResult out;
  if (points.empty()) return out;
  auto start = std::chrono::steady_clock::now();
  // The points by floor; the middle one (the anchor) is searched first, then two runs go outward from
  // it, up and down, each point starting from the plan of the point before it in its run.
  std::vector<size_t> by_floor(points.size());
  std::iota(by_floor.begin(), by_floor.end(), 0);
  std::stable_sort(by_floor.begin(), by_floor.end(), [&](size_t a, size_t b) { return points[a] < points[b]; });
  const size_t middle = (points.size() - 1) / 2;
  const size_t anchor = by_floor[middle];
  PlanOptions options = base;
  options.domestic_content_min = points[anchor];
  const PlanModel pristine(scenario, options);
  out.build_seconds = SecondsSince(start);
  start = std::chrono::steady_clock::now();
  out.points.resize(points.size());

  // 1. The anchor: one search on a copy of the unsolved model (with workers = 2 the search forks its
  // second worker: no other thread runs yet). That copy, with the basis of the anchor's plan, proves
  // the points of the upward run.
  PlanModel model(pristine);
  if (log != nullptr) {
    log->info("sweep: point {}/{}: domestic content >= {:.4g} (searched first)", anchor + 1, points.size(),
              points[anchor]);
  }
  out.points[anchor] = {points[anchor], model.Solve(log), true};
  const PlanResult& first = out.points[anchor].result;

  std::array<Run, 2> runs{};
  for (size_t j = middle + 1; j < by_floor.size(); ++j) runs[0].order.push_back(by_floor[j]);
  for (size_t j = middle; j-- > 0;) runs[1].order.push_back(by_floor[j]);
  const bool parallel = base.workers >= 2 && !runs[1].order.empty();
  // Searched points run one search each (two threads: no fork); each thread copies from its own
  // unsolved model and proves on its own copy of the anchor's model.
  PlanModel up_pristine(pristine);
  up_pristine.SetWorkers(1);
  std::optional<PlanModel> down_pristine, second;
  runs[0].model = &model;
  runs[0].pristine = &up_pristine;
  if (parallel) {
    down_pristine.emplace(up_pristine);
    second.emplace(model);  // a deep copy, with the anchor's basis
  }
  runs[1].model = parallel ? &*second : &model;
  runs[1].pristine = parallel ? &*down_pristine : &up_pristine;

  // 2. Without a time limit, the LPs that prove the anchor's expansions optimal at the anchor (their
  // bases start the runs; half of the boxes on each model). When some box does not close there, the
  // bound is too weak for this scenario and every point is searched.
  bool prove = options.time_limit_s == 0 && first.has_solution && points.size() > 1;
  if (prove) {
    const std::vector<int8_t> pattern(first.opened.begin(), first.opened.end());
    const size_t n = pattern.size(), half = parallel ? n / 2 : n;
    std::array<bool, 2> closed{true, true};
    TwoWays(parallel, [&](size_t w) {
      if (w == 1 && !parallel) return;
      runs[w].proof.pattern = pattern;
      closed[w] = SolveBoxes(*runs[w].model, runs[w].proof, w == 0 ? 0 : half, w == 0 ? half : n,
                             options.relative_gap, log)
                      .has_value();
    });
    prove = closed[0] && closed[1];
    if (parallel) {
      for (size_t k = half; k < n; ++k) runs[0].proof.boxes[k] = runs[1].proof.boxes[k];
      for (size_t k = 0; k < half; ++k) runs[1].proof.boxes[k] = runs[0].proof.boxes[k];
    } else {
      runs[1].proof = runs[0].proof;
    }
    if (log != nullptr) {
      log->info("sweep: {} boxes of the anchor's expansions {}", n,
                prove ? "closed by their LP bounds: the other points start from them"
                      : "not all closed: every point is searched");
    }
  }

  // 3. The two runs.
  TwoWays(parallel, [&](size_t w) { SolveRun(runs[w], points, prove, options.relative_gap, log, out.points); });
  out.solve_seconds = SecondsSince(start);
  return out;
}

}  // namespace rackforge::plan
