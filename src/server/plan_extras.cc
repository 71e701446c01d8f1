#include "server/plan_extras.h"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "model/availability.h"
#include "report/plan_load.h"

namespace rackforge::server {

namespace {

using report::BindingWeeks;
using report::LoadRow;
using report::LoadRows;

constexpr double kEps = 1e-6;

nlohmann::json OutputByPlantWeek(const model::Scenario& s, const plan::PlanResult& r) {
  std::vector<std::vector<double>> by_plant(s.plants.size(), std::vector<double>(r.weeks, 0.0));
  for (size_t l = 0; l < s.lines.size(); ++l) {
    for (int32_t g = 0; g < r.designs; ++g) {
      for (int32_t t = 0; t < r.weeks; ++t) {
        by_plant[s.lines[l].plant][t] += r.make[r.MakeIndex(static_cast<int32_t>(l), g, t)];
      }
    }
  }
  nlohmann::json out = nlohmann::json::object();
  for (size_t p = 0; p < s.plants.size(); ++p) out[s.plants[p].id] = by_plant[p];
  return out;
}

nlohmann::json SpendBySupplier(const model::Scenario& s, const plan::PlanResult& r) {
  std::vector<double> spend(s.suppliers.size(), 0.0);
  for (size_t o = 0; o < s.offers.size(); ++o) {
    for (int32_t t = 0; t < r.weeks; ++t) {
      spend[s.offers[o].supplier] += s.offers[o].unit_cost_usd * r.BuyAllPlants(static_cast<int32_t>(o), t);
    }
  }
  nlohmann::json out = nlohmann::json::object();
  for (size_t i = 0; i < s.suppliers.size(); ++i) {
    if (spend[i] > 0) out[s.suppliers[i].id] = spend[i];
  }
  return out;
}

nlohmann::json LoadJson(const std::vector<LoadRow>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const LoadRow& row : rows) {
    out.push_back({{"kind", row.kind},
                   {"id", row.id},
                   {"plant", row.plant},
                   {"unit", row.unit},
                   {"used", row.used},
                   {"available", row.available},
                   {"binding_weeks", BindingWeeks(row)}});
  }
  return {{"binding_share", report::kBindingShare}, {"rows", out}};
}

nlohmann::json BuildPlan(const model::Scenario& s, const plan::PlanResult& r) {
  nlohmann::json out = nlohmann::json::array();
  for (size_t l = 0; l < s.lines.size(); ++l) {
    for (int32_t g : s.lines[l].designs) {
      std::vector<double> racks(r.weeks, 0.0);
      bool any = false;
      for (int32_t t = 0; t < r.weeks; ++t) {
        racks[t] = r.make[r.MakeIndex(static_cast<int32_t>(l), g, t)];
        any = any || racks[t] > kEps;
      }
      if (!any) continue;
      out.push_back({{"line", s.lines[l].id},
                     {"plant", s.plants[s.lines[l].plant].id},
                     {"design", s.designs[g].id},
                     {"racks", racks}});
    }
  }
  return out;
}

nlohmann::json WeekOrNull(int32_t week) { return week >= 0 ? nlohmann::json(week) : nlohmann::json(nullptr); }

nlohmann::json PeggingJson(const model::Scenario& s, const plan::PlanResult& r) {
  nlohmann::json out = nlohmann::json::array();
  for (const plan::PeggingRow& row : r.pegging) {
    out.push_back({{"site", s.sites[row.site].id},
                   {"design", s.designs[row.design].id},
                   {"kind", model::kDemandKindNames[static_cast<int>(row.kind)]},
                   {"demand_week", row.demand_week},
                   {"plant", row.served() ? nlohmann::json(s.plants[row.plant].id) : nlohmann::json(nullptr)},
                   {"ship_week", WeekOrNull(row.ship_week)},
                   {"arrival_week", WeekOrNull(row.arrival_week)},
                   {"racks", row.racks},
                   {"weeks_late", row.weeks_late}});
  }
  return out;
}

// Σ_{d,k} back[d,g,k,t] > kEps for each (design, week).
std::vector<std::vector<bool>> OwedByDesignWeek(const model::Scenario& s, const plan::PlanResult& r) {
  std::vector<std::vector<bool>> owed(r.designs, std::vector<bool>(r.weeks, false));
  for (size_t d = 0; d < s.sites.size(); ++d) {
    for (int32_t g = 0; g < r.designs; ++g) {
      for (int32_t k = 0; k < model::kDemandKinds; ++k) {
        for (int32_t t = 0; t < r.weeks; ++t) {
          if (r.back[r.BackIndex(static_cast<int32_t>(d), g, k, t)] > kEps) owed[g][t] = true;
        }
      }
    }
  }
  return owed;
}

// Row indices of the load rows by entity: rack line, component line, plant (test), offer.
struct RowIndex {
  std::vector<int32_t> line, cline, test, offer;
  RowIndex(const model::Scenario& s, const std::vector<LoadRow>& rows)
      : line(s.lines.size(), -1), cline(s.component_lines.size(), -1), test(s.plants.size(), -1),
        offer(s.offers.size(), -1) {
    size_t next_offer = 0;  // supply rows come in offer order, one per offer
    for (size_t i = 0; i < rows.size(); ++i) {
      const int32_t at = static_cast<int32_t>(i);
      if (rows[i].kind == "line") line[model::FindById(s.lines, rows[i].id)] = at;
      if (rows[i].kind == "component_line") cline[model::FindById(s.component_lines, rows[i].id)] = at;
      if (rows[i].kind == "test") test[model::FindById(s.plants, rows[i].id)] = at;
      if (rows[i].kind == "supply" && next_offer < offer.size()) offer[next_offer++] = at;
    }
  }
};

// True when more of component c could have reached plant p in week t: an offer with a lane to p whose
// order week t - lead - transit exists and does not bind, a component line at p making c with room, or
// a transfer (q -> p, c) leaving q in week t - transit while q held some of c after that week (stock it
// could have sent instead of keeping) or could itself have got more then (the same test at q, at most
// one hop per plant: transfers have no capacity of their own).
// transit[supplier][plant]: weeks of the supply lane, -1 without one.
using TransitTable = std::vector<std::vector<int32_t>>;

bool CouldGetMore(const model::Scenario& s, const plan::PlanResult& r, const TransitTable& transit,
                  const RowIndex& ix, const std::vector<LoadRow>& rows, int32_t c, int32_t p, int32_t t,
                  size_t hops = 0) {
  auto room = [&](int32_t row, int32_t week) {
    return row >= 0 && week >= 0 && rows[row].available[week] - rows[row].used[week] > kEps;
  };
  for (int32_t o : s.components[c].offers) {
    const int32_t tau = transit[s.offers[o].supplier][p];
    if (tau >= 0 && room(ix.offer[o], t - s.offers[o].lead_time_weeks - tau)) return true;
  }
  for (int32_t m : s.components[c].made_by) {
    if (s.component_lines[m].plant == p && room(ix.cline[m], t)) return true;
  }
  if (hops >= s.plants.size() || r.cinv.size() != r.CinvIndex(r.components, 0, 0)) return false;
  for (const model::Transfer& x : s.transfers) {
    const int32_t sent = t - x.transit_weeks;
    if (x.to_plant != p || x.component != c || sent < 0) continue;
    if (r.cinv[r.CinvIndex(c, x.from_plant, sent)] > kEps) return true;
    if (CouldGetMore(s, r, transit, ix, rows, c, x.from_plant, sent, hops + 1)) return true;
  }
  return false;
}

nlohmann::json PartShortages(const model::Scenario& s, const plan::PlanResult& r, const std::vector<LoadRow>& rows) {
  const std::vector<std::vector<bool>> owed = OwedByDesignWeek(s, r);
  TransitTable transit(s.suppliers.size(), std::vector<int32_t>(s.plants.size(), -1));
  for (const model::SupplyLane& lane : model::SupplyLanes(s)) transit[lane.supplier][lane.plant] = lane.transit_weeks;
  const RowIndex ix(s, rows);
  auto spare = [&](int32_t row, int32_t t) {
    return row >= 0 && rows[row].available[t] - rows[row].used[t] > kEps;
  };
  nlohmann::json out = nlohmann::json::array();
  for (size_t c = 0; c < s.components.size(); ++c) {
    const int32_t ci = static_cast<int32_t>(c);
    for (size_t p = 0; p < s.plants.size(); ++p) {
      const int32_t pi = static_cast<int32_t>(p);
      int32_t first = -1, last = -1;
      std::vector<std::string> waiting;
      auto flush = [&] {
        if (first >= 0) {
          out.push_back({{"component", s.components[c].id},
                         {"plant", s.plants[p].id},
                         {"first_week", first},
                         {"last_week", last},
                         {"lines", waiting}});
        }
        first = last = -1;
        waiting.clear();
      };
      for (int32_t t = 0; t < r.weeks; ++t) {
        std::vector<std::string> lines_now;
        if (r.cinv[r.CinvIndex(ci, pi, t)] <= kEps && spare(ix.test[p], t)) {
          for (size_t l = 0; l < s.lines.size(); ++l) {
            if (s.lines[l].plant != pi || !spare(ix.line[l], t)) continue;
            const bool needs = std::any_of(s.lines[l].designs.begin(), s.lines[l].designs.end(), [&](int32_t g) {
              if (!owed[g][t]) return false;
              return std::any_of(s.designs[g].bom.begin(), s.designs[g].bom.end(), [&](const model::BomEntry& b) {
                return b.component == ci && b.qty > 0;
              });
            });
            if (needs) lines_now.push_back(s.lines[l].id);
          }
          // A line waits, but more could have come: the plan chose to wait, nothing ran out.
          if (!lines_now.empty() && CouldGetMore(s, r, transit, ix, rows, ci, pi, t)) lines_now.clear();
        }
        if (lines_now.empty()) {
          flush();
          continue;
        }
        if (first < 0) first = t;
        last = t;
        for (const std::string& id : lines_now) {
          if (std::find(waiting.begin(), waiting.end(), id) == waiting.end()) waiting.push_back(id);
        }
      }
      flush();
    }
  }
  return out;
}

nlohmann::json DomesticByQuarter(const model::Scenario& s, const plan::PlanResult& r) {
  const int32_t quarters = (r.weeks + kWeeksPerQuarter - 1) / kWeeksPerQuarter;
  std::vector<double> domestic(quarters, 0.0), total(quarters, 0.0);
  for (size_t o = 0; o < s.offers.size(); ++o) {
    const bool is_domestic = s.suppliers[s.offers[o].supplier].domestic();
    for (int32_t t = 0; t < r.weeks; ++t) {
      const double spend = s.offers[o].unit_cost_usd * r.BuyAllPlants(static_cast<int32_t>(o), t);
      total[t / kWeeksPerQuarter] += spend;
      if (is_domestic) domestic[t / kWeeksPerQuarter] += spend;
    }
  }
  const size_t needed = s.component_lines.size() * static_cast<size_t>(r.components) * r.weeks;
  if (r.components > 0 && r.makec.size() == needed) {
    for (size_t m = 0; m < s.component_lines.size(); ++m) {
      for (int32_t c : s.component_lines[m].components) {
        for (int32_t t = 0; t < r.weeks; ++t) {
          const double value =
              s.component_lines[m].cost_usd_per_unit * r.makec[r.MakecIndex(static_cast<int32_t>(m), c, t)];
          total[t / kWeeksPerQuarter] += value;
          domestic[t / kWeeksPerQuarter] += value;
        }
      }
    }
  }
  nlohmann::json out = nlohmann::json::array();
  for (int32_t q = 0; q < quarters; ++q) {
    out.push_back({{"quarter", q},
                   {"first_week", q * kWeeksPerQuarter},
                   {"last_week", std::min(r.weeks - 1, (q + 1) * kWeeksPerQuarter - 1)},
                   {"domestic_usd", domestic[q]},
                   {"total_usd", total[q]},
                   {"share", total[q] > 1e-9 ? nlohmann::json(domestic[q] / total[q]) : nlohmann::json(nullptr)}});
  }
  return out;
}

}  // namespace

nlohmann::json PlanExtrasJson(const model::Scenario& scenario, const std::vector<model::Disruption>& disruptions,
                              const plan::PlanResult& result) {
  if (!result.has_solution) {
    return {{"racks_built_by_plant_week", nlohmann::json::object()},
            {"spend_usd_by_supplier", nlohmann::json::object()},
            {"load", {{"binding_share", report::kBindingShare}, {"rows", nlohmann::json::array()}}},
            {"build_plan", nlohmann::json::array()},
            {"pegging", nlohmann::json::array()},
            {"part_shortages", nlohmann::json::array()},
            {"domestic_by_quarter", nlohmann::json::array()}};
  }
  const std::vector<LoadRow> rows = LoadRows(scenario, disruptions, result);
  return {{"racks_built_by_plant_week", OutputByPlantWeek(scenario, result)},
          {"spend_usd_by_supplier", SpendBySupplier(scenario, result)},
          {"load", LoadJson(rows)},
          {"build_plan", BuildPlan(scenario, result)},
          {"pegging", PeggingJson(scenario, result)},
          {"part_shortages", PartShortages(scenario, result, rows)},
          {"domestic_by_quarter", DomesticByQuarter(scenario, result)}};
}

}  // namespace rackforge::server
