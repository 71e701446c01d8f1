// Re-planning against a stored run: keys of the model's cells by ids and ISO
// weeks, frozen bounds, deviation columns of the change penalty, the report
// (racks_moved, plan_changes) and the diagnosis of a frozen window that
// cannot be met.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "common/errors.h"
#include "model/iso_week.h"
#include "plan/baseline_model.h"

namespace rackforge::plan {
namespace {

using model::QuantityFamily;

/// Half of the 1e-6 relative tolerance within which a frozen cell must match its stored value:
/// when fixing the stored values exactly is infeasible (the stored run's values satisfy its
/// rows only within the solver's tolerance), the bounds are widened by this much.
constexpr double kFrozenHalfWidth = 5e-7;
constexpr double kSlackTolerance = 1e-6;
/// The conflict diagnosis's extra cost per unit of change in the first frozen week over the last
/// (linear in between): small against the 1 per unit of the least total change, which it only breaks ties of.
constexpr double kEarlierWeekPremium = 1e-3;

/// One key of a family: its ids joined and the flat position of its week 0.
struct FamilyKey {
  std::string key;
  size_t base = 0;
};

std::vector<FamilyKey> FamilyKeys(const model::Scenario& s, const Dims& d, QuantityFamily family, bool has_makec) {
  std::vector<FamilyKey> keys;
  switch (family) {
    case QuantityFamily::kMake:
      for (size_t l = 0; l < s.lines.size(); ++l) {
        for (int32_t g : s.lines[l].designs) {
          keys.push_back({model::JoinKey({s.lines[l].id, s.designs[g].id}), d.Make(static_cast<int32_t>(l), g, 0)});
        }
      }
      break;
    case QuantityFamily::kMakec:
      if (!has_makec) break;
      for (size_t m = 0; m < s.component_lines.size(); ++m) {
        for (int32_t c : s.component_lines[m].components) {
          const size_t base = (m * s.components.size() + static_cast<size_t>(c)) * d.weeks;
          keys.push_back({model::JoinKey({s.component_lines[m].id, s.components[c].id}), base});
        }
      }
      break;
    case QuantityFamily::kBuy:
      for (size_t o = 0; o < s.offers.size(); ++o) {
        const model::Offer& offer = s.offers[o];
        for (size_t p = 0; p < s.plants.size(); ++p) {
          keys.push_back(
              {model::JoinKey({s.suppliers[offer.supplier].id, s.components[offer.component].id, s.plants[p].id}),
               d.AtPlant(static_cast<int32_t>(o), static_cast<int32_t>(p), 0)});
        }
      }
      break;
    case QuantityFamily::kXfer:
      for (size_t r = 0; r < s.transfers.size(); ++r) {
        const model::Transfer& x = s.transfers[r];
        keys.push_back(
            {model::JoinKey({s.plants[x.from_plant].id, s.plants[x.to_plant].id, s.components[x.component].id}),
             d.Week(static_cast<int32_t>(r), 0)});
      }
      break;
    case QuantityFamily::kShip:
      for (size_t i = 0; i < s.lanes.size(); ++i) {
        const model::Lane& lane = s.lanes[i];
        for (int32_t g = 0; g < d.designs; ++g) {
          for (int32_t k = 0; k < model::kDemandKinds; ++k) {
            keys.push_back({model::JoinKey({s.plants[lane.plant].id, s.sites[lane.site].id, s.designs[g].id,
                                            model::kDemandKindNames[k]}),
                            d.Ship(static_cast<int32_t>(i), g, k, 0)});
          }
        }
      }
      break;
  }
  return keys;
}

const std::vector<int32_t>& Columns(const PlanIndex& ix, QuantityFamily family) {
  switch (family) {
    case QuantityFamily::kMake:
      return ix.make;
    case QuantityFamily::kMakec:
      return ix.makec;
    case QuantityFamily::kBuy:
      return ix.buy;
    case QuantityFamily::kXfer:
      return ix.xfer;
    case QuantityFamily::kShip:
      return ix.ship;
  }
  return ix.make;
}

const std::vector<double>& Values(const PlanResult& r, QuantityFamily family) {
  switch (family) {
    case QuantityFamily::kMake:
      return r.make;
    case QuantityFamily::kMakec:
      return r.makec;
    case QuantityFamily::kBuy:
      return r.buy;
    case QuantityFamily::kXfer:
      return r.xfer;
    case QuantityFamily::kShip:
      return r.ship;
  }
  return r.make;
}

QuantityFamily FamilyAt(int f) { return static_cast<QuantityFamily>(f); }

const char* Unit(QuantityFamily family) {
  return family == QuantityFamily::kMake || family == QuantityFamily::kShip ? "racks" : "units";
}

/// "line wi-l1 design gb300", "supplier fii-tw component tray-a plant wi-mp": a key for people.
std::string KeyLabel(QuantityFamily family, const std::string& key) {
  const std::vector<std::string> fields = model::SplitKey(model::kQuantityKeyFields[static_cast<int>(family)]);
  const std::vector<std::string> ids = model::SplitKey(key);
  std::string out;
  for (size_t i = 0; i < ids.size(); ++i) {
    std::string field = i < fields.size() ? fields[i] : "id";
    if (field == "component_line") field = "component line";
    if (field == "from_plant") field = "from";
    if (field == "to_plant") field = "to";
    if (family == QuantityFamily::kXfer && i == 0) out += "transfer ";
    if (family == QuantityFamily::kShip && i == 0) out += "shipment ";
    out += (i ? " " : "") + field + " " + ids[i];
  }
  return out;
}

/// The ISO week of each week of the new scenario and whether the stored run covered it.
struct WeekMatch {
  std::vector<std::string> iso;
  std::vector<uint8_t> covered;
  int32_t common = 0;
};

WeekMatch MatchWeeks(const model::Scenario& s, int32_t weeks, const BaselineRequest& request) {
  WeekMatch match;
  if (model::IsoWeekOf(s.start_week, 0).empty()) {
    throw common::UsageError(fmt::format(
        "start_week: '{}' is not an ISO week (YYYY-Www); re-planning against a stored run matches weeks by ISO week",
        s.start_week));
  }
  const model::KeyedQuantities& stored = request.stored;
  const std::string first = model::IsoWeekOf(stored.start_week, 0);
  const std::string last = model::IsoWeekOf(stored.start_week, std::max(0, stored.weeks - 1));
  if (first.empty() || stored.weeks <= 0) {
    throw common::UsageError(fmt::format("baseline run {}: its stored start_week '{}' ({} weeks) is not usable",
                                     request.run_id, stored.start_week, stored.weeks));
  }
  for (int32_t t = 0; t < weeks; ++t) {
    match.iso.push_back(model::IsoWeekOf(s.start_week, t));
    const bool covered = first <= match.iso.back() && match.iso.back() <= last;
    match.covered.push_back(covered ? 1 : 0);
    match.common += covered ? 1 : 0;
  }
  return match;
}

void CheckRequest(const BaselineRequest& request, int32_t weeks) {
  if (request.freeze_weeks < 0 || request.freeze_weeks > weeks) {
    throw common::UsageError(fmt::format("freeze_weeks: {} is outside 0..{} (the horizon)", request.freeze_weeks, weeks));
  }
  if (request.change_penalty_usd && !(*request.change_penalty_usd >= 0 && std::isfinite(*request.change_penalty_usd))) {
    throw common::UsageError(
        fmt::format("change_penalty_usd: {} must be a finite amount >= 0", *request.change_penalty_usd));
  }
}

std::string Number(double v) { return fmt::format("{:.6g}", v); }

}  // namespace

BaselineCells ApplyBaseline(const model::Scenario& scenario, const PlanIndex& index, const BaselineRequest& request,
                            solver::LpModel& lp) {
  const int32_t H = index.dims.weeks;
  CheckRequest(request, H);
  const WeekMatch match = MatchWeeks(scenario, H, request);
  BaselineCells cells;
  cells.common_weeks = match.common;
  const int32_t frozen_weeks = request.freeze_weeks;
  const int32_t first_deviation = lp.columns();
  solver::ColumnBlock deviations;
  solver::RowBlock rows;
  for (int f = 0; f < model::kQuantityFamilies; ++f) {
    const QuantityFamily family = FamilyAt(f);
    const std::vector<int32_t>& cols = Columns(index, family);
    const auto& stored = request.stored.family(family);
    std::set<std::string> present;
    for (const FamilyKey& fk : FamilyKeys(scenario, index.dims, family, !index.makec.empty())) {
      present.insert(fk.key);
      const auto it = stored.find(fk.key);
      if (it == stored.end()) continue;  // a new id: free
      const model::KeyedSeries& series = it->second;
      for (int32_t t = 0; t < frozen_weeks; ++t) {
        if (!match.covered[t] || !series.has_cell(match.iso[t])) continue;  // the stored run has no such cell: free
        const double v = series.at(match.iso[t]);
        const int32_t col = cols[fk.base + t];
        if (col < 0) {
          if (v != 0) {
            cells.dropped.push_back(fmt::format("{} {} week {}: frozen {} {}, but this scenario has no such cell",
                                                model::kQuantityFamilyNames[f], KeyLabel(family, fk.key),
                                                model::WeekLabel(scenario.start_week, t), Number(v), Unit(family)));
          }
          continue;
        }
        lp.SetColumnBounds(col, v, v);  // exact; WidenFrozenBounds when that is infeasible
        cells.frozen.push_back({family, fk.base + t, col, t, v, fk.key});
      }
      if (family != QuantityFamily::kMake || !request.change_penalty_usd) continue;
      const double usd = *request.change_penalty_usd;
      for (int32_t t = frozen_weeks; t < H; ++t) {
        const int32_t col = cols[fk.base + t];
        if (col < 0 || !match.covered[t] || !series.has_cell(match.iso[t])) continue;  // a cell only one run has
        const double v = series.at(match.iso[t]);
        const int32_t plus = first_deviation + deviations.Add(0.0, solver::kInfinity, usd);
        const int32_t minus = first_deviation + deviations.Add(0.0, solver::kInfinity, usd);
        rows.Coef(col, 1.0);
        rows.Coef(plus, -1.0);
        rows.Coef(minus, 1.0);
        rows.End(v, v);
        cells.penalized.push_back({fk.base + t, plus, minus, v});
      }
    }
    // Stored ids this scenario no longer has, where they held quantities in weeks it covers.
    const std::string& first = match.iso.front();
    const std::string& last = match.iso.back();
    for (const auto& [key, series] : stored) {
      if (present.count(key)) continue;
      const bool used = std::any_of(series.values.begin(), series.values.end(), [&](const auto& week_value) {
        return first <= week_value.first && week_value.first <= last && week_value.second != 0;
      });
      if (used) {
        cells.dropped.push_back(
            fmt::format("{} {}: not in this scenario", model::kQuantityFamilyNames[f], KeyLabel(family, key)));
      }
    }
  }
  if (deviations.size() > 0) {
    lp.AddColumns(std::move(deviations));
    lp.AddRows(std::move(rows));
  }
  return cells;
}

void WidenFrozenBounds(const BaselineCells& cells, solver::LpModel& lp) {
  for (const FrozenCell& cell : cells.frozen) {
    const double half = kFrozenHalfWidth * std::abs(cell.value);
    lp.SetColumnBounds(cell.column, std::max(0.0, cell.value - half), cell.value + half);
  }
}

BaselineReport ReportBaseline(const model::Scenario& scenario, const BaselineRequest& request,
                              const BaselineCells& cells, PlanResult& result) {
  BaselineReport report;
  report.run_id = request.run_id;
  report.freeze_weeks = request.freeze_weeks;
  report.change_penalty_usd = request.change_penalty_usd;
  report.frozen_cells = static_cast<int32_t>(cells.frozen.size());
  report.penalized_cells = static_cast<int32_t>(cells.penalized.size());
  report.common_weeks = cells.common_weeks;
  report.dropped = cells.dropped;
  if (!result.has_solution) return report;
  if (request.change_penalty_usd) {
    double moved = 0;
    for (const PenalizedCell& cell : cells.penalized) moved += std::abs(result.make[cell.flat] - cell.stored);
    result.cost.plan_changes = *request.change_penalty_usd * moved;
  }
  // racks_moved: every (line, design, ISO week) of the common weeks that either run has.
  const int32_t H = result.weeks;
  const WeekMatch match = MatchWeeks(scenario, H, request);
  const auto& stored = request.stored.family(QuantityFamily::kMake);
  std::set<std::string> present;
  Dims dims{H, result.designs, result.plants};
  for (const FamilyKey& fk : FamilyKeys(scenario, dims, QuantityFamily::kMake, false)) {
    present.insert(fk.key);
    const auto it = stored.find(fk.key);
    for (int32_t t = 0; t < H; ++t) {
      if (!match.covered[t]) continue;
      const double before = it == stored.end() ? 0.0 : it->second.at(match.iso[t]);
      report.racks_moved += std::abs(result.make[fk.base + t] - before);
    }
  }
  for (const auto& [key, series] : stored) {
    if (present.count(key)) continue;
    for (const auto& [iso, v] : series.values) {
      if (match.iso.front() <= iso && iso <= match.iso.back()) report.racks_moved += std::abs(v);
    }
  }
  return report;
}

std::vector<FrozenConflict> DiagnoseFrozenConflicts(const model::Scenario& scenario, const PlanIndex& index,
                                                    const BaselineCells& cells, const solver::LpModel& lp,
                                                    const solver::SolveOptions& options) {
  if (cells.frozen.empty()) return {};
  solver::LpModel relaxed(lp);
  for (int32_t col = 0; col < relaxed.columns(); ++col) {
    if (relaxed.objective(col) != 0.0) relaxed.SetObjective(col, 0.0);
  }
  // Each frozen cell x = stored + plus − minus; only the slack costs: 1 per unit, plus a
  // tie-break of up to kEarlierWeekPremium for the earlier frozen weeks (nearer weeks are firmer),
  // so that where the same least total change can be made in several weeks (racks held back from
  // a week-2 shipment for a week-3 one the outage starves, or that week-3 shipment cut), the
  // conflicts name the later weeks, where the scenario changed, not the weeks before it.
  int32_t last_week = 0;
  for (const FrozenCell& cell : cells.frozen) last_week = std::max(last_week, cell.week);
  const int32_t first = relaxed.columns();
  solver::ColumnBlock slack;
  solver::RowBlock rows;
  for (const FrozenCell& cell : cells.frozen) {
    relaxed.SetColumnBounds(cell.column, 0.0, solver::kInfinity);
    const double cost =
        1.0 + kEarlierWeekPremium * static_cast<double>(last_week - cell.week) / std::max(1, last_week);
    const int32_t plus = first + slack.Add(0.0, solver::kInfinity, cost);
    const int32_t minus = first + slack.Add(0.0, solver::kInfinity, cost);
    rows.Coef(cell.column, 1.0);
    rows.Coef(plus, -1.0);
    rows.Coef(minus, 1.0);
    rows.End(cell.value, cell.value);
  }
  relaxed.AddColumns(std::move(slack));
  relaxed.AddRows(std::move(rows));
  auto conflicts_of = [&](const solver::Solution& sol) {
    std::vector<FrozenConflict> out;
    if (!sol.has_solution) return out;
    for (size_t i = 0; i < cells.frozen.size(); ++i) {
      const FrozenCell& cell = cells.frozen[i];
      const double plus = sol.primal[first + 2 * i], minus = sol.primal[first + 2 * i + 1];
      if (plus <= kSlackTolerance && minus <= kSlackTolerance) continue;
      FrozenConflict c;
      c.family = cell.family;
      c.key = cell.key;
      c.week = cell.week;
      c.iso_week = model::IsoWeekOf(scenario.start_week, cell.week);
      c.frozen = cell.value;
      c.allowed = cell.value + plus - minus;
      if (c.allowed < kSlackTolerance) c.allowed = 0;  // solver noise around "nothing possible"
      c.text =
          fmt::format("{} week {}: frozen {} {}, {} {}", KeyLabel(cell.family, cell.key),
                      model::WeekLabel(scenario.start_week, cell.week), Number(c.frozen), Unit(cell.family),
                      cell.family == QuantityFamily::kMake ? "capacity and parts allow" : "the new scenario allows",
                      Number(c.allowed));
      out.push_back(std::move(c));
    }
    return out;
  };
  std::vector<FrozenConflict> conflicts = conflicts_of(relaxed.SolveLp(options));
  if (conflicts.empty()) conflicts = conflicts_of(relaxed.SolveMilp(options));  // infeasible only with whole expansions
  std::stable_sort(conflicts.begin(), conflicts.end(), [](const FrozenConflict& a, const FrozenConflict& b) {
    return std::abs(a.frozen - a.allowed) > std::abs(b.frozen - b.allowed);
  });
  return conflicts;
}

model::KeyedQuantities KeyQuantities(const model::Scenario& scenario, const PlanIndex& index,
                                     const PlanResult& result) {
  model::KeyedQuantities q;
  const int32_t H = index.dims.weeks;
  q.start_week = scenario.start_week;
  q.weeks = H;
  std::vector<std::string> iso(H);
  for (int32_t t = 0; t < H; ++t) iso[t] = model::IsoWeekOf(scenario.start_week, t);
  for (int f = 0; f < model::kQuantityFamilies; ++f) {
    const QuantityFamily family = FamilyAt(f);
    const std::vector<int32_t>& cols = Columns(index, family);
    const std::vector<double>& values = Values(result, family);
    if (cols.empty() || values.size() < cols.size()) continue;  // no such columns in this model (makec)
    auto& out = q.family(family);
    for (const FamilyKey& fk : FamilyKeys(scenario, index.dims, family, true)) {
      int32_t first = -1, last = -1;
      for (int32_t t = 0; t < H; ++t) {
        if (cols[fk.base + t] < 0) continue;
        if (first < 0) first = t;
        last = t;
      }
      if (first < 0) continue;
      model::KeyedSeries series;
      series.first_week = iso[first];
      series.last_week = iso[last];
      for (int32_t t = first; t <= last; ++t) {
        const double v = values[fk.base + t];
        if (cols[fk.base + t] >= 0 && v != 0.0) series.values.emplace(iso[t], v);
      }
      out.emplace(fk.key, std::move(series));
    }
  }
  return q;
}

}  // namespace rackforge::plan
