#pragma once
// Pegging and promise dates (DESIGN.md "Whole quantities, pegging and
// re-planning", bullet "Pegging"): which shipment serves which demand week.
// Pure and thread-safe; it reads only demand cells and shipments, so it works
// for continuous and whole plans alike.

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "model/scenario.h"

namespace rackforge::plan {

/// Rows with racks at or below this are left out (DESIGN.md: "above 1e-6").
inline constexpr double kPeggingMinRacks = 1e-6;

/// One (demand week, shipment) pair, or the racks of a demand week still owed
/// at the end of the horizon (plant, ship_week and arrival_week are -1 then).
struct PeggingRow {
  int32_t site = -1;
  int32_t design = -1;
  model::DemandKind kind = model::DemandKind::kFirm;
  int32_t demand_week = 0;
  int32_t plant = -1;         // -1: unserved
  int32_t ship_week = -1;     // departure week, -1 when unserved
  int32_t arrival_week = -1;  // ship_week + transit, -1 when unserved
  double racks = 0;
  int32_t weeks_late = 0;  // max(0, arrival_week - demand_week); H - demand_week when unserved
  bool served() const { return plant >= 0; }
};

/// Pegs shipments to demand, FIFO per (site, design, kind): arrivals ordered
/// by arrival week, then plant in file order, serve the oldest owed demand
/// week first. `ship` is in PlanResult layout [lane][design][kind][week]
/// (departure week) over `weeks` weeks and the scenario's designs; demand is
/// the scenario's cells weighted by `mode` (what the backlog row sees).
/// Tolerance: an arrival that runs ahead of what is owed (the backlog row
/// allows it only within solver tolerance) serves the next demand week with
/// weeks_late 0; whatever exceeds all the cell's demand is not pegged; rows of
/// kPeggingMinRacks or less are dropped. Never returns negative racks.
/// Rows come grouped by (site, design, kind) in index order, served rows in
/// arrival order, then the unserved rows by demand week.
/// Throws std::invalid_argument when `ship` does not have the layout's size.
std::vector<PeggingRow> PegShipments(const model::Scenario& scenario, model::OptionDemandMode mode, int32_t weeks,
                                     const std::vector<double>& ship);

/// on_time_share and mean_weeks_late per kind (index = DemandKind).
struct PromiseFigures {
  /// Racks with weeks_late 0 over all pegged demand racks of the kind; nullopt without demand.
  std::array<std::optional<double>, model::kDemandKinds> on_time_share{};
  /// Racks-weighted mean of weeks_late, unserved rows included; nullopt without demand.
  std::array<std::optional<double>, model::kDemandKinds> mean_weeks_late{};
};

/// The figures of a set of pegging rows (the rows cover all demand above the cut).
PromiseFigures SummarizePegging(const std::vector<PeggingRow>& rows);

/// Indices of at most `count` rows with weeks_late > 0, latest first (weeks_late
/// descending, then racks descending, then row order): the orders a planner
/// should look at first.
std::vector<size_t> LatestOrders(const std::vector<PeggingRow>& rows, size_t count);

}  // namespace rackforge::plan
