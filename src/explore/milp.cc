#include "explore/milp.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "solver/lp_model.h"

namespace rackforge::explore {

namespace {

using design::Field;
using design::Sum;

constexpr int kMaxCutsPerSolve = 200;
constexpr double kRelTol = 1e-9;

// A linear expression over the option binaries: constant + Σ coef[col]·x[col].
struct Lin {
  double constant = 0;
  std::vector<double> coef;
};

Lin Combine(const Lin& a, double wa, const Lin& b, double wb) {
  Lin out{wa * a.constant + wb * b.constant, std::vector<double>(a.coef.size())};
  for (size_t i = 0; i < a.coef.size(); ++i) out.coef[i] = wa * a.coef[i] + wb * b.coef[i];
  return out;
}

// Clamps a one-hot field expression to its positive part (a field <= 0 in a denominator).
Lin PositivePart(Lin e) {
  e.constant = std::max(0.0, e.constant);
  for (double& c : e.coef) c = std::max(0.0, c);
  return e;
}

// Everything a solve adds on top of the rule rows.
struct Limits {
  double margin_floor = 0;            // every rule with a margin: need <= (1 - ε)·have
  std::optional<double> cost_cap;     // cost <= cap
  std::optional<double> share_floor;  // D >= δ·(D + F)
  int32_t suppliers_floor = 0;        // options with a component of fewer suppliers are excluded
};

class MilpSpace {
 public:
  MilpSpace(const SpaceModel& model, double time_limit_s) : model_(model), time_limit_s_(time_limit_s) {
    for (int32_t s = 0; s < model.slot_count(); ++s) {
      offset_.push_back(columns_);
      columns_ += model.option_count(s);
    }
  }

  int32_t solves() const { return solves_; }
  bool hit_time_limit() const { return hit_time_limit_; }
  Lin SumExpr(Sum m) const { return SumExprImpl(m); }

  // min objective·x subject to the rules, the limits and the cuts; the answer
  // is checked with the exact rule code, failing answers are cut off.
  std::optional<FrontVariant> Solve(const Lin& objective, const Limits& limits);

  // Exact objectives of a variant.
  Evaluation EvaluateChoices(const std::vector<int32_t>& choices) const {
    return Evaluate(model_.StateOf(choices), model_.requirement());
  }
  design::BomTotals TotalsOf(const std::vector<int32_t>& choices) const { return model_.StateOf(choices).totals; }

 private:
  int32_t Col(int32_t s, int32_t k) const { return offset_[s] + k; }
  Lin SumExprImpl(Sum m) const;
  std::optional<Lin> FieldExpr(Field f) const;
  int32_t SettingSlot(Field f) const;
  double Upper(const Lin& e) const;
  void AddLe(solver::RowBlock& rows, const Lin& lhs, double rhs) const;
  void AddIfChosen(solver::RowBlock& rows, const Lin& lhs, int32_t s, int32_t k) const;
  void AddRuleRows(solver::RowBlock& rows, double margin_floor) const;
  void AddPowerRows(solver::RowBlock& rows, double h) const;
  void AddBusbarRows(solver::RowBlock& rows, double h) const;
  void AddLiquidRows(solver::RowBlock& rows, double h) const;
  void AddLimitRows(solver::RowBlock& rows, const Limits& limits) const;
  std::optional<std::vector<int32_t>> SolveOnce(const Lin& objective, const Limits& limits);

  const SpaceModel& model_;
  double time_limit_s_;
  std::vector<int32_t> offset_;
  int32_t columns_ = 0;
  std::vector<std::vector<int32_t>> cuts_;  // variants that fail an exact rule
  int32_t solves_ = 0;
  bool hit_time_limit_ = false;
};

Lin MilpSpace::SumExprImpl(Sum m) const {
  Lin e{model_.base().totals[m], std::vector<double>(columns_)};
  for (int32_t s = 0; s < model_.slot_count(); ++s) {
    for (int32_t k = 0; k < model_.option_count(s); ++k) e.coef[Col(s, k)] = model_.part(s, k).totals[m];
  }
  return e;
}

// The slot whose options set field f (-1: none; -2: several slots).
int32_t MilpSpace::SettingSlot(Field f) const {
  int32_t setting_slot = -1;
  for (int32_t s = 0; s < model_.slot_count(); ++s) {
    for (int32_t k = 0; k < model_.option_count(s); ++k) {
      for (const auto& entry : model_.part(s, k).set) {
        if (entry.first != f || setting_slot == s) continue;
        setting_slot = setting_slot == -1 ? s : -2;
      }
    }
  }
  return setting_slot;
}

// A field is constant, or set by options of exactly one slot (then one-hot
// over that slot's options); nullopt when several slots set it.
std::optional<Lin> MilpSpace::FieldExpr(Field f) const {
  const double base = model_.base().fields[static_cast<int>(f)];
  Lin e{base, std::vector<double>(columns_)};
  const int32_t setting_slot = SettingSlot(f);
  if (setting_slot == -2) return std::nullopt;
  if (setting_slot < 0) return e;
  e.constant = 0;
  for (int32_t k = 0; k < model_.option_count(setting_slot); ++k) {
    double value = base;
    for (const auto& [field, v] : model_.part(setting_slot, k).set) {
      if (field == f) value = v;
    }
    e.coef[Col(setting_slot, k)] = value;
  }
  return e;
}

double MilpSpace::Upper(const Lin& e) const {
  double upper = e.constant;
  for (int32_t s = 0; s < model_.slot_count(); ++s) {
    double best = -std::numeric_limits<double>::infinity();
    for (int32_t k = 0; k < model_.option_count(s); ++k) best = std::max(best, e.coef[Col(s, k)]);
    if (model_.option_count(s) > 0) upper += best;
  }
  return upper;
}

void MilpSpace::AddLe(solver::RowBlock& rows, const Lin& lhs, double rhs) const {
  for (int32_t c = 0; c < columns_; ++c) rows.Coef(c, lhs.coef[c]);
  rows.End(-solver::kInfinity, rhs - lhs.constant);
}

// lhs <= 0 when x[s,k] = 1 (big-M: lhs + M·x <= M with M = max(0, upper bound of lhs)).
void MilpSpace::AddIfChosen(solver::RowBlock& rows, const Lin& lhs, int32_t s, int32_t k) const {
  const double big_m = std::max(0.0, Upper(lhs));
  Lin row = lhs;
  row.coef[Col(s, k)] += big_m;
  AddLe(rows, row, big_m);
}

void MilpSpace::AddPowerRows(solver::RowBlock& rows, double h) const {
  const std::optional<Lin> redundant = FieldExpr(Field::kRedundantPowerShelves);
  if (!redundant || SettingSlot(Field::kRedundantPowerShelves) != -1) return;  // verified by the exact rule code
  const double r = redundant->constant;
  const Lin need_minus_have = Combine(SumExpr(Sum::kPowerW), 1, SumExpr(Sum::kPowerCapacityW), -h);
  const double base_max = model_.base().totals.max_power_capacity_w;
  AddLe(rows, need_minus_have, -h * r * base_max);
  if (r == 0) return;
  for (int32_t s = 0; s < model_.slot_count(); ++s) {
    for (int32_t k = 0; k < model_.option_count(s); ++k) {
      const double m = model_.part(s, k).totals.max_power_capacity_w;
      if (m <= base_max) continue;
      Lin lhs = need_minus_have;
      lhs.constant += h * r * m;
      AddIfChosen(rows, lhs, s, k);
    }
  }
}

void MilpSpace::AddBusbarRows(solver::RowBlock& rows, double h) const {
  const std::optional<Lin> voltage = FieldExpr(Field::kBusbarVoltageV);
  const std::optional<Lin> rating = FieldExpr(Field::kBusbarRatingA);
  if (!voltage || !rating) return;  // verified by the exact rule code
  const Lin power = SumExpr(Sum::kPowerW);
  const int32_t slot = SettingSlot(Field::kBusbarVoltageV);
  if (slot < 0) {  // P <= (1-ε)·V·rating
    AddLe(rows, Combine(power, 1, *rating, -h * std::max(0.0, voltage->constant)), 0);
    return;
  }
  for (int32_t k = 0; k < model_.option_count(slot); ++k) {  // P <= (1-ε)·V_k·rating when k is chosen
    AddIfChosen(rows, Combine(power, 1, *rating, -h * std::max(0.0, voltage->coef[Col(slot, k)])), slot, k);
  }
}

void MilpSpace::AddLiquidRows(solver::RowBlock& rows, double h) const {
  const Lin lhs = Combine(SumExpr(Sum::kHeatLiquidW), 1, SumExpr(Sum::kCoolingCapacityW), -h);
  if (model_.base().totals[Sum::kCoolingCapacityW] > 0) {
    AddLe(rows, lhs, 0);
    return;
  }
  for (int32_t s = 0; s < model_.slot_count(); ++s) {
    for (int32_t k = 0; k < model_.option_count(s); ++k) {
      if (model_.part(s, k).totals[Sum::kCoolingCapacityW] > 0) AddIfChosen(rows, lhs, s, k);
    }
  }
}

void MilpSpace::AddRuleRows(solver::RowBlock& rows, double margin_floor) const {
  const double h = 1 - margin_floor;
  const model::Requirement& req = model_.requirement();
  AddPowerRows(rows, h);
  AddBusbarRows(rows, h);
  AddLiquidRows(rows, h);
  auto need_le_field = [&](Sum need, Field have) {
    if (const std::optional<Lin> f = FieldExpr(have)) AddLe(rows, Combine(SumExpr(need), 1, *f, -h), 0);
  };
  need_le_field(Sum::kHeatAirW, Field::kMaxAirHeatW);
  need_le_field(Sum::kWeightKg, Field::kMaxWeightKg);
  need_le_field(Sum::kHeightU, Field::kRackUnits);
  if (const std::optional<Lin> footprint = FieldExpr(Field::kFootprintM2)) {  // W <= (1-ε)·max_floor·footprint
    AddLe(rows, Combine(SumExpr(Sum::kWeightKg), 1, PositivePart(*footprint), -h * req.max_floor_load_kg_m2), 0);
  }
  AddLe(rows, Combine(SumExpr(Sum::kPortsRequired), 1, SumExpr(Sum::kPortsProvided), -h), 0);
  AddLe(rows, Combine(SumExpr(Sum::kAccelerators), -h, SumExpr(Sum::kAccelerators), 0), -req.min_accelerators);
  AddLe(rows, SumExpr(Sum::kPowerW), 1000.0 * h * req.max_power_kw);
  if (const std::optional<Lin> week = FieldExpr(Field::kAvailableFromWeek)) AddLe(rows, *week, req.needed_by_week);
}

void MilpSpace::AddLimitRows(solver::RowBlock& rows, const Limits& limits) const {
  if (limits.cost_cap) {
    const double cap = *limits.cost_cap;
    AddLe(rows, SumExpr(Sum::kCostUsd), cap + kRelTol * std::max(1.0, std::fabs(cap)));
  }
  if (limits.share_floor) {  // δ·F − (1−δ)·D <= 0
    const double d = *limits.share_floor;
    const Lin lhs = Combine(SumExpr(Sum::kForeignUsd), d, SumExpr(Sum::kDomesticUsd), -(1 - d));
    AddLe(rows, lhs, kRelTol * std::max(1.0, Upper(Combine(SumExpr(Sum::kForeignUsd), 1, SumExpr(Sum::kDomesticUsd), 1))));
  }
  const int32_t n = model_.slot_count();
  for (const std::vector<int32_t>& cut : cuts_) {
    for (int32_t s = 0; s < n; ++s) rows.Coef(Col(s, cut[s]), 1);
    rows.End(-solver::kInfinity, n - 1);
  }
  for (int32_t s = 0; s < n; ++s) {
    for (int32_t k = 0; k < model_.option_count(s); ++k) rows.Coef(Col(s, k), 1);
    rows.End(1, 1);
  }
}

std::optional<std::vector<int32_t>> MilpSpace::SolveOnce(const Lin& objective, const Limits& limits) {
  solver::LpModel lp;
  solver::ColumnBlock cols;
  for (int32_t s = 0; s < model_.slot_count(); ++s) {
    for (int32_t k = 0; k < model_.option_count(s); ++k) {
      const bool excluded = model_.part(s, k).totals.min_suppliers < limits.suppliers_floor;
      cols.Add(0, excluded ? 0 : 1, objective.coef[Col(s, k)], true);
    }
  }
  lp.AddColumns(std::move(cols));
  solver::RowBlock rows;
  AddRuleRows(rows, limits.margin_floor);
  AddLimitRows(rows, limits);
  lp.AddRows(std::move(rows));
  solver::SolveOptions options;
  options.time_limit_s = time_limit_s_;
  const solver::Solution solution = lp.SolveMilp(options);
  ++solves_;
  hit_time_limit_ = hit_time_limit_ || solution.status == solver::SolveStatus::kTimeLimit;
  if (!solution.has_solution) return std::nullopt;
  std::vector<int32_t> choices(model_.slot_count(), 0);
  for (int32_t s = 0; s < model_.slot_count(); ++s) {
    for (int32_t k = 0; k < model_.option_count(s); ++k) {
      if (solution.primal[Col(s, k)] > solution.primal[Col(s, choices[s])]) choices[s] = k;
    }
  }
  return choices;
}

std::optional<FrontVariant> MilpSpace::Solve(const Lin& objective, const Limits& limits) {
  if (model_.base().totals.min_suppliers < limits.suppliers_floor) return std::nullopt;
  for (int32_t s = 0; s < model_.slot_count(); ++s) {
    if (model_.option_count(s) == 0) return std::nullopt;
  }
  for (int iteration = 0; iteration < kMaxCutsPerSolve; ++iteration) {
    const std::optional<std::vector<int32_t>> choices = SolveOnce(objective, limits);
    if (!choices) return std::nullopt;
    const Evaluation e = EvaluateChoices(*choices);
    if (e.pass) return FrontVariant{*choices, e.objectives, e.tightest_rule};
    cuts_.push_back(*choices);
  }
  return std::nullopt;
}

// --- single objectives ----------------------------------------------------

// Dinkelbach: max D/(D+F) under `limits`, starting from a feasible variant.
FrontVariant MaxShare(MilpSpace& space, const Limits& limits, FrontVariant best) {
  const Lin d = space.SumExpr(Sum::kDomesticUsd);
  const Lin f = space.SumExpr(Sum::kForeignUsd);
  for (int iteration = 0; iteration < 50; ++iteration) {
    const double lambda = best.objectives.domestic_share;
    // maximize (1-λ)·D − λ·F  <=>  minimize λ·F − (1-λ)·D
    const std::optional<FrontVariant> next = space.Solve(Combine(f, lambda, d, -(1 - lambda)), limits);
    if (!next) break;
    const design::BomTotals t = space.TotalsOf(next->choices);
    const double gain = (1 - lambda) * t[Sum::kDomesticUsd] - lambda * t[Sum::kForeignUsd];
    const double scale = std::max(1.0, t[Sum::kDomesticUsd] + t[Sum::kForeignUsd]);
    if (gain <= kRelTol * scale || next->objectives.domestic_share <= lambda) break;
    best = *next;
  }
  return best;
}

std::optional<FrontVariant> MinCost(MilpSpace& space, const Limits& limits) {
  return space.Solve(space.SumExpr(Sum::kCostUsd), limits);
}

// Least cost, then most domestic at that cost.
std::optional<FrontVariant> MinCostThenShare(MilpSpace& space, Limits limits) {
  const std::optional<FrontVariant> cheapest = MinCost(space, limits);
  if (!cheapest) return std::nullopt;
  limits.cost_cap = cheapest->objectives.cost_usd;
  return MaxShare(space, limits, *cheapest);
}

std::optional<FrontVariant> MostDomestic(MilpSpace& space, Limits limits) {
  const std::optional<FrontVariant> start = MinCost(space, limits);
  if (!start) return std::nullopt;
  const FrontVariant best = MaxShare(space, limits, *start);
  limits.share_floor = best.objectives.domestic_share;
  return MinCostThenShare(space, limits);
}

std::optional<FrontVariant> MostSuppliers(MilpSpace& space, const SpaceModel& model, Limits limits) {
  std::set<int32_t, std::greater<>> levels;
  if (model.base().totals.min_suppliers != design::kNoComponents) levels.insert(model.base().totals.min_suppliers);
  for (int32_t s = 0; s < model.slot_count(); ++s) {
    for (int32_t k = 0; k < model.option_count(s); ++k) {
      const int32_t m = model.part(s, k).totals.min_suppliers;
      if (m != design::kNoComponents) levels.insert(m);
    }
  }
  levels.insert(0);
  for (int32_t level : levels) {
    limits.suppliers_floor = level;
    if (std::optional<FrontVariant> v = MinCostThenShare(space, limits)) return v;
  }
  return std::nullopt;
}

// Bisection on the margin floor ε (to 1e-6, or until `budget_s` has passed:
// proving a floor infeasible can take CBC long on large spaces).
std::optional<FrontVariant> WidestMargin(MilpSpace& space, Limits limits, double budget_s) {
  const auto start = std::chrono::steady_clock::now();
  auto elapsed_s = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  std::optional<FrontVariant> best = MinCostThenShare(space, limits);
  if (!best || !best->objectives.min_margin) return best;
  double low = *best->objectives.min_margin;
  double high = 1.0;
  while (high - low > 1e-6 && elapsed_s() < budget_s) {
    limits.margin_floor = 0.5 * (low + high);
    const std::optional<FrontVariant> v = MinCost(space, limits);
    if (!v || !v->objectives.min_margin || *v->objectives.min_margin < limits.margin_floor - 1e-9) {
      high = limits.margin_floor;
      continue;
    }
    best = v;
    low = *v->objectives.min_margin;
  }
  limits.margin_floor = std::max(0.0, low - 1e-9);
  if (std::optional<FrontVariant> v = MinCostThenShare(space, limits)) {
    if (v->objectives.min_margin && *v->objectives.min_margin >= *best->objectives.min_margin - 1e-9) best = v;
  }
  return best;
}

std::optional<FrontVariant> Optimum(MilpSpace& space, const SpaceModel& model, MilpObjective objective,
                                    double budget_s) {
  switch (objective) {
    case MilpObjective::kCost: return MinCostThenShare(space, {});
    case MilpObjective::kDomesticShare: return MostDomestic(space, {});
    case MilpObjective::kMinSuppliers: return MostSuppliers(space, model, {});
    case MilpObjective::kMinMargin: return WidestMargin(space, {}, budget_s);
  }
  return std::nullopt;
}

}  // namespace

std::optional<FrontVariant> MilpOptimum(const SpaceModel& model, MilpObjective objective, int32_t* solves,
                                        double time_limit_s) {
  MilpSpace space(model, time_limit_s);
  std::optional<FrontVariant> v = Optimum(space, model, objective, time_limit_s);
  if (solves) *solves = space.solves();
  return v;
}

SpaceResult SolveSpaceMilp(const SpaceModel& model, const ExploreOptions& options) {
  SpaceResult result;
  result.design = model.space().design;
  result.method = Method::kMilp;
  result.variants_total = model.VariantsTotal();
  MilpSpace space(model, options.milp_time_limit_s);
  std::vector<FrontVariant> found;
  for (MilpObjective objective : {MilpObjective::kCost, MilpObjective::kDomesticShare, MilpObjective::kMinSuppliers,
                                  MilpObjective::kMinMargin}) {
    if (std::optional<FrontVariant> v = Optimum(space, model, objective, options.milp_time_limit_s)) {
      found.push_back(*v);
    }
  }
  if (found.size() >= 2) {
    const double low = found[0].objectives.domestic_share;
    const double high = found[1].objectives.domestic_share;
    for (int32_t i = 1; i <= options.epsilon_points && high > low; ++i) {
      Limits limits;
      limits.share_floor = low + (high - low) * i / (options.epsilon_points + 1);
      if (std::optional<FrontVariant> v = MinCostThenShare(space, limits)) found.push_back(*v);
    }
  }
  for (const FrontVariant& v : found) {
    result.sample.push_back(v.objectives);
    const bool seen = std::any_of(result.front.begin(), result.front.end(),
                                  [&](const FrontVariant& f) { return f.choices == v.choices; });
    if (!seen) OfferToFront(result.front, v.objectives, v.choices, v.tightest_rule);
  }
  SortFront(result.front);
  result.milp_solves = space.solves();
  result.note = found.empty() ? "no variant passes every rule"
                              : "front points from the MILP: each objective's optimum and least-cost variants at " +
                                    std::to_string(options.epsilon_points) + " domestic-share levels";
  if (space.hit_time_limit()) result.note += "; some solves stopped at the time limit";
  return result;
}

}  // namespace rackforge::explore
