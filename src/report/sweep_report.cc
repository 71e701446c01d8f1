// Outputs of `sweep`: JSON, console table, sweep.csv and sweep.html.

#include <fmt/format.h>

#include <cmath>

#include "common/format.h"
#include "report/html_page.h"
#include "report/output_folder.h"
#include "report/plan_report.h"
#include "report/svg_chart.h"

namespace rackforge::report {

using common::FormatPercent;
using common::FormatThousands;
using common::FormatUsd;

namespace {

nlohmann::json PointJson(const plan::SweepPoint& point) {
  const plan::PlanResult& r = point.result;
  nlohmann::json backlog = nlohmann::json::object();
  for (int k = 0; k < model::kDemandKinds; ++k) backlog[model::kDemandKindNames[k]] = r.backlog_rack_weeks[k];
  return {{"domestic_content_min", point.domestic_content_min},
          {"status", solver::ToString(r.status)},
          {"objective_usd", r.objective_usd},
          {"gap", r.gap},
          {"cost_breakdown_usd", CostBreakdownJson(r.cost)},
          {"racks_built", r.racks_built},
          {"domestic_content", r.domestic_content},
          {"backlog_rack_weeks", backlog},
          {"expansions_opened", r.expansions_opened}};
}

double TotalBacklog(const plan::PlanResult& r) {
  return r.backlog_rack_weeks[0] + r.backlog_rack_weeks[1] + r.backlog_rack_weeks[2];
}

/// A point's cost change against the first point, split so that the price of the floor (parts and
/// tariffs) is not mixed up with backlog-penalty changes.
struct CostDelta {
  double total = 0;
  double components = 0;
  double tariffs = 0;
  double backlog_penalty = 0;
  double other = 0;  // in-house, production, transport, holding, capex
};

/// b − a, with a difference below half a dollar (what the solver's rounding leaves of an
/// unchanged part, e.g. 5e-10) taken as no change, in the table and the chart alike.
double Change(double b, double a) {
  const double d = b - a;
  return std::abs(d) < 0.5 ? 0.0 : d;
}

CostDelta DeltaOf(const plan::SweepResult& sweep, const plan::SweepPoint& point) {
  if (sweep.points.empty()) return {};
  const plan::CostBreakdown& a = sweep.points.front().result.cost;
  const plan::CostBreakdown& b = point.result.cost;
  CostDelta d;
  d.components = Change(b.components, a.components);
  d.tariffs = Change(b.tariffs, a.tariffs);
  d.backlog_penalty = Change(b.backlog_penalty, a.backlog_penalty);
  d.other = Change(b.in_house + b.production + b.transport + b.holding + b.capex,
                   a.in_house + a.production + a.transport + a.holding + a.capex);
  d.total = Change(point.result.objective_usd, sweep.points.front().result.objective_usd);
  return d;
}

/// A change with its sign: "+$1,234", "-$56"; no change is "$0".
std::string Signed(double usd) { return (usd > 0 ? "+" : "") + FormatUsd(usd); }

}  // namespace

nlohmann::json SweepToJson(const plan::SweepResult& sweep) {
  nlohmann::json points = nlohmann::json::array();
  for (const plan::SweepPoint& p : sweep.points) points.push_back(PointJson(p));
  return {{"points", points}, {"build_seconds", sweep.build_seconds}, {"solve_seconds", sweep.solve_seconds}};
}

std::string SweepSummaryText(const plan::SweepResult& sweep) {
  std::string out = fmt::format("{:>8}  {:<11} {:>12} {:>15} {:>13} {:>13} {:>13} {:>10} {:>14}\n", "floor", "status",
                                "total cost", "vs first point", "parts", "tariffs", "penalty", "domestic",
                                "backlog (r-wk)");
  out += fmt::format("{:>8}  {:<11} {:>12} {:>15} {:>41}\n", "", "", "", "", "(of which, vs first point)");
  for (const plan::SweepPoint& p : sweep.points) {
    const plan::PlanResult& r = p.result;
    const CostDelta d = DeltaOf(sweep, p);
    out += fmt::format("{:>8}  {:<11} {:>12} {:>15} {:>13} {:>13} {:>13} {:>10} {:>14}\n",
                       FormatPercent(p.domestic_content_min), solver::ToString(r.status), FormatUsd(r.objective_usd),
                       Signed(d.total), Signed(d.components), Signed(d.tariffs), Signed(d.backlog_penalty),
                       FormatPercent(r.domestic_content), FormatThousands(TotalBacklog(r), 1));
  }
  return out;
}

Table SweepTable(const plan::SweepResult& sweep) {
  Table table{
      "sweep",
      {"domestic_content_min", "status", "objective_usd", "components_usd", "tariffs_usd", "in_house_usd",
       "production_usd", "transport_usd", "holding_usd", "backlog_penalty_usd", "capex_usd", "racks_built",
       "domestic_content", "backlog_evaluation_rack_weeks", "backlog_firm_rack_weeks", "backlog_option_rack_weeks"},
      {}};
  for (const plan::SweepPoint& p : sweep.points) {
    const plan::PlanResult& r = p.result;
    table.rows.push_back({p.domestic_content_min, std::string(solver::ToString(r.status)), r.objective_usd,
                          r.cost.components, r.cost.tariffs, r.cost.in_house, r.cost.production, r.cost.transport,
                          r.cost.holding, r.cost.backlog_penalty, r.cost.capex, r.racks_built, r.domestic_content,
                          r.backlog_rack_weeks[0], r.backlog_rack_weeks[1], r.backlog_rack_weeks[2]});
  }
  return table;
}

std::string SweepHtml(const model::Scenario& scenario, const plan::SweepResult& sweep) {
  HtmlPage page("rackforge sweep: " + scenario.name);
  page.AddNote(fmt::format("{} points; domestic-content floor as a share of pre-tariff component spend",
                           sweep.points.size()));
  LineChart curve;
  curve.frame.title = "Cost increase against the first point, by part";
  curve.frame.x_axis = {"Domestic-content floor", "share"};
  curve.frame.y_axis = {"Cost change vs first point", "USD"};
  Series total{"total", {}, "", false}, parts{"components", {}, "", false}, tariffs{"tariffs", {}, "", false},
      penalty{"backlog penalty", {}, "", false},
      other{"in-house, production, transport, holding, capex", {}, "", false};
  BarChart stacked;
  stacked.frame.title = "Cost parts per floor";
  stacked.frame.x_axis = {"Domestic-content floor", ""};
  stacked.frame.y_axis = {"Cost", "USD"};
  const char* names[] = {"components", "tariffs", "in-house",        "production",
                         "transport",  "holding", "backlog penalty", "capex"};
  for (const char* name : names) stacked.series.push_back({name, {}, "", false});
  HtmlTable table;
  table.headers = {"floor",         "status",           "total cost",        "vs first point",
                   "components vs first", "tariffs vs first", "penalty vs first", "tariffs",
                   "domestic achieved",   "backlog (rack-weeks)"};
  table.numeric_columns = {0, 2, 3, 4, 5, 6, 7, 8, 9};
  for (const plan::SweepPoint& p : sweep.points) {
    const plan::PlanResult& r = p.result;
    const plan::CostBreakdown& c = r.cost;
    const CostDelta d = DeltaOf(sweep, p);
    curve.x.push_back(p.domestic_content_min);
    total.values.push_back(d.total);
    parts.values.push_back(d.components);
    tariffs.values.push_back(d.tariffs);
    penalty.values.push_back(d.backlog_penalty);
    other.values.push_back(d.other);
    stacked.categories.push_back(FormatPercent(p.domestic_content_min, 0));
    const double values[] = {c.components, c.tariffs, c.in_house,        c.production,
                             c.transport,  c.holding, c.backlog_penalty, c.capex};
    for (size_t i = 0; i < std::size(values); ++i) stacked.series[i].values.push_back(values[i]);
    table.rows.push_back({FormatPercent(p.domestic_content_min), solver::ToString(r.status), FormatUsd(r.objective_usd),
                          Signed(d.total), Signed(d.components), Signed(d.tariffs), Signed(d.backlog_penalty),
                          FormatUsd(c.tariffs), FormatPercent(r.domestic_content), FormatThousands(TotalBacklog(r), 1)});
  }
  curve.series = {total, parts, tariffs, penalty, other};
  page.AddRaw(RenderLineChart(curve));
  page.AddRaw(RenderBarChart(stacked));
  page.AddTable(table);
  return page.Render();
}

void WriteSweepOutputs(const std::string& dir, const model::Scenario& scenario, const plan::SweepResult& sweep) {
  OutputFolder out(dir);
  out.WriteCsv({SweepTable(sweep)});
  out.WriteText("sweep.json", SweepToJson(sweep).dump(2) + "\n");
  out.WriteText("sweep.html", SweepHtml(scenario, sweep));
  out.Commit();
}

}  // namespace rackforge::report
