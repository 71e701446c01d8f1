// FIFO pegging of shipments to demand weeks and the promise figures.

#include "plan/pegging.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "model/availability.h"

namespace rackforge::plan {
namespace {

struct Arrival {
  int32_t arrival_week = 0;
  int32_t plant = 0;
  int32_t ship_week = 0;
  double racks = 0;
};

/// Flat positions of the [site][design][kind][week] and [lane][design][kind][week] layouts.
struct Layout {
  int32_t weeks = 0;
  int32_t designs = 0;
  size_t At(int32_t i, int32_t g, int32_t k, int32_t t) const {
    return ((static_cast<size_t>(i) * designs + g) * model::kDemandKinds + k) * weeks + t;
  }
};

/// Demand racks as the backlog row sees them, rows of the same week summed.
std::vector<double> DemandCells(const model::Scenario& s, model::OptionDemandMode mode, const Layout& layout) {
  std::vector<double> demand(s.sites.size() * layout.designs * model::kDemandKinds * layout.weeks, 0.0);
  for (const model::Demand& d : s.demand) {
    if (d.week < 0 || d.week >= layout.weeks) continue;  // outside the horizon: not in the plan either
    demand[layout.At(d.site, d.design, static_cast<int32_t>(d.kind), d.week)] += model::PlanDemandRacks(d, mode);
  }
  return demand;
}

/// Lanes into each site, in lane order.
std::vector<std::vector<int32_t>> LanesBySite(const model::Scenario& s) {
  std::vector<std::vector<int32_t>> lanes(s.sites.size());
  for (size_t i = 0; i < s.lanes.size(); ++i) lanes[s.lanes[i].site].push_back(static_cast<int32_t>(i));
  return lanes;
}

/// The cell's arrivals, by arrival week then plant (file order).
std::vector<Arrival> CellArrivals(const model::Scenario& s, const std::vector<int32_t>& lanes, int32_t g, int32_t k,
                                  const Layout& layout, const std::vector<double>& ship) {
  std::vector<Arrival> arrivals;
  for (int32_t lane : lanes) {
    const model::Lane& ln = s.lanes[lane];
    for (int32_t t = 0; t < layout.weeks; ++t) {
      const double racks = ship[layout.At(lane, g, k, t)];
      if (racks > 0) arrivals.push_back({t + ln.transit_weeks, ln.plant, t, racks});
    }
  }
  std::stable_sort(arrivals.begin(), arrivals.end(), [](const Arrival& a, const Arrival& b) {
    return a.arrival_week != b.arrival_week ? a.arrival_week < b.arrival_week : a.plant < b.plant;
  });
  return arrivals;
}

/// FIFO over one (site, design, kind); `owed` is indexed by demand week and consumed.
void PegCell(int32_t d, int32_t g, int32_t k, const std::vector<Arrival>& arrivals, std::vector<double>& owed,
             std::vector<PeggingRow>& out) {
  const int32_t H = static_cast<int32_t>(owed.size());
  int32_t front = 0;  // oldest demand week with racks still owed
  auto skip_served = [&] {
    while (front < H && owed[front] <= 0) ++front;
  };
  for (const Arrival& a : arrivals) {
    double left = a.racks;
    skip_served();
    while (left > 0 && front < H) {
      const double racks = std::min(left, owed[front]);
      owed[front] -= racks;
      left -= racks;
      if (racks > kPeggingMinRacks) {
        out.push_back({d, g, static_cast<model::DemandKind>(k), front, a.plant, a.ship_week, a.arrival_week, racks,
                       std::max(0, a.arrival_week - front)});
      }
      skip_served();
    }
    // left > 0 here: the arrival exceeds all the cell's demand (solver tolerance); not pegged.
  }
  for (int32_t w = front; w < H; ++w) {
    if (owed[w] > kPeggingMinRacks) {
      out.push_back({d, g, static_cast<model::DemandKind>(k), w, -1, -1, -1, owed[w], H - w});
    }
  }
}

}  // namespace

std::vector<PeggingRow> PegShipments(const model::Scenario& scenario, model::OptionDemandMode mode, int32_t weeks,
                                     const std::vector<double>& ship) {
  const Layout layout{weeks, static_cast<int32_t>(scenario.designs.size())};
  const size_t expected = scenario.lanes.size() * layout.designs * model::kDemandKinds * std::max(0, weeks);
  if (weeks <= 0 || ship.size() != expected) {
    throw std::invalid_argument(
        fmt::format("pegging: {} shipment values for {} lanes x {} designs x {} kinds x {} weeks", ship.size(),
                    scenario.lanes.size(), layout.designs, model::kDemandKinds, weeks));
  }
  const std::vector<double> demand = DemandCells(scenario, mode, layout);
  const std::vector<std::vector<int32_t>> lanes = LanesBySite(scenario);
  std::vector<PeggingRow> rows;
  std::vector<double> owed(weeks);
  for (int32_t d = 0; d < static_cast<int32_t>(scenario.sites.size()); ++d) {
    for (int32_t g = 0; g < layout.designs; ++g) {
      for (int32_t k = 0; k < model::kDemandKinds; ++k) {
        const auto first = demand.begin() + static_cast<std::ptrdiff_t>(layout.At(d, g, k, 0));
        std::copy(first, first + weeks, owed.begin());
        PegCell(d, g, k, CellArrivals(scenario, lanes[d], g, k, layout, ship), owed, rows);
      }
    }
  }
  return rows;
}

PromiseFigures SummarizePegging(const std::vector<PeggingRow>& rows) {
  std::array<double, model::kDemandKinds> total{}, on_time{}, weighted_late{};
  for (const PeggingRow& row : rows) {
    const int k = static_cast<int>(row.kind);
    total[k] += row.racks;
    if (row.weeks_late == 0) on_time[k] += row.racks;
    weighted_late[k] += row.racks * row.weeks_late;
  }
  PromiseFigures figures;
  for (int k = 0; k < model::kDemandKinds; ++k) {
    if (total[k] <= 0) continue;
    figures.on_time_share[k] = on_time[k] / total[k];
    figures.mean_weeks_late[k] = weighted_late[k] / total[k];
  }
  return figures;
}

std::vector<size_t> LatestOrders(const std::vector<PeggingRow>& rows, size_t count) {
  std::vector<size_t> late;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].weeks_late > 0) late.push_back(i);
  }
  const auto later = [&](size_t a, size_t b) {
    if (rows[a].weeks_late != rows[b].weeks_late) return rows[a].weeks_late > rows[b].weeks_late;
    if (rows[a].racks != rows[b].racks) return rows[a].racks > rows[b].racks;
    return a < b;
  };
  const size_t shown = std::min(count, late.size());
  std::partial_sort(late.begin(), late.begin() + static_cast<std::ptrdiff_t>(shown), late.end(), later);
  late.resize(shown);
  return late;
}

}  // namespace rackforge::plan
