// The two-stage program of DESIGN.md "Resilient plan": K + 1 copies of the plan
// model (the plan builder, each with its scenario's availability) in one solver
// model, the first-stage columns of every copy tied to copy 0's by equality
// rows, each copy's objective scaled by its weight. With the links the
// first-stage terms sum to w_0 + Σ w_n = 1 times their cost: counted once.

#include "plan/resilient.h"

#include <fmt/format.h>
#include <spdlog/logger.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <stdexcept>
#include <thread>

#include "common/errors.h"
#include "model/availability.h"
#include "plan/plan_index.h"
#include "plan/plan_model.h"
#include "plan/resilient_internal.h"
#include "solver/lp_model.h"

namespace rackforge::plan {
namespace {

constexpr double kWiden = 1e-5;        // as the risk LPs (DESIGN.md "Risk")
constexpr double kStockChange = 1e-6;  // smallest stock difference reported
constexpr bool kLinkStates = false;    // also link inv/back/cinv of weeks < t0 (WeekStateFamilies): docs/model.md

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

/// The state families (inventories and backlog by week): before t0 they follow from the first
/// stage through the balance rows and are the same in every scenario (the outages start at t0),
/// so linking them too is valid and lets presolve drop the copies' weeks before t0.
std::vector<const std::vector<int32_t>*> WeekStateFamilies(const PlanIndex& ix) {
  return {&ix.inv, &ix.back, &ix.cinv};
}

std::vector<ScenarioCase> MakeCases(const model::Scenario& s, const PlanOptions& options,
                                    const std::vector<Contingency>& contingencies, double w0) {
  const std::vector<model::Disruption>& own = options.disruptions ? *options.disruptions : s.disruptions;
  std::vector<ScenarioCase> cases;
  cases.push_back({own, w0});
  for (const Contingency& c : contingencies) {
    ScenarioCase x{own, c.weight};
    if (c.recovery_weeks > 0) x.disruptions.push_back({c.node, s.risk_start_week, c.recovery_weeks, 1.0});
    cases.push_back(std::move(x));
  }
  return cases;
}

/// The built two-stage model: copy j (scenario cases[scenario[j]]) occupies columns
/// [first_col[j], first_col[j+1]). Scenarios of weight 0 get no copy: their objective term is 0
/// and every first stage has a recourse in them (backlog absorbs the outage), so they change nothing.
struct TwoStage {
  solver::LpModel lp;
  std::vector<int32_t> scenario;
  std::vector<PlanIndex> copies;
  std::vector<int32_t> first_col;
};

/// Equality rows x_s − x_0 = 0 for every first-stage column of copy s.
void LinkFirstStage(const PlanIndex& base, const PlanIndex& copy, int32_t t0, solver::RowBlock& rows) {
  std::vector<const std::vector<int32_t>*> fb = WeekDecisionFamilies(base);
  std::vector<const std::vector<int32_t>*> fc = WeekDecisionFamilies(copy);
  if (kLinkStates) {
    for (const std::vector<int32_t>* f : WeekStateFamilies(base)) fb.push_back(f);
    for (const std::vector<int32_t>* f : WeekStateFamilies(copy)) fc.push_back(f);
  }
  const size_t weeks = static_cast<size_t>(base.dims.weeks);
  auto link = [&](int32_t c0, int32_t cs) {
    if (c0 < 0 && cs < 0) return;
    if (c0 < 0 || cs < 0) throw std::logic_error("resilient plan: the scenario copies have different columns");
    rows.Coef(cs, 1.0);
    rows.Coef(c0, -1.0);
    rows.End(0.0, 0.0);
  };
  for (size_t f = 0; f < fb.size(); ++f) {
    if (fb[f]->size() != fc[f]->size()) throw std::logic_error("resilient plan: the scenario copies differ in size");
    for (size_t i = 0; i < fb[f]->size(); ++i) {
      if (static_cast<int32_t>(i % weeks) < t0) link((*fb[f])[i], (*fc[f])[i]);
    }
  }
  for (size_t e = 0; e < base.open.size(); ++e) link(base.open[e], copy.open[e]);
}

void BuildTwoStage(const model::Scenario& s, const PlanOptions& options, const std::vector<ScenarioCase>& cases,
                   TwoStage& ts) {
  const model::OptionDemandMode mode = options.option_demand.value_or(s.policy.option_demand);
  const double domestic_min = options.domestic_content_min.value_or(s.policy.domestic_content_min);
  for (size_t k = 0; k < cases.size(); ++k) {
    if (k > 0 && cases[k].weight == 0.0) continue;
    ModelVariant variant;
    variant.domestic_and_share_rows = k == 0;  // contingencies: every row but domestic and share
    variant.integer_expansions = k == 0;       // the copies' open[e] equal copy 0's by the links
    const model::Availability availability(s, cases[k].disruptions);
    ts.scenario.push_back(static_cast<int32_t>(k));
    ts.first_col.push_back(ts.lp.columns());
    ts.copies.push_back(BuildPlanModel(s, availability, mode, domestic_min, variant, ts.lp));
  }
  ts.first_col.push_back(ts.lp.columns());
  for (size_t j = 0; j < ts.copies.size(); ++j) {
    const double weight = cases[ts.scenario[j]].weight;
    for (int32_t col = ts.first_col[j]; col < ts.first_col[j + 1]; ++col) {
      const double cost = ts.lp.objective(col);
      if (cost != 0.0) ts.lp.SetObjective(col, weight * cost);
    }
  }
  solver::RowBlock links;
  for (size_t j = 1; j < ts.copies.size(); ++j) LinkFirstStage(ts.copies[0], ts.copies[j], s.risk_start_week, links);
  if (links.size() > 0) ts.lp.AddRows(std::move(links));
}


/// Scenario k's plan under the first stage of `first` (fixed, widened when exact fixing is
/// infeasible) with its best recourse: an LP. Sets `widen` to the widening used.
PlanResult BestRecourse(const model::Scenario& s, const PlanOptions& options, const ScenarioCase& c, bool nominal,
                        const PlanResult& first, double& widen) {
  PlanOptions o = options;
  o.disruptions = c.disruptions;
  o.bottlenecks = false;
  o.write_mps_path.clear();
  ModelVariant variant;
  variant.domestic_and_share_rows = nominal;
  variant.integer_expansions = false;
  PlanModel model(s, o, variant);
  PlanResult r;
  for (double w : {0.0, kWiden}) {
    model.FixBefore(first, s.risk_start_week, w);
    r = model.Solve();
    if (r.status == solver::SolveStatus::kOptimal && r.has_solution) {
      widen = w;
      return r;
    }
  }
  throw std::runtime_error(
      fmt::format("resilient plan: scenario {} has no recourse for the first stage it is "
                  "given (LP {}), even with bounds widened by 1e-5",
                  nominal ? "0" : "of a contingency", solver::ToString(r.status)));
}

void CompareStock(const model::Scenario& s, const PlanResult& res, const PlanResult& ord, int32_t t0,
                  std::vector<StockChange>& out) {
  if (t0 <= 0) return;
  const int32_t t = t0 - 1;
  for (size_t p = 0; p < s.plants.size(); ++p) {
    for (size_t c = 0; c < s.components.size(); ++c) {
      const size_t i = res.CinvIndex(static_cast<int32_t>(c), static_cast<int32_t>(p), t);
      if (std::abs(res.cinv[i] - ord.cinv[i]) > kStockChange) {
        out.push_back({s.plants[p].id, s.components[c].id, false, res.cinv[i], ord.cinv[i]});
      }
    }
    for (int32_t g = 0; g < res.designs; ++g) {
      const size_t i = res.InvIndex(static_cast<int32_t>(p), g, t);
      if (std::abs(res.inv[i] - ord.inv[i]) > kStockChange) {
        out.push_back({s.plants[p].id, s.designs[g].id, true, res.inv[i], ord.inv[i]});
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const StockChange& a, const StockChange& b) {
    return std::abs(a.units_resilient - a.units_ordinary) > std::abs(b.units_resilient - b.units_ordinary);
  });
}

void CompareExpansions(const model::Scenario& s, ResilientResult& r) {
  for (size_t e = 0; e < s.expansions.size(); ++e) {
    const bool res = r.plan.opened.at(e) != 0, ord = r.ordinary.opened.at(e) != 0;
    if (res && !ord) r.expansions_added.push_back(s.expansions[e].id);
    if (ord && !res) r.expansions_dropped.push_back(s.expansions[e].id);
  }
}

std::vector<Contingency> WeighContingencies(const model::Scenario& s, const std::vector<model::NodeRef>& nodes,
                                            double& w0) {
  const int32_t t0 = s.risk_start_week;
  std::vector<Contingency> out;
  double sum = 0;
  for (const model::NodeRef& node : nodes) {
    Contingency c;
    c.node = node;
    c.name = model::NodeName(s, node);
    c.recovery_weeks = std::min(model::NodeRecoveryWeeks(s, node), s.horizon_weeks - t0);
    c.outage_prob_per_week = model::NodeOutageProbPerWeek(s, node);
    c.probability = 1.0 - std::pow(1.0 - c.outage_prob_per_week, s.horizon_weeks - t0);
    sum += c.probability;
    out.push_back(c);
  }
  w0 = 1.0 / (1.0 + sum);
  for (Contingency& c : out) c.weight = c.probability / (1.0 + sum);
  return out;
}

/// kAuto is the extensive form: the L-shaped method was slower on every case measured
/// (docs/model.md "Resilient plan").
bool UseLShaped(const ResilientOptions& resilient) { return resilient.method == ResilientMethod::kLShaped; }

void CheckStartWeek(const model::Scenario& s) {
  if (s.risk_start_week < 0 || s.risk_start_week >= s.horizon_weeks) {
    throw common::UsageError(fmt::format("risk.start_week: {} is outside 0..{}", s.risk_start_week, s.horizon_weeks - 1));
  }
}

/// Solves the two-stage model and fills r.plan and the contingencies' resilient figures.
void SolveTwoStage(const model::Scenario& s, const PlanOptions& options, const std::vector<ScenarioCase>& cases,
                   ResilientResult& r, spdlog::logger* log) {
  const auto start = std::chrono::steady_clock::now();
  TwoStage ts;
  BuildTwoStage(s, options, cases, ts);
  r.columns = ts.lp.columns();
  r.rows = ts.lp.rows();
  r.build_seconds = Seconds(start);
  if (log != nullptr) {
    log->info("resilient plan: {} scenarios ({} of weight > 0), {} columns, {} rows, built in {:.3f} s", cases.size(),
              ts.copies.size(), r.columns, r.rows, r.build_seconds);
  }
  if (!options.write_mps_path.empty()) ts.lp.WriteMps(options.write_mps_path);
  const auto solve_start = std::chrono::steady_clock::now();
  const solver::Solution sol = ts.lp.SolveMilp({options.time_limit_s, options.relative_gap, log, options.workers});
  r.solve_seconds = Seconds(solve_start);
  if (log != nullptr) {
    log->info("resilient plan: solved in {:.3f} s: {}", r.solve_seconds,
              solver::Describe(sol.status, sol.relative_gap, sol.has_solution));
  }
  PlanResult& p = r.plan;
  p.status = sol.status;
  p.gap = sol.relative_gap;
  p.weeks = s.horizon_weeks;
  p.designs = static_cast<int32_t>(s.designs.size());
  if (!sol.has_solution) return;
  p.has_solution = true;
  FinishNominalPlan(s, options, ts.copies[0], sol.primal, sol.row_duals, p);
  r.expected_cost_usd = sol.objective;
  for (size_t j = 1; j < ts.copies.size(); ++j) {
    PlanResult x;
    ExtractValues(s, ts.copies[j], sol.primal, x);
    Contingency& c = r.contingencies[ts.scenario[j] - 1];
    c.cost_resilient_usd = x.cost.total();
    c.backlog_rack_weeks_resilient = TotalBacklog(x);
  }
}

}  // namespace

double TotalBacklog(const PlanResult& r) {
  double total = 0;
  for (double v : r.back) total += v;
  return total;
}

void FinishNominalPlan(const model::Scenario& s, const PlanOptions& options, const PlanIndex& index,
                       const std::vector<double>& primal, const std::vector<double>& row_duals, PlanResult& p) {
  ExtractValues(s, index, primal, p);
  p.objective_usd = p.cost.total();
  if (options.bottlenecks) {
    const double domestic_min = options.domestic_content_min.value_or(s.policy.domestic_content_min);
    AnalyzeBottlenecks(s, index, row_duals, domestic_min, p);
  }
  const model::OptionDemandMode mode = options.option_demand.value_or(s.policy.option_demand);
  p.pegging = PegShipments(s, mode, p.weeks, p.ship);
  p.promise = SummarizePegging(p.pegging);
  AddPromisesToLateDemand(s, p);
}

ResilientMethod ParseResilientMethod(const std::string& text) {
  if (text == "auto") return ResilientMethod::kAuto;
  if (text == "extensive") return ResilientMethod::kExtensive;
  if (text == "lshaped") return ResilientMethod::kLShaped;
  throw common::UsageError(fmt::format("--resilient-method: '{}' is not one of auto, extensive, lshaped", text));
}

const char* ToString(ResilientMethod method) {
  switch (method) {
    case ResilientMethod::kAuto: return "auto";
    case ResilientMethod::kExtensive: return "extensive";
    case ResilientMethod::kLShaped: return "lshaped";
  }
  return "?";
}

ResilientResult SolveResilient(const model::Scenario& s, const PlanOptions& options, const ResilientOptions& resilient,
                               spdlog::logger* log) {
  CheckStartWeek(s);
  ResilientResult r;
  r.start_week = s.risk_start_week;
  PlanOptions ordinary_options = options;
  ordinary_options.write_mps_path.clear();
  ordinary_options.bottlenecks = false;
  // The two-stage program is continuous: so is the plan it is compared with (docs/model.md).
  ordinary_options.quantities = model::Quantities::kContinuous;
  r.ordinary = SolvePlan(s, ordinary_options, log);
  if (resilient.progress) resilient.progress(0.2);
  // The names are checked before the long solve (the ordinary plan's expansions decide `lines`).
  const std::vector<model::NodeRef> nodes = ResolveContingencies(s, r.ordinary, resilient.contingencies);
  r.contingencies = WeighContingencies(s, nodes, r.weight_nominal);
  if (!r.ordinary.has_solution) {
    r.plan.status = r.ordinary.status;
    r.plan.weeks = s.horizon_weeks;
    r.plan.designs = static_cast<int32_t>(s.designs.size());
    return r;
  }
  const std::vector<ScenarioCase> cases = MakeCases(s, options, r.contingencies, r.weight_nominal);
  bool decomposed = false;
  // The ordinary plan's first stage with each scenario's best recourse (VSS) and its backlog;
  // the L-shaped method's first round gives those of the scenarios it has recourse LPs for.
  std::vector<PlanResult> recourse(cases.size());
  std::vector<double> widen(cases.size(), 0.0);
  if (UseLShaped(resilient)) {
    LShapedStats stats;
    decomposed = SolveLShaped(s, options, cases, resilient.threads, r, recourse, widen, stats, log);
    if (!decomposed && log != nullptr) log->info("resilient plan: a negative cost: the extensive form instead");
  }
  r.method = decomposed ? ResilientMethod::kLShaped : ResilientMethod::kExtensive;
  if (!decomposed) SolveTwoStage(s, options, cases, r, log);
  if (!r.plan.has_solution) return r;
  if (resilient.progress) resilient.progress(0.8);

  std::vector<int32_t> missing;  // scenarios whose best recourse to the ordinary first stage is still to solve
  for (size_t k = 0; k < cases.size(); ++k) {
    if (!recourse[k].has_solution) missing.push_back(static_cast<int32_t>(k));
  }
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  ParallelFor(static_cast<int32_t>(missing.size()), resilient.threads, [&](int32_t i) {
    const int32_t k = missing[i];
    recourse[k] = BestRecourse(s, options, cases[k], k == 0, r.ordinary, widen[k]);
  });
  if (log != nullptr) {
    log->info("resilient plan: {} recourse LPs in {:.3f} s ({:.3f} s CPU, all threads)", missing.size(), Seconds(start),
              static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
  }
  // A contingency of weight 0 (p_n = 0) has no copy in the two-stage model: its figures come
  // from its best recourse to the resilient first stage.
  std::vector<int32_t> unweighted;
  for (size_t k = 1; k < cases.size(); ++k) {
    if (cases[k].weight == 0.0) unweighted.push_back(static_cast<int32_t>(k));
  }
  std::vector<PlanResult> zero(unweighted.size());
  std::vector<double> zero_widen(unweighted.size(), 0.0);
  ParallelFor(static_cast<int32_t>(unweighted.size()), resilient.threads, [&](int32_t i) {
    zero[i] = BestRecourse(s, options, cases[unweighted[i]], false, r.plan, zero_widen[i]);
  });
  for (size_t i = 0; i < unweighted.size(); ++i) {
    Contingency& c = r.contingencies[unweighted[i] - 1];
    c.cost_resilient_usd = zero[i].objective_usd;
    c.backlog_rack_weeks_resilient = TotalBacklog(zero[i]);
  }
  r.ordinary_expected_cost_usd = 0;
  for (size_t k = 0; k < cases.size(); ++k) {
    r.ordinary_expected_cost_usd += cases[k].weight * recourse[k].objective_usd;
    r.vss_fix_widen = std::max(r.vss_fix_widen, widen[k]);
    if (k == 0) continue;
    r.contingencies[k - 1].cost_ordinary_usd = recourse[k].objective_usd;
    r.contingencies[k - 1].backlog_rack_weeks_ordinary = TotalBacklog(recourse[k]);
  }
  r.price_of_resilience_usd = r.plan.objective_usd - r.ordinary.objective_usd;
  r.vss_usd = r.ordinary_expected_cost_usd - r.expected_cost_usd;
  r.has_figures = true;
  CompareExpansions(s, r);
  CompareStock(s, r.plan, r.ordinary, r.start_week, r.stock_changes);
  return r;
}

}  // namespace rackforge::plan
