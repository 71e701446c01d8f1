#pragma once
// Outputs of `plan` and `sweep`: the JSON of DESIGN.md "Command line", a
// console summary for planners, CSV tables, plan.xlsx and self-contained HTML
// reports. The figures that depend on options (domestic floor, option demand
// mode) are read from scenario.policy, so callers apply --domestic and
// --option-demand to the scenario they pass. Pure except the Write* functions,
// which write files only. Thread-safe (no shared state).

#include <functional>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/scenario.h"
#include "plan/plan.h"
#include "plan/sweep.h"

namespace rackforge::report {

class HtmlPage;

/// Additions to a plan's outputs (plan --resilient): keys merged into plan.json and sections
/// appended to report.html (after the plan's own).
struct PlanOutputExtras {
  nlohmann::json json = nlohmann::json::object();
  std::function<void(HtmlPage&)> html;
};

/// A table cell: text or a number (kept as a number in CSV and xlsx).
using Cell = std::variant<std::string, double>;

/// A named table; `name` is the CSV file stem and the xlsx sheet name.
struct Table {
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
};

/// Ramp figures derived from racks_built_by_week and the scenario target.
struct RampStatus {
  std::vector<double> target_by_week;        // TargetAt for every week
  std::optional<int32_t> first_week_target_met;  // first week meeting the target (MeetsTarget)
  int32_t weeks_target_met = 0;
  /// The target is met in every week from the last target point's week (clamped to the horizon) to the end.
  bool ramp_reached = false;
};

/// Computes the ramp figures of a plan result.
RampStatus ComputeRamp(const model::Scenario& scenario, const plan::PlanResult& result);

/// " (peak output 1,944 racks/week)" when no week of the plan reaches the last target point (the ramp
/// cannot be reached for lack of output), else "".
std::string PeakBelowTarget(const model::Scenario& scenario, const plan::PlanResult& result);

/// Why the last weeks build less than the peak, when the reason is the horizon itself: the weeks at the end
/// whose output falls more than 5 % below the peak and below the target while (almost) nothing is owed at the end of the
/// horizon. A rack built there can arrive only at the sites within the weeks left, and what is due is
/// already built and shipped, so the plan has nothing more to build for. Empty when there is no such tail.
std::string EndOfHorizonNote(const model::Scenario& scenario, const plan::PlanResult& result, const RampStatus& ramp);

/// The `plan --json` document: objective_usd, status, gap, cost_breakdown_usd,
/// racks_built, racks_built_by_week, racks_built_by_plant, domestic_content,
/// backlog_rack_weeks, expansions_opened, bottlenecks, late_demand,
/// on_time_share and mean_weeks_late ({kind: number or null}), plus
/// scenario, domestic_content_min, option_demand, target_by_week,
/// first_week_target_met (null when never), weeks_target_met, ramp_reached, racks_moved and
/// baseline (re-plans against a stored run; null otherwise).
nlohmann::json PlanToJson(const model::Scenario& scenario, const plan::PlanResult& result);

/// A readable multi-line summary for the console (numbers with units and
/// thousands separators, top 5 bottlenecks, late demand, promise figures and
/// the 5 latest orders with their ISO weeks).
std::string PlanSummaryText(const model::Scenario& scenario, const plan::PlanResult& result);

/// The plan's tables, non-zero rows only (|value| > 1e-9): build_plan,
/// shipments, purchases, transfers_plan, rack_inventory, component_inventory, backlog, pegging
/// (every pegging row; unserved rows have empty plant and weeks).
std::vector<Table> PlanTables(const model::Scenario& scenario, const plan::PlanResult& result);

/// The self-contained report.html document (charts, bottlenecks, late demand).
std::string PlanHtml(const model::Scenario& scenario, const plan::PlanResult& result,
                     const PlanOutputExtras* extras = nullptr);

/// Writes DIR/{build_plan,shipments,purchases,transfers_plan,rack_inventory,component_inventory,backlog,pegging}.csv,
/// plan.json, plan.xlsx and report.html. Files are written to a temporary
/// folder beside DIR and renamed into place at the end (an existing DIR is
/// replaced); on failure nothing is left behind and common::UsageError names the
/// path and the reason.
void WritePlanOutputs(const std::string& dir, const model::Scenario& scenario, const plan::PlanResult& result,
                      const PlanOutputExtras* extras = nullptr);

/// {"points": [{"domestic_content_min", "status", "objective_usd", "cost_breakdown_usd",
/// "domestic_content", "backlog_rack_weeks"}...]} plus "build_seconds", "solve_seconds".
nlohmann::json SweepToJson(const plan::SweepResult& sweep);

/// The cost curve as a console table.
std::string SweepSummaryText(const plan::SweepResult& sweep);

/// The sweep as a table (one row per point), for sweep.csv.
Table SweepTable(const plan::SweepResult& sweep);

/// The self-contained sweep.html document (cost curve, cost parts per point).
std::string SweepHtml(const model::Scenario& scenario, const plan::SweepResult& sweep);

/// Writes DIR/sweep.csv, DIR/sweep.json and DIR/sweep.html atomically (as WritePlanOutputs).
void WriteSweepOutputs(const std::string& dir, const model::Scenario& scenario, const plan::SweepResult& sweep);

/// JSON of a cost breakdown: {components, tariffs, production, transport, holding, backlog_penalty, capex,
/// plan_changes}.
nlohmann::json CostBreakdownJson(const plan::CostBreakdown& cost);

/// Decimals of rack and unit counts in the console and report.html: none for a whole plan (its
/// quantities are whole numbers), one for a continuous plan (rounded for display only).
int RackDecimals(const plan::PlanResult& result);

}  // namespace rackforge::report
