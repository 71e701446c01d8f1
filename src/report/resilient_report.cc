// JSON, console text and report.html section of `plan --resilient`.

#include "report/resilient_report.h"

#include <fmt/format.h>

#include <cmath>
#include <utility>
#include <vector>

#include "common/format.h"
#include "report/plan_report.h"

namespace rackforge::report {

using common::FormatThousands;
using common::FormatUsd;
using common::FormatUsdShort;

namespace {

constexpr size_t kStockShown = 8;  // stock changes in the console and report.html
constexpr double kSame = 1e-9;     // a price of resilience within this share of the cost is "the same"

nlohmann::json Figure(bool known, double value) { return known ? nlohmann::json(value) : nlohmann::json(nullptr); }

std::string SignedUsd(double usd) { return (usd >= 0 ? "+" : "-") + FormatUsdShort(std::abs(usd)); }

std::string StockLine(const plan::StockChange& c) {
  const double d = c.units_resilient - c.units_ordinary;
  return fmt::format("{} {} {} of {} at {} ({} instead of {})", d >= 0 ? "+" : "-", FormatThousands(std::abs(d), 1),
                     c.racks ? "racks" : "units", c.item, c.plant, FormatThousands(c.units_resilient, 1),
                     FormatThousands(c.units_ordinary, 1));
}

/// The cost parts that differ by more than $1 between the two plans, largest change first.
std::vector<std::pair<std::string, double>> CostChanges(const plan::CostBreakdown& a, const plan::CostBreakdown& b) {
  std::vector<std::pair<std::string, double>> parts = {{"components", a.components - b.components},
                                                       {"tariffs", a.tariffs - b.tariffs},
                                                       {"in-house", a.in_house - b.in_house},
                                                       {"production", a.production - b.production},
                                                       {"transport", a.transport - b.transport},
                                                       {"holding", a.holding - b.holding},
                                                       {"backlog penalty", a.backlog_penalty - b.backlog_penalty},
                                                       {"capex", a.capex - b.capex}};
  std::vector<std::pair<std::string, double>> out;
  for (const auto& p : parts) {
    if (std::abs(p.second) > 1.0) out.push_back(p);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& x, const auto& y) { return std::abs(x.second) > std::abs(y.second); });
  return out;
}

std::string CostChangeText(const plan::ResilientResult& r) {
  std::vector<std::string> items;
  for (const auto& [name, usd] : CostChanges(r.plan.cost, r.ordinary.cost)) {
    items.push_back(fmt::format("{} {}", name, SignedUsd(usd)));
  }
  return items.empty() ? "" : fmt::format(" ({})", fmt::join(items, ", "));
}

std::string ExpansionText(const plan::ResilientResult& r) {
  std::string out;
  if (r.expansions_added.empty() && r.expansions_dropped.empty()) {
    return "It opens the same expansions as the ordinary plan.";
  }
  if (!r.expansions_added.empty()) {
    out += fmt::format("It opens {} (the ordinary plan does not).", fmt::join(r.expansions_added, ", "));
  }
  if (!r.expansions_dropped.empty()) {
    out += fmt::format("{}It does without {} (opened by the ordinary plan).", out.empty() ? "" : " ",
                       fmt::join(r.expansions_dropped, ", "));
  }
  return out;
}

std::vector<std::string> StockLines(const plan::ResilientResult& r) {
  std::vector<std::string> lines;
  for (size_t i = 0; i < r.stock_changes.size() && i < kStockShown; ++i) lines.push_back(StockLine(r.stock_changes[i]));
  return lines;
}

double TotalBacklog(const plan::PlanResult& r) {
  double total = 0;
  for (double v : r.back) total += v;
  return total;
}

}  // namespace

nlohmann::json ResilienceJson(const plan::ResilientResult& r) {
  const bool k = r.has_figures;
  nlohmann::json contingencies = nlohmann::json::array();
  for (const plan::Contingency& c : r.contingencies) {
    contingencies.push_back({{"node", c.name},
                             {"weight", c.weight},
                             {"probability", c.probability},
                             {"recovery_weeks", c.recovery_weeks},
                             {"backlog_rack_weeks_resilient", Figure(k, c.backlog_rack_weeks_resilient)},
                             {"backlog_rack_weeks_ordinary", Figure(k, c.backlog_rack_weeks_ordinary)},
                             {"cost_resilient_usd", Figure(k, c.cost_resilient_usd)},
                             {"cost_ordinary_usd", Figure(k, c.cost_ordinary_usd)}});
  }
  nlohmann::json stock = nlohmann::json::array();
  for (const plan::StockChange& c : r.stock_changes) {
    stock.push_back({{"plant", c.plant},
                     {"item", c.item},
                     {"kind", c.racks ? "racks" : "parts"},
                     {"units_resilient", c.units_resilient},
                     {"units_ordinary", c.units_ordinary}});
  }
  return {{"start_week", r.start_week},
          {"weight_nominal", r.weight_nominal},
          {"expected_cost_usd", Figure(k, r.expected_cost_usd)},
          {"price_of_resilience_usd", Figure(k, r.price_of_resilience_usd)},
          {"vss_usd", Figure(k, r.vss_usd)},
          {"ordinary_objective_usd", Figure(r.ordinary.has_solution, r.ordinary.objective_usd)},
          {"ordinary_expected_cost_usd", Figure(k, r.ordinary_expected_cost_usd)},
          {"vss_fix_widen", r.vss_fix_widen},
          {"nominal_backlog_rack_weeks_resilient", Figure(k, TotalBacklog(r.plan))},
          {"nominal_backlog_rack_weeks_ordinary", Figure(k, TotalBacklog(r.ordinary))},
          {"expansions_added", r.expansions_added},
          {"expansions_dropped", r.expansions_dropped},
          {"stock_changes", stock},
          {"contingencies", contingencies},
          {"method", plan::ToString(r.method)},
          {"columns", r.columns},
          {"rows", r.rows}};
}

nlohmann::json ResilientToJson(const model::Scenario& scenario, const plan::ResilientResult& result) {
  nlohmann::json json = PlanToJson(scenario, result.plan);
  json["resilience"] = ResilienceJson(result);
  return json;
}

std::string ResilienceText(const model::Scenario& scenario, const plan::ResilientResult& r) {
  std::string out =
      fmt::format("Resilient plan: {} contingencies from week {} (risk.start_week), nominal weight {:.4f}\n",
                  r.contingencies.size(), r.start_week, r.weight_nominal);
  if (!r.has_figures) return out + "No resilience figures: a plan has no solution.\n";
  out += "What it does differently from the ordinary plan:\n";
  out += "  " + ExpansionText(r) + "\n";
  if (r.start_week == 0) {
    out += "  Nothing is decided before the outages can start (risk.start_week 0): only expansions are shared.\n";
  } else if (r.stock_changes.empty()) {
    out += fmt::format("  It holds the same parts and racks as the ordinary plan at the end of week {}.\n",
                       r.start_week - 1);
  } else {
    out += fmt::format("  At the end of week {} it holds ({} differences, largest first):\n", r.start_week - 1,
                       r.stock_changes.size());
    for (const std::string& line : StockLines(r)) out += "    " + line + "\n";
  }
  if (std::abs(r.price_of_resilience_usd) <= kSame * std::abs(r.ordinary.objective_usd)) {
    out += fmt::format("  If nothing fails it costs the same as the ordinary plan ({}).\n",
                       FormatUsd(r.plan.objective_usd));
  } else {
    out += fmt::format("  If nothing fails it costs {} more than the ordinary plan: {} instead of {}{}.\n",
                       FormatUsd(r.price_of_resilience_usd), FormatUsd(r.plan.objective_usd),
                       FormatUsd(r.ordinary.objective_usd), CostChangeText(r));
  }
  out += fmt::format(
      "  Over the contingencies it saves {} in expectation (VSS): expected cost {} against {} for the ordinary "
      "plan's first weeks with the best reaction to each outage.\n",
      FormatUsd(r.vss_usd), FormatUsd(r.expected_cost_usd), FormatUsd(r.ordinary_expected_cost_usd));
  out += "Backlog per contingency (rack-weeks over the horizon), resilient vs ordinary:\n";
  for (const plan::Contingency& c : r.contingencies) {
    out += fmt::format("  {:<28} weight {:.4f}  out {} weeks: {:>12} vs {:>12}\n", c.name, c.weight, c.recovery_weeks,
                       FormatThousands(c.backlog_rack_weeks_resilient, 1),
                       FormatThousands(c.backlog_rack_weeks_ordinary, 1));
  }
  (void)scenario;
  return out;
}

std::string ResilientSummaryText(const model::Scenario& scenario, const plan::ResilientResult& result) {
  return PlanSummaryText(scenario, result.plan) + "\n" + ResilienceText(scenario, result);
}

void AddResilienceSection(const model::Scenario& scenario, const plan::ResilientResult& r, HtmlPage& page) {
  (void)scenario;
  page.AddHeading("Resilience");
  page.AddParagraph(fmt::format(
      "The plan above is scenario 0 of a two-stage program over {} contingencies: open expansions and every "
      "decision before week {} are shared; each contingency takes its node out from week {} for its recovery "
      "weeks and reacts with its own plan.",
      r.contingencies.size(), r.start_week, r.start_week));
  if (!r.has_figures) {
    page.AddParagraph("No resilience figures: a plan has no solution.");
    return;
  }
  page.AddKeyValues({{"expected cost", FormatUsd(r.expected_cost_usd)},
                     {"ordinary plan, expected", FormatUsd(r.ordinary_expected_cost_usd)},
                     {"value of the stochastic solution", FormatUsd(r.vss_usd)},
                     {"price of resilience", FormatUsd(r.price_of_resilience_usd) + CostChangeText(r)},
                     {"expansions", ExpansionText(r)}});
  if (!r.stock_changes.empty()) {
    HtmlTable stock{fmt::format("Stock at the end of week {} (largest differences)", r.start_week - 1),
                    {"plant", "item", "kind", "resilient", "ordinary"},
                    {},
                    {3, 4}};
    for (size_t i = 0; i < r.stock_changes.size() && i < kStockShown; ++i) {
      const plan::StockChange& c = r.stock_changes[i];
      stock.rows.push_back({c.plant, c.item, c.racks ? "racks" : "parts", FormatThousands(c.units_resilient, 1),
                            FormatThousands(c.units_ordinary, 1)});
    }
    page.AddTable(stock);
  }
  HtmlTable table{
      "Contingencies",
      {"node", "weight", "out (weeks)", "backlog resilient", "backlog ordinary", "cost resilient", "cost ordinary"},
      {},
      {1, 2, 3, 4, 5, 6}};
  for (const plan::Contingency& c : r.contingencies) {
    table.rows.push_back({c.name, fmt::format("{:.4f}", c.weight), std::to_string(c.recovery_weeks),
                          FormatThousands(c.backlog_rack_weeks_resilient, 1),
                          FormatThousands(c.backlog_rack_weeks_ordinary, 1), FormatUsdShort(c.cost_resilient_usd),
                          FormatUsdShort(c.cost_ordinary_usd)});
  }
  page.AddTable(table);
  page.AddNote(
      "Backlog in rack-weeks over the whole horizon of that contingency; costs are the plan objective of "
      "the contingency (capex and end-of-horizon penalty included).");
}

void WriteResilientOutputs(const std::string& dir, const model::Scenario& scenario,
                           const plan::ResilientResult& result) {
  PlanOutputExtras extras;
  extras.json["resilience"] = ResilienceJson(result);
  extras.html = [&](HtmlPage& page) { AddResilienceSection(scenario, result, page); };
  WritePlanOutputs(dir, scenario, result.plan, &extras);
}

}  // namespace rackforge::report
