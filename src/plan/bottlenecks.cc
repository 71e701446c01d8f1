// Bottlenecks (row duals of the LP with binaries fixed, grouped into week
// ranges and ranked) and the explanation of late demand.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "plan/plan_index.h"

namespace rackforge::plan {
namespace {

constexpr double kDualTolerance = 1e-6;     // |dual| above this: the row binds
constexpr double kBacklogTolerance = 1e-6;  // rack-weeks

/// Appends one bottleneck per run of consecutive weeks with |dual| > tolerance in `row_of_week`.
void GroupWeeks(BottleneckKind kind, const std::string& node, const int32_t* row_of_week, int32_t weeks,
                const std::vector<double>& duals, const std::function<std::string(int32_t, int32_t, double)>& text,
                std::vector<Bottleneck>& out) {
  int32_t t = 0;
  while (t < weeks) {
    const int32_t row = row_of_week[t];
    if (row < 0 || std::fabs(duals[row]) <= kDualTolerance) {
      ++t;
      continue;
    }
    Bottleneck b{kind, node, t, t, 0.0, ""};
    while (t < weeks && row_of_week[t] >= 0 && std::fabs(duals[row_of_week[t]]) > kDualTolerance) {
      b.dual_usd_per_unit = std::max(b.dual_usd_per_unit, std::fabs(duals[row_of_week[t]]));
      b.last_week = t++;
    }
    b.text = text(b.first_week, b.last_week, b.dual_usd_per_unit);
    out.push_back(std::move(b));
  }
}

std::string Weeks(int32_t first, int32_t last) {
  return first == last ? fmt::format("week {}", first) : fmt::format("weeks {}-{}", first, last);
}

/// True when some row in `rows[0..weeks)` up to `last_week` has |dual| > tolerance.
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

std::vector<Bottleneck> RankBottlenecks(const model::Scenario& s, const PlanIndex& ix, const std::vector<double>& duals,
                                        double domestic_min, const PlanResult& r) {
  std::vector<Bottleneck> out;
  const int32_t H = ix.dims.weeks;
  for (size_t l = 0; l < s.lines.size(); ++l) {
    const model::Line& line = s.lines[l];
    if (!LineExists(line, r)) continue;
    GroupWeeks(BottleneckKind::kLine, "line:" + line.id, &ix.line_row[ix.dims.Week(static_cast<int32_t>(l), 0)], H, duals,
               [&](int32_t a, int32_t b, double d) {
                 return fmt::format("line {} at plant {}, {}: +{} per extra rack of line capacity", line.id,
                                    s.plants[line.plant].id, Weeks(a, b), FormatUsdCompact(d));
               },
               out);
  }
  for (size_t p = 0; p < s.plants.size(); ++p) {
    const std::string& id = s.plants[p].id;
    GroupWeeks(BottleneckKind::kTest, "plant:" + id, &ix.test_row[ix.dims.Week(static_cast<int32_t>(p), 0)], H, duals,
               [&](int32_t a, int32_t b, double d) {
                 return fmt::format("test cells at plant {}, {}: +{} per extra test hour", id, Weeks(a, b), FormatUsdCompact(d));
               },
               out);
  }
  for (size_t o = 0; o < s.offers.size(); ++o) {
    const model::Offer& offer = s.offers[o];
    const std::string& sup = s.suppliers[offer.supplier].id;
    const std::string& comp = s.components[offer.component].id;
    GroupWeeks(BottleneckKind::kSupply, "supplier:" + sup, &ix.supply_row[ix.dims.Week(static_cast<int32_t>(o), 0)], H,
               duals,
               [&](int32_t a, int32_t b, double d) {
                 return fmt::format("supply of {} from supplier {}, orders in {}: +{} per extra unit", comp, sup, Weeks(a, b),
                                    FormatUsdCompact(d));
               },
               out);
  }
  if (ix.domestic_row >= 0 && std::fabs(duals[ix.domestic_row]) > kDualTolerance) {
    const double d = std::fabs(duals[ix.domestic_row]);
    out.push_back({BottleneckKind::kDomestic, "policy:domestic", 0, H - 1, d,
                   fmt::format("domestic-content floor of {:.4g} %, weeks 0-{}: +{} per USD the floor is relaxed",
                               domestic_min * 100.0, H - 1, FormatUsdCompact(d))});
  }
  std::stable_sort(out.begin(), out.end(), [](const Bottleneck& a, const Bottleneck& b) {
    return a.dual_usd_per_unit > b.dual_usd_per_unit;
  });
  return out;
}

/// Node names of binding rows upstream of (site, design) up to `last_week`,
/// strongest first (by Σ |dual| over those weeks; ties keep scenario order).
std::vector<std::string> HeldBackBy(const model::Scenario& s, const PlanIndex& ix, const std::vector<double>& duals,
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
  std::map<int32_t, double> suppliers;  // supplier -> weight, supplier order
  for (const model::BomEntry& b : s.designs[design].bom) {
    for (int32_t o : s.components[b.component].offers) {
      const double w = BindingWeight(ix.supply_row, ix.dims.Week(o, 0), last_week, duals);
      if (w > 0) suppliers[s.offers[o].supplier] += w;
    }
  }
  for (const auto& [sup, w] : suppliers) nodes.emplace_back("supplier:" + s.suppliers[sup].id, w);
  if (ix.domestic_row >= 0 && std::fabs(duals[ix.domestic_row]) > kDualTolerance) {
    nodes.emplace_back("policy:domestic", std::fabs(duals[ix.domestic_row]));
  }
  std::stable_sort(nodes.begin(), nodes.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> names;
  names.reserve(nodes.size());
  for (auto& [name, w] : nodes) names.push_back(std::move(name));
  return names;
}

std::string LateText(const LateDemand& late) {
  std::string head = fmt::format("{} demand for {} at site {} is {:.1f} rack-weeks late", model::kDemandKindNames[static_cast<int>(late.kind)],
                                 late.design, late.site, late.rack_weeks);
  if (late.held_back_by.empty()) {
    return head + "; no capacity row binds upstream (lead times, transit or design availability leave too little "
                  "time, or waiting is cheaper than building)";
  }
  // The text names the strongest few; held_back_by keeps the whole ranked list.
  constexpr size_t kNamed = 4;
  const size_t named = std::min(kNamed, late.held_back_by.size());
  std::string text = head + "; held back most by " +
                     fmt::format("{}", fmt::join(late.held_back_by.begin(), late.held_back_by.begin() + named, ", "));
  if (late.held_back_by.size() > named) text += fmt::format(" and {} more", late.held_back_by.size() - named);
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
        LateDemand late{s.sites[d].id, s.designs[g].id, static_cast<model::DemandKind>(k), total, {}, ""};
        late.held_back_by = HeldBackBy(s, ix, duals, r, static_cast<int32_t>(d), g, std::max(last, 0));
        late.text = LateText(late);
        out.push_back(std::move(late));
      }
    }
  }
  return out;
}

}  // namespace

std::string FormatUsdCompact(double usd) {
  const double a = std::fabs(usd);
  const char* sign = usd < 0 ? "-" : "";
  if (a >= 1e9) return fmt::format("{}${:.1f}B", sign, a / 1e9);
  if (a >= 1e6) return fmt::format("{}${:.1f}M", sign, a / 1e6);
  if (a >= 1e3) return fmt::format("{}${:.1f}k", sign, a / 1e3);
  if (a >= 100) return fmt::format("{}${:.0f}", sign, a);
  return fmt::format("{}${:.2f}", sign, a);
}

const char* ToString(BottleneckKind kind) {
  switch (kind) {
    case BottleneckKind::kLine: return "line";
    case BottleneckKind::kTest: return "test";
    case BottleneckKind::kSupply: return "supply";
    case BottleneckKind::kDomestic: return "domestic";
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
