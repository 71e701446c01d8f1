// Bottlenecks (row duals of the LP with binaries fixed, grouped into week
// ranges and ranked) and the explanation of late demand.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "common/format.h"
#include "model/availability.h"
#include "model/iso_week.h"
#include "plan/plan_index.h"

namespace rackforge::plan {
namespace {

constexpr double kDualTolerance = 1e-6;     // |dual| above this: the row binds
constexpr double kBacklogTolerance = 1e-6;  // rack-weeks

/// Appends one bottleneck per run of consecutive weeks from `first_week` on with |dual| > tolerance in
/// `row_of_week` (weeks before `first_week` have no capacity: an expansion line before it starts).
void GroupWeeks(BottleneckKind kind, const std::string& node, const int32_t* row_of_week, int32_t first_week,
                int32_t weeks, const std::vector<double>& duals, std::vector<Bottleneck>& out) {
  auto binds = [&](int32_t t) { return row_of_week[t] >= 0 && std::fabs(duals[row_of_week[t]]) > kDualTolerance; };
  int32_t t = std::max(first_week, 0);
  while (t < weeks) {
    if (!binds(t)) {
      ++t;
      continue;
    }
    Bottleneck b;
    b.kind = kind;
    b.node = node;
    b.first_week = t;
    double sum = 0;
    while (t < weeks && binds(t)) {
      const double d = std::fabs(duals[row_of_week[t]]);
      if (d > b.dual_usd_per_unit) {
        b.dual_usd_per_unit = d;
        b.peak_week = t;
      }
      sum += d;
      b.last_week = t++;
    }
    b.weekly_usd_per_unit = sum / (b.last_week - b.first_week + 1);
    out.push_back(std::move(b));
  }
}

std::string Weeks(int32_t first, int32_t last) {
  return first == last ? fmt::format("week {}", first) : fmt::format("weeks {}-{}", first, last);
}

/// Σ |dual| over the binding rows of weeks 0..last_week (0 when none binds).
double BindingWeight(const std::vector<int32_t>& rows, size_t base, int32_t last_week, const std::vector<double>& duals) {
  double weight = 0;
  for (int32_t t = 0; t <= last_week; ++t) {
    const int32_t row = rows[base + t];
    if (row >= 0 && std::fabs(duals[row]) > kDualTolerance) weight += std::fabs(duals[row]);
  }
  return weight;
}

/// An expansion line that the plan does not open is no capacity: its rows are not bottlenecks.
bool LineExists(const model::Line& line, const PlanResult& r) { return line.expansion < 0 || r.opened[line.expansion]; }

/// First week a line has capacity (its ramp is above 0), H when never.
int32_t FirstCapacityWeek(const model::Line& line, int32_t weeks) {
  int32_t t = 0;
  while (t < weeks && model::Availability::Ramp(line, t) <= 0) ++t;
  return t;
}

bool ComponentLineExists(const model::ComponentLine& line, const PlanResult& r) {
  return line.expansion < 0 || r.opened[line.expansion];
}

int32_t FirstCapacityWeek(const model::ComponentLine& line, int32_t weeks) {
  int32_t t = 0;
  while (t < weeks && model::Availability::Ramp(line, t) <= 0) ++t;
  return t;
}

/// Components component line `m` makes in weeks first..last (its component list when it makes none there).
std::vector<int32_t> ComponentsMade(const model::Scenario& s, const PlanResult& r, int32_t m, int32_t first,
                                    int32_t last) {
  std::vector<int32_t> made;
  for (int32_t c : s.component_lines[m].components) {
    for (int32_t t = first; t <= last; ++t) {
      if (r.makec[r.MakecIndex(m, c, t)] > kBacklogTolerance) {
        made.push_back(c);
        break;
      }
    }
  }
  return made.empty() ? s.component_lines[m].components : made;
}

/// Designs line `l` builds in weeks first..last (its design list when it builds none there).
std::vector<int32_t> DesignsBuilt(const model::Scenario& s, const PlanResult& r, int32_t l, int32_t first, int32_t last) {
  std::vector<int32_t> built;
  for (int32_t g : s.lines[l].designs) {
    for (int32_t t = first; t <= last; ++t) {
      if (r.make[r.MakeIndex(l, g, t)] > kBacklogTolerance) {
        built.push_back(g);
        break;
      }
    }
  }
  return built.empty() ? s.lines[l].designs : built;
}

/// Σ over weeks first..last of |dual_t| × added(t).
double Saving(const std::vector<double>& duals, const int32_t* row_of_week, int32_t first, int32_t last,
              const std::function<double(int32_t)>& added) {
  double saving = 0;
  for (int32_t t = first; t <= last; ++t) {
    if (row_of_week[t] >= 0) saving += std::fabs(duals[row_of_week[t]]) * added(t);
  }
  return saving;
}

/// The expansion that relieves a line or test bottleneck: among those of its plant and kind that fit,
/// an unopened one with the largest saving − capex, else an opened one; nullopt when none fits.
std::optional<BottleneckRelief> FindRelief(const model::Scenario& s, const PlanIndex& ix, const std::vector<double>& duals,
                                           const PlanResult& r, int32_t plant, int32_t line, const Bottleneck& b) {
  std::optional<BottleneckRelief> best;
  const std::vector<int32_t> needed =
      line >= 0 ? DesignsBuilt(s, r, line, b.first_week, b.last_week) : std::vector<int32_t>{};
  for (size_t e = 0; e < s.expansions.size(); ++e) {
    const model::Expansion& x = s.expansions[e];
    const model::ExpansionKind wanted = line >= 0 ? model::ExpansionKind::kLine : model::ExpansionKind::kTestCells;
    if (x.plant != plant || x.kind != wanted) continue;  // a component_line expansion relieves neither
    if (line >= 0 && x.line == line) continue;  // the bottleneck is that expansion's own line
    BottleneckRelief relief{x.id, r.opened[e] != 0, x.active_from_week(), x.capex_usd, 0.0};
    if (line >= 0) {
      const model::Line& xl = s.lines[x.line];
      const bool builds_all = std::all_of(needed.begin(), needed.end(), [&](int32_t g) {
        return std::find(xl.designs.begin(), xl.designs.end(), g) != xl.designs.end();
      });
      if (!builds_all) continue;
      relief.saving_usd = Saving(duals, &ix.line_row[ix.dims.Week(line, 0)], b.first_week, b.last_week,
                                 [&](int32_t t) { return xl.racks_per_week * model::Availability::Ramp(xl, t); });
    } else {
      const double hours = x.cells * s.plants[plant].test_hours_per_cell_week;
      relief.saving_usd = Saving(duals, &ix.test_row[ix.dims.Week(plant, 0)], std::max(b.first_week, x.active_from_week()),
                                 b.last_week, [&](int32_t) { return hours; });
    }
    auto value = [](const BottleneckRelief& v) { return v.saving_usd - v.capex_usd; };
    const bool better = !best || (best->opened && !relief.opened) ||
                        (best->opened == relief.opened && value(relief) > value(*best));
    if (better) best = relief;
  }
  return best;
}

/// The component_line expansion of the same plant that relieves a component-line bottleneck: one
/// whose line makes every component the bottleneck line makes in its weeks; an unopened one with the
/// largest saving − capex, else an opened one; nullopt when none fits.
std::optional<BottleneckRelief> FindComponentLineRelief(const model::Scenario& s, const PlanIndex& ix,
                                                        const std::vector<double>& duals, const PlanResult& r,
                                                        int32_t cline, const Bottleneck& b) {
  std::optional<BottleneckRelief> best;
  const model::ComponentLine& line = s.component_lines[cline];
  const std::vector<int32_t> needed = ComponentsMade(s, r, cline, b.first_week, b.last_week);
  for (size_t e = 0; e < s.expansions.size(); ++e) {
    const model::Expansion& x = s.expansions[e];
    if (x.plant != line.plant || x.kind != model::ExpansionKind::kComponentLine || x.component_line == cline) continue;
    const model::ComponentLine& xl = s.component_lines[x.component_line];
    const bool makes_all = std::all_of(needed.begin(), needed.end(), [&](int32_t c) {
      return std::find(xl.components.begin(), xl.components.end(), c) != xl.components.end();
    });
    if (!makes_all) continue;
    BottleneckRelief relief{x.id, r.opened[e] != 0, x.active_from_week(), x.capex_usd, 0.0};
    relief.saving_usd = Saving(duals, &ix.cline_row[ix.dims.Week(cline, 0)], b.first_week, b.last_week,
                               [&](int32_t t) { return xl.units_per_week * model::Availability::Ramp(xl, t); });
    auto value = [](const BottleneckRelief& v) { return v.saving_usd - v.capex_usd; };
    const bool better =
        !best || (best->opened && !relief.opened) || (best->opened == relief.opened && value(relief) > value(*best));
    if (better) best = relief;
  }
  return best;
}

std::string ReliefText(const std::optional<BottleneckRelief>& relief) {
  if (!relief) return "; no expansion of this plant adds it";
  if (relief->opened) {
    return fmt::format("; expansion {} (from week {}) is already opened", relief->expansion, relief->active_from_week);
  }
  return fmt::format("; expansion {} (from week {}) would cost {} against about {} saved (first-order: dual x added "
                     "capacity)",
                     relief->expansion, relief->active_from_week, common::FormatUsdShort(relief->capex_usd),
                     common::FormatUsdShort(relief->saving_usd));
}

/// "+$X per week for each extra rack per week (mean of the weekly duals; largest: week W, +$Y)".
std::string GainText(const Bottleneck& b, const char* unit) {
  return fmt::format("+{} per week for each extra {} per week (mean of the weekly duals; largest: week {}, +{})",
                     common::FormatUsdShort(b.weekly_usd_per_unit), unit, b.peak_week, common::FormatUsdShort(b.dual_usd_per_unit));
}

std::vector<Bottleneck> RankBottlenecks(const model::Scenario& s, const PlanIndex& ix, const std::vector<double>& duals,
                                        double domestic_min, const PlanResult& r) {
  std::vector<Bottleneck> out;
  const int32_t H = ix.dims.weeks;
  for (size_t l = 0; l < s.lines.size(); ++l) {
    const model::Line& line = s.lines[l];
    if (!LineExists(line, r)) continue;
    const int32_t* rows = &ix.line_row[ix.dims.Week(static_cast<int32_t>(l), 0)];
    const size_t first = out.size();
    GroupWeeks(BottleneckKind::kLine, "line:" + line.id, rows, FirstCapacityWeek(line, H), H, duals, out);
    for (size_t i = first; i < out.size(); ++i) {
      Bottleneck& b = out[i];
      b.relief = FindRelief(s, ix, duals, r, line.plant, static_cast<int32_t>(l), b);
      b.text = fmt::format("line {} at plant {}, {}: {}{}", line.id, s.plants[line.plant].id,
                           Weeks(b.first_week, b.last_week), GainText(b, "rack"), ReliefText(b.relief));
    }
  }
  for (size_t m = 0; m < s.component_lines.size(); ++m) {
    const model::ComponentLine& line = s.component_lines[m];
    if (!ComponentLineExists(line, r)) continue;
    const int32_t* rows = &ix.cline_row[ix.dims.Week(static_cast<int32_t>(m), 0)];
    const size_t first = out.size();
    GroupWeeks(BottleneckKind::kComponentLine, "line:" + line.id, rows, FirstCapacityWeek(line, H), H, duals, out);
    for (size_t i = first; i < out.size(); ++i) {
      Bottleneck& b = out[i];
      b.relief = FindComponentLineRelief(s, ix, duals, r, static_cast<int32_t>(m), b);
      std::vector<std::string> made;
      for (int32_t c : ComponentsMade(s, r, static_cast<int32_t>(m), b.first_week, b.last_week)) {
        made.push_back(s.components[c].id);
      }
      b.text = fmt::format("component line {} at plant {} (makes {}), {}: {}{}", line.id, s.plants[line.plant].id,
                           fmt::join(made, ", "), Weeks(b.first_week, b.last_week), GainText(b, "unit"),
                           ReliefText(b.relief));
    }
  }
  for (size_t p = 0; p < s.plants.size(); ++p) {
    const std::string& id = s.plants[p].id;
    const size_t first = out.size();
    GroupWeeks(BottleneckKind::kTest, "plant:" + id, &ix.test_row[ix.dims.Week(static_cast<int32_t>(p), 0)], 0, H,
               duals, out);
    for (size_t i = first; i < out.size(); ++i) {
      Bottleneck& b = out[i];
      b.relief = FindRelief(s, ix, duals, r, static_cast<int32_t>(p), -1, b);
      b.text = fmt::format("test cells at plant {}, {}: {}{}", id, Weeks(b.first_week, b.last_week),
                           GainText(b, "test hour"), ReliefText(b.relief));
    }
  }
  for (size_t o = 0; o < s.offers.size(); ++o) {
    const model::Offer& offer = s.offers[o];
    const std::string& sup = s.suppliers[offer.supplier].id;
    const std::string& comp = s.components[offer.component].id;
    const size_t first = out.size();
    GroupWeeks(BottleneckKind::kSupply, "supplier:" + sup, &ix.supply_row[ix.dims.Week(static_cast<int32_t>(o), 0)], 0,
               H, duals, out);
    for (size_t i = first; i < out.size(); ++i) {
      Bottleneck& b = out[i];
      b.text = fmt::format("supply of {} from supplier {}, orders in {}: {}", comp, sup, Weeks(b.first_week, b.last_week),
                           GainText(b, "unit"));
    }
  }
  if (ix.domestic_row >= 0 && std::fabs(duals[ix.domestic_row]) > kDualTolerance) {
    // One row over the whole horizon: its dual is already a single figure (weekly = the dual).
    const double d = std::fabs(duals[ix.domestic_row]);
    Bottleneck b;
    b.kind = BottleneckKind::kDomestic;
    b.node = "policy:domestic";
    b.first_week = 0;
    b.last_week = H - 1;
    b.dual_usd_per_unit = d;
    b.weekly_usd_per_unit = d;
    b.text = fmt::format("domestic-content floor of {:.4g} %, weeks 0-{}: +{} per USD the floor is relaxed",
                         domestic_min * 100.0, H - 1, common::FormatUsdShort(d));
    out.push_back(std::move(b));
  }
  std::stable_sort(out.begin(), out.end(), [](const Bottleneck& a, const Bottleneck& b) {
    return a.dual_usd_per_unit > b.dual_usd_per_unit;
  });
  return out;
}

/// "transfer:FROM->TO:COMPONENT": a transfer row of transfers.csv as a late-demand node.
std::string TransferNode(const model::Scenario& s, const model::Transfer& x) {
  return fmt::format("transfer:{}->{}:{}", s.plants[x.from_plant].id, s.plants[x.to_plant].id,
                     s.components[x.component].id);
}

/// How much transfer x's transit holds parts back, weeks 0..last_week at the to-plant: Σ_t max(0,
/// v(to,t) − v(from,t) − κ) with v = −dual of the parts row (the value of one more unit of the part
/// at that plant in week t). With transit τ, xfer[r,t−τ] prices v(to,t) ≤ v(from,t−τ) + κ; what is
/// left above v(from,t) + κ is what a unit at the from-plant would be worth at the to-plant if
/// it arrived in the same week, so it is 0 for a transit-0 transfer and positive where the to-plant
/// waits for parts the from-plant has (or has had) to spare. Transfers have no capacity row: their
/// transit is what can bind. 0 when either plant holds no stock of the part (no parts row).
double TransitWeight(const PlanIndex& ix, const std::vector<double>& duals, const model::Transfer& x,
                     int32_t last_week) {
  double weight = 0;
  for (int32_t t = 0; t <= last_week; ++t) {
    const int32_t to = ix.parts_row[ix.dims.AtPlant(x.component, x.to_plant, t)];
    const int32_t from = ix.parts_row[ix.dims.AtPlant(x.component, x.from_plant, t)];
    if (to < 0 || from < 0) continue;
    const double gap = -duals[to] + duals[from] - x.cost_usd_per_unit;
    if (gap > kDualTolerance) weight += gap;
  }
  return weight;
}

/// Node names of binding rows upstream of (site, design) up to `last_week`,
/// strongest first (by Σ |dual| over those weeks; ties keep scenario order).
std::vector<std::pair<std::string, double>> HeldBackBy(const model::Scenario& s, const PlanIndex& ix, const std::vector<double>& duals,
                                    const PlanResult& r, int32_t site, int32_t design, int32_t last_week) {
  std::vector<std::pair<std::string, double>> nodes;
  std::set<int32_t> plants;
  for (const model::Lane& lane : s.lanes) {
    if (lane.site == site) plants.insert(lane.plant);
  }
  for (int32_t p : plants) {
    bool plant_builds = false;
    for (size_t l = 0; l < s.lines.size(); ++l) {
      const model::Line& line = s.lines[l];
      if (line.plant != p || std::find(line.designs.begin(), line.designs.end(), design) == line.designs.end()) continue;
      plant_builds = true;
      if (!LineExists(line, r)) continue;
      const double w = BindingWeight(ix.line_row, ix.dims.Week(static_cast<int32_t>(l), 0), last_week, duals);
      if (w > 0) nodes.emplace_back("line:" + line.id, w);
    }
    const double w = plant_builds ? BindingWeight(ix.test_row, ix.dims.Week(p, 0), last_week, duals) : 0.0;
    if (w > 0) nodes.emplace_back("plant:" + s.plants[p].id, w);
  }
  // Components the design needs, directly or as parts of what component lines make (multi-level).
  std::vector<uint8_t> needed(s.components.size(), 0);
  std::vector<int32_t> to_visit;
  for (const model::BomEntry& b : s.designs[design].bom) to_visit.push_back(b.component);
  while (!to_visit.empty()) {
    const int32_t c = to_visit.back();
    to_visit.pop_back();
    if (needed[c]) continue;
    needed[c] = 1;
    if (s.components[c].made_by.empty()) continue;
    for (const model::BomEntry& part : s.components[c].parts) to_visit.push_back(part.component);
  }
  // Component lines of the plants that ship to the site and of the plants that send them those
  // components by transfer (transitively): parts made in one plant and moved to another.
  std::vector<uint8_t> feeds(s.plants.size(), 0);
  for (int32_t p : plants) feeds[p] = 1;
  for (bool changed = true; changed;) {
    changed = false;
    for (const model::Transfer& x : s.transfers) {
      if (needed[x.component] && feeds[x.to_plant] && !feeds[x.from_plant]) feeds[x.from_plant] = changed = true;
    }
  }
  for (size_t m = 0; m < s.component_lines.size(); ++m) {
    const model::ComponentLine& line = s.component_lines[m];
    if (!feeds[line.plant] || !ComponentLineExists(line, r)) continue;
    if (std::none_of(line.components.begin(), line.components.end(), [&](int32_t c) { return needed[c] != 0; }))
      continue;
    const double w = BindingWeight(ix.cline_row, ix.dims.Week(static_cast<int32_t>(m), 0), last_week, duals);
    if (w > 0) nodes.emplace_back("line:" + line.id, w);
  }
  for (size_t r_i = 0; r_i < s.transfers.size(); ++r_i) {
    const model::Transfer& x = s.transfers[r_i];
    if (!needed[x.component] || !feeds[x.to_plant]) continue;
    const double w = TransitWeight(ix, duals, x, last_week);
    if (w > 0) nodes.emplace_back(TransferNode(s, x), w);
  }
  std::map<int32_t, double> suppliers;  // supplier -> weight, supplier order
  for (size_t c = 0; c < s.components.size(); ++c) {
    if (!needed[c]) continue;
    for (int32_t o : s.components[c].offers) {
      const double w = BindingWeight(ix.supply_row, ix.dims.Week(o, 0), last_week, duals);
      if (w > 0) suppliers[s.offers[o].supplier] += w;
    }
  }
  for (const auto& [sup, w] : suppliers) nodes.emplace_back("supplier:" + s.suppliers[sup].id, w);
  if (ix.domestic_row >= 0 && std::fabs(duals[ix.domestic_row]) > kDualTolerance) {
    nodes.emplace_back("policy:domestic", std::fabs(duals[ix.domestic_row]));
  }
  std::stable_sort(nodes.begin(), nodes.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return nodes;
}

/// "firm demand for g at site d: 7.5 racks late (7.5 rack-weeks); latest: demand week 1 (2026-W02) promised
/// week 2 (2026-W03), 1 week late; held back most by line:l (60 %), plant:p (40 %)".
std::string LateText(const LateDemand& late, const std::string& start_week) {
  std::string text = fmt::format("{} demand for {} at site {}", model::kDemandKindNames[static_cast<int>(late.kind)],
                                 late.design, late.site);
  if (late.latest) {
    const LatestOrder& o = *late.latest;
    text += fmt::format(": {:.1f} racks late ({:.1f} rack-weeks); latest: {:.1f} racks of demand week {} ", late.late_racks,
                        late.rack_weeks, o.racks, model::WeekLabel(start_week, o.demand_week));
    text += o.promised_week >= 0 ? fmt::format("promised week {}, {} week{} late", model::WeekLabel(start_week, o.promised_week),
                                               o.weeks_late, o.weeks_late == 1 ? "" : "s")
                                 : fmt::format("not delivered within the horizon ({}+ weeks late)", o.weeks_late);
  } else {
    text += fmt::format(" is {:.1f} rack-weeks late", late.rack_weeks);
  }
  if (late.held_back_by.empty()) {
    return text + "; no capacity row binds upstream (lead times, transit or design availability leave too little "
                  "time, or waiting is cheaper than building)";
  }
  // The text names the strongest three with their share; held_back_by keeps the whole ranked list.
  constexpr size_t kNamed = 3;
  const size_t named = std::min(kNamed, late.held_back_by.size());
  std::vector<std::string> parts;
  for (size_t i = 0; i < named; ++i) {
    parts.push_back(fmt::format("{} ({:.0f} %)", late.held_back_by[i], late.held_back_share[i] * 100.0));
  }
  text += "; held back most by " + fmt::format("{}", fmt::join(parts, ", "));
  if (late.held_back_by.size() > named) {
    double rest = 0;
    for (size_t i = named; i < late.held_back_share.size(); ++i) rest += late.held_back_share[i];
    text += fmt::format(" (the other {}: {:.0f} %)", late.held_back_by.size() - named, rest * 100.0);
  }
  return text;
}

std::vector<LateDemand> ExplainLateDemand(const model::Scenario& s, const PlanIndex& ix, const std::vector<double>& duals,
                                          const PlanResult& r) {
  std::vector<LateDemand> out;
  for (size_t d = 0; d < s.sites.size(); ++d) {
    for (int32_t g = 0; g < r.designs; ++g) {
      for (int32_t k = 0; k < model::kDemandKinds; ++k) {
        double total = 0;
        int32_t last = -1;
        for (int32_t t = 0; t < r.weeks; ++t) {
          const double v = r.back[r.BackIndex(static_cast<int32_t>(d), g, k, t)];
          total += v;
          if (v > kBacklogTolerance) last = t;
        }
        if (total <= kBacklogTolerance) continue;
        LateDemand late;
        late.site = s.sites[d].id;
        late.design = s.designs[g].id;
        late.kind = static_cast<model::DemandKind>(k);
        late.rack_weeks = total;
        double weight = 0;
        for (auto& [name, w] : HeldBackBy(s, ix, duals, r, static_cast<int32_t>(d), g, std::max(last, 0))) {
          late.held_back_by.push_back(std::move(name));
          late.held_back_share.push_back(w);
          weight += w;
        }
        for (double& share : late.held_back_share) share /= weight;
        late.text = LateText(late, s.start_week);
        out.push_back(std::move(late));
      }
    }
  }
  return out;
}

}  // namespace

void AddPromisesToLateDemand(const model::Scenario& scenario, PlanResult& result) {
  for (LateDemand& late : result.late_demand) {
    late.late_racks = 0;
    late.latest.reset();
    for (const PeggingRow& row : result.pegging) {
      if (row.weeks_late <= 0 || row.kind != late.kind || scenario.sites[row.site].id != late.site ||
          scenario.designs[row.design].id != late.design) {
        continue;
      }
      late.late_racks += row.racks;
      if (!late.latest || row.weeks_late > late.latest->weeks_late) {
        late.latest = LatestOrder{row.demand_week, row.arrival_week, row.racks, row.weeks_late};
      }
    }
    late.text = LateText(late, scenario.start_week);
  }
}

const char* ToString(BottleneckKind kind) {
  switch (kind) {
    case BottleneckKind::kLine: return "line";
    case BottleneckKind::kTest: return "test";
    case BottleneckKind::kSupply: return "supply";
    case BottleneckKind::kDomestic: return "domestic";
    case BottleneckKind::kComponentLine: return "component_line";
  }
  return "line";
}

void AnalyzeBottlenecks(const model::Scenario& scenario, const PlanIndex& index, const std::vector<double>& row_duals,
                        double domestic_min, PlanResult& result) {
  if (row_duals.empty()) return;
  result.bottlenecks = RankBottlenecks(scenario, index, row_duals, domestic_min, result);
  result.late_demand = ExplainLateDemand(scenario, index, row_duals, result);
}

}  // namespace rackforge::plan
