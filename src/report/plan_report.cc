// PlanToJson, the ramp figures and the console summary of `plan`.

#include "report/plan_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "common/format.h"
#include "model/availability.h"
#include "model/iso_week.h"

namespace rackforge::report {

using common::FormatPercent;
using common::FormatThousands;
using common::FormatUsd;

int RackDecimals(const plan::PlanResult& result) { return result.whole ? 0 : 1; }

namespace {

double At(const std::vector<double>& values, size_t i) { return i < values.size() ? values[i] : 0.0; }

nlohmann::json BottleneckJson(const plan::Bottleneck& b) {
  nlohmann::json relief = nullptr;
  if (b.relief) {
    relief = {{"expansion", b.relief->expansion},
              {"opened", b.relief->opened},
              {"active_from_week", b.relief->active_from_week},
              {"capex_usd", b.relief->capex_usd},
              {"saving_usd", b.relief->saving_usd}};
  }
  return {{"kind", plan::ToString(b.kind)},
          {"node", b.node},
          {"first_week", b.first_week},
          {"last_week", b.last_week},
          {"dual_usd_per_unit", b.dual_usd_per_unit},
          {"peak_week", b.peak_week},
          {"weekly_usd_per_unit", b.weekly_usd_per_unit},
          {"relief", relief},
          {"text", b.text}};
}

nlohmann::json LateDemandJson(const plan::LateDemand& late) {
  nlohmann::json latest = nullptr;
  if (late.latest) {
    latest = {{"demand_week", late.latest->demand_week},
              {"promised_week", late.latest->promised_week >= 0 ? nlohmann::json(late.latest->promised_week) : nullptr},
              {"racks", late.latest->racks},
              {"weeks_late", late.latest->weeks_late}};
  }
  return {{"site", late.site},
          {"design", late.design},
          {"kind", model::kDemandKindNames[static_cast<int>(late.kind)]},
          {"rack_weeks", late.rack_weeks},
          {"held_back_by", late.held_back_by},
          {"held_back_share", late.held_back_share},
          {"late_racks", late.late_racks},
          {"latest_order", latest},
          {"text", late.text}};
}

nlohmann::json BacklogJson(const std::array<double, model::kDemandKinds>& backlog) {
  nlohmann::json out = nlohmann::json::object();
  for (int k = 0; k < model::kDemandKinds; ++k) out[model::kDemandKindNames[k]] = backlog[k];
  return out;
}

// {kind: value or null} of the promise figures.
nlohmann::json KindFigureJson(const std::array<std::optional<double>, model::kDemandKinds>& values) {
  nlohmann::json out = nlohmann::json::object();
  for (int k = 0; k < model::kDemandKinds; ++k) {
    out[model::kDemandKindNames[k]] = values[k] ? nlohmann::json(*values[k]) : nlohmann::json(nullptr);
  }
  return out;
}

nlohmann::json BaselineJson(const plan::BaselineReport& b) {
  nlohmann::json conflicts = nlohmann::json::array();
  for (const plan::FrozenConflict& c : b.conflicts) {
    conflicts.push_back({{"family", model::kQuantityFamilyNames[static_cast<int>(c.family)]},
                         {"key", c.key},
                         {"week", c.week},
                         {"iso_week", c.iso_week},
                         {"frozen", c.frozen},
                         {"allowed", c.allowed},
                         {"text", c.text}});
  }
  return {{"run_id", b.run_id},
          {"freeze_weeks", b.freeze_weeks},
          {"change_penalty_usd", b.change_penalty_usd ? nlohmann::json(*b.change_penalty_usd) : nlohmann::json(nullptr)},
          {"frozen_cells", b.frozen_cells},
          {"penalized_cells", b.penalized_cells},
          {"common_weeks", b.common_weeks},
          {"dropped", b.dropped},
          {"conflicts", conflicts}};
}

std::string BaselineLines(const plan::BaselineReport& b, bool has_solution) {
  std::string out = fmt::format("Re-plan against run {}: {} weeks frozen ({} cells), {} weeks in common", b.run_id,
                                b.freeze_weeks, FormatThousands(b.frozen_cells), b.common_weeks);
  if (b.change_penalty_usd) out += fmt::format(", change penalty {} per rack", FormatUsd(*b.change_penalty_usd));
  out += "\n";
  if (has_solution) out += fmt::format("  Racks moved against run {}: {}\n", b.run_id, FormatThousands(b.racks_moved, 1));
  for (const std::string& d : b.dropped) out += "  dropped: " + d + "\n";
  if (!b.conflicts.empty()) {
    out += fmt::format("  The frozen weeks cannot be met; {} frozen quantities conflict:\n", b.conflicts.size());
    constexpr size_t kShown = 10;
    for (size_t i = 0; i < b.conflicts.size() && i < kShown; ++i) out += "    - " + b.conflicts[i].text + "\n";
    if (b.conflicts.size() > kShown) out += fmt::format("    ... and {} more in --json\n", b.conflicts.size() - kShown);
  }
  return out;
}

std::string CostLine(const char* name, double usd, double total) {
  const double share = total != 0 ? usd / total : 0;
  return fmt::format("    {:<16} {:>20}  {:>6.1f} %\n", name, FormatUsd(usd), share * 100);
}

std::string RampLines(const model::Scenario& scenario, const plan::PlanResult& result, const RampStatus& ramp) {
  std::string out;
  const int32_t weeks = static_cast<int32_t>(result.racks_built_by_week.size());
  if (scenario.target.empty()) return "  Ramp target: none given in scenario.yaml\n";
  const double final_target = scenario.target.back().racks_per_week;
  const int32_t final_week = std::min(scenario.target.back().week, std::max(0, weeks - 1));
  out += fmt::format("  Ramp target: {} racks/week from week {}: {}{}\n", FormatThousands(final_target), final_week,
                     ramp.ramp_reached ? "REACHED" : "NOT reached", PeakBelowTarget(scenario, result));
  if (ramp.first_week_target_met) {
    out += fmt::format("  Target first met in week {} ({} racks built vs {} racks/week target); met in {} of {} weeks\n",
                       *ramp.first_week_target_met,
                       FormatThousands(At(result.racks_built_by_week, *ramp.first_week_target_met), RackDecimals(result)),
                       FormatThousands(At(ramp.target_by_week, *ramp.first_week_target_met), 1),
                       ramp.weeks_target_met, weeks);
  } else {
    out += "  Target never met within the horizon\n";
  }
  if (weeks > 0) {
    out += fmt::format("  Last week ({}): {} racks built vs {} racks/week target\n", weeks - 1,
                       FormatThousands(result.racks_built_by_week.back(), RackDecimals(result)),
                       FormatThousands(At(ramp.target_by_week, weeks - 1), 1));
  }
  const std::string note = EndOfHorizonNote(scenario, result, ramp);
  if (!note.empty()) out += "  " + note + "\n";
  return out;
}

std::string OutputLines(const model::Scenario& scenario, const plan::PlanResult& result) {
  const int decimals = RackDecimals(result);
  std::string out =
      fmt::format("Output: {} racks over {} weeks\n", FormatThousands(result.racks_built, decimals), result.weeks);
  for (size_t p = 0; p < scenario.plants.size(); ++p) {
    const double racks = At(result.racks_built_by_plant, p);
    const double share = result.racks_built > 0 ? racks / result.racks_built : 0;
    out += fmt::format("    {:<20} {:>14} racks  {:>6.1f} %\n", scenario.plants[p].id, FormatThousands(racks, decimals),
                       share * 100);
  }
  return out;
}

/// "In-house: 12,400 ps-110kw at oh-lordstown (line oh-ps), ...; value added $X": the (component line,
/// component) pairs that make the most units, largest first (at most 5 named, the rest counted);
/// empty when the scenario has no component lines.
std::string InHouseLines(const model::Scenario& scenario, const plan::PlanResult& result) {
  if (scenario.component_lines.empty()) return "";
  struct Made {
    double units;
    std::string text;
  };
  std::vector<Made> made;
  for (size_t m = 0; m < scenario.component_lines.size(); ++m) {
    const model::ComponentLine& line = scenario.component_lines[m];
    for (int32_t c : line.components) {
      double units = 0;
      for (int32_t t = 0; t < result.weeks; ++t) {
        const size_t i = result.MakecIndex(static_cast<int32_t>(m), c, t);
        if (i < result.makec.size()) units += result.makec[i];
      }
      if (units <= 1e-9) continue;
      made.push_back({units, fmt::format("{} {} at {} (line {})", FormatThousands(units, RackDecimals(result)), scenario.components[c].id,
                                         scenario.plants[line.plant].id, line.id)});
    }
  }
  if (made.empty()) return "In-house: nothing made (buying is cheaper or the component lines have no capacity)\n";
  std::stable_sort(made.begin(), made.end(), [](const Made& a, const Made& b) { return a.units > b.units; });
  constexpr size_t kNamed = 5;
  std::vector<std::string> parts;
  for (size_t i = 0; i < made.size() && i < kNamed; ++i) parts.push_back(made[i].text);
  if (made.size() > kNamed) parts.push_back(fmt::format("{} more in component_builds.csv", made.size() - kNamed));
  return fmt::format("In-house: {}; value added {}\n", fmt::join(parts, ", "), FormatUsd(result.cost.in_house));
}

std::string CostLines(const plan::PlanResult& result) {
  const plan::CostBreakdown& c = result.cost;
  const double total = c.total();
  std::string out = fmt::format("Cost: {} total\n", FormatUsd(result.objective_usd));
  out += CostLine("components", c.components, total);
  out += CostLine("tariffs", c.tariffs, total);
  out += CostLine("in-house", c.in_house, total);
  out += CostLine("production", c.production, total);
  out += CostLine("transport", c.transport, total);
  out += CostLine("holding", c.holding, total);
  out += CostLine("backlog penalty", c.backlog_penalty, total);
  out += CostLine("capex", c.capex, total);
  if (result.baseline && result.baseline->change_penalty_usd) out += CostLine("plan changes", c.plan_changes, total);
  if (result.whole) {
    out += fmt::format("  Whole quantities: continuous bound {}, whole gap {:.4f} %\n",
                       FormatUsd(result.continuous_bound_usd), 100.0 * result.whole_gap);
  }
  return out;
}

std::string BottleneckLines(const plan::PlanResult& result) {
  if (result.bottlenecks.empty()) return "Bottlenecks: none binding\n";
  // What a planner can act on: the strongest week range of each node, the 5 strongest nodes.
  constexpr size_t kShown = 5;
  std::vector<const plan::Bottleneck*> shown;
  std::set<std::string> nodes;
  for (const plan::Bottleneck& b : result.bottlenecks) {
    if (nodes.insert(b.node).second && shown.size() < kShown) shown.push_back(&b);
  }
  std::string out = fmt::format("Bottlenecks (the {} strongest of {} binding nodes; all {} week ranges in --json):\n",
                                shown.size(), nodes.size(), result.bottlenecks.size());
  for (size_t i = 0; i < shown.size(); ++i) {
    const plan::Bottleneck& b = *shown[i];
    const std::string text =
        b.text.empty() ? fmt::format("{} {}, weeks {}-{}: {} per week and extra unit", plan::ToString(b.kind), b.node,
                                     b.first_week, b.last_week, FormatUsd(b.weekly_usd_per_unit))
                       : b.text;
    out += fmt::format("  {}. {}\n", i + 1, text);
  }
  return out;
}

std::string LateDemandLines(const plan::PlanResult& result) {
  if (result.late_demand.empty()) return "Late demand: none, every rack ships on time\n";
  std::string out = fmt::format("Late demand ({} site/design/kind cells):\n", result.late_demand.size());
  constexpr size_t kShown = 10;
  // Largest shortfall first; the JSON keeps the engine's site/design/kind order.
  std::vector<const plan::LateDemand*> ranked;
  for (const plan::LateDemand& late : result.late_demand) ranked.push_back(&late);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const plan::LateDemand* a, const plan::LateDemand* b) { return a->rack_weeks > b->rack_weeks; });
  for (size_t i = 0; i < ranked.size() && i < kShown; ++i) {
    const plan::LateDemand& late = *ranked[i];
    std::string line = late.text;
    if (line.empty()) {
      line = fmt::format("{} {} at {}: {} rack-weeks late", model::kDemandKindNames[static_cast<int>(late.kind)],
                         late.design, late.site, FormatThousands(late.rack_weeks, 1));
      if (!late.held_back_by.empty()) line += ", held back by " + fmt::format("{}", fmt::join(late.held_back_by, ", "));
    }
    out += "  - " + line + "\n";
  }
  if (result.late_demand.size() > kShown) {
    out += fmt::format("  ... and {} more (all in --json, --out DIR/plan.json and report.html)\n",
                       result.late_demand.size() - kShown);
  }
  return out;
}

std::string PromiseLines(const model::Scenario& scenario, const plan::PlanResult& result) {
  std::string out = "Promise dates (FIFO pegging, pegging.csv in --out):";
  bool any = false;
  for (int k = 0; k < model::kDemandKinds; ++k) {
    if (!result.promise.on_time_share[k]) continue;
    out += fmt::format("{} {} {} on time, {:.2f} weeks late on average", any ? ";" : "", model::kDemandKindNames[k],
                       FormatPercent(*result.promise.on_time_share[k]), result.promise.mean_weeks_late[k].value_or(0));
    any = true;
  }
  if (!any) return out + " no demand\n";
  out += "\n";
  constexpr size_t kShown = 5;
  const std::vector<size_t> latest = plan::LatestOrders(result.pegging, kShown);
  if (latest.empty()) return out + "  every order arrives in its demand week\n";
  size_t site_width = 4, design_width = 6;
  for (size_t i : latest) {
    site_width = std::max(site_width, scenario.sites[result.pegging[i].site].id.size());
    design_width = std::max(design_width, scenario.designs[result.pegging[i].design].id.size());
  }
  out += fmt::format("  Latest orders:\n  {:<{}} {:<{}} {:<10} {:<18} {:<18} {:>10} {:>10}\n", "site", site_width,
                     "design", design_width, "kind", "demand week", "promised week", "racks", "weeks late");
  for (size_t i : latest) {
    const plan::PeggingRow& row = result.pegging[i];
    const std::string promised =
        row.served() ? model::WeekLabel(scenario.start_week, row.arrival_week) : std::string("not in horizon");
    out +=
        fmt::format("  {:<{}} {:<{}} {:<10} {:<18} {:<18} {:>10} {:>10}\n", scenario.sites[row.site].id, site_width,
                    scenario.designs[row.design].id, design_width, model::kDemandKindNames[static_cast<int>(row.kind)],
                    model::WeekLabel(scenario.start_week, row.demand_week), promised, FormatThousands(row.racks, 1),
                    row.served() ? std::to_string(row.weeks_late) : fmt::format("{}+", row.weeks_late));
  }
  return out;
}

}  // namespace

nlohmann::json CostBreakdownJson(const plan::CostBreakdown& cost) {
  return {{"components", cost.components},           {"tariffs", cost.tariffs},     {"in_house", cost.in_house},
          {"production", cost.production},           {"transport", cost.transport}, {"holding", cost.holding},
          {"backlog_penalty", cost.backlog_penalty}, {"capex", cost.capex},         {"plan_changes", cost.plan_changes}};
}

RampStatus ComputeRamp(const model::Scenario& scenario, const plan::PlanResult& result) {
  RampStatus ramp;
  const int32_t weeks = static_cast<int32_t>(result.racks_built_by_week.size());
  for (int32_t t = 0; t < weeks; ++t) {
    ramp.target_by_week.push_back(model::TargetAt(scenario.target, t));
    if (model::MeetsTarget(scenario.target, t, result.racks_built_by_week[t])) {
      ++ramp.weeks_target_met;
      if (!ramp.first_week_target_met) ramp.first_week_target_met = t;
    }
  }
  if (weeks > 0 && !scenario.target.empty()) {
    const int32_t from = std::min(scenario.target.back().week, weeks - 1);
    ramp.ramp_reached = true;
    for (int32_t t = std::max(0, from); t < weeks; ++t) {
      ramp.ramp_reached = ramp.ramp_reached && model::MeetsTarget(scenario.target, t, result.racks_built_by_week[t]);
    }
  }
  return ramp;
}

std::string PeakBelowTarget(const model::Scenario& scenario, const plan::PlanResult& result) {
  const std::vector<double>& built = result.racks_built_by_week;
  if (built.empty() || scenario.target.empty()) return "";
  const double peak = *std::max_element(built.begin(), built.end());
  if (peak >= scenario.target.back().racks_per_week - 1e-9) return "";
  return fmt::format(" (peak output {} racks/week)", FormatThousands(peak, RackDecimals(result)));
}

std::string EndOfHorizonNote(const model::Scenario& scenario, const plan::PlanResult& result, const RampStatus& ramp) {
  const std::vector<double>& built = result.racks_built_by_week;
  const int32_t weeks = static_cast<int32_t>(built.size());
  if (weeks < 2 || scenario.target.empty() || ramp.target_by_week.size() != built.size()) return "";
  const double peak = *std::max_element(built.begin(), built.end());
  // Owed at the end of the horizon, in racks: "almost nothing" is at most half a rack per 100 racks of peak output.
  const double owed = std::accumulate(result.backlog_at_end_racks.begin(), result.backlog_at_end_racks.end(), 0.0);
  if (peak <= 0 || owed > 0.005 * peak) return "";
  // The tail: the last weeks more than 5 % below the peak and below the target.
  int32_t first = weeks;
  while (first > 0 && built[first - 1] < 0.95 * peak && !model::MeetsTarget(scenario.target, first - 1, built[first - 1])) {
    --first;
  }
  if (first == weeks || first == 0) return "";
  const int decimals = RackDecimals(result);
  std::string built_list;
  for (int32_t t = first; t < weeks; ++t) built_list += (t > first ? " / " : "") + FormatThousands(built[t], decimals);
  const std::string span = first == weeks - 1 ? fmt::format("Week {} builds", first)
                                              : fmt::format("Weeks {}-{} build", first, weeks - 1);
  return fmt::format(
      "{} less than the peak of {} racks/week ({}) because the horizon ends, not for lack of capacity: what is due "
      "by week {} is built and shipped (still owed at the end: {} racks), and a rack built then would arrive only "
      "at the sites within the weeks left",
      span, FormatThousands(peak, decimals), built_list, weeks - 1, FormatThousands(owed, 1));
}

nlohmann::json PlanToJson(const model::Scenario& scenario, const plan::PlanResult& result) {
  nlohmann::json by_plant = nlohmann::json::object();
  for (size_t p = 0; p < scenario.plants.size(); ++p) by_plant[scenario.plants[p].id] = At(result.racks_built_by_plant, p);
  nlohmann::json units_made = nlohmann::json::object();  // components some component line makes
  for (size_t c = 0; c < scenario.components.size(); ++c) {
    if (!scenario.components[c].made_by.empty()) units_made[scenario.components[c].id] = At(result.units_made, c);
  }
  nlohmann::json bottlenecks = nlohmann::json::array();
  for (const plan::Bottleneck& b : result.bottlenecks) bottlenecks.push_back(BottleneckJson(b));
  nlohmann::json late = nlohmann::json::array();
  for (const plan::LateDemand& l : result.late_demand) late.push_back(LateDemandJson(l));
  const RampStatus ramp = ComputeRamp(scenario, result);

  nlohmann::json json = {{"scenario", scenario.name},
          {"status", solver::ToString(result.status)},
          {"objective_usd", result.objective_usd},
          {"gap", result.gap},
          {"quantities", result.whole ? "whole" : "continuous"},
          {"continuous_bound_usd", result.whole ? nlohmann::json(result.continuous_bound_usd) : nlohmann::json(nullptr)},
          {"whole_gap", result.whole ? nlohmann::json(result.whole_gap) : nlohmann::json(nullptr)},
          {"cost_breakdown_usd", CostBreakdownJson(result.cost)},
          {"racks_built", result.racks_built},
          {"racks_built_by_week", result.racks_built_by_week},
          {"racks_built_by_plant", by_plant},
          {"units_made", units_made},
          {"domestic_content", result.domestic_content},
          {"domestic_content_min", scenario.policy.domestic_content_min},
          {"option_demand", model::ToString(scenario.policy.option_demand)},
          {"backlog_rack_weeks", BacklogJson(result.backlog_rack_weeks)},
          {"backlog_at_end_racks", BacklogJson(result.backlog_at_end_racks)},
          {"expansions_opened", result.expansions_opened},
          {"bottlenecks", bottlenecks},
          {"late_demand", late},
          {"on_time_share", KindFigureJson(result.promise.on_time_share)},
          {"mean_weeks_late", KindFigureJson(result.promise.mean_weeks_late)},
          {"target_by_week", ramp.target_by_week},
          {"first_week_target_met",
           ramp.first_week_target_met ? nlohmann::json(*ramp.first_week_target_met) : nlohmann::json(nullptr)},
          {"weeks_target_met", ramp.weeks_target_met},
          {"ramp_reached", ramp.ramp_reached}};
  // Re-planning against a stored run (null for an ordinary plan; racks_moved null without a solution).
  json["racks_moved"] = result.baseline && result.has_solution ? nlohmann::json(result.baseline->racks_moved)
                                                               : nlohmann::json(nullptr);
  json["baseline"] = result.baseline ? BaselineJson(*result.baseline) : nlohmann::json(nullptr);
  return json;
}

std::string PlanSummaryText(const model::Scenario& scenario, const plan::PlanResult& result) {
  std::string out = fmt::format("Plan for {} ({} weeks from {})\n", scenario.name, scenario.horizon_weeks,
                                scenario.start_week);
  out += fmt::format("Status: {}\n", solver::Describe(result.status, result.gap, result.has_solution));
  if (result.baseline) out += BaselineLines(*result.baseline, result.has_solution);
  if (!result.has_solution && result.status == solver::SolveStatus::kTimeLimit) {
    return out + "No plan: the time limit ran out before the solver found one (a longer --time-limit may find one).\n";
  }
  if (!result.has_solution) return out + "No plan: the solver found no solution.\n";
  out += "\n" + RampLines(scenario, result, ComputeRamp(scenario, result));
  out += "\n" + OutputLines(scenario, result);
  out += InHouseLines(scenario, result);
  const double floor = scenario.policy.domestic_content_min;
  if (result.cost.components + result.cost.in_house <= 0) {
    // The floor row reads 0 >= floor x 0: it holds, but there is no share to speak of.
    out += fmt::format("\nDomestic content achieved by this plan: no components bought (on-hand stock only); floor {} applies to purchases\n",
                       FormatPercent(floor));
  } else {
    out += fmt::format("\nDomestic content achieved by this plan: {} of pre-tariff component spend{} (floor {}{})\n",
                       FormatPercent(result.domestic_content),
                       result.cost.in_house > 0 ? " plus in-house value added" : "", FormatPercent(floor),
                       result.domestic_content + 1e-9 >= floor ? ", met" : ", NOT met");
  }
  out += "\n" + CostLines(result);
  out += fmt::format("\nExpansions opened: {}\n",
                     result.expansions_opened.empty() ? "none" : fmt::format("{}", fmt::join(result.expansions_opened, ", ")));
  out += fmt::format("Backlog: {} evaluation, {} firm, {} option rack-weeks\n",
                     FormatThousands(result.backlog_rack_weeks[0], 1), FormatThousands(result.backlog_rack_weeks[1], 1),
                     FormatThousands(result.backlog_rack_weeks[2], 1));
  out += fmt::format("Still owed at the end of week {}: {} evaluation, {} firm, {} option racks\n",
                     scenario.horizon_weeks - 1, FormatThousands(result.backlog_at_end_racks[0], 1),
                     FormatThousands(result.backlog_at_end_racks[1], 1), FormatThousands(result.backlog_at_end_racks[2], 1));
  out += "\n" + BottleneckLines(result);
  out += "\n" + LateDemandLines(result);
  out += "\n" + PromiseLines(scenario, result);
  return out;
}

}  // namespace rackforge::report
