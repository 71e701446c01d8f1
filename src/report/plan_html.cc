// report.html of `plan`: summary, charts (output vs target, output by plant,
// domestic content vs floor, cost breakdown, backlog by kind), bottlenecks
// and late demand.

#include <fmt/format.h>

#include <algorithm>

#include "common/format.h"
#include "model/availability.h"
#include "model/iso_week.h"
#include "report/html_page.h"
#include "report/plan_load.h"
#include "report/plan_report.h"
#include "report/svg_chart.h"

namespace rackforge::report {

using common::FormatPercent;
using common::FormatThousands;
using common::FormatUsd;

namespace {

double Value(const std::vector<double>& values, size_t index) { return index < values.size() ? values[index] : 0.0; }

std::vector<double> Weeks(int32_t weeks) {
  std::vector<double> x;
  for (int32_t t = 0; t < weeks; ++t) x.push_back(t);
  return x;
}

// "2026-W05" per plan week (empty when start_week is not usable: the ticks keep their numbers).
std::vector<std::string> IsoWeeks(const model::Scenario& s, int32_t weeks) {
  std::vector<std::string> out;
  for (int32_t t = 0; t < weeks; ++t) {
    const std::string iso = model::IsoWeekOf(s.start_week, t);
    if (iso.empty()) return {};
    out.push_back(iso);
  }
  return out;
}

ChartFrame Frame(std::string title, Axis x, Axis y) {
  ChartFrame frame;
  frame.title = std::move(title);
  frame.x_axis = std::move(x);
  frame.y_axis = std::move(y);
  return frame;
}

std::string OutputChart(const model::Scenario& s, const plan::PlanResult& r, const RampStatus& ramp) {
  LineChart chart;
  chart.frame = Frame("Weekly output vs ramp target", {"Week (ISO)", ""}, {"Output", "racks/week"});
  chart.x = Weeks(r.weeks);
  chart.integer_x = true;
  chart.x_labels = IsoWeeks(s, r.weeks);
  chart.series.push_back({"racks built", r.racks_built_by_week, "", false});
  if (!s.target.empty()) chart.series.push_back({"target", ramp.target_by_week, "#333333", true});
  return RenderLineChart(chart);
}

/// Bar-chart categories: the ISO week of every plan week (the week index when start_week has none).
std::vector<std::string> WeekCategories(const model::Scenario& s, int32_t weeks) {
  const std::vector<std::string> iso = IsoWeeks(s, weeks);
  std::vector<std::string> out;
  for (int32_t t = 0; t < weeks; ++t) out.push_back(iso.empty() ? std::to_string(t) : iso[t]);
  return out;
}

std::string PlantChart(const model::Scenario& s, const plan::PlanResult& r) {
  BarChart chart;
  chart.frame = Frame("Output by plant", {"Week (ISO)", ""}, {"Output", "racks/week"});
  chart.categories = WeekCategories(s, r.weeks);
  for (size_t p = 0; p < s.plants.size(); ++p) {
    Series series{s.plants[p].id, std::vector<double>(r.weeks, 0.0), "", false};
    for (size_t l = 0; l < s.lines.size(); ++l) {
      if (s.lines[l].plant != static_cast<int32_t>(p)) continue;
      for (int32_t g = 0; g < r.designs; ++g) {
        for (int32_t t = 0; t < r.weeks; ++t) series.values[t] += Value(r.make, r.MakeIndex(int32_t(l), g, t));
      }
    }
    chart.series.push_back(std::move(series));
  }
  return RenderBarChart(chart);
}

std::string DomesticChart(const model::Scenario& s, const plan::PlanResult& r) {
  std::vector<double> domestic(r.weeks, 0.0), total(r.weeks, 0.0), share(r.weeks, 0.0);
  for (size_t o = 0; o < s.offers.size(); ++o) {
    const model::Offer& offer = s.offers[o];
    for (int32_t t = 0; t < r.weeks; ++t) {
      const double spend = r.BuyAllPlants(int32_t(o), t) * offer.unit_cost_usd;
      total[t] += spend;
      if (s.suppliers[offer.supplier].domestic()) domestic[t] += spend;
    }
  }
  for (size_t m = 0; m < s.component_lines.size(); ++m) {  // in-house value added is domestic (build week)
    for (int32_t c : s.component_lines[m].components) {
      for (int32_t t = 0; t < r.weeks; ++t) {
        const double value = Value(r.makec, r.MakecIndex(int32_t(m), c, t)) * s.component_lines[m].cost_usd_per_unit;
        total[t] += value;
        domestic[t] += value;
      }
    }
  }
  for (int32_t t = 0; t < r.weeks; ++t) share[t] = total[t] > 0 ? domestic[t] / total[t] : std::nan("");
  LineChart chart;
  chart.frame = Frame("Domestic content of component orders (and in-house value added) vs floor",
                      {"Order / build week (ISO)", ""}, {"Domestic share", "of pre-tariff spend"});
  chart.x = Weeks(r.weeks);
  chart.integer_x = true;
  chart.x_labels = IsoWeeks(s, r.weeks);
  chart.series.push_back({"weekly orders", share, "", false});
  chart.series.push_back({"achieved overall", std::vector<double>(r.weeks, r.domestic_content), "#59a14f", true});
  chart.series.push_back({"floor", std::vector<double>(r.weeks, s.policy.domestic_content_min), "#e15759", true});
  return RenderLineChart(chart);
}

std::string CostChart(const plan::PlanResult& r) {
  BarChart chart;
  chart.frame = Frame("Cost breakdown", {"Cost part", ""}, {"Cost", "USD"});
  chart.categories = {"components", "tariffs", "in-house",        "production",
                      "transport",  "holding", "backlog penalty", "capex"};
  const plan::CostBreakdown& c = r.cost;
  chart.series.push_back(
      {"cost",
       {c.components, c.tariffs, c.in_house, c.production, c.transport, c.holding, c.backlog_penalty, c.capex},
       "",
       false});
  return RenderBarChart(chart);
}

std::string BacklogChart(const model::Scenario& s, const plan::PlanResult& r) {
  LineChart chart;
  chart.frame = Frame("Backlog by demand kind", {"Week (ISO)", ""}, {"Backlog", "racks"});
  chart.x = Weeks(r.weeks);
  chart.integer_x = true;
  chart.x_labels = IsoWeeks(s, r.weeks);
  for (int k = 0; k < model::kDemandKinds; ++k) {
    std::vector<double> backlog(r.weeks, 0.0);
    for (size_t d = 0; d < s.sites.size(); ++d) {
      for (int32_t g = 0; g < r.designs; ++g) {
        for (int32_t t = 0; t < r.weeks; ++t) backlog[t] += Value(r.back, r.BackIndex(int32_t(d), g, k, t));
      }
    }
    chart.series.push_back({model::kDemandKindNames[k], backlog, "", false});
  }
  return RenderLineChart(chart);
}

// Used / available per week, binding weeks framed: rack and component lines and test cells
// (`offers` false), or the supplier offers that bind in some week (`offers` true; `left_out`
// counts those that never do: the dashboard's Load page has them all).
std::string LoadHeatmap(const model::Scenario& s, const plan::PlanResult& r, bool offers, size_t* left_out) {
  Heatmap chart;
  chart.frame = Frame(offers ? "Supplier offers that bind: units ordered / offered per order week"
                             : "Lines and test cells: capacity used / available per week",
                      {"Week (ISO)", ""}, {"", ""});
  chart.frame.width_px = 980;
  chart.marked_name = "binding (>= 99.9 %)";
  chart.none_name = "no capacity";
  for (int32_t t = 0; t < r.weeks; ++t) {
    const std::string iso = model::IsoWeekOf(s.start_week, t);
    chart.columns.push_back(iso.empty() ? std::to_string(t) : iso);
  }
  *left_out = 0;
  for (const LoadRow& row : LoadRows(s, s.disruptions, r)) {
    if ((row.kind == "supply") != offers) continue;
    const std::vector<int32_t> binding = BindingWeeks(row);
    if (offers && binding.empty()) {
      ++*left_out;
      continue;
    }
    HeatmapRow out;
    out.label = row.kind == "test" ? row.id + " test cells" : row.id;
    out.marked.assign(r.weeks, false);
    for (int32_t t : binding) out.marked[t] = true;
    for (int32_t t = 0; t < r.weeks; ++t) {
      const double available = row.available[t];
      const bool none = available <= 1e-6;
      out.share.push_back(none ? std::nan("") : row.used[t] / available);
      const std::string when = fmt::format("{} (Mon {})", chart.columns[t], model::IsoMondayOf(s.start_week, t));
      out.tips.push_back(none ? fmt::format("{}, {}: no capacity", out.label, when)
                              : fmt::format("{}, {}: {} of {} {} ({})", out.label, when, FormatThousands(row.used[t], 1),
                                            FormatThousands(available, 1), row.unit,
                                            FormatPercent(row.used[t] / available)));
    }
    chart.rows.push_back(std::move(out));
  }
  return RenderHeatmap(chart);
}

/// Units made per week, one series per (component line, component) that makes anything.
std::string ComponentBuildsChart(const model::Scenario& s, const plan::PlanResult& r) {
  BarChart chart;
  chart.frame = Frame("Component builds by line", {"Week (ISO)", ""}, {"Output", "units/week"});
  chart.categories = WeekCategories(s, r.weeks);
  for (size_t m = 0; m < s.component_lines.size(); ++m) {
    for (int32_t c : s.component_lines[m].components) {
      Series series{s.component_lines[m].id + ": " + s.components[c].id, std::vector<double>(r.weeks, 0.0), "", false};
      double total = 0;
      for (int32_t t = 0; t < r.weeks; ++t) total += series.values[t] = Value(r.makec, r.MakecIndex(int32_t(m), c, t));
      if (total > 1e-9) chart.series.push_back(std::move(series));
    }
  }
  return chart.series.empty() ? std::string() : RenderBarChart(chart);
}

/// One row per (component line, component): units over the horizon, the weeks it builds, its peak
/// week and how much of the line's capacity the plan uses.
HtmlTable ComponentBuildsHtml(const model::Scenario& s, const plan::PlanResult& r) {
  HtmlTable table;
  table.caption = "Component builds per line (week by week in component_builds.csv and plan.xlsx)";
  table.headers = {"line",
                   "plant",
                   "component",
                   "units",
                   "weeks built",
                   "peak units/week",
                   "peak week",
                   "line capacity used",
                   "in-house value (USD)"};
  table.numeric_columns = {3, 5, 7, 8};
  for (size_t m = 0; m < s.component_lines.size(); ++m) {
    const model::ComponentLine& line = s.component_lines[m];
    const bool unopened = line.expansion >= 0 && (static_cast<size_t>(line.expansion) >= r.opened.size() ||
                                                  r.opened[line.expansion] == 0);
    if (unopened) continue;  // an expansion line the plan does not open has no capacity to report
    double capacity = 0;  // Σ_t units_per_week·ramp (disruptions aside)
    for (int32_t t = 0; t < r.weeks; ++t) capacity += line.units_per_week * model::Availability::Ramp(line, t);
    for (int32_t c : line.components) {
      double units = 0, peak = 0;
      int32_t first = -1, last = -1, peak_week = -1;
      for (int32_t t = 0; t < r.weeks; ++t) {
        const double v = Value(r.makec, r.MakecIndex(int32_t(m), c, t));
        if (v <= 1e-9) continue;
        units += v;
        if (first < 0) first = t;
        last = t;
        if (v > peak) {
          peak = v;
          peak_week = t;
        }
      }
      const bool built = first >= 0;
      table.rows.push_back({line.id, s.plants[line.plant].id, s.components[c].id, FormatThousands(units, RackDecimals(r)),
                            built ? fmt::format("{}-{}", first, last) : std::string("-"), FormatThousands(peak, RackDecimals(r)),
                            built ? std::to_string(peak_week) : std::string("-"),
                            capacity > 0 ? FormatPercent(units / capacity) : std::string("-"),
                            FormatThousands(units * line.cost_usd_per_unit, 0)});
    }
  }
  return table;
}

std::vector<std::pair<std::string, std::string>> SummaryItems(const model::Scenario& s, const plan::PlanResult& r,
                                                              const RampStatus& ramp) {
  std::vector<std::pair<std::string, std::string>> items = {
      {"Status", solver::Describe(r.status, r.gap, r.has_solution)},
      {"Total cost", FormatUsd(r.objective_usd)},
      {"Racks built", FormatThousands(r.racks_built, r.whole ? 0 : 1) + " racks"},
      {"Ramp target", s.target.empty() ? "none" : (ramp.ramp_reached ? "reached" : "not reached") + PeakBelowTarget(s, r)},
      {"Target first met",
       ramp.first_week_target_met ? "week " + model::WeekLabel(s.start_week, *ramp.first_week_target_met)
                                  : std::string("never")},
      {"Domestic content achieved", FormatPercent(r.domestic_content) + " (floor " +
                               FormatPercent(s.policy.domestic_content_min) + ")"},
      {"Backlog", fmt::format("{} evaluation, {} firm, {} option rack-weeks", FormatThousands(r.backlog_rack_weeks[0], 1),
                              FormatThousands(r.backlog_rack_weeks[1], 1), FormatThousands(r.backlog_rack_weeks[2], 1))},
      {"Owed at the end", fmt::format("{} evaluation, {} firm, {} option racks", FormatThousands(r.backlog_at_end_racks[0], 1),
                                      FormatThousands(r.backlog_at_end_racks[1], 1),
                                      FormatThousands(r.backlog_at_end_racks[2], 1))},
      {"Expansions opened", r.expansions_opened.empty() ? "none" : fmt::format("{}", fmt::join(r.expansions_opened, ", "))},
  };
  if (const std::string note = EndOfHorizonNote(s, r, ramp); !note.empty()) {
    items.insert(items.begin() + 4, {"The last weeks", note});
  }
  if (r.whole) {
    items.insert(items.begin() + 2, {"Quantities", fmt::format("whole; continuous bound {}, whole gap {:.4f} %",
                                                             FormatUsd(r.continuous_bound_usd), 100.0 * r.whole_gap)});
  }
  return items;
}

/// report.html lists the strongest week ranges only; all are in plan.json and plan.xlsx.
constexpr size_t kHtmlBottlenecks = 15;

HtmlTable BottleneckHtml(const plan::PlanResult& r) {
  HtmlTable table;
  table.caption = "Bottlenecks, ranked by objective gain per unit of capacity";
  table.headers = {"#", "kind", "node", "weeks", "per week (USD/unit)", "largest week (USD/unit)", "explanation"};
  table.numeric_columns = {0, 4, 5};
  for (size_t i = 0; i < r.bottlenecks.size() && i < kHtmlBottlenecks; ++i) {
    const plan::Bottleneck& b = r.bottlenecks[i];
    table.rows.push_back({std::to_string(i + 1), plan::ToString(b.kind), b.node,
                          fmt::format("{}-{}", b.first_week, b.last_week), FormatThousands(b.weekly_usd_per_unit, 2),
                          FormatThousands(b.dual_usd_per_unit, 2), b.text});
  }
  return table;
}

/// report.html shows this many late-demand rows; the rest sit in a collapsed table (all are in plan.json).
constexpr size_t kHtmlLateDemand = 20;

// Late-demand cells, most rack-weeks late first (as the console lists them); rows first..last-1.
HtmlTable LateDemandHtml(const plan::PlanResult& r, size_t first, size_t last) {
  std::vector<const plan::LateDemand*> ranked;
  for (const plan::LateDemand& late : r.late_demand) ranked.push_back(&late);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const plan::LateDemand* a, const plan::LateDemand* b) { return a->rack_weeks > b->rack_weeks; });
  HtmlTable table;
  table.caption = first == 0 ? "Late demand, most rack-weeks late first" : "";
  table.headers = {"site", "design", "kind", "racks late", "rack-weeks late", "weeks late (latest)", "explanation"};
  table.numeric_columns = {3, 4, 5};
  for (size_t i = first; i < last && i < ranked.size(); ++i) {
    const plan::LateDemand& l = *ranked[i];
    const std::string weeks = !l.latest                     ? std::string("-")
                              : l.latest->promised_week < 0 ? fmt::format("{}+", l.latest->weeks_late)
                                                            : std::to_string(l.latest->weeks_late);
    table.rows.push_back({l.site, l.design, model::kDemandKindNames[static_cast<int>(l.kind)],
                          FormatThousands(l.late_racks, 1), FormatThousands(l.rack_weeks, 1), weeks, l.text});
  }
  return table;
}

// The latest orders (at most 15) and the on-time figures; the full list is pegging.csv.
void AddPromiseSection(const model::Scenario& s, const plan::PlanResult& r, HtmlPage& page) {
  page.AddHeading("Promise dates");
  std::vector<std::string> figures;
  for (int k = 0; k < model::kDemandKinds; ++k) {
    if (!r.promise.on_time_share[k]) continue;
    figures.push_back(fmt::format("{}: {} on time, {:.2f} weeks late on average", model::kDemandKindNames[k],
                                  FormatPercent(*r.promise.on_time_share[k]),
                                  r.promise.mean_weeks_late[k].value_or(0)));
  }
  if (figures.empty()) {
    page.AddParagraph("No demand to promise.");
    return;
  }
  page.AddParagraph(fmt::format("{}.", fmt::join(figures, "; ")));
  constexpr size_t kShown = 15;
  const std::vector<size_t> latest = plan::LatestOrders(r.pegging, kShown);
  if (latest.empty()) {
    page.AddParagraph("Every order arrives in its demand week.");
    return;
  }
  HtmlTable table;
  table.caption = "Latest orders first (every order in pegging.csv)";
  table.headers = {"site", "design", "kind", "demand week", "plant", "promised week", "racks", "weeks late"};
  table.numeric_columns = {6, 7};
  for (size_t i : latest) {
    const plan::PeggingRow& row = r.pegging[i];
    table.rows.push_back(
        {s.sites[row.site].id, s.designs[row.design].id, model::kDemandKindNames[static_cast<int>(row.kind)],
         model::WeekLabel(s.start_week, row.demand_week), row.served() ? s.plants[row.plant].id : std::string("-"),
         row.served() ? model::WeekLabel(s.start_week, row.arrival_week) : std::string("not in horizon"),
         FormatThousands(row.racks, 1),
         row.served() ? std::to_string(row.weeks_late) : fmt::format("{}+", row.weeks_late)});
  }
  page.AddTable(table);
}

}  // namespace

std::string PlanHtml(const model::Scenario& scenario, const plan::PlanResult& result, const PlanOutputExtras* extras) {
  const RampStatus ramp = ComputeRamp(scenario, result);
  HtmlPage page("rackforge plan: " + scenario.name);
  page.AddNote(fmt::format("{} weeks from {}; option demand {}", scenario.horizon_weeks, scenario.start_week,
                           model::ToString(scenario.policy.option_demand)));
  if (!result.has_solution) {  // no figures: a cost of $0 or 0 racks would read as a plan
    page.AddKeyValues({{"Status", solver::Describe(result.status, result.gap, result.has_solution)}});
    page.AddParagraph(result.status == solver::SolveStatus::kTimeLimit
                          ? "The time limit ran out before the solver found a plan (a longer --time-limit may find "
                            "one), so there is nothing to chart."
                          : "The solver found no plan, so there is nothing to chart.");
    if (extras != nullptr && extras->html) extras->html(page);
    return page.Render();
  }
  page.AddKeyValues(SummaryItems(scenario, result, ramp));
  page.AddHeading("Output");
  page.AddRaw(OutputChart(scenario, result, ramp));
  page.AddRaw(PlantChart(scenario, result));
  page.AddHeading("Load by line and week");
  size_t unused = 0, offers_left_out = 0;
  page.AddRaw(LoadHeatmap(scenario, result, false, &unused));
  const std::string offers = LoadHeatmap(scenario, result, true, &offers_left_out);
  const size_t binding_offers = scenario.offers.size() - offers_left_out;
  if (binding_offers > 0) {
    page.AddRaw(fmt::format("<details><summary>{} of {} supplier offers bind in some week (open)</summary>{}</details>",
                            binding_offers, scenario.offers.size(), offers));
  } else {
    page.AddNote("No supplier offer binds in any week.");
  }
  if (!scenario.component_lines.empty()) {
    page.AddHeading("Component builds");
    page.AddRaw(ComponentBuildsChart(scenario, result));
    page.AddTable(ComponentBuildsHtml(scenario, result));
  }
  page.AddHeading("Domestic content");
  page.AddRaw(DomesticChart(scenario, result));
  page.AddHeading("Cost");
  page.AddRaw(CostChart(result));
  page.AddHeading("Backlog");
  page.AddRaw(BacklogChart(scenario, result));
  page.AddHeading("Bottlenecks");
  if (result.bottlenecks.empty()) {
    page.AddParagraph("No capacity, supply or domestic-content row limits the plan.");
  } else {
    page.AddTable(BottleneckHtml(result));
    if (result.bottlenecks.size() > kHtmlBottlenecks) {
      page.AddNote(fmt::format("The {} strongest of {} binding week ranges; all of them are in plan.json and plan.xlsx.",
                               kHtmlBottlenecks, result.bottlenecks.size()));
    }
  }
  page.AddHeading("Late demand");
  if (result.late_demand.empty()) {
    page.AddParagraph("Every rack ships on time.");
  } else {
    const size_t n = result.late_demand.size();
    page.AddTable(LateDemandHtml(result, 0, kHtmlLateDemand));
    if (n > kHtmlLateDemand) {
      page.AddCollapsedTable(fmt::format("{} more late (site, design, kind) cells (open)", n - kHtmlLateDemand),
                             LateDemandHtml(result, kHtmlLateDemand, n));
    }
    page.AddNote("\"held back most by\": the binding rows upstream of the cell, each with its share of the summed "
                 "weekly duals over the weeks it binds up to the last late week (the shares add up to 100 %).");
  }
  AddPromiseSection(scenario, result, page);
  if (extras != nullptr && extras->html) extras->html(page);
  return page.Render();
}

}  // namespace rackforge::report
