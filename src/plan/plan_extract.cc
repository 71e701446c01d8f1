// Dense values, derived figures and the cost breakdown of a solved plan.

#include <cmath>

#include "plan/plan_index.h"

namespace rackforge::plan {
namespace {

void Gather(const std::vector<int32_t>& columns, const std::vector<double>& primal, std::vector<double>& out) {
  out.assign(columns.size(), 0.0);
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] >= 0) out[i] = primal[columns[i]];
  }
}

void DeriveFigures(const model::Scenario& s, PlanResult& r) {
  const int32_t H = r.weeks;
  r.racks_built = 0;
  r.racks_built_by_week.assign(H, 0.0);
  r.racks_built_by_plant.assign(s.plants.size(), 0.0);
  for (size_t l = 0; l < s.lines.size(); ++l) {
    for (int32_t g = 0; g < r.designs; ++g) {
      for (int32_t t = 0; t < H; ++t) {
        const double v = r.make[r.MakeIndex(static_cast<int32_t>(l), g, t)];
        r.racks_built += v;
        r.racks_built_by_week[t] += v;
        r.racks_built_by_plant[s.lines[l].plant] += v;
      }
    }
  }
  double domestic = 0, total = 0;
  for (size_t o = 0; o < s.offers.size(); ++o) {
    const bool is_domestic = s.suppliers[s.offers[o].supplier].domestic();
    for (int32_t p = 0; p < r.plants; ++p) {
      for (int32_t t = 0; t < H; ++t) {
        const double spend = s.offers[o].unit_cost_usd * r.buy[r.BuyIndex(static_cast<int32_t>(o), p, t)];
        total += spend;
        if (is_domestic) domestic += spend;
      }
    }
  }
  // In-house value added (Σ cost_m·makec) is domestic: every plant is in the US.
  r.units_made.assign(s.components.size(), 0.0);
  double in_house = 0;
  for (size_t m = 0; m < s.component_lines.size() && !r.makec.empty(); ++m) {
    for (int32_t c : s.component_lines[m].components) {
      for (int32_t t = 0; t < H; ++t) {
        const double v = r.makec[r.MakecIndex(static_cast<int32_t>(m), c, t)];
        r.units_made[c] += v;
        in_house += s.component_lines[m].cost_usd_per_unit * v;
      }
    }
  }
  domestic += in_house;
  total += in_house;
  r.domestic_content = total > 1e-9 ? domestic / total : 0.0;
  r.backlog_rack_weeks = {};
  r.backlog_at_end_racks = {};
  for (size_t d = 0; d < s.sites.size(); ++d) {
    for (int32_t g = 0; g < r.designs; ++g) {
      for (int32_t k = 0; k < model::kDemandKinds; ++k) {
        for (int32_t t = 0; t < H; ++t) {
          r.backlog_rack_weeks[k] += r.back[r.BackIndex(static_cast<int32_t>(d), g, k, t)];
        }
        if (H > 0) r.backlog_at_end_racks[k] += r.back[r.BackIndex(static_cast<int32_t>(d), g, k, H - 1)];
      }
    }
  }
  r.expansions_opened.clear();
  for (size_t e = 0; e < s.expansions.size(); ++e) {
    if (r.opened[e]) r.expansions_opened.push_back(s.expansions[e].id);
  }
}

}  // namespace

void ExtractValues(const model::Scenario& scenario, const PlanIndex& index, const std::vector<double>& primal,
                   PlanResult& result) {
  result.weeks = index.dims.weeks;
  result.designs = index.dims.designs;
  result.plants = index.dims.plants;
  result.components = index.dims.components;
  Gather(index.make, primal, result.make);
  Gather(index.makec, primal, result.makec);
  Gather(index.ship, primal, result.ship);
  Gather(index.inv, primal, result.inv);
  Gather(index.back, primal, result.back);
  Gather(index.buy, primal, result.buy);
  Gather(index.cinv, primal, result.cinv);
  Gather(index.xfer, primal, result.xfer);
  result.opened.assign(index.open.size(), 0);
  for (size_t e = 0; e < index.open.size(); ++e) result.opened[e] = primal[index.open[e]] > 0.5 ? 1 : 0;
  DeriveFigures(scenario, result);
  result.cost = ComputeCostBreakdown(scenario, result);
}

CostBreakdown ComputeCostBreakdown(const model::Scenario& s, const PlanResult& r) {
  CostBreakdown cost;
  const int32_t H = r.weeks;
  std::vector<double> lane_cost(s.suppliers.size() * s.plants.size(), 0.0);  // [supplier][plant]
  for (const model::SupplyLane& sl : model::SupplyLanes(s)) {
    lane_cost[static_cast<size_t>(sl.supplier) * s.plants.size() + sl.plant] = sl.cost_usd_per_unit;
  }
  for (size_t o = 0; o < s.offers.size(); ++o) {
    for (int32_t p = 0; p < r.plants; ++p) {
      const double freight = lane_cost[static_cast<size_t>(s.offers[o].supplier) * s.plants.size() + p];
      for (int32_t t = 0; t < H; ++t) {
        const double units = r.buy[r.BuyIndex(static_cast<int32_t>(o), p, t)];
        const double spend = s.offers[o].unit_cost_usd * units;
        cost.components += spend;
        cost.tariffs += s.offers[o].tariff_rate * spend;
        cost.transport += freight * units;
      }
    }
  }
  for (size_t l = 0; l < s.lines.size(); ++l) {
    for (int32_t g = 0; g < r.designs; ++g) {
      for (int32_t t = 0; t < H; ++t) {
        cost.production += s.lines[l].cost_usd_per_rack * r.make[r.MakeIndex(static_cast<int32_t>(l), g, t)];
      }
    }
  }
  for (size_t m = 0; m < s.component_lines.size() && !r.makec.empty(); ++m) {
    for (int32_t c : s.component_lines[m].components) {
      for (int32_t t = 0; t < H; ++t) {
        cost.in_house += s.component_lines[m].cost_usd_per_unit * r.makec[r.MakecIndex(static_cast<int32_t>(m), c, t)];
      }
    }
  }
  for (size_t i = 0; i < s.lanes.size(); ++i) {
    for (int32_t g = 0; g < r.designs; ++g) {
      for (int32_t k = 0; k < model::kDemandKinds; ++k) {
        for (int32_t t = 0; t < H; ++t) {
          cost.transport += s.lanes[i].cost_usd_per_rack * r.ship[r.ShipIndex(static_cast<int32_t>(i), g, k, t)];
        }
      }
    }
  }
  for (size_t x = 0; x < s.transfers.size() && !r.xfer.empty(); ++x) {
    for (int32_t t = 0; t < H; ++t) {
      cost.transport += s.transfers[x].cost_usd_per_unit * r.xfer[r.XferIndex(static_cast<int32_t>(x), t)];
    }
  }
  for (double v : r.inv) cost.holding += s.policy.rack_holding_usd_per_week * v;
  for (size_t c = 0; c < s.components.size(); ++c) {
    for (int32_t p = 0; p < r.plants; ++p) {
      for (int32_t t = 0; t < H; ++t) {
        cost.holding += s.components[c].holding_usd_per_week * r.cinv[r.CinvIndex(static_cast<int32_t>(c), p, t)];
      }
    }
  }
  for (size_t d = 0; d < s.sites.size(); ++d) {
    for (int32_t g = 0; g < r.designs; ++g) {
      for (int32_t k = 0; k < model::kDemandKinds; ++k) {
        const double penalty = s.policy.backlog_penalty.usd_per_rack_week[k];
        for (int32_t t = 0; t < H; ++t) {
          cost.backlog_penalty += penalty * r.back[r.BackIndex(static_cast<int32_t>(d), g, k, t)];
        }
        if (H > 0) {
          cost.backlog_penalty += s.policy.end_backlog_penalty_usd_per_rack[k] *
                                  r.back[r.BackIndex(static_cast<int32_t>(d), g, k, H - 1)];
        }
      }
    }
  }
  for (size_t e = 0; e < s.expansions.size(); ++e) {
    if (r.opened[e]) cost.capex += s.expansions[e].capex_usd;
  }
  return cost;
}

}  // namespace rackforge::plan
