#include "report/plan_load.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "model/availability.h"

namespace rackforge::report {

namespace {

constexpr double kEps = 1e-6;

bool ExpansionOpen(const plan::PlanResult& r, int32_t expansion) {
  return expansion < 0 || (static_cast<size_t>(expansion) < r.opened.size() && r.opened[expansion] != 0);
}

void AddLineRows(const model::Scenario& s, const model::Availability& a, const plan::PlanResult& r,
                 std::vector<LoadRow>& rows) {
  for (size_t l = 0; l < s.lines.size(); ++l) {
    const model::Line& line = s.lines[l];
    if (!ExpansionOpen(r, line.expansion)) continue;
    LoadRow row{"line", line.id, s.plants[line.plant].id, "racks", std::vector<double>(r.weeks, 0.0),
                std::vector<double>(r.weeks, 0.0)};
    for (int32_t t = 0; t < r.weeks; ++t) {
      for (int32_t g = 0; g < r.designs; ++g) row.used[t] += r.make[r.MakeIndex(static_cast<int32_t>(l), g, t)];
      row.available[t] = line.racks_per_week * a.line_availability(static_cast<int32_t>(l), t);
    }
    rows.push_back(std::move(row));
  }
}

void AddComponentLineRows(const model::Scenario& s, const model::Availability& a, const plan::PlanResult& r,
                          std::vector<LoadRow>& rows) {
  const size_t needed = s.component_lines.size() * static_cast<size_t>(r.components) * r.weeks;
  if (r.components <= 0 || r.makec.size() != needed) return;
  for (size_t m = 0; m < s.component_lines.size(); ++m) {
    const model::ComponentLine& line = s.component_lines[m];
    if (!ExpansionOpen(r, line.expansion)) continue;
    LoadRow row{"component_line", line.id, s.plants[line.plant].id, "units", std::vector<double>(r.weeks, 0.0),
                std::vector<double>(r.weeks, 0.0)};
    for (int32_t t = 0; t < r.weeks; ++t) {
      for (int32_t c : line.components) row.used[t] += r.makec[r.MakecIndex(static_cast<int32_t>(m), c, t)];
      row.available[t] = line.units_per_week * a.component_line_availability(static_cast<int32_t>(m), t);
    }
    rows.push_back(std::move(row));
  }
}

void AddTestRows(const model::Scenario& s, const model::Availability& a, const plan::PlanResult& r,
                 std::vector<LoadRow>& rows) {
  for (size_t p = 0; p < s.plants.size(); ++p) {
    const model::Plant& plant = s.plants[p];
    LoadRow row{"test", plant.id, plant.id, "test hours", std::vector<double>(r.weeks, 0.0),
                std::vector<double>(r.weeks, 0.0)};
    for (int32_t t = 0; t < r.weeks; ++t) {
      for (size_t l = 0; l < s.lines.size(); ++l) {
        if (s.lines[l].plant != static_cast<int32_t>(p)) continue;
        for (int32_t g = 0; g < r.designs; ++g) {
          row.used[t] += s.designs[g].test_hours * r.make[r.MakeIndex(static_cast<int32_t>(l), g, t)];
        }
      }
      double cells = plant.test_cells;
      for (size_t e = 0; e < s.expansions.size(); ++e) {
        const model::Expansion& ex = s.expansions[e];
        if (ex.kind == model::ExpansionKind::kTestCells && ex.plant == static_cast<int32_t>(p) &&
            t >= ex.active_from_week() && ExpansionOpen(r, static_cast<int32_t>(e))) {
          cells += ex.cells;
        }
      }
      row.available[t] = plant.test_hours_per_cell_week * cells * a.plant_multiplier(static_cast<int32_t>(p), t);
    }
    rows.push_back(std::move(row));
  }
}

void AddSupplyRows(const model::Scenario& s, const model::Availability& a, const plan::PlanResult& r,
                   std::vector<LoadRow>& rows) {
  const std::vector<model::SupplyLane> lanes = model::SupplyLanes(s);
  for (size_t o = 0; o < s.offers.size(); ++o) {
    const model::Offer& offer = s.offers[o];
    // The last order week from which a delivery still arrives within the horizon at some plant.
    int32_t last_useful = -1;
    for (const model::SupplyLane& lane : lanes) {
      if (lane.supplier == offer.supplier) {
        last_useful = std::max(last_useful, r.weeks - 1 - offer.lead_time_weeks - lane.transit_weeks);
      }
    }
    LoadRow row{"supply", s.suppliers[offer.supplier].id + "/" + s.components[offer.component].id, "", "units",
                std::vector<double>(r.weeks, 0.0), std::vector<double>(r.weeks, 0.0)};
    for (int32_t t = 0; t < r.weeks; ++t) {
      row.used[t] = r.BuyAllPlants(static_cast<int32_t>(o), t);
      if (offer.orderable_in(t) && t <= last_useful) {
        row.available[t] = offer.capacity_per_week * a.supplier_multiplier(offer.supplier, t);
      }
    }
    rows.push_back(std::move(row));
  }
}


}  // namespace

std::vector<LoadRow> LoadRows(const model::Scenario& scenario, const std::vector<model::Disruption>& disruptions,
                              const plan::PlanResult& result) {
  std::vector<LoadRow> rows;
  if (!result.has_solution) return rows;
  const model::Availability availability(scenario, disruptions);
  if (availability.weeks() != result.weeks) {
    throw std::invalid_argument(fmt::format("LoadRows: the result has {} weeks, the scenario {}", result.weeks,
                                            availability.weeks()));
  }
  AddLineRows(scenario, availability, result, rows);
  AddComponentLineRows(scenario, availability, result, rows);
  AddTestRows(scenario, availability, result, rows);
  AddSupplyRows(scenario, availability, result, rows);
  return rows;
}

std::vector<int32_t> BindingWeeks(const LoadRow& row) {
  std::vector<int32_t> weeks;
  for (size_t t = 0; t < row.used.size() && t < row.available.size(); ++t) {
    if (row.available[t] > kEps && row.used[t] >= kBindingShare * row.available[t]) {
      weeks.push_back(static_cast<int32_t>(t));
    }
  }
  return weeks;
}


}  // namespace rackforge::report
