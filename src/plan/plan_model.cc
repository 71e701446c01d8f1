#include "plan/plan_model.h"

#include <fmt/format.h>
#include <spdlog/logger.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "common/errors.h"
#include "model/availability.h"
#include "plan/baseline_model.h"
#include "plan/plan_index.h"
#include "plan/whole.h"
#include "solver/lp_model.h"

namespace rackforge::plan {
namespace {

void CheckIndex(int32_t index, size_t size, const char* what, size_t position) {
  if (index < 0 || static_cast<size_t>(index) >= size) {
    throw common::UsageError(fmt::format("disruptions[{}]: {} index {} does not exist", position, what, index));
  }
}

/// Throws common::UsageError naming the option and its bad value.
void ValidateOptions(const model::Scenario& s, const PlanOptions& o) {
  if (o.domestic_content_min && !(*o.domestic_content_min >= 0.0 && *o.domestic_content_min <= 1.0)) {
    throw common::UsageError(fmt::format("domestic_content_min: {} is outside 0..1", *o.domestic_content_min));
  }
  if (!(o.relative_gap >= 0.0)) throw common::UsageError(fmt::format("gap: {} must be >= 0", o.relative_gap));
  if (!(o.time_limit_s >= 0.0)) throw common::UsageError(fmt::format("time_limit: {} must be >= 0 seconds", o.time_limit_s));
  if (s.horizon_weeks <= 0) throw common::UsageError(fmt::format("horizon_weeks: {} must be positive", s.horizon_weeks));
  if (!o.disruptions) return;
  for (size_t i = 0; i < o.disruptions->size(); ++i) {
    const model::Disruption& d = (*o.disruptions)[i];
    switch (d.node.kind) {
      case model::NodeKind::kPlant: CheckIndex(d.node.index, s.plants.size(), "plant", i); break;
      case model::NodeKind::kLine: CheckIndex(d.node.index, s.lines.size(), "line", i); break;
      case model::NodeKind::kSupplier: CheckIndex(d.node.index, s.suppliers.size(), "supplier", i); break;
      case model::NodeKind::kComponentLine:
        CheckIndex(d.node.index, s.component_lines.size(), "component line", i);
        break;
    }
    if (!(d.capacity_loss >= 0.0 && d.capacity_loss <= 1.0)) {
      throw common::UsageError(fmt::format("disruptions[{}].capacity_loss: {} is outside 0..1", i, d.capacity_loss));
    }
  }
}

}  // namespace

struct PlanModel::Impl {
  std::shared_ptr<const model::Scenario> scenario;  // immutable, shared by copies
  PlanOptions options;
  ModelVariant variant;
  double domestic_min = 0;
  solver::LpModel lp;
  PlanIndex index;
  std::optional<BaselineCells> baseline;  // frozen and penalised cells (options.baseline)
  bool baseline_widened = false;          // frozen bounds widened after an infeasible solve
  solver::LpMethod cold_lp = solver::LpMethod::kAutomatic;  // how Solve runs an LP from no basis
  std::vector<std::pair<int32_t, double>> outage_saved;  // (column, upper bound before the outage)

  void SetUpperBound(int32_t col) {
    if (col < 0) return;
    outage_saved.push_back({col, lp.column_upper(col)});
    lp.SetColumnBounds(col, lp.column_lower(col), 0.0);
  }
  void ZeroMake(int32_t line, int32_t from, int32_t to) {
    for (int32_t g : scenario->lines[line].designs) {
      for (int32_t t = from; t < to; ++t) SetUpperBound(index.make[index.dims.Make(line, g, t)]);
    }
  }
  void ZeroMakec(int32_t cline, int32_t from, int32_t to) {
    for (int32_t c : scenario->component_lines[cline].components) {
      for (int32_t t = from; t < to; ++t) SetUpperBound(index.makec[index.dims.Makec(cline, c, t)]);
    }
  }
};

PlanModel::PlanModel(const model::Scenario& scenario, const PlanOptions& options, ModelVariant variant)
    : impl_(std::make_unique<Impl>()) {
  ValidateOptions(scenario, options);
  Impl& m = *impl_;
  m.scenario = std::make_shared<const model::Scenario>(scenario);
  m.options = options;
  m.variant = variant;
  m.domestic_min = options.domestic_content_min.value_or(scenario.policy.domestic_content_min);
  const model::Availability availability(scenario, options.disruptions.value_or(scenario.disruptions));
  const model::OptionDemandMode mode = options.option_demand.value_or(scenario.policy.option_demand);
  m.index = BuildPlanModel(scenario, availability, mode, m.domestic_min, variant, m.lp);
  if (options.baseline) m.baseline = ApplyBaseline(scenario, m.index, *options.baseline, m.lp);
}

PlanModel::~PlanModel() = default;

PlanModel::PlanModel(const PlanModel& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}

PlanResult PlanModel::Solve(spdlog::logger* log) {
  Impl& m = *impl_;
  solver::SolveOptions so{m.options.time_limit_s, m.options.relative_gap, log, m.options.workers};
  so.cold_lp = m.cold_lp;
  const auto start = std::chrono::steady_clock::now();
  solver::Solution sol = m.lp.SolveMilp(so);
  if (m.baseline && !m.baseline_widened && sol.status == solver::SolveStatus::kInfeasible) {
    WidenFrozenBounds(*m.baseline, m.lp);  // the stored values may hold the rows only within tolerance
    m.baseline_widened = true;
    sol = m.lp.SolveMilp(so);
  }
  PlanResult r;
  r.status = sol.status;
  r.weeks = m.index.dims.weeks;
  r.designs = m.index.dims.designs;
  r.plants = m.index.dims.plants;
  r.components = m.index.dims.components;
  r.gap = sol.relative_gap;
  if (log != nullptr) {
    log->info("plan: solved in {:.3f} s: {}",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
              solver::Describe(sol.status, sol.relative_gap, sol.has_solution));
  }
  if (!sol.has_solution) {
    if (m.baseline) {
      r.baseline = ReportBaseline(*m.scenario, *m.options.baseline, *m.baseline, r);
      if (sol.status == solver::SolveStatus::kInfeasible) {
        r.baseline->conflicts = DiagnoseFrozenConflicts(*m.scenario, m.index, *m.baseline, m.lp, so);
      }
    }
    return r;
  }
  r.has_solution = true;
  r.objective_usd = sol.objective;
  ExtractValues(*m.scenario, m.index, sol.primal, r);
  if (m.baseline) r.baseline = ReportBaseline(*m.scenario, *m.options.baseline, *m.baseline, r);
  if (m.options.bottlenecks && m.variant.objective == ModelVariant::Objective::kCost) {
    AnalyzeBottlenecks(*m.scenario, m.index, sol.row_duals, m.domestic_min, r);
  }
  return r;
}

PlanResult PlanModel::SolveWhole(spdlog::logger* log) {
  Impl& m = *impl_;
  const model::Availability availability(*m.scenario, m.options.disruptions.value_or(m.scenario->disruptions));
  const WholeInputs in{*m.scenario, availability, m.options, m.index, m.domestic_min,
                       m.options.option_demand.value_or(m.scenario->policy.option_demand)};
  PlanResult r = SolveWholeQuantities(in, m.lp, log);
  if (m.baseline && !m.baseline_widened && r.status == solver::SolveStatus::kInfeasible) {
    WidenFrozenBounds(*m.baseline, m.lp);  // as Solve: the stored values may hold the rows only within tolerance
    m.baseline_widened = true;
    r = SolveWholeQuantities(in, m.lp, log);
  }
  if (m.baseline) {
    // The re-plan's report (racks_moved, dropped ids) as for continuous quantities; the conflicts
    // of a frozen window that cannot be met come from the continuous model, as in Solve.
    r.baseline = ReportBaseline(*m.scenario, *m.options.baseline, *m.baseline, r);
    if (r.has_solution) {  // plan_changes (the change penalty of the whole make) is part of the objective
      r.objective_usd = r.cost.total();
      r.whole_gap = r.objective_usd != 0.0 ? (r.objective_usd - r.continuous_bound_usd) / std::fabs(r.objective_usd) : 0.0;
    }
    if (!r.has_solution && r.status == solver::SolveStatus::kInfeasible) {
      const solver::SolveOptions so{m.options.time_limit_s, m.options.relative_gap, log, m.options.workers};
      r.baseline->conflicts = DiagnoseFrozenConflicts(*m.scenario, m.index, *m.baseline, m.lp, so);
    }
  }
  return r;
}

void PlanModel::SetDomesticContentMin(double share) {
  if (!(share >= 0.0 && share <= 1.0)) throw common::UsageError(fmt::format("domestic_content_min: {} is outside 0..1", share));
  Impl& m = *impl_;
  m.domestic_min = share;
  if (m.index.domestic_row < 0) return;
  const model::Scenario& s = *m.scenario;
  for (size_t o = 0; o < s.offers.size(); ++o) {
    const int32_t col = m.index.bought[o];
    if (col >= 0) m.lp.SetCoefficient(m.index.domestic_row, col, DomesticCoefficient(s, static_cast<int32_t>(o), share));
  }
  if (m.index.in_house_value >= 0) {
    m.lp.SetCoefficient(m.index.domestic_row, m.index.in_house_value, InHouseDomesticCoefficient(share));
  }
}

void PlanModel::FixBefore(const PlanResult& baseline, int32_t t0, double widen) {
  Impl& m = *impl_;
  const Dims& dims = m.index.dims;
  auto fix = [&](const std::vector<int32_t>& cols, const std::vector<double>& values) {
    for (size_t i = 0; i < cols.size(); ++i) {
      if (cols[i] < 0 || static_cast<int32_t>(i % dims.weeks) >= t0) continue;
      const double v = i < values.size() ? values[i] : 0.0;  // a hand-built baseline may leave a family empty
      const double lb = std::max(0.0, v - widen);
      m.lp.SetColumnBounds(cols[i], lb, std::max(lb, v + widen));
    }
  };
  fix(m.index.make, baseline.make);
  fix(m.index.makec, baseline.makec);
  fix(m.index.ship, baseline.ship);
  fix(m.index.buy, baseline.buy);
  fix(m.index.xfer, baseline.xfer);  // by departure week
  for (size_t e = 0; e < m.index.open.size(); ++e) {
    const double v = baseline.opened.at(e) ? 1.0 : 0.0;
    m.lp.SetColumnBounds(m.index.open[e], v, v);
  }
}

void PlanModel::SetOutage(model::NodeRef node, int32_t from_week, int32_t to_week) {
  Impl& m = *impl_;
  const model::Scenario& s = *m.scenario;
  const int32_t from = std::max(0, from_week);
  const int32_t to = std::min(m.index.dims.weeks, to_week);
  switch (node.kind) {
    case model::NodeKind::kLine: m.ZeroMake(node.index, from, to); break;
    case model::NodeKind::kPlant:
      for (size_t l = 0; l < s.lines.size(); ++l) {
        if (s.lines[l].plant == node.index) m.ZeroMake(static_cast<int32_t>(l), from, to);
      }
      for (size_t cl = 0; cl < s.component_lines.size(); ++cl) {  // a plant that is out stops its component lines
        if (s.component_lines[cl].plant == node.index) m.ZeroMakec(static_cast<int32_t>(cl), from, to);
      }
      break;
    case model::NodeKind::kSupplier:
      for (size_t o = 0; o < s.offers.size(); ++o) {
        if (s.offers[o].supplier != node.index) continue;
        for (int32_t p = 0; p < m.index.dims.plants; ++p) {
          for (int32_t t = from; t < to; ++t) {
            m.SetUpperBound(m.index.buy[m.index.dims.AtPlant(static_cast<int32_t>(o), p, t)]);
          }
        }
      }
      break;
    case model::NodeKind::kComponentLine:
      m.ZeroMakec(node.index, from, to);
      break;
  }
}

void PlanModel::ClearOutages() {
  Impl& m = *impl_;
  for (auto it = m.outage_saved.rbegin(); it != m.outage_saved.rend(); ++it) {
    m.lp.SetColumnBounds(it->first, m.lp.column_lower(it->first), it->second);
  }
  m.outage_saved.clear();
}

void PlanModel::SetBacklogCaps(int32_t from_week, const std::vector<double>& caps) {
  Impl& m = *impl_;
  if (m.index.backlog_cap_first_row >= 0) {
    m.lp.TruncateRows(m.index.backlog_cap_first_row);
    m.index.backlog_cap_first_row = -1;
  }
  if (caps.empty()) return;
  const model::Scenario& s = *m.scenario;
  const Dims& dims = m.index.dims;
  solver::RowBlock rows;
  for (size_t i = 0; i < caps.size(); ++i) {
    const int32_t t = from_week + static_cast<int32_t>(i);
    if (t < 0 || t >= dims.weeks) continue;
    for (size_t d = 0; d < s.sites.size(); ++d) {
      for (int32_t g = 0; g < dims.designs; ++g) {
        for (int32_t k = 0; k < model::kDemandKinds; ++k) rows.Coef(m.index.back[dims.Back(static_cast<int32_t>(d), g, k, t)], 1.0);
      }
    }
    rows.End(-solver::kInfinity, caps[i]);
  }
  if (rows.size() > 0) m.index.backlog_cap_first_row = m.lp.AddRows(std::move(rows));
}

void PlanModel::SetBacklogWeights(const std::vector<double>& weights) {
  Impl& m = *impl_;
  const Dims& dims = m.index.dims;
  if (static_cast<int32_t>(weights.size()) != dims.weeks) {
    throw std::invalid_argument(fmt::format("backlog weights: {} values for {} weeks", weights.size(), dims.weeks));
  }
  for (size_t i = 0; i < m.index.back.size(); ++i) m.lp.SetObjective(m.index.back[i], weights[i % dims.weeks]);
}

void PlanModel::SetColdLpMethod(solver::LpMethod method) { impl_->cold_lp = method; }

solver::LpBasis PlanModel::GetBasis() { return impl_->lp.GetBasis(); }
void PlanModel::SetBasis(const solver::LpBasis& basis) { impl_->lp.SetBasis(basis); }

model::KeyedQuantities PlanModel::KeyedValues(const PlanResult& result) const {
  return KeyQuantities(*impl_->scenario, impl_->index, result);
}

void PlanModel::WriteMps(const std::string& path) const { impl_->lp.WriteMps(path); }

int32_t PlanModel::columns() const { return impl_->lp.columns(); }
int32_t PlanModel::rows() const { return impl_->lp.rows(); }

}  // namespace rackforge::plan
