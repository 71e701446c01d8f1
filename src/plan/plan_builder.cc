// Columns and rows of DESIGN.md "The plan model", one function per family.
// Every coefficient goes straight into flat column/CSR arrays (RowBlock),
// handed to the solver layer in one call each.

#include <algorithm>
#include <tuple>

#include "plan/plan_index.h"

namespace rackforge::plan {
namespace {

using model::kDemandKinds;
using solver::ColumnBlock;
using solver::kInfinity;
using solver::RowBlock;

/// Read-only lookups shared by the row builders.
struct Context {
  const model::Scenario& s;
  const model::Availability& a;
  const ModelVariant& variant;
  Dims dims;
  int32_t first_col = 0;
  std::vector<std::vector<int32_t>> lanes_from_plant;   // [plant] -> lanes
  std::vector<std::vector<int32_t>> lanes_to_site;      // [site] -> lanes
  std::vector<std::vector<int32_t>> lines_of_plant;     // existing + expansion lines
  std::vector<std::vector<int32_t>> lines_of_design;    // lines that can build g
  std::vector<std::vector<std::pair<int32_t, double>>> users_of_component;  // [c] -> (design, qty)
  std::vector<model::SupplyLane> supply_lanes;                       // in effect (model::SupplyLanes)
  std::vector<std::vector<int32_t>> lanes_of_supplier;               // [supplier] -> supply lanes
  std::vector<uint8_t> uses;        // [component][plant]: a rack line of the plant builds a design using it
  std::vector<uint8_t> needed;      // [component][plant]: uses, or a transfer (p→q, c) leaves p with c needed at q
  std::vector<std::vector<int32_t>> transfers_into;   // [component][plant] -> transfer rows arriving there
  std::vector<std::vector<int32_t>> transfers_out_of; // [component][plant] -> transfer rows leaving there
  std::vector<double> on_hand;      // [component][plant]
  std::vector<uint8_t> stocked;     // [component][plant]: a parts row (and cinv) exists
  std::vector<std::vector<int32_t>> made_here;  // [component][plant] -> component lines of the plant making it
  /// [part][plant] -> (component line m of the plant, component c' ∈ C(m), bom(c', part)).
  std::vector<std::vector<std::tuple<int32_t, int32_t, double>>> bom_users_here;
  /// [plant][design]: the first week with a make column at a line of the plant for the design (H when
  /// none): before it the plant holds none of the design, so inv and ship from there are 0.
  std::vector<int32_t> first_make;
  /// [site][design][kind]: the first week with demand (H when none): an arrival before it would
  /// make the backlog negative, so ship arriving earlier is 0.
  std::vector<int32_t> first_demand;
  size_t CP(int32_t comp, int32_t plant) const { return static_cast<size_t>(comp) * s.plants.size() + plant; }
};

/// The first week of each make column family (see Context::first_make).
int32_t FirstMakeWeek(const model::Design& design, int32_t weeks) {
  const int32_t first = std::max(0, design.available_from_week);
  const int32_t last = std::min(weeks - 1, design.last_build_week.value_or(weeks - 1));
  return first <= last ? first : weeks;
}

Context MakeContext(const model::Scenario& s, const model::Availability& a, const ModelVariant& variant,
                    const Dims& dims, const std::vector<double>& demand) {
  // clang-format off
  Context c{s, a, variant, dims, 0, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}};
  // clang-format on
  const int32_t H = s.horizon_weeks;
  const size_t G = s.designs.size();
  c.first_make.assign(s.plants.size() * G, H);
  for (const model::Line& line : s.lines) {
    for (int32_t g : line.designs) {
      int32_t& first = c.first_make[static_cast<size_t>(line.plant) * G + g];
      first = std::min(first, FirstMakeWeek(s.designs[g], H));
    }
  }
  c.first_demand.assign(demand.size() / std::max(1, H), H);
  for (size_t series = 0; series < c.first_demand.size(); ++series) {
    for (int32_t t = 0; t < H; ++t) {
      if (demand[series * H + t] > 0) {
        c.first_demand[series] = t;
        break;
      }
    }
  }
  c.lanes_from_plant.resize(s.plants.size());
  c.lanes_to_site.resize(s.sites.size());
  for (size_t i = 0; i < s.lanes.size(); ++i) {
    c.lanes_from_plant[s.lanes[i].plant].push_back(static_cast<int32_t>(i));
    c.lanes_to_site[s.lanes[i].site].push_back(static_cast<int32_t>(i));
  }
  c.lines_of_plant.resize(s.plants.size());
  c.lines_of_design.resize(s.designs.size());
  for (size_t l = 0; l < s.lines.size(); ++l) {
    c.lines_of_plant[s.lines[l].plant].push_back(static_cast<int32_t>(l));
    for (int32_t g : s.lines[l].designs) c.lines_of_design[g].push_back(static_cast<int32_t>(l));
  }
  c.users_of_component.resize(s.components.size());
  for (size_t g = 0; g < s.designs.size(); ++g) {
    for (const model::BomEntry& b : s.designs[g].bom) {
      if (b.qty != 0.0) c.users_of_component[b.component].push_back({static_cast<int32_t>(g), b.qty});
    }
  }
  c.supply_lanes = model::SupplyLanes(s);
  c.lanes_of_supplier.resize(s.suppliers.size());
  for (size_t i = 0; i < c.supply_lanes.size(); ++i) c.lanes_of_supplier[c.supply_lanes[i].supplier].push_back(static_cast<int32_t>(i));
  const size_t P = s.plants.size();
  c.uses.assign(s.components.size() * P, 0);
  for (size_t l = 0; l < s.lines.size(); ++l) {
    for (int32_t g : s.lines[l].designs) {
      for (const model::BomEntry& b : s.designs[g].bom) {
        if (b.qty != 0.0) c.uses[c.CP(b.component, s.lines[l].plant)] = 1;
      }
    }
  }
  // Component lines: what each plant makes, and the parts its lines use (those are needed there).
  c.made_here.resize(s.components.size() * P);
  c.bom_users_here.resize(s.components.size() * P);
  for (size_t m = 0; m < s.component_lines.size(); ++m) {
    const model::ComponentLine& line = s.component_lines[m];
    for (int32_t comp : line.components) {
      c.made_here[c.CP(comp, line.plant)].push_back(static_cast<int32_t>(m));
      for (const model::BomEntry& part : s.components[comp].parts) {
        c.bom_users_here[c.CP(part.component, line.plant)].emplace_back(static_cast<int32_t>(m), comp, part.qty);
      }
    }
  }
  // A plant needs a part it passes on: (p→q, c) with c needed at q makes c
  // needed at p, transitively (a chain of transfers); a fixed point over the rows.
  c.needed = c.uses;
  for (size_t i = 0; i < c.needed.size(); ++i) {
    if (!c.bom_users_here[i].empty()) c.needed[i] = 1;  // a part of something made at the plant
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (const model::Transfer& x : s.transfers) {
      uint8_t& from = c.needed[c.CP(x.component, x.from_plant)];
      if (from == 0 && c.needed[c.CP(x.component, x.to_plant)] != 0) {
        from = 1;
        changed = true;
      }
    }
  }
  c.on_hand.assign(s.components.size() * P, 0.0);
  for (const model::OnHand& h : s.on_hand) c.on_hand[c.CP(h.component, h.plant)] += h.units;
  c.stocked.assign(s.components.size() * P, 0);
  for (size_t i = 0; i < c.stocked.size(); ++i) {
    c.stocked[i] = c.needed[i] != 0 || c.on_hand[i] > 0 || !c.made_here[i].empty() ? 1 : 0;
  }
  c.transfers_into.resize(s.components.size() * P);
  c.transfers_out_of.resize(s.components.size() * P);
  for (size_t r = 0; r < s.transfers.size(); ++r) {
    const model::Transfer& x = s.transfers[r];
    c.transfers_out_of[c.CP(x.component, x.from_plant)].push_back(static_cast<int32_t>(r));
    c.transfers_into[c.CP(x.component, x.to_plant)].push_back(static_cast<int32_t>(r));
  }
  return c;
}

bool CostObjective(const Context& c) { return c.variant.objective == ModelVariant::Objective::kCost; }

// ---- columns ---------------------------------------------------------------

void AddMakeColumns(const Context& c, ColumnBlock& cols, PlanIndex& ix) {
  const int32_t H = c.dims.weeks;
  ix.make.assign(c.s.lines.size() * c.dims.designs * H, -1);
  for (size_t l = 0; l < c.s.lines.size(); ++l) {
    const model::Line& line = c.s.lines[l];
    const double cost = CostObjective(c) ? line.cost_usd_per_rack : 0.0;
    for (int32_t g : line.designs) {
      const model::Design& design = c.s.designs[g];
      const size_t base = c.dims.Make(static_cast<int32_t>(l), g, 0);
      const int32_t last = std::min(H - 1, design.last_build_week.value_or(H - 1));  // phase-out
      for (int32_t t = FirstMakeWeek(design, H); t <= last; ++t) {
        ix.make[base + t] = c.first_col + cols.Add(0.0, kInfinity, cost);
      }
    }
  }
}

/// ship[p,g,d,k,t] for t + transit ≤ H−1, from the first week the plant can hold g (first_make) and
/// arriving no earlier than the first demand of (d,g,k): outside that window it is 0 (no racks of g
/// at p yet; or the backlog would go below 0), so it gets no column.
void AddShipColumns(const Context& c, ColumnBlock& cols, PlanIndex& ix) {
  const int32_t H = c.dims.weeks;
  ix.ship.assign(c.s.lanes.size() * c.dims.designs * kDemandKinds * H, -1);
  for (size_t i = 0; i < c.s.lanes.size(); ++i) {
    const model::Lane& lane = c.s.lanes[i];
    const double cost = CostObjective(c) ? lane.cost_usd_per_rack : 0.0;
    for (int32_t g = 0; g < c.dims.designs; ++g) {
      const int32_t held_from = c.first_make[static_cast<size_t>(lane.plant) * c.dims.designs + g];
      for (int32_t k = 0; k < kDemandKinds; ++k) {
        const size_t base = c.dims.Ship(static_cast<int32_t>(i), g, k, 0);
        const int32_t wanted_from = c.first_demand[c.dims.Back(lane.site, g, k, 0) / H] - lane.transit_weeks;
        for (int32_t t = std::max({0, held_from, wanted_from}); t + lane.transit_weeks <= H - 1; ++t) {
          ix.ship[base + t] = c.first_col + cols.Add(0.0, kInfinity, cost);
        }
      }
    }
  }
}

/// inv[p,g,t] from the first week the plant can make g (first_make; none when it never can).
void AddInventoryColumns(const Context& c, ColumnBlock& cols, PlanIndex& ix) {
  const double cost = CostObjective(c) ? c.s.policy.rack_holding_usd_per_week : 0.0;
  const int32_t H = c.dims.weeks;
  ix.inv.assign(c.s.plants.size() * c.dims.designs * H, -1);
  for (int32_t p = 0; p < c.dims.plants; ++p) {
    for (int32_t g = 0; g < c.dims.designs; ++g) {
      const size_t base = c.dims.Inv(p, g, 0);
      for (int32_t t = c.first_make[static_cast<size_t>(p) * c.dims.designs + g]; t < H; ++t) {
        ix.inv[base + t] = c.first_col + cols.Add(0.0, kInfinity, cost);
      }
    }
  }
}

void AddBacklogColumns(const Context& c, ColumnBlock& cols, PlanIndex& ix) {
  const int32_t H = c.dims.weeks;
  ix.back.resize(c.s.sites.size() * c.dims.designs * kDemandKinds * H);
  size_t i = 0;
  for (size_t d = 0; d < c.s.sites.size(); ++d) {
    for (int32_t g = 0; g < c.dims.designs; ++g) {
      for (int32_t k = 0; k < kDemandKinds; ++k) {
        for (int32_t t = 0; t < H; ++t) {
          double cost = c.s.policy.backlog_penalty.usd_per_rack_week[k];
          if (t == H - 1) cost += c.s.policy.end_backlog_penalty_usd_per_rack[k];  // still owed at the end
          if (!CostObjective(c)) cost = t >= c.variant.backlog_from_week ? 1.0 : 0.0;
          ix.back[i++] = c.first_col + cols.Add(0.0, kInfinity, cost);
        }
      }
    }
  }
}

/// buy[o,p,t]: a supply lane s(o)->p exists, p needs c(o) (a part a plant can neither use nor pass on
/// stays 0, so it gets no column), available_from ≤ t ≤ last_order, t + lead + transit ≤ H−1.
void AddBuyColumns(const Context& c, ColumnBlock& cols, PlanIndex& ix) {
  const int32_t H = c.dims.weeks;
  ix.buy.assign(c.s.offers.size() * c.s.plants.size() * H, -1);
  for (size_t o = 0; o < c.s.offers.size(); ++o) {
    const model::Offer& offer = c.s.offers[o];
    const double price = (1.0 + offer.tariff_rate) * offer.unit_cost_usd;
    const int32_t last = offer.last_order_week.value_or(H - 1);  // last-time buy
    for (int32_t lane : c.lanes_of_supplier[offer.supplier]) {
      const model::SupplyLane& sl = c.supply_lanes[lane];
      if (c.needed[c.CP(offer.component, sl.plant)] == 0) continue;
      const double cost = CostObjective(c) ? price + sl.cost_usd_per_unit : 0.0;
      const int32_t delay = offer.lead_time_weeks + sl.transit_weeks;
      for (int32_t t = std::max(0, offer.available_from_week); t <= last && t + delay <= H - 1; ++t) {
        ix.buy[c.dims.AtPlant(static_cast<int32_t>(o), sl.plant, t)] = c.first_col + cols.Add(0.0, kInfinity, cost);
      }
    }
  }
}

/// xfer[r,t] for t + τ_r ≤ H−1 (leaves p in week t, arrives at q in week t + τ_r), where both
/// plants have a parts row for c (with none at p the part is never there; with none at q it is
/// never needed or held there, so moving it only costs).
void AddTransferColumns(const Context& c, ColumnBlock& cols, PlanIndex& ix) {
  const int32_t H = c.dims.weeks;
  ix.xfer.assign(c.s.transfers.size() * H, -1);
  for (size_t r = 0; r < c.s.transfers.size(); ++r) {
    const model::Transfer& x = c.s.transfers[r];
    if (c.stocked[c.CP(x.component, x.from_plant)] == 0 || c.stocked[c.CP(x.component, x.to_plant)] == 0) continue;
    const double cost = CostObjective(c) ? x.cost_usd_per_unit : 0.0;
    for (int32_t t = 0; t + x.transit_weeks <= H - 1; ++t) {
      ix.xfer[c.dims.Week(static_cast<int32_t>(r), t)] = c.first_col + cols.Add(0.0, kInfinity, cost);
    }
  }
}

/// cinv[c,p,t] where the plant needs the part (uses it or passes it on) or holds stock of it (elsewhere it is 0).
void AddPartsInventoryColumns(const Context& c, ColumnBlock& cols, PlanIndex& ix) {
  const size_t P = c.s.plants.size();
  ix.cinv.assign(c.s.components.size() * P * c.dims.weeks, -1);
  for (size_t ci = 0; ci < c.s.components.size(); ++ci) {
    const double cost = CostObjective(c) ? c.s.components[ci].holding_usd_per_week : 0.0;
    for (size_t p = 0; p < P; ++p) {
      if (c.stocked[c.CP(static_cast<int32_t>(ci), static_cast<int32_t>(p))] == 0) continue;
      for (int32_t t = 0; t < c.dims.weeks; ++t) {
        ix.cinv[c.dims.AtPlant(static_cast<int32_t>(ci), static_cast<int32_t>(p), t)] =
            c.first_col + cols.Add(0.0, kInfinity, cost);
      }
    }
  }
}

void AddOpenColumns(const Context& c, ColumnBlock& cols, PlanIndex& ix) {
  ix.open.resize(c.s.expansions.size());
  for (size_t e = 0; e < c.s.expansions.size(); ++e) {
    const double cost = CostObjective(c) ? c.s.expansions[e].capex_usd : 0.0;
    ix.open[e] = c.first_col + cols.Add(0.0, 1.0, cost, c.variant.integer_expansions);
  }
}

// ---- rows --------------------------------------------------------------------

/// Ends the capacity row of a rack or component line whose terms are in: ≤ cap
/// for an existing line, − cap·open[e] ≤ 0 for the line of expansion e. Returns the row.
int32_t EndCapacityRow(RowBlock& rows, int32_t first_row, const PlanIndex& ix, int32_t expansion, double cap) {
  if (expansion < 0) return first_row + rows.End(-kInfinity, cap);
  rows.Coef(ix.open[expansion], -cap);
  return first_row + rows.End(-kInfinity, 0.0);
}

/// line: Σ_g make[l,g,t] − rpw·a(l,t)·open[e] ≤ 0 (expansion) or ≤ rpw·a(l,t).
void AddLineRows(const Context& c, RowBlock& rows, int32_t first_row, PlanIndex& ix) {
  const int32_t H = c.dims.weeks;
  ix.line_row.assign(c.s.lines.size() * H, -1);
  for (size_t l = 0; l < c.s.lines.size(); ++l) {
    const model::Line& line = c.s.lines[l];
    for (int32_t t = 0; t < H; ++t) {
      for (int32_t g : line.designs) {
        const int32_t col = ix.make[c.dims.Make(static_cast<int32_t>(l), g, t)];
        if (col >= 0) rows.Coef(col, 1.0);
      }
      if (rows.CurrentRowEmpty()) continue;
      const double cap = line.racks_per_week * c.a.line_availability(static_cast<int32_t>(l), t);
      ix.line_row[c.dims.Week(static_cast<int32_t>(l), t)] = EndCapacityRow(rows, first_row, ix, line.expansion, cap);
    }
  }
}

/// test: Σ_{l∈p,g} test_hours_g·make − Σ_e hpcw·cells_e·m(p,t)·open[e] ≤ hpcw·cells_p·m(p,t), the rule of
/// model::TestCellsAt and Availability::test_hours (e: the expansions that AddsTestCells at t).
void AddTestRows(const Context& c, RowBlock& rows, int32_t first_row, PlanIndex& ix) {
  const int32_t H = c.dims.weeks;
  ix.test_row.assign(c.s.plants.size() * H, -1);
  for (size_t p = 0; p < c.s.plants.size(); ++p) {
    const model::Plant& plant = c.s.plants[p];
    for (int32_t t = 0; t < H; ++t) {
      for (int32_t l : c.lines_of_plant[p]) {
        for (int32_t g : c.s.lines[l].designs) {
          const int32_t col = ix.make[c.dims.Make(l, g, t)];
          if (col >= 0) rows.Coef(col, c.s.designs[g].test_hours);
        }
      }
      if (rows.CurrentRowEmpty()) continue;
      const int32_t plant_idx = static_cast<int32_t>(p);
      for (size_t e = 0; e < c.s.expansions.size(); ++e) {
        const model::Expansion& ex = c.s.expansions[e];
        if (model::AddsTestCells(ex, plant_idx, t)) rows.Coef(ix.open[e], -c.a.test_hours(plant_idx, ex.cells, t));
      }
      const double rhs = c.a.test_hours(plant_idx, plant.test_cells, t);
      ix.test_row[c.dims.Week(plant_idx, t)] = first_row + rows.End(-kInfinity, rhs);
    }
  }
}

/// racks: inv[p,g,t] − inv[p,g,t−1] − Σ_{l∈p} make[l,g,t] + Σ_{d,k} ship[p,g,d,k,t] = 0.
void AddRackBalanceRows(const Context& c, RowBlock& rows, const PlanIndex& ix) {
  const int32_t H = c.dims.weeks;
  for (size_t p = 0; p < c.s.plants.size(); ++p) {
    for (int32_t g = 0; g < c.dims.designs; ++g) {
      for (int32_t t = 0; t < H; ++t) {
        if (t < c.first_make[p * c.dims.designs + g]) continue;  // no inv, make or ship column: no row
        rows.Coef(ix.inv[c.dims.Inv(static_cast<int32_t>(p), g, t)], 1.0);
        if (t > 0 && ix.inv[c.dims.Inv(static_cast<int32_t>(p), g, t - 1)] >= 0) {
          rows.Coef(ix.inv[c.dims.Inv(static_cast<int32_t>(p), g, t - 1)], -1.0);
        }
        for (int32_t l : c.lines_of_plant[p]) {
          const int32_t col = ix.make[c.dims.Make(l, g, t)];
          if (col >= 0) rows.Coef(col, -1.0);
        }
        for (int32_t lane : c.lanes_from_plant[p]) {
          for (int32_t k = 0; k < kDemandKinds; ++k) {
            const int32_t col = ix.ship[c.dims.Ship(lane, g, k, t)];
            if (col >= 0) rows.Coef(col, 1.0);
          }
        }
        rows.End(0.0, 0.0);
      }
    }
  }
}

/// backlog: back[d,g,k,t] − back[d,g,k,t−1] + Σ_p ship[p,g,d,k,t−transit] = demand[d,g,k,t].
void AddBacklogRows(const Context& c, RowBlock& rows, int32_t first_row, PlanIndex& ix, const std::vector<double>& demand) {
  const int32_t H = c.dims.weeks;
  ix.backlog_row.assign(ix.back.size(), -1);
  for (size_t d = 0; d < c.s.sites.size(); ++d) {
    for (int32_t g = 0; g < c.dims.designs; ++g) {
      for (int32_t k = 0; k < kDemandKinds; ++k) {
        for (int32_t t = 0; t < H; ++t) {
          const size_t at = c.dims.Back(static_cast<int32_t>(d), g, k, t);
          rows.Coef(ix.back[at], 1.0);
          if (t > 0) rows.Coef(ix.back[at - 1], -1.0);
          for (int32_t lane : c.lanes_to_site[d]) {
            const int32_t depart = t - c.s.lanes[lane].transit_weeks;
            if (depart < 0) continue;
            const int32_t col = ix.ship[c.dims.Ship(lane, g, k, depart)];
            if (col >= 0) rows.Coef(col, 1.0);
          }
          ix.backlog_row[at] = first_row + rows.End(demand[at], demand[at]);
        }
      }
    }
  }
}

// ---- component lines (one family: columns, cline rows, parts terms, in-house value) ------------

/// makec[m,c,t] for c ∈ C(m) and the line's weeks t ≥ start_week (an expansion line: earliest_week +
/// lead_time_weeks), at cost_m per unit.
void AddMakecColumns(const Context& c, ColumnBlock& cols, PlanIndex& ix) {
  const int32_t H = c.dims.weeks;
  ix.makec.assign(c.s.component_lines.size() * c.s.components.size() * H, -1);
  for (size_t m = 0; m < c.s.component_lines.size(); ++m) {
    const model::ComponentLine& line = c.s.component_lines[m];
    const double cost = CostObjective(c) ? line.cost_usd_per_unit : 0.0;
    for (int32_t comp : line.components) {
      const size_t base = c.dims.Makec(static_cast<int32_t>(m), comp, 0);
      for (int32_t t = std::max(0, line.start_week); t < H; ++t)
        ix.makec[base + t] = c.first_col + cols.Add(0.0, kInfinity, cost);
    }
  }
}

/// cline: Σ_{c∈C(m)} makec[m,c,t] − upw·a(m,t)·open[e] ≤ 0 (expansion) or ≤ upw·a(m,t).
void AddComponentLineRows(const Context& c, RowBlock& rows, int32_t first_row, PlanIndex& ix) {
  const int32_t H = c.dims.weeks;
  ix.cline_row.assign(c.s.component_lines.size() * H, -1);
  for (size_t m = 0; m < c.s.component_lines.size(); ++m) {
    const model::ComponentLine& line = c.s.component_lines[m];
    for (int32_t t = 0; t < H; ++t) {
      for (int32_t comp : line.components) {
        const int32_t col = ix.makec[c.dims.Makec(static_cast<int32_t>(m), comp, t)];
        if (col >= 0) rows.Coef(col, 1.0);
      }
      if (rows.CurrentRowEmpty()) continue;
      const double cap = line.units_per_week * c.a.component_line_availability(static_cast<int32_t>(m), t);
      ix.cline_row[c.dims.Week(static_cast<int32_t>(m), t)] = EndCapacityRow(rows, first_row, ix, line.expansion, cap);
    }
  }
}

/// The parts row's component-line terms at (comp, plant, t): − makec[m,comp,t] for the plant's lines
/// making comp, + bom(c',comp)·makec[m,c',t] for the plant's lines making c' from comp.
void AddComponentLineParts(const Context& c, const PlanIndex& ix, int32_t comp, int32_t plant, int32_t t,
                           RowBlock& rows) {
  for (int32_t m : c.made_here[c.CP(comp, plant)]) {
    const int32_t col = ix.makec[c.dims.Makec(m, comp, t)];
    if (col >= 0) rows.Coef(col, -1.0);
  }
  for (const auto& [m, made, qty] : c.bom_users_here[c.CP(comp, plant)]) {
    const int32_t col = ix.makec[c.dims.Makec(m, made, t)];
    if (col >= 0) rows.Coef(col, qty);
  }
}

/// in_house_value = Σ cost_m·makec[m,c,t]: one auxiliary column (like bought[o]) so that the domestic
/// row holds one coefficient for the in-house value added; none when no makec column has a cost.
void AddInHouseValueColumn(const Context& c, ColumnBlock& cols, PlanIndex& ix) {
  for (size_t m = 0; m < c.s.component_lines.size(); ++m) {
    if (c.s.component_lines[m].cost_usd_per_unit == 0.0) continue;
    const size_t per_line = c.s.components.size() * static_cast<size_t>(c.dims.weeks);
    const int32_t* week_cols = ix.makec.data() + m * per_line;
    if (std::any_of(week_cols, week_cols + per_line, [](int32_t col) { return col >= 0; })) {
      ix.in_house_value = c.first_col + cols.Add(0.0, kInfinity, 0.0);
      return;
    }
  }
}

/// in_house_value − Σ cost_m·makec = 0.
void AddInHouseValueRow(const Context& c, RowBlock& rows, const PlanIndex& ix) {
  if (ix.in_house_value < 0) return;
  rows.Coef(ix.in_house_value, 1.0);
  for (size_t m = 0; m < c.s.component_lines.size(); ++m) {
    const model::ComponentLine& line = c.s.component_lines[m];
    if (line.cost_usd_per_unit == 0.0) continue;
    for (int32_t comp : line.components) {
      for (int32_t t = 0; t < c.dims.weeks; ++t) {
        const int32_t col = ix.makec[c.dims.Makec(static_cast<int32_t>(m), comp, t)];
        if (col >= 0) rows.Coef(col, -line.cost_usd_per_unit);
      }
    }
  }
  rows.End(0.0, 0.0);
}

/// parts: cinv[c,p,t] − cinv[c,p,t−1] − Σ_o buy[o,p,t−lead−transit] − Σ_{r=(q→p,c)} xfer[r,t−τ_r]
///        + Σ_{r=(p→q,c)} xfer[r,t] + Σ_{l∈p,g} qty(g,c)·make[l,g,t]
///        − Σ_{m∈p} makec[m,c,t] + Σ_{m∈p,c'∈C(m)} bom(c',c)·makec[m,c',t]
///        = on_hand(p,c) (t = 0) or 0, for every (c,p) with a cinv column.
void AddPartsRows(const Context& c, RowBlock& rows, int32_t first_row, PlanIndex& ix) {
  const int32_t H = c.dims.weeks;
  const size_t P = c.s.plants.size();
  ix.parts_row.assign(ix.cinv.size(), -1);
  std::vector<std::vector<std::pair<int32_t, int32_t>>> arrivals(P);  // [plant] -> (offer, delay), rebuilt per c
  for (size_t ci = 0; ci < c.s.components.size(); ++ci) {
    const model::Component& comp = c.s.components[ci];
    for (auto& list : arrivals) list.clear();
    for (int32_t o : comp.offers) {
      for (int32_t lane : c.lanes_of_supplier[c.s.offers[o].supplier]) {
        const model::SupplyLane& sl = c.supply_lanes[lane];
        arrivals[sl.plant].push_back({o, c.s.offers[o].lead_time_weeks + sl.transit_weeks});
      }
    }
    for (size_t p = 0; p < P; ++p) {
      const int32_t cp = static_cast<int32_t>(p), cc = static_cast<int32_t>(ci);
      if (c.stocked[c.CP(cc, cp)] == 0) continue;
      for (int32_t t = 0; t < H; ++t) {
        rows.Coef(ix.cinv[c.dims.AtPlant(cc, cp, t)], 1.0);
        if (t > 0) rows.Coef(ix.cinv[c.dims.AtPlant(cc, cp, t - 1)], -1.0);
        for (const auto& [o, delay] : arrivals[p]) {
          const int32_t order = t - delay;
          if (order < 0) continue;
          const int32_t col = ix.buy[c.dims.AtPlant(o, cp, order)];
          if (col >= 0) rows.Coef(col, -1.0);
        }
        for (int32_t r : c.transfers_into[c.CP(cc, cp)]) {
          const int32_t depart = t - c.s.transfers[r].transit_weeks;
          if (depart < 0) continue;
          const int32_t col = ix.xfer[c.dims.Week(r, depart)];
          if (col >= 0) rows.Coef(col, -1.0);
        }
        for (int32_t r : c.transfers_out_of[c.CP(cc, cp)]) {
          const int32_t col = ix.xfer[c.dims.Week(r, t)];
          if (col >= 0) rows.Coef(col, 1.0);
        }
        for (const auto& [g, qty] : c.users_of_component[ci]) {
          for (int32_t l : c.lines_of_plant[p]) {
            const int32_t col = ix.make[c.dims.Make(l, g, t)];
            if (col >= 0) rows.Coef(col, qty);
          }
        }
        AddComponentLineParts(c, ix, cc, cp, t, rows);
        const double rhs = t == 0 ? c.on_hand[c.CP(cc, cp)] : 0.0;
        ix.parts_row[c.dims.AtPlant(cc, cp, t)] = first_row + rows.End(rhs, rhs);
      }
    }
  }
}

/// supply: Σ_p buy[o,p,t] ≤ capacity_per_week_o · m(supplier of o, t).
void AddSupplyRows(const Context& c, RowBlock& rows, int32_t first_row, PlanIndex& ix) {
  const int32_t H = c.dims.weeks;
  const int32_t P = c.dims.plants;
  ix.supply_row.assign(c.s.offers.size() * H, -1);
  for (size_t o = 0; o < c.s.offers.size(); ++o) {
    const model::Offer& offer = c.s.offers[o];
    for (int32_t t = 0; t < H; ++t) {
      for (int32_t p = 0; p < P; ++p) {
        const int32_t col = ix.buy[c.dims.AtPlant(static_cast<int32_t>(o), p, t)];
        if (col >= 0) rows.Coef(col, 1.0);
      }
      if (rows.CurrentRowEmpty()) continue;
      const double cap = offer.capacity_per_week * c.a.supplier_multiplier(offer.supplier, t);
      ix.supply_row[c.dims.Week(static_cast<int32_t>(o), t)] = first_row + rows.End(-kInfinity, cap);
    }
  }
}

/// bought[o] = Σ_{p,t} buy[o,p,t]: an auxiliary column per offer with at least one
/// buy column, so that the domestic and share rows (which sum over every week)
/// hold one coefficient per offer instead of one per offer and week. The same
/// model (substitute the definition back and the rows are DESIGN.md's); dense
/// rows in the basis make every simplex iteration dearer.
void AddBoughtColumns(const Context& c, ColumnBlock& cols, PlanIndex& ix) {
  ix.bought.assign(c.s.offers.size(), -1);
  const size_t per_offer = static_cast<size_t>(c.dims.plants) * c.dims.weeks;
  for (size_t o = 0; o < c.s.offers.size(); ++o) {
    const int32_t* week_cols = ix.buy.data() + o * per_offer;
    if (std::any_of(week_cols, week_cols + per_offer, [](int32_t col) { return col >= 0; })) {
      ix.bought[o] = c.first_col + cols.Add(0.0, kInfinity, 0.0);
    }
  }
}

/// bought[o] − Σ_{p,t} buy[o,p,t] = 0.
void AddBoughtRows(const Context& c, RowBlock& rows, const PlanIndex& ix) {
  for (size_t o = 0; o < c.s.offers.size(); ++o) {
    if (ix.bought[o] < 0) continue;
    rows.Coef(ix.bought[o], 1.0);
    for (int32_t p = 0; p < c.dims.plants; ++p) {
      for (int32_t t = 0; t < c.dims.weeks; ++t) {
        const int32_t col = ix.buy[c.dims.AtPlant(static_cast<int32_t>(o), p, t)];
        if (col >= 0) rows.Coef(col, -1.0);
      }
    }
    rows.End(0.0, 0.0);
  }
}

/// domestic: Σ_o (domestic_o − floor)·cost_o·bought[o] + (1 − floor)·in_house_value ≥ 0 (always built so
/// the floor can change; every plant is in the US, so the in-house value added is domestic).
void AddDomesticRow(const Context& c, RowBlock& rows, int32_t first_row, double domestic_min, PlanIndex& ix) {
  for (size_t o = 0; o < c.s.offers.size(); ++o) {
    if (ix.bought[o] >= 0) rows.Coef(ix.bought[o], DomesticCoefficient(c.s, static_cast<int32_t>(o), domestic_min));
  }
  if (ix.in_house_value >= 0) rows.Coef(ix.in_house_value, InHouseDomesticCoefficient(domestic_min));
  ix.domestic_row = first_row + rows.End(0.0, kInfinity);
}

/// share: (1 − s)·bought[o] − s·Σ_{o'≠o of c} bought[o'] ≤ 0, for offers of components with ≥ 2 rows in offers.csv.
void AddShareRows(const Context& c, RowBlock& rows, int32_t first_row, PlanIndex& ix) {
  const double share = c.s.policy.max_supplier_share;
  ix.share_row.assign(c.s.offers.size(), -1);
  for (const model::Component& comp : c.s.components) {
    if (comp.offer_rows_in_file < 2) continue;
    for (int32_t o : comp.offers) {
      for (int32_t other : comp.offers) {
        if (ix.bought[other] >= 0) rows.Coef(ix.bought[other], other == o ? 1.0 - share : -share);
      }
      ix.share_row[o] = first_row + rows.End(-kInfinity, 0.0);
    }
  }
}

/// budget: Σ_e capex_e·open[e] ≤ capex_budget_usd (only when the budget is given).
void AddBudgetRow(const Context& c, RowBlock& rows, int32_t first_row, PlanIndex& ix) {
  if (!c.s.policy.capex_budget_usd.has_value()) return;
  for (size_t e = 0; e < c.s.expansions.size(); ++e) rows.Coef(ix.open[e], c.s.expansions[e].capex_usd);
  ix.budget_row = first_row + rows.End(-kInfinity, *c.s.policy.capex_budget_usd);
}

size_t EstimateNonzeros(const model::Scenario& s, size_t columns) {
  size_t bom = 0;
  for (const model::Design& g : s.designs) bom += g.bom.size();
  return columns * (4 + bom / std::max<size_t>(1, s.designs.size()));
}

}  // namespace

double InHouseDomesticCoefficient(double domestic_min) { return 1.0 - domestic_min; }

double DomesticCoefficient(const model::Scenario& scenario, int32_t offer, double domestic_min) {
  const model::Offer& o = scenario.offers[offer];
  const double domestic = scenario.suppliers[o.supplier].domestic() ? 1.0 : 0.0;
  return (domestic - domestic_min) * o.unit_cost_usd;
}

std::vector<double> DenseDemand(const model::Scenario& scenario, const Dims& dims, model::OptionDemandMode mode) {
  std::vector<double> demand(scenario.sites.size() * dims.designs * model::kDemandKinds * dims.weeks, 0.0);
  for (const model::Demand& d : scenario.demand) {
    if (d.week < 0 || d.week >= dims.weeks) continue;
    demand[dims.Back(d.site, d.design, static_cast<int32_t>(d.kind), d.week)] += model::PlanDemandRacks(d, mode);
  }
  return demand;
}

PlanIndex BuildPlanModel(const model::Scenario& scenario, const model::Availability& availability,
                         model::OptionDemandMode mode, double domestic_min, const ModelVariant& variant,
                         solver::LpModel& lp) {
  const Dims dims{scenario.horizon_weeks, static_cast<int32_t>(scenario.designs.size()),
                  static_cast<int32_t>(scenario.plants.size()), static_cast<int32_t>(scenario.components.size())};
  const std::vector<double> demand = DenseDemand(scenario, dims, mode);
  Context c = MakeContext(scenario, availability, variant, dims, demand);
  c.first_col = lp.columns();
  PlanIndex ix;
  ix.dims = c.dims;
  ColumnBlock cols;
  const size_t H = c.dims.weeks, G = c.dims.designs;
  cols.Reserve(scenario.lines.size() * G * H + scenario.lanes.size() * G * 3 * H + scenario.plants.size() * G * H +
               scenario.sites.size() * G * 3 * H +
               (scenario.offers.size() + scenario.components.size()) * scenario.plants.size() * H +
               scenario.expansions.size() + scenario.transfers.size() * H + scenario.component_lines.size() * H * 2);
  AddMakeColumns(c, cols, ix);
  AddMakecColumns(c, cols, ix);
  AddShipColumns(c, cols, ix);
  AddInventoryColumns(c, cols, ix);
  AddBacklogColumns(c, cols, ix);
  AddBuyColumns(c, cols, ix);
  AddTransferColumns(c, cols, ix);
  AddPartsInventoryColumns(c, cols, ix);
  AddOpenColumns(c, cols, ix);
  if (variant.domestic_and_share_rows) {
    AddBoughtColumns(c, cols, ix);
    AddInHouseValueColumn(c, cols, ix);
  }
  const size_t n_cols = cols.size();
  lp.AddColumns(std::move(cols));

  const int32_t first_row = lp.rows();
  RowBlock rows;
  rows.Reserve(n_cols, EstimateNonzeros(scenario, n_cols));
  AddLineRows(c, rows, first_row, ix);
  AddComponentLineRows(c, rows, first_row, ix);
  AddTestRows(c, rows, first_row, ix);
  AddRackBalanceRows(c, rows, ix);
  AddBacklogRows(c, rows, first_row, ix, demand);
  AddPartsRows(c, rows, first_row, ix);
  AddSupplyRows(c, rows, first_row, ix);
  if (variant.domestic_and_share_rows) {
    AddBoughtRows(c, rows, ix);
    AddInHouseValueRow(c, rows, ix);
    AddDomesticRow(c, rows, first_row, domestic_min, ix);
    AddShareRows(c, rows, first_row, ix);
  }
  AddBudgetRow(c, rows, first_row, ix);
  lp.AddRows(std::move(rows));
  lp.Load();
  return ix;
}

}  // namespace rackforge::plan
