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

/// What one model carries from a point to the next: the expansions of the last plan and the
/// warm-start bases of the LPs that prove them optimal (see ProveExpansions).
struct ExpansionProof {
  std::vector<int8_t> pattern;         // open[e] of the last plan; empty: none yet
  solver::LpBasis pattern_basis;       // of the LP with every expansion fixed at `pattern`
  std::vector<solver::LpBasis> boxes;  // per expansion k: of the LP of box k
};

/// Box k of `pattern`: the expansions before k as in the pattern, k the other way, the rest free.
/// Boxes 0..n-1 and the pattern itself cover every choice of expansions.
std::vector<int8_t> Box(const std::vector<int8_t>& pattern, size_t k) {
  std::vector<int8_t> fixed(pattern.size(), -1);
  for (size_t j = 0; j < k; ++j) fixed[j] = pattern[j];
  fixed[k] = static_cast<int8_t>(1 - pattern[k]);
  return fixed;
}

/// The pattern's LP and boxes [from, to) solved at the model's floor. Returns the pattern's LP
/// (its best_bound lowered to the lowest box bound), or none when that LP is not optimal or some box
/// could hold a plan cheaper than the pattern's by more than the gap (the criterion of the search:
/// CBC's allowable gaps, 1e-10 absolute and `relative_gap` relative).
std::optional<solver::Solution> SolveBoxes(PlanModel& model, ExpansionProof& proof, size_t from, size_t to,
                                           double relative_gap) {
  solver::Solution incumbent = model.SolveExpansionsFixed(proof.pattern, proof.pattern_basis);
  if (incumbent.status != solver::SolveStatus::kOptimal) return std::nullopt;
  const double cutoff = incumbent.objective - std::max(1e-10, relative_gap * std::fabs(incumbent.objective));
  proof.boxes.resize(proof.pattern.size());
  for (size_t k = from; k < to; ++k) {
    const solver::Solution box = model.SolveExpansionsFixed(Box(proof.pattern, k), proof.boxes[k]);
    if (box.status == solver::SolveStatus::kInfeasible) continue;
    if (box.status != solver::SolveStatus::kOptimal || box.objective < cutoff) return std::nullopt;
    incumbent.best_bound = std::min(incumbent.best_bound, box.objective);
  }
  return incumbent;
}

/// The plan at the model's floor when the expansions of `proof.pattern` are provably optimal there:
/// the LP with them fixed gives the plan and its cost U, and the LP of every box (a relaxation of all
/// plans in it) is infeasible or within the gap of U. None otherwise (the point needs a search).
std::optional<PlanResult> ProveExpansions(PlanModel& model, ExpansionProof& proof, double relative_gap) {
  if (proof.pattern.empty() && model.expansions() > 0) return std::nullopt;
  std::optional<solver::Solution> u = SolveBoxes(model, proof, 0, proof.pattern.size(), relative_gap);
  if (!u) return std::nullopt;
  const double gap = std::max(0.0, (u->objective - u->best_bound) / std::max(1e-10, std::fabs(u->objective)));
  u->relative_gap = gap <= 1e-9 ? 0.0 : gap;  // as SolveMilp reports a search within 1e-9
  return model.ResultOf(*u);
}

/// One run of points, solved in order on one model: each point first by ProveExpansions with the
/// last plan's expansions, and by the search (PlanModel::Solve) when that fails.
struct Run {
  PlanModel* model;
  ExpansionProof proof;
  std::vector<size_t> order;  // indices into points
};

void SolveRun(Run& run, const std::vector<double>& points, bool prove, double relative_gap, spdlog::logger* log,
              std::vector<SweepPoint>& out, std::vector<uint8_t>& searched) {
  for (size_t i : run.order) {
    run.model->SetDomesticContentMin(points[i]);
    std::optional<PlanResult> r = prove ? ProveExpansions(*run.model, run.proof, relative_gap) : std::nullopt;
    searched[i] = r ? 0 : 1;
    if (!r) {
      // The search's root starts from the basis the model holds: that of the plan with the previous
      // expansions fixed at this floor (as a plain re-solve would), not that of the last box tried.
      if (prove && !run.proof.pattern.empty()) run.model->SolveExpansionsFixed(run.proof.pattern, run.proof.pattern_basis);
      r = run.model->Solve(log);
      run.proof.pattern_basis = {};  // the model's basis is that of the new plan's expansions fixed
    }
    if (log != nullptr) {
      log->info("sweep: point {}/{}: domestic content >= {:.4g}: {} ({})", i + 1, points.size(), points[i],
                solver::ToString(r->status), searched[i] ? "searched" : "the previous point's expansions proven optimal");
    }
    if (r->has_solution) run.proof.pattern.assign(r->opened.begin(), r->opened.end());
    out[i] = {points[i], std::move(*r)};
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
  PlanModel model(scenario, options);
  out.build_seconds = SecondsSince(start);
  start = std::chrono::steady_clock::now();
  out.points.resize(points.size());
  std::vector<uint8_t> searched(points.size(), 1);

  // 1. The anchor: one search (on two cores with workers = 2: no other thread runs yet).
  if (log != nullptr) log->info("sweep: point {}/{}: domestic content >= {:.4g} (searched first)", anchor + 1, points.size(), points[anchor]);
  out.points[anchor] = {points[anchor], model.Solve(log)};
  const PlanResult& first = out.points[anchor].result;

  std::array<Run, 2> runs{Run{&model, {}, {}}, Run{nullptr, {}, {}}};
  for (size_t j = middle + 1; j < by_floor.size(); ++j) runs[0].order.push_back(by_floor[j]);
  for (size_t j = middle; j-- > 0;) runs[1].order.push_back(by_floor[j]);
  const bool parallel = base.workers >= 2 && !runs[1].order.empty();
  std::optional<PlanModel> second;
  if (parallel) second.emplace(model);  // a deep copy, with the anchor's basis
  runs[1].model = parallel ? &*second : &model;

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
      closed[w] = SolveBoxes(*runs[w].model, runs[w].proof, w == 0 ? 0 : half, w == 0 ? half : n, options.relative_gap)
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
                prove ? "closed by their LP bounds: the other points start from them" : "not all closed: every point is searched");
    }
  }

  // 3. The two runs.
  TwoWays(parallel, [&](size_t w) {
    SolveRun(runs[w], points, prove, options.relative_gap, log, out.points, searched);
  });
  out.solve_seconds = SecondsSince(start);
  out.searched_points = static_cast<int32_t>(std::count(searched.begin(), searched.end(), 1));
  return out;
}

}  // namespace rackforge::plan
