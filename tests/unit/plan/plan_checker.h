#pragma once
// An independent checker of a solved plan: re-derives every row of DESIGN.md
// "The plan model" from the scenario and the PlanResult's values (no plan/
// internals: no PlanIndex, no ComputeCostBreakdown), checks integrality of the
// whole families and recomputes the objective from the values. Each problem
// is one line of text; an empty list means the plan passes.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "model/availability.h"
#include "model/scenario.h"
#include "plan/plan.h"

namespace rackforge::testing {

struct CheckOptions {
  double tol = 1e-6;      // absolute tolerance of every row
  bool whole = true;      // make, makec, ship, buy, xfer must be whole numbers
  model::OptionDemandMode mode = model::OptionDemandMode::kExpected;
  std::vector<model::Disruption> disruptions;  // the plan's disruptions (the scenario's unless replaced)
  double domestic_min = 0;
};

/// makec[m,c,t] of the result (0 when the result has no makec values).
inline double Makec(const plan::PlanResult& r, size_t m, int32_t c, int32_t t) {
  const size_t i = (m * static_cast<size_t>(r.components) + c) * r.weeks + t;
  return i < r.makec.size() ? r.makec[i] : 0.0;
}

/// Σ cost_m·makec: the component lines' value added.
inline double InHouseValue(const model::Scenario& s, const plan::PlanResult& r) {
  double total = 0;
  for (size_t m = 0; m < s.component_lines.size(); ++m) {
    for (int32_t c : s.component_lines[m].components) {
      for (int32_t t = 0; t < r.weeks; ++t) total += s.component_lines[m].cost_usd_per_unit * Makec(r, m, c, t);
    }
  }
  return total;
}

/// The objective of the values in `r`, summed term by term from the scenario.
inline double RecomputeObjective(const model::Scenario& s, const plan::PlanResult& r) {
  const int32_t H = r.weeks;
  const int32_t P = static_cast<int32_t>(s.plants.size());
  double total = 0;
  const std::vector<model::SupplyLane> lanes = model::SupplyLanes(s);
  for (size_t o = 0; o < s.offers.size(); ++o) {
    const model::Offer& offer = s.offers[o];
    for (int32_t p = 0; p < P; ++p) {
      double freight = 0;
      for (const model::SupplyLane& sl : lanes) {
        if (sl.supplier == offer.supplier && sl.plant == p) freight = sl.cost_usd_per_unit;
      }
      for (int32_t t = 0; t < H; ++t) {
        total += ((1 + offer.tariff_rate) * offer.unit_cost_usd + freight) *
                 r.buy[(static_cast<size_t>(o) * P + p) * H + t];
      }
    }
  }
  for (size_t l = 0; l < s.lines.size(); ++l) {
    for (int32_t g = 0; g < r.designs; ++g) {
      for (int32_t t = 0; t < H; ++t) total += s.lines[l].cost_usd_per_rack * r.make[(l * r.designs + g) * H + t];
    }
  }
  for (size_t i = 0; i < s.lanes.size(); ++i) {
    for (int32_t g = 0; g < r.designs; ++g) {
      for (int32_t k = 0; k < model::kDemandKinds; ++k) {
        for (int32_t t = 0; t < H; ++t) {
          total += s.lanes[i].cost_usd_per_rack * r.ship[((i * r.designs + g) * model::kDemandKinds + k) * H + t];
        }
      }
    }
  }
  for (size_t x = 0; x < s.transfers.size(); ++x) {
    for (int32_t t = 0; t < H; ++t) total += s.transfers[x].cost_usd_per_unit * r.xfer[x * H + t];
  }
  total += InHouseValue(s, r);
  for (double v : r.inv) total += s.policy.rack_holding_usd_per_week * v;
  for (size_t c = 0; c < s.components.size(); ++c) {
    for (int32_t p = 0; p < P; ++p) {
      for (int32_t t = 0; t < H; ++t) {
        total += s.components[c].holding_usd_per_week * r.cinv[(c * P + p) * H + t];
      }
    }
  }
  for (size_t d = 0; d < s.sites.size(); ++d) {
    for (int32_t g = 0; g < r.designs; ++g) {
      for (int32_t k = 0; k < model::kDemandKinds; ++k) {
        const size_t base = ((d * r.designs + g) * model::kDemandKinds + k) * H;
        for (int32_t t = 0; t < H; ++t) total += s.policy.backlog_penalty.usd_per_rack_week[k] * r.back[base + t];
        total += s.policy.end_backlog_penalty_usd_per_rack[k] * r.back[base + H - 1];
      }
    }
  }
  for (size_t e = 0; e < s.expansions.size(); ++e) {
    if (r.opened[e]) total += s.expansions[e].capex_usd;
  }
  return total;
}

/// Every problem of the plan `r` against the model of scenario `s`.
inline std::vector<std::string> CheckPlan(const model::Scenario& s, const plan::PlanResult& r, const CheckOptions& o) {
  std::vector<std::string> bad;
  auto fail = [&](std::string text) {
    if (bad.size() < 50) bad.push_back(std::move(text));
  };
  const int32_t H = r.weeks;
  const int32_t G = r.designs;
  const int32_t P = static_cast<int32_t>(s.plants.size());
  const int32_t K = model::kDemandKinds;
  const double tol = o.tol;
  const model::Availability a(s, o.disruptions);
  auto make = [&](size_t l, int32_t g, int32_t t) { return r.make[(l * G + g) * H + t]; };
  auto ship = [&](size_t lane, int32_t g, int32_t k, int32_t t) { return r.ship[((lane * G + g) * K + k) * H + t]; };
  auto buy = [&](size_t of, int32_t p, int32_t t) { return r.buy[(of * P + p) * H + t]; };
  auto cinv = [&](size_t c, int32_t p, int32_t t) { return r.cinv[(c * P + p) * H + t]; };

  // Sizes, non-negativity, integrality.
  struct Family {
    const char* name;
    const std::vector<double>* values;
    size_t size;
    bool whole;
  };
  const Family families[] = {
      {"make", &r.make, s.lines.size() * G * H, o.whole},
      {"ship", &r.ship, s.lanes.size() * G * K * H, o.whole},
      {"buy", &r.buy, s.offers.size() * P * H, o.whole},
      {"xfer", &r.xfer, s.transfers.size() * H, o.whole},
      {"makec", &r.makec, r.makec.size(), o.whole},
      {"inv", &r.inv, static_cast<size_t>(P) * G * H, false},
      {"back", &r.back, s.sites.size() * G * K * H, false},
      {"cinv", &r.cinv, s.components.size() * P * H, false},
  };
  for (const Family& f : families) {
    if (f.values->size() != f.size) {
      fail(fmt::format("{}: {} values, expected {}", f.name, f.values->size(), f.size));
      return bad;
    }
    for (size_t i = 0; i < f.size; ++i) {
      const double v = (*f.values)[i];
      if (!(v >= -tol)) fail(fmt::format("{}[{}] = {} is negative", f.name, i, v));
      if (f.whole && v != std::round(v)) fail(fmt::format("{}[{}] = {:.17g} is not a whole number", f.name, i, v));
    }
  }

  // line and test.
  for (size_t l = 0; l < s.lines.size(); ++l) {
    const model::Line& line = s.lines[l];
    const bool open = line.expansion < 0 || r.opened[line.expansion];
    for (int32_t t = 0; t < H; ++t) {
      double sum = 0;
      for (int32_t g = 0; g < G; ++g) {
        const bool buildable = std::find(line.designs.begin(), line.designs.end(), g) != line.designs.end();
        const model::Design& d = s.designs[g];
        const bool in_window = t >= d.available_from_week && t <= d.last_build_week.value_or(H - 1);
        if ((!buildable || !in_window) && make(l, g, t) != 0) {
          fail(fmt::format("make[{},{},{}] = {} where the line cannot build", line.id, d.id, t, make(l, g, t)));
        }
        sum += make(l, g, t);
      }
      const double cap = open ? line.racks_per_week * a.line_availability(static_cast<int32_t>(l), t) : 0.0;
      if (sum > cap + tol) fail(fmt::format("line {} week {}: {} racks > capacity {}", line.id, t, sum, cap));
    }
  }
  for (int32_t p = 0; p < P; ++p) {
    const model::Plant& plant = s.plants[p];
    for (int32_t t = 0; t < H; ++t) {
      double hours = 0;
      for (size_t l = 0; l < s.lines.size(); ++l) {
        if (s.lines[l].plant != p) continue;
        for (int32_t g = 0; g < G; ++g) hours += s.designs[g].test_hours * make(l, g, t);
      }
      double cells = plant.test_cells;
      for (size_t e = 0; e < s.expansions.size(); ++e) {
        const model::Expansion& x = s.expansions[e];
        if (x.kind == model::ExpansionKind::kTestCells && x.plant == p && t >= x.active_from_week() && r.opened[e]) {
          cells += x.cells;
        }
      }
      const double cap = plant.test_hours_per_cell_week * cells * a.plant_multiplier(p, t);
      if (hours > cap + tol) fail(fmt::format("test {} week {}: {} h > {} h", plant.id, t, hours, cap));
    }
  }

  // racks balance; ships only where they arrive within the horizon.
  for (int32_t p = 0; p < P; ++p) {
    for (int32_t g = 0; g < G; ++g) {
      double stock = 0;
      for (int32_t t = 0; t < H; ++t) {
        for (size_t l = 0; l < s.lines.size(); ++l) {
          if (s.lines[l].plant == p) stock += make(l, g, t);
        }
        for (size_t lane = 0; lane < s.lanes.size(); ++lane) {
          if (s.lanes[lane].plant != p) continue;
          for (int32_t k = 0; k < K; ++k) {
            stock -= ship(lane, g, k, t);
            if (t + s.lanes[lane].transit_weeks > H - 1 && ship(lane, g, k, t) != 0) {
              fail(fmt::format("ship on lane {} week {} arrives after the horizon", lane, t));
            }
          }
        }
        const double inv = r.inv[(static_cast<size_t>(p) * G + g) * H + t];
        if (std::fabs(inv - stock) > tol) {
          fail(fmt::format("racks {} {} week {}: inv {} but made - shipped = {}", s.plants[p].id, s.designs[g].id, t,
                           inv, stock));
        }
      }
    }
  }

  // backlog.
  std::vector<double> demand(s.sites.size() * G * K * H, 0.0);
  for (const model::Demand& d : s.demand) {
    demand[((static_cast<size_t>(d.site) * G + d.design) * K + static_cast<int>(d.kind)) * H + d.week] +=
        model::PlanDemandRacks(d, o.mode);
  }
  for (size_t d = 0; d < s.sites.size(); ++d) {
    for (int32_t g = 0; g < G; ++g) {
      for (int32_t k = 0; k < K; ++k) {
        double owed = 0;
        for (int32_t t = 0; t < H; ++t) {
          const size_t at = ((d * G + g) * K + k) * H + t;
          owed += demand[at];
          for (size_t lane = 0; lane < s.lanes.size(); ++lane) {
            const int32_t depart = t - s.lanes[lane].transit_weeks;
            if (s.lanes[lane].site == static_cast<int32_t>(d) && depart >= 0) owed -= ship(lane, g, k, depart);
          }
          if (std::fabs(r.back[at] - owed) > tol) {
            fail(fmt::format("backlog {} {} {} week {}: back {} but owed {}", s.sites[d].id, s.designs[g].id,
                             model::kDemandKindNames[k], t, r.back[at], owed));
          }
        }
      }
    }
  }

  // cline: Σ_c makec[m,c,t] ≤ units_per_week·a(m,t) (· open[e] for an expansion line).
  for (size_t m = 0; m < s.component_lines.size(); ++m) {
    const model::ComponentLine& line = s.component_lines[m];
    const bool open = line.expansion < 0 || r.opened[line.expansion] != 0;
    for (int32_t t = 0; t < H; ++t) {
      double sum = 0;
      for (int32_t c : line.components) sum += Makec(r, m, c, t);
      const double cap = open ? line.units_per_week * a.component_line_availability(static_cast<int32_t>(m), t) : 0.0;
      if (sum > cap + tol) fail(fmt::format("component line {} week {}: {} units > capacity {}", line.id, t, sum, cap));
    }
  }

  // parts balance per plant; supply; purchase windows.
  const std::vector<model::SupplyLane> lanes = model::SupplyLanes(s);
  for (size_t c = 0; c < s.components.size(); ++c) {
    for (int32_t p = 0; p < P; ++p) {
      double stock = 0;
      for (const model::OnHand& h : s.on_hand) {
        if (h.component == static_cast<int32_t>(c) && h.plant == p) stock += h.units;
      }
      for (int32_t t = 0; t < H; ++t) {
        for (int32_t of : s.components[c].offers) {
          for (const model::SupplyLane& sl : lanes) {
            if (sl.supplier != s.offers[of].supplier || sl.plant != p) continue;
            const int32_t order = t - s.offers[of].lead_time_weeks - sl.transit_weeks;
            if (order >= 0) stock += buy(of, p, order);
          }
        }
        for (size_t x = 0; x < s.transfers.size(); ++x) {
          const model::Transfer& tr = s.transfers[x];
          if (tr.component != static_cast<int32_t>(c)) continue;
          if (tr.to_plant == p && t - tr.transit_weeks >= 0) stock += r.xfer[x * H + t - tr.transit_weeks];
          if (tr.from_plant == p) stock -= r.xfer[x * H + t];
        }
        for (size_t l = 0; l < s.lines.size(); ++l) {
          if (s.lines[l].plant != p) continue;
          for (int32_t g = 0; g < G; ++g) {
            for (const model::BomEntry& b : s.designs[g].bom) {
              if (b.component == static_cast<int32_t>(c)) stock -= b.qty * make(l, g, t);
            }
          }
        }
        for (size_t m = 0; m < s.component_lines.size(); ++m) {
          if (s.component_lines[m].plant != p) continue;
          for (int32_t made : s.component_lines[m].components) {
            if (made == static_cast<int32_t>(c)) stock += Makec(r, m, made, t);
            for (const model::BomEntry& b : s.components[made].parts) {
              if (b.component == static_cast<int32_t>(c)) stock -= b.qty * Makec(r, m, made, t);
            }
          }
        }
        if (std::fabs(cinv(c, p, t) - stock) > tol) {
          fail(fmt::format("parts {} at {} week {}: cinv {} but stock {}", s.components[c].id, s.plants[p].id, t,
                           cinv(c, p, t), stock));
        }
      }
    }
  }
  for (size_t of = 0; of < s.offers.size(); ++of) {
    const model::Offer& offer = s.offers[of];
    for (int32_t t = 0; t < H; ++t) {
      double units = 0;
      for (int32_t p = 0; p < P; ++p) {
        units += buy(of, p, t);
        if (buy(of, p, t) == 0) continue;
        double transit = -1;
        for (const model::SupplyLane& sl : lanes) {
          if (sl.supplier == offer.supplier && sl.plant == p) transit = sl.transit_weeks;
        }
        if (transit < 0 || t < offer.available_from_week || t > offer.last_order_week.value_or(H - 1) ||
            t + offer.lead_time_weeks + transit > H - 1) {
          fail(fmt::format("buy offer {} plant {} week {} outside its lane or window", of, p, t));
        }
      }
      const double cap = offer.capacity_per_week * a.supplier_multiplier(offer.supplier, t);
      if (units > cap + tol) fail(fmt::format("supply offer {} week {}: {} > {}", of, t, units, cap));
    }
  }

  // share, domestic, budget.
  std::vector<double> bought(s.offers.size(), 0.0);
  for (size_t of = 0; of < s.offers.size(); ++of) {
    for (int32_t p = 0; p < P; ++p) {
      for (int32_t t = 0; t < H; ++t) bought[of] += buy(of, p, t);
    }
  }
  for (const model::Component& comp : s.components) {
    if (comp.offer_rows_in_file < 2) continue;
    double all = 0;
    for (int32_t of : comp.offers) all += bought[of];
    for (int32_t of : comp.offers) {
      if (bought[of] > s.policy.max_supplier_share * all + tol) {
        fail(fmt::format("share offer {}: {} of {}", of, bought[of], all));
      }
    }
  }
  double domestic = 0, spend = 0;
  for (size_t of = 0; of < s.offers.size(); ++of) {
    const double v = s.offers[of].unit_cost_usd * bought[of];
    spend += v;
    if (s.suppliers[s.offers[of].supplier].domestic()) domestic += v;
  }
  const double in_house = InHouseValue(s, r);  // every plant is in the US
  domestic += in_house;
  spend += in_house;
  if (domestic < o.domestic_min * spend - tol) fail(fmt::format("domestic: {} < {} x {}", domestic, o.domestic_min, spend));
  if (s.policy.capex_budget_usd) {
    double capex = 0;
    for (size_t e = 0; e < s.expansions.size(); ++e) capex += r.opened[e] ? s.expansions[e].capex_usd : 0.0;
    if (capex > *s.policy.capex_budget_usd + tol) fail(fmt::format("budget: {} > {}", capex, *s.policy.capex_budget_usd));
  }

  // objective.
  const double objective = RecomputeObjective(s, r);
  if (std::fabs(objective - r.objective_usd) > 1e-9 * std::max(1.0, std::fabs(objective))) {
    fail(fmt::format("objective_usd {:.17g} but the values cost {:.17g}", r.objective_usd, objective));
  }
  return bad;
}

}  // namespace rackforge::testing
