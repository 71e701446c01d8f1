// Outputs of `sweep`: JSON, console table, sweep.csv and sweep.html.

#include <fmt/format.h>

#include "report/format.h"
#include "report/html_page.h"
#include "report/output_folder.h"
#include "report/plan_report.h"
#include "report/svg_chart.h"

namespace rackforge::report {

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

}  // namespace

nlohmann::json SweepToJson(const plan::SweepResult& sweep) {
  nlohmann::json points = nlohmann::json::array();
  for (const plan::SweepPoint& p : sweep.points) points.push_back(PointJson(p));
  return {{"points", points}, {"build_seconds", sweep.build_seconds}, {"solve_seconds", sweep.solve_seconds}};
}

std::string SweepSummaryText(const plan::SweepResult& sweep) {
  std::string out = fmt::format("{:>8}  {:<11} {:>20} {:>18} {:>18} {:>10} {:>14}\n", "floor", "status", "total cost",
                                "vs first point", "tariffs", "domestic", "backlog (r-wk)");
  const double base = sweep.points.empty() ? 0 : sweep.points.front().result.objective_usd;
  for (const plan::SweepPoint& p : sweep.points) {
    const plan::PlanResult& r = p.result;
    const double delta = r.objective_usd - base;
    out += fmt::format("{:>8}  {:<11} {:>20} {:>18} {:>18} {:>10} {:>14}\n", FormatPercent(p.domestic_content_min),
                       solver::ToString(r.status), FormatUsd(r.objective_usd),
                       (delta >= 0 ? "+" : "") + FormatUsd(delta), FormatUsd(r.cost.tariffs),
                       FormatPercent(r.domestic_content), FormatThousands(TotalBacklog(r), 1));
  }
  return out;
}

Table SweepTable(const plan::SweepResult& sweep) {
  Table table{"sweep",
              {"domestic_content_min", "status", "objective_usd", "components_usd", "tariffs_usd", "production_usd",
               "transport_usd", "holding_usd", "backlog_penalty_usd", "capex_usd", "racks_built", "domestic_content",
               "backlog_evaluation_rack_weeks", "backlog_firm_rack_weeks", "backlog_option_rack_weeks"},
              {}};
  for (const plan::SweepPoint& p : sweep.points) {
    const plan::PlanResult& r = p.result;
    table.rows.push_back({p.domestic_content_min, std::string(solver::ToString(r.status)), r.objective_usd,
                          r.cost.components, r.cost.tariffs, r.cost.production, r.cost.transport, r.cost.holding,
                          r.cost.backlog_penalty, r.cost.capex, r.racks_built, r.domestic_content,
                          r.backlog_rack_weeks[0], r.backlog_rack_weeks[1], r.backlog_rack_weeks[2]});
  }
  return table;
}

std::string SweepHtml(const model::Scenario& scenario, const plan::SweepResult& sweep) {
  HtmlPage page("rackforge sweep: " + scenario.name);
  page.AddNote(fmt::format("{} points; domestic-content floor as a share of pre-tariff component spend",
                           sweep.points.size()));
  LineChart curve;
  curve.frame.title = "Cost of a domestic-content floor";
  curve.frame.x_axis = {"Domestic-content floor", "share"};
  curve.frame.y_axis = {"Cost", "USD"};
  Series total{"total cost", {}, "", false}, parts{"components + tariffs", {}, "", false},
      penalty{"backlog penalty", {}, "", false};
  BarChart stacked;
  stacked.frame.title = "Cost parts per floor";
  stacked.frame.x_axis = {"Domestic-content floor", ""};
  stacked.frame.y_axis = {"Cost", "USD"};
  const char* names[] = {"components", "tariffs", "production", "transport", "holding", "backlog penalty", "capex"};
  for (const char* name : names) stacked.series.push_back({name, {}, "", false});
  HtmlTable table;
  table.headers = {"floor", "status", "total cost", "tariffs", "domestic achieved", "backlog (rack-weeks)"};
  table.numeric_columns = {0, 2, 3, 4, 5};
  for (const plan::SweepPoint& p : sweep.points) {
    const plan::PlanResult& r = p.result;
    const plan::CostBreakdown& c = r.cost;
    curve.x.push_back(p.domestic_content_min);
    total.values.push_back(r.objective_usd);
    parts.values.push_back(c.components + c.tariffs);
    penalty.values.push_back(c.backlog_penalty);
    stacked.categories.push_back(FormatPercent(p.domestic_content_min, 0));
    const double values[] = {c.components, c.tariffs, c.production, c.transport, c.holding, c.backlog_penalty, c.capex};
    for (size_t i = 0; i < 7; ++i) stacked.series[i].values.push_back(values[i]);
    table.rows.push_back({FormatPercent(p.domestic_content_min), solver::ToString(r.status), FormatUsd(r.objective_usd),
                          FormatUsd(c.tariffs), FormatPercent(r.domestic_content), FormatThousands(TotalBacklog(r), 1)});
  }
  curve.series = {total, parts, penalty};
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
