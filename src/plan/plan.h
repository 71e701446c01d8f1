#pragma once
// The plan engine's public interface: options in, PlanResult out. Pure: no
// file I/O, no printing (progress goes to the injected logger).

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/keyed_quantities.h"
#include "model/scenario.h"
#include "plan/baseline.h"
#include "plan/pegging.h"
#include "solver/status.h"

namespace spdlog {
class logger;
}

namespace rackforge::plan {

struct PlanOptions {
  std::optional<model::OptionDemandMode> option_demand;      // default: scenario policy
  std::optional<double> domestic_content_min;                // default: scenario policy
  std::optional<std::vector<model::Disruption>> disruptions; // replaces the scenario's when set
  double time_limit_s = 0;                                   // 0 = none
  double relative_gap = 1e-9;                                // proven optimal by default
  int32_t workers = 1;                                       // 2: branch and bound on two cores (solver::SolveOptions)
  std::string write_mps_path;                                // empty = don't write
  bool bottlenecks = true;                                   // dual analysis + late-demand explanation
  /// Re-planning against a stored run (plan/baseline.h): frozen weeks and the change penalty.
  /// Null = an ordinary plan. Shared, immutable: copies of the options share it.
  std::shared_ptr<const BaselineRequest> baseline;
  /// kWhole: make, makec, ship, buy and xfer whole numbers (DESIGN.md "Whole quantities"; plan/whole.h).
  /// Not taken from the scenario's policy: `plan` sets it from policy.quantities or --quantities;
  /// risk, simulate and sweep leave it continuous.
  model::Quantities quantities = model::Quantities::kContinuous;
};

struct CostBreakdown {
  double components = 0;  // Σ cost_o·buy (pre-tariff)
  double tariffs = 0;     // Σ tariff_o·cost_o·buy
  double in_house = 0;    // Σ cost_m·makec (component lines' value added)
  double production = 0;  // Σ cost_l·make
  double transport = 0;   // Σ lane cost·ship + Σ supply-lane cost·buy + Σ κ_r·xfer
  double holding = 0;     // racks + components
  double backlog_penalty = 0;  // weekly Σ penalty_k·back plus end-of-horizon Σ end_penalty_k·back[·,H−1]
  double capex = 0;
  double plan_changes = 0;  // --change-penalty: USD · Σ |make − stored make| over the penalised cells
  double total() const {
    return components + tariffs + in_house + production + transport + holding + backlog_penalty + capex +
           plan_changes;
  }
};

enum class BottleneckKind { kLine, kTest, kSupply, kDomestic, kComponentLine };
const char* ToString(BottleneckKind kind);  // "line" | "test" | "supply" | "domestic" | "component_line"

/// An expansion of the bottleneck's plant and kind that adds the capacity it lacks: a line expansion
/// whose line builds every design the bottleneck line builds in its weeks, test cells for a test row,
/// a component_line expansion whose line makes every component the bottleneck component line makes.
struct BottleneckRelief {
  std::string expansion;          // expansion id
  bool opened = false;            // the plan already opens it
  int32_t active_from_week = 0;   // first week its capacity exists
  double capex_usd = 0;
  /// First-order estimate: Σ over the bottleneck's weeks from active_from_week of
  /// |dual_t| × the capacity it adds in week t (the line's ramp included). Duals hold
  /// for small changes only, so this overstates what a whole new line saves.
  double saving_usd = 0;
};

struct Bottleneck {
  BottleneckKind kind = BottleneckKind::kLine;
  std::string node;  // "line:ID", "plant:ID", "supplier:ID" / offer, "policy:domestic"
  int32_t first_week = 0;  // weeks where the capacity exists and its row binds
  int32_t last_week = 0;
  /// The largest single-week |dual| in the range: objective gain of one extra unit in that week
  /// (it carries the backlog penalty the unit saves in every later week). Ranking key.
  double dual_usd_per_unit = 0;
  int32_t peak_week = 0;  // the week of dual_usd_per_unit
  /// Mean |dual| over the weeks first_week..last_week: the gain per week of one extra unit of
  /// capacity in every week of the range (× the weeks = the gain over the range).
  double weekly_usd_per_unit = 0;
  std::optional<BottleneckRelief> relief;  // line, component_line and test bottlenecks; none when no expansion fits
  std::string text;  // "test cells at tx-houston, weeks 14-30: +$40k per extra test hour and week ..."
};

/// The latest order of a late (site, design, kind) cell, from the pegging.
struct LatestOrder {
  int32_t demand_week = 0;
  int32_t promised_week = -1;  // arrival week; -1: not delivered within the horizon
  double racks = 0;
  int32_t weeks_late = 0;      // H - demand_week when not delivered
};

struct LateDemand {
  std::string site;
  std::string design;
  model::DemandKind kind = model::DemandKind::kFirm;
  double rack_weeks = 0;
  std::vector<std::string> held_back_by;  // node names of binding upstream rows, strongest first
  /// Per held_back_by entry: its Σ |dual| over the binding weeks up to the last late week, over the
  /// sum of all entries' (shares sum to 1).
  std::vector<double> held_back_share;
  double late_racks = 0;                // Σ pegged racks with weeks_late > 0 (SolvePlan only)
  std::optional<LatestOrder> latest;    // the order with the most weeks late (SolvePlan only)
  std::string text;
};

/// Dense decision values. Index helpers below give the flat positions.
struct PlanResult {
  solver::SolveStatus status = solver::SolveStatus::kError;
  bool has_solution = false;  // false when infeasible/error: values below are empty
  double objective_usd = 0;
  double gap = 0;  // relative, 0 when proven optimal
  CostBreakdown cost;
  /// Whole plans: make, makec, ship, buy and xfer are whole numbers; objective_usd is cost.total() of
  /// exactly those values; continuous_bound_usd the continuous optimum (same options);
  /// whole_gap = (objective_usd - continuous_bound_usd) / |objective_usd| (0 when objective_usd is 0).
  bool whole = false;
  double continuous_bound_usd = 0;
  double whole_gap = 0;
  int32_t whole_improvement_rounds = 0;  // improvement LPs solved (docs/model.md "Whole quantities", step 6); not in JSON
  int32_t weeks = 0;
  int32_t designs = 0;
  int32_t plants = 0;
  int32_t components = 0;

  std::vector<double> make;  // [line][design][week]
  std::vector<double> makec;  // [component line][component][week] (0 where the line does not make it)
  std::vector<double> ship;  // [lane][design][kind][week] (departure week)
  std::vector<double> inv;   // [plant][design][week]
  std::vector<double> back;  // [site][design][kind][week]
  std::vector<double> buy;   // [offer][plant][week] (order week; delivered to the plant)
  std::vector<double> cinv;  // [component][plant][week]
  std::vector<double> xfer;  // [transfer][week] (departure week; arrives transit_weeks later)
  std::vector<uint8_t> opened;  // [expansion]

  // Derived figures.
  double racks_built = 0;
  std::vector<double> units_made;            // [component] Σ makec
  std::vector<double> racks_built_by_week;   // [week]
  std::vector<double> racks_built_by_plant;  // [plant]
  double domestic_content = 0;               // achieved pre-tariff share, 0 when nothing bought
  std::array<double, model::kDemandKinds> backlog_rack_weeks{};  // Σ_t back by kind
  std::array<double, model::kDemandKinds> backlog_at_end_racks{};  // Σ_{d,g} back[·,H−1] by kind
  std::vector<std::string> expansions_opened;
  std::vector<Bottleneck> bottlenecks;
  std::vector<LateDemand> late_demand;
  // Promise dates (SolvePlan only; empty from PlanModel::Solve): FIFO pegging and its figures.
  std::vector<PeggingRow> pegging;
  PromiseFigures promise;
  /// Re-planning figures (racks_moved, frozen cells, dropped ids, conflicts); set when options.baseline was.
  std::optional<BaselineReport> baseline;
  /// The quantities keyed by ids and ISO weeks, for the run store (SolvePlan only, with a solution).
  std::shared_ptr<const model::KeyedQuantities> keyed;

  size_t MakeIndex(int32_t line, int32_t design, int32_t week) const {
    return (static_cast<size_t>(line) * designs + design) * weeks + week;
  }
  size_t MakecIndex(int32_t component_line, int32_t component, int32_t week) const {
    return (static_cast<size_t>(component_line) * components + component) * weeks + week;
  }
  size_t ShipIndex(int32_t lane, int32_t design, int32_t kind, int32_t week) const {
    return ((static_cast<size_t>(lane) * designs + design) * model::kDemandKinds + kind) * weeks + week;
  }
  size_t InvIndex(int32_t plant, int32_t design, int32_t week) const {
    return (static_cast<size_t>(plant) * designs + design) * weeks + week;
  }
  size_t BackIndex(int32_t site, int32_t design, int32_t kind, int32_t week) const {
    return ((static_cast<size_t>(site) * designs + design) * model::kDemandKinds + kind) * weeks + week;
  }
  size_t BuyIndex(int32_t offer, int32_t plant, int32_t week) const {
    return (static_cast<size_t>(offer) * plants + plant) * weeks + week;
  }
  /// Σ_p buy[offer,p,week]: units ordered from the offer in that week, over every plant.
  double BuyAllPlants(int32_t offer, int32_t week) const {
    double units = 0;
    if (buy.size() < static_cast<size_t>(offer + 1) * plants * weeks) return 0;
    for (int32_t p = 0; p < plants; ++p) units += buy[BuyIndex(offer, p, week)];
    return units;
  }
  size_t XferIndex(int32_t transfer, int32_t week) const { return static_cast<size_t>(transfer) * weeks + week; }
  size_t CinvIndex(int32_t component, int32_t plant, int32_t week) const {
    return (static_cast<size_t>(component) * plants + plant) * weeks + week;
  }
};

/// Builds, solves and extracts the plan of DESIGN.md "The plan model".
/// Throws common::UsageError for invalid options; infeasibility is a status.
PlanResult SolvePlan(const model::Scenario& scenario, const PlanOptions& options, spdlog::logger* log = nullptr);

}  // namespace rackforge::plan
