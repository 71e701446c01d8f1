// The L-shaped method (multi-cut Benders over scenarios) for the resilient
// plan's two-stage program. Notation: x = the first stage (open[e] and
// make/makec/ship/buy/xfer of weeks < t0, columns of scenario 0's model),
// f_s(x) = the plan cost of scenario s with first stage x and its best
// recourse (an LP for s ≥ 1). The program is min w_0·f_0(x, y_0) + Σ_n w_n·f_n(x).
//
// Master: scenario 0's plan model with every cost × w_0, plus θ_n ≥ 0 with cost
// w_n and cuts θ_n ≥ f_n(x*) + g_n·(x − x*), g_n the reduced costs of the
// fixed first-stage columns in n's recourse LP (a subgradient of f_n: the LP's
// dual stays feasible for every x). θ_n ≥ 0 is valid because every cost and
// every lower bound of the plan model is ≥ 0 (checked). Each round solves the
// master, fixes its x in every recourse LP (warm-started from the previous
// round's basis), adds the violated cuts in scenario order and keeps the best
// feasible point (x, master's y_0, each recourse's y_n). First the master's
// LP relaxation until it converges, then the master MILP; when the MILP's
// bound is not within the gap of the best point, the cuts are refined with the
// binaries fixed at the MILP's choice and the MILP is solved again.

#include <fmt/format.h>
#include <spdlog/logger.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "model/availability.h"
#include "plan/plan_index.h"
#include "plan/resilient_internal.h"
#include "solver/lp_model.h"

namespace rackforge::plan {
namespace {

constexpr double kWiden = 1e-5;       // as the risk LPs (DESIGN.md "Risk")
constexpr double kMinGap = 1e-7;      // relative gap the method proves at least (DESIGN.md: 1e-6)
constexpr int32_t kMaxRounds = 400;   // rounds of recourse LPs before giving up (status time_limit)

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

/// One contingency's recourse LP: the plan model of its scenario without domestic and share
/// rows, open[e] continuous, its first-stage columns fixed at the master's values each round.
struct Recourse {
  int32_t scenario = 0;  // index into cases
  double weight = 0;
  solver::LpModel lp;
  PlanIndex index;
  std::vector<int32_t> first;  // this LP's first-stage columns, in the order of Master::first
  // The last solve.
  solver::Solution solution;
  double widen = 0;
};

struct Master {
  solver::LpModel lp;
  PlanIndex index;
  std::vector<int32_t> first;  // scenario 0's first-stage columns
  std::vector<int32_t> theta;  // per recourse
};

/// The first-stage columns of `ix` (families in WeekDecisionFamilies order, then open[e]),
/// aligned with those of `base`; throws std::logic_error when the layouts differ.
std::vector<int32_t> FirstStageColumns(const PlanIndex& base, const PlanIndex& ix, int32_t t0) {
  const std::vector<const std::vector<int32_t>*> fb = WeekDecisionFamilies(base), fx = WeekDecisionFamilies(ix);
  const size_t weeks = static_cast<size_t>(base.dims.weeks);
  std::vector<int32_t> out;
  auto add = [&](int32_t cb, int32_t cx) {
    if (cb < 0 && cx < 0) return;
    if (cb < 0 || cx < 0) throw std::logic_error("resilient plan: the scenario models have different columns");
    out.push_back(cx);
  };
  for (size_t f = 0; f < fb.size(); ++f) {
    if (fb[f]->size() != fx[f]->size()) throw std::logic_error("resilient plan: the scenario models differ in size");
    for (size_t i = 0; i < fb[f]->size(); ++i) {
      if (static_cast<int32_t>(i % weeks) < t0) add((*fb[f])[i], (*fx[f])[i]);
    }
  }
  for (size_t e = 0; e < base.open.size(); ++e) add(base.open[e], ix.open[e]);
  return out;
}

/// The values of `r` at the first-stage columns of `base`, in FirstStageColumns order.
std::vector<double> FirstStageValues(const PlanIndex& base, const PlanResult& r, int32_t t0) {
  const std::vector<const std::vector<int32_t>*> fb = WeekDecisionFamilies(base);
  const std::vector<const std::vector<double>*> fr = {&r.make, &r.makec, &r.ship, &r.buy, &r.xfer};
  const size_t weeks = static_cast<size_t>(base.dims.weeks);
  std::vector<double> out;
  for (size_t f = 0; f < fb.size(); ++f) {
    for (size_t i = 0; i < fb[f]->size(); ++i) {
      if (static_cast<int32_t>(i % weeks) >= t0 || (*fb[f])[i] < 0) continue;
      out.push_back(i < fr[f]->size() ? (*fr[f])[i] : 0.0);
    }
  }
  for (size_t e = 0; e < base.open.size(); ++e) {
    if (base.open[e] >= 0) out.push_back(r.opened.at(e) ? 1.0 : 0.0);
  }
  return out;
}

/// True when every column of `lp` has cost ≥ 0 and lower bound ≥ 0 (so every objective value is ≥ 0).
bool ObjectiveBoundedByZero(const solver::LpModel& lp) {
  for (int32_t j = 0; j < lp.columns(); ++j) {
    if (lp.objective(j) < 0 || lp.column_lower(j) < 0) return false;
  }
  return true;
}

/// Fixes the recourse's first stage at `x` (widened by w, never below 0) and solves its LP.
void SolveRecourse(Recourse& rc, const std::vector<double>& x, const solver::SolveOptions& so) {
  for (double w : {0.0, kWiden}) {
    for (size_t i = 0; i < rc.first.size(); ++i) {
      const double v = std::max(0.0, x[i]);
      const double lb = std::max(0.0, v - w);
      rc.lp.SetColumnBounds(rc.first[i], lb, std::max(lb, v + w));
    }
    rc.solution = rc.lp.SolveLp(so);
    if (rc.solution.status == solver::SolveStatus::kOptimal) {
      rc.widen = w;
      return;
    }
  }
  throw std::runtime_error(fmt::format(
      "resilient plan: a contingency has no recourse for the first stage it is given (LP {}), even with bounds "
      "widened by 1e-5",
      solver::ToString(rc.solution.status)));
}

/// The cut θ − Σ g_j x_j ≥ f(x*) − Σ g_j x*_j of a solved recourse, x* its own first-stage values.
/// False when the master's θ (`theta_value`) already satisfies it within `tolerance`.
bool AddCut(const Master& m, size_t n, const Recourse& rc, double theta_value, double tolerance,
            solver::RowBlock& rows) {
  const solver::Solution& sol = rc.solution;
  double rhs = sol.objective;
  for (size_t i = 0; i < rc.first.size(); ++i) {
    const double g = sol.reduced_costs[rc.first[i]];
    rhs -= g * sol.primal[rc.first[i]];
  }
  if (sol.objective <= theta_value + tolerance) return false;
  rows.Coef(m.theta[n], 1.0);
  for (size_t i = 0; i < rc.first.size(); ++i) rows.Coef(m.first[i], -sol.reduced_costs[rc.first[i]]);
  rows.End(rhs, solver::kInfinity);
  return true;
}

/// The best feasible point found: the master's solve (scenario 0's columns) and each recourse's.
struct Incumbent {
  bool found = false;
  double cost = std::numeric_limits<double>::infinity();  // w_0·f_0 + Σ w_n·f_n
  solver::Solution master;
  std::vector<solver::Solution> recourse;
};

class LShaped {
 public:
  LShaped(const model::Scenario& s, const PlanOptions& options, const std::vector<ScenarioCase>& cases,
          int32_t threads, LShapedStats& stats, spdlog::logger* log)
      : s_(s), options_(options), cases_(cases), threads_(threads), stats_(stats), log_(log) {}

  /// Builds the master and the recourse LPs; false when the recourse objective may be negative.
  bool Build();
  /// Columns and rows of the master and the recourse LPs together (before any cut).
  void Size(int32_t& columns, int32_t& rows) const {
    columns = master_.lp.columns();
    rows = master_.lp.rows();
    for (const Recourse& rc : recourse_) {
      columns += rc.lp.columns();
      rows += rc.lp.rows();
    }
  }
  /// Runs the method; fills r as SolveLShaped says.
  void Run(ResilientResult& r, std::vector<PlanResult>& ordinary_recourse, std::vector<double>& ordinary_widen);

 private:
  /// The first round, at the ordinary plan's first stage: cuts, and its recourse per scenario.
  void OrdinaryRound(const PlanResult& ordinary, std::vector<PlanResult>& plans, std::vector<double>& widen);
  /// Solves every recourse LP at the first stage x (FirstStageColumns order); returns Σ w_n·f_n.
  double RecourseRound(const std::vector<double>& x);
  double RecourseRound(const solver::Solution& master);
  /// Adds the violated cuts (scenario order); returns how many.
  int32_t AddCuts(const solver::Solution& master);
  double ThetaPart(const solver::Solution& master) const;
  /// True when every open[e] of the master's solution is 0 or 1 (within 1e-9).
  bool IsWhole(const solver::Solution& master) const {
    for (int32_t col : master_.index.open) {
      const double v = master.primal[col];
      if (std::fabs(v - std::round(v)) > 1e-9) return false;
    }
    return true;
  }
  void SetOpenFixed(const std::vector<double>* values);
  bool OutOfTime() const { return options_.time_limit_s > 0 && Seconds(start_) > options_.time_limit_s; }
  double SecondsLeft() const { return options_.time_limit_s > 0 ? std::max(0.01, options_.time_limit_s - Seconds(start_)) : 0; }
  /// One round at a master solution: recourse, incumbent (when its binaries are whole), cuts.
  /// Returns the point's cost.
  double Round(const solver::Solution& master, bool whole);

  const model::Scenario& s_;
  const PlanOptions& options_;
  const std::vector<ScenarioCase>& cases_;
  int32_t threads_;
  LShapedStats& stats_;
  spdlog::logger* log_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  Master master_;
  std::vector<Recourse> recourse_;
  Incumbent best_;
};

bool LShaped::Build() {
  const model::OptionDemandMode mode = options_.option_demand.value_or(s_.policy.option_demand);
  const double domestic_min = options_.domestic_content_min.value_or(s_.policy.domestic_content_min);
  const int32_t t0 = s_.risk_start_week;
  {
    const model::Availability availability(s_, cases_[0].disruptions);
    master_.index = BuildPlanModel(s_, availability, mode, domestic_min, ModelVariant{}, master_.lp);
  }
  master_.first = FirstStageColumns(master_.index, master_.index, t0);
  if (!ObjectiveBoundedByZero(master_.lp)) return false;
  for (size_t k = 1; k < cases_.size(); ++k) {
    if (cases_[k].weight == 0.0) continue;  // no term in the objective: no recourse LP (as the extensive form)
    Recourse& rc = recourse_.emplace_back();
    rc.scenario = static_cast<int32_t>(k);
    rc.weight = cases_[k].weight;
    ModelVariant variant;
    variant.domestic_and_share_rows = false;
    variant.integer_expansions = false;
    const model::Availability availability(s_, cases_[k].disruptions);
    rc.index = BuildPlanModel(s_, availability, mode, domestic_min, variant, rc.lp);
    rc.first = FirstStageColumns(master_.index, rc.index, t0);
    if (!ObjectiveBoundedByZero(rc.lp)) return false;
  }
  const double w0 = cases_[0].weight;
  for (int32_t col = 0; col < master_.lp.columns(); ++col) {
    const double cost = master_.lp.objective(col);
    if (cost != 0.0) master_.lp.SetObjective(col, w0 * cost);
  }
  solver::ColumnBlock theta;
  for (const Recourse& rc : recourse_) theta.Add(0.0, solver::kInfinity, rc.weight);
  const int32_t first = master_.lp.AddColumns(std::move(theta));
  for (size_t n = 0; n < recourse_.size(); ++n) master_.theta.push_back(first + static_cast<int32_t>(n));
  return true;
}

double LShaped::ThetaPart(const solver::Solution& master) const {
  double sum = 0;
  for (size_t n = 0; n < recourse_.size(); ++n) sum += recourse_[n].weight * master.primal[master_.theta[n]];
  return sum;
}

double LShaped::RecourseRound(const solver::Solution& master) {
  std::vector<double> x(master_.first.size());
  for (size_t i = 0; i < x.size(); ++i) x[i] = master.primal[master_.first[i]];
  return RecourseRound(x);
}

void LShaped::OrdinaryRound(const PlanResult& ordinary, std::vector<PlanResult>& plans, std::vector<double>& widen) {
  const std::vector<double> x = FirstStageValues(master_.index, ordinary, s_.risk_start_week);
  if (x.size() != master_.first.size()) throw std::logic_error("resilient plan: the ordinary plan's first stage differs");
  RecourseRound(x);
  plans.assign(cases_.size(), PlanResult{});
  widen.assign(cases_.size(), 0.0);
  for (const Recourse& rc : recourse_) {
    PlanResult& p = plans[rc.scenario];
    p.status = rc.solution.status;
    p.has_solution = true;
    p.objective_usd = rc.solution.objective;
    ExtractValues(s_, rc.index, rc.solution.primal, p);
    widen[rc.scenario] = rc.widen;
  }
  solver::Solution none;  // no master yet: every cut is added
  none.primal.assign(master_.lp.columns(), -std::numeric_limits<double>::infinity());
  const int32_t added = AddCuts(none);
  if (log_ != nullptr) {
    log_->debug("resilient plan (L-shaped): round 1 at the ordinary plan's first stage: {} cuts ({:.3f} s)", added,
                Seconds(start_));
  }
}

double LShaped::RecourseRound(const std::vector<double>& x) {
  const auto start = std::chrono::steady_clock::now();
  const solver::SolveOptions so{0.0, options_.relative_gap, nullptr, 1};
  ParallelFor(static_cast<int32_t>(recourse_.size()), threads_,
              [&](int32_t n) { SolveRecourse(recourse_[n], x, so); });
  stats_.recourse_seconds += Seconds(start);
  ++stats_.iterations;
  double sum = 0;
  for (const Recourse& rc : recourse_) sum += rc.weight * rc.solution.objective;
  return sum;
}

int32_t LShaped::AddCuts(const solver::Solution& master) {
  solver::RowBlock rows;
  int32_t added = 0;
  for (size_t n = 0; n < recourse_.size(); ++n) {
    const double f = recourse_[n].solution.objective;
    const double tolerance = 1e-9 * std::max(1.0, std::fabs(f));
    if (AddCut(master_, n, recourse_[n], master.primal[master_.theta[n]], tolerance, rows)) ++added;
  }
  if (added > 0) master_.lp.AddRows(std::move(rows));
  stats_.cuts += added;
  return added;
}

void LShaped::SetOpenFixed(const std::vector<double>* values) {
  for (int32_t col : master_.index.open) {
    if (values == nullptr) {
      master_.lp.SetColumnBounds(col, 0.0, 1.0);
    } else {
      const double v = std::round((*values)[col]);
      master_.lp.SetColumnBounds(col, v, v);
    }
  }
}

double LShaped::Round(const solver::Solution& master, bool whole) {
  const double cost = master.objective - ThetaPart(master) + RecourseRound(master);
  if (whole && cost < best_.cost) {
    best_.found = true;
    best_.cost = cost;
    best_.master = master;
    best_.recourse.clear();
    for (const Recourse& rc : recourse_) best_.recourse.push_back(rc.solution);
  }
  const int32_t added = AddCuts(master);
  if (log_ != nullptr) {
    log_->debug("resilient plan (L-shaped): round {}: master {:.9e}, point {:.9e}{}, {} cuts added ({:.3f} s)",
                stats_.iterations, master.objective, cost, whole ? " (whole)" : "", added, Seconds(start_));
  }
  return cost;
}

void LShaped::Run(ResilientResult& r, std::vector<PlanResult>& ordinary_recourse, std::vector<double>& ordinary_widen) {
  OrdinaryRound(r.ordinary, ordinary_recourse, ordinary_widen);
  PlanResult& p = r.plan;
  p.weeks = s_.horizon_weeks;
  p.designs = static_cast<int32_t>(s_.designs.size());
  const double gap = std::max(options_.relative_gap, kMinGap);
  auto converged = [&](double upper, double lower) { return upper - lower <= gap * std::max(1.0, std::fabs(upper)); };
  auto converged_half = [&](double upper, double lower) {
    return upper - lower <= 0.5 * gap * std::max(1.0, std::fabs(upper));
  };
  auto solve_lp = [&]() {
    const auto t = std::chrono::steady_clock::now();
    solver::Solution sol = master_.lp.SolveLp({SecondsLeft(), options_.relative_gap, nullptr, 1});
    stats_.master_seconds += Seconds(t);
    return sol;
  };
  double lower = -std::numeric_limits<double>::infinity();
  solver::SolveStatus status = solver::SolveStatus::kOptimal;
  // Refines the cuts by LP rounds until the LP's bound meets its best point (binaries free, or
  // fixed when `fixed` is given). Returns false when the master LP fails (status set).
  auto lp_rounds = [&](const std::vector<double>* fixed) {
    SetOpenFixed(fixed);
    for (;;) {
      if (OutOfTime() || stats_.iterations >= kMaxRounds) {
        status = solver::SolveStatus::kTimeLimit;
        return false;
      }
      const solver::Solution sol = solve_lp();
      if (sol.status != solver::SolveStatus::kOptimal) {
        status = sol.status;
        return false;
      }
      const double cost = Round(sol, IsWhole(sol));
      // With the binaries fixed, half the gap: the MILP that follows may lose up to a tenth.
      if (fixed != nullptr ? converged_half(cost, sol.objective) : converged(cost, sol.objective)) break;
    }
    SetOpenFixed(nullptr);
    return true;
  };
  bool ok = lp_rounds(nullptr);
  std::vector<double> last_open;
  while (ok) {
    if (OutOfTime()) {
      status = solver::SolveStatus::kTimeLimit;
      break;
    }
    const auto t = std::chrono::steady_clock::now();
    const solver::Solution milp =
        master_.lp.SolveMilp({SecondsLeft(), gap / 10, log_, options_.workers});
    stats_.master_seconds += Seconds(t);
    ++stats_.milp_solves;
    if (!milp.has_solution) {
      status = milp.status;
      break;
    }
    lower = std::max(lower, milp.best_bound);
    Round(milp, true);
    if (log_ != nullptr) {
      log_->info("resilient plan (L-shaped): MILP {}: bound {:.6f}, best point {:.6f}, {} rounds, {} cuts",
                 stats_.milp_solves, lower, best_.cost, stats_.iterations, stats_.cuts);
    }
    if (milp.status != solver::SolveStatus::kOptimal) {
      status = milp.status;
      break;
    }
    if (converged(best_.cost, lower)) break;
    ok = lp_rounds(&milp.primal);
  }
  if (!best_.found) {
    p.status = status == solver::SolveStatus::kOptimal ? solver::SolveStatus::kError : status;
    return;
  }
  p.status = status;
  p.has_solution = true;
  const double upper = best_.cost;
  p.gap = std::max(0.0, (upper - lower) / std::max(1e-10, std::fabs(upper)));
  if (p.status == solver::SolveStatus::kOptimal && p.gap <= 1e-9) p.gap = 0;
  r.expected_cost_usd = upper;
  FinishNominalPlan(s_, options_, master_.index, best_.master.primal, best_.master.row_duals, p);
  for (size_t n = 0; n < recourse_.size(); ++n) {
    PlanResult x;
    ExtractValues(s_, recourse_[n].index, best_.recourse[n].primal, x);
    Contingency& c = r.contingencies[recourse_[n].scenario - 1];
    c.cost_resilient_usd = x.cost.total();
    c.backlog_rack_weeks_resilient = TotalBacklog(x);
  }
}

}  // namespace

bool SolveLShaped(const model::Scenario& s, const PlanOptions& options, const std::vector<ScenarioCase>& cases,
                  int32_t threads, ResilientResult& r, std::vector<PlanResult>& ordinary_recourse,
                  std::vector<double>& ordinary_widen, LShapedStats& stats, spdlog::logger* log) {
  const auto start = std::chrono::steady_clock::now();
  LShaped method(s, options, cases, threads, stats, log);
  if (!method.Build()) return false;
  method.Size(r.columns, r.rows);
  r.build_seconds = Seconds(start);
  const auto solve_start = std::chrono::steady_clock::now();
  method.Run(r, ordinary_recourse, ordinary_widen);
  r.solve_seconds = Seconds(solve_start);
  if (log != nullptr) {
    log->info(
        "resilient plan (L-shaped): {} in {:.3f} s: {} rounds of {} recourse LPs ({:.3f} s), {} master MILPs, {} cuts, "
        "master {:.3f} s",
        solver::Describe(r.plan.status, r.plan.gap, r.plan.has_solution), r.solve_seconds, stats.iterations, r.contingencies.size(),
        stats.recourse_seconds, stats.milp_solves, stats.cuts, stats.master_seconds);
  }
  return true;
}

}  // namespace rackforge::plan
