#include "report/explore_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/format.h"
#include "design/rules.h"
#include "report/html_page.h"
#include "report/svg_chart.h"

namespace rackforge::report {

using common::FormatPercent;
using common::FormatThousands;
using common::FormatUsd;

namespace {

/// The variant id with a zero-width space after every '~', so that the table can wrap it
/// between options instead of running off the page.
std::string BreakableId(const std::string& id) {
  std::string out;
  for (char c : id) {
    out += c;
    if (c == '~') out += "\u200b";
  }
  return out;
}


using nlohmann::json;

// The space explored for a result (a space without slots for a design that has none).
model::DesignSpace SpaceOf(const model::Scenario& scenario, const explore::SpaceResult& r) {
  const model::DesignSpace* space = explore::FindSpace(scenario, r.design);
  return space ? *space : model::DesignSpace{r.design, {}};
}

json MarginJson(const std::optional<double>& margin) { return margin ? json(*margin) : json(nullptr); }

json VariantJson(const model::Scenario& scenario, const model::DesignSpace& space, const explore::FrontVariant& v) {
  json choices = json::object();
  for (size_t s = 0; s < space.slots.size(); ++s) choices[space.slots[s].slot] = v.choices[s] + 1;
  return {{"variant", explore::VariantId(scenario, space, v.choices)},
          {"cost_usd", v.objectives.cost_usd},
          {"domestic_share", v.objectives.domestic_share},
          {"min_suppliers", v.objectives.min_suppliers},
          {"min_margin", MarginJson(v.objectives.min_margin)},
          {"choices", choices},
          {"tightest_rule", v.tightest_rule ? json(design::RuleName(*v.tightest_rule)) : json(nullptr)}};
}

size_t Shown(const explore::SpaceResult& r, size_t top) { return top == 0 ? r.front.size() : std::min(top, r.front.size()); }

std::string Margin(const std::optional<double>& margin) {
  return margin ? FormatPercent(*margin) : std::string("-");
}

/// "power_shelf=3 (6 x ps-33kw-us)": each slot's option number and the parts of that option
/// ("no parts" for an option that only removes parts or sets fields).
std::string Choices(const model::Scenario& scenario, const model::DesignSpace& space,
                    const std::vector<int32_t>& choices) {
  std::string out;
  for (size_t s = 0; s < space.slots.size(); ++s) {
    const model::SlotOption& option = space.slots[s].options[choices[s]];
    std::vector<std::string> parts;
    for (const model::BomEntry& b : option.bom) {
      parts.push_back(fmt::format("{:g} x {}", b.qty, scenario.components[b.component].id));
    }
    out += fmt::format("{}{}={} ({})", s == 0 ? "" : "; ", space.slots[s].slot, choices[s] + 1,
                       parts.empty() ? std::string("no parts") : fmt::format("{}", fmt::join(parts, ", ")));
  }
  return out.empty() ? "(base design)" : out;
}

std::string Summary(const explore::SpaceResult& r) {
  const std::string passing =
      r.variants_passing ? FormatThousands(static_cast<double>(*r.variants_passing)) : std::string("not counted");
  std::string out = fmt::format("{} variants, {} passing, method {}", FormatThousands(r.variants_total), passing,
                                explore::ToString(r.method));
  if (r.method == explore::Method::kMilp) out += fmt::format(" ({} MILP solves)", r.milp_solves);
  return out;
}

std::string ScatterSvg(const model::Scenario& scenario, const model::DesignSpace& space,
                       const explore::SpaceResult& r) {
  ScatterChart chart;
  chart.frame.title = scenario.designs[r.design].id + ": cost vs domestic share";
  chart.frame.x_axis = {"Domestic share", "%"};
  chart.frame.y_axis = {"Cost", "USD per rack"};
  chart.points_name = "passing variants (sample)";
  chart.highlight_name = "Pareto front";
  for (const explore::Objectives& o : r.sample) {
    chart.points.push_back({100.0 * o.domestic_share, o.cost_usd, "", false});
  }
  for (const explore::FrontVariant& v : r.front) {
    chart.points.push_back({100.0 * v.objectives.domestic_share, v.objectives.cost_usd,
                            explore::VariantId(scenario, space, v.choices), true});
  }
  return RenderScatterChart(chart);
}

HtmlTable FrontTable(const model::Scenario& scenario, const model::DesignSpace& space, const explore::SpaceResult& r) {
  HtmlTable table;
  table.headers = {"variant", "cost", "possible domestic share", "min suppliers", "min margin", "tightest rule",
                   "options (parts)"};
  table.numeric_columns = {1, 2, 3, 4};
  for (const explore::FrontVariant& v : r.front) {
    table.rows.push_back({BreakableId(explore::VariantId(scenario, space, v.choices)), FormatUsd(v.objectives.cost_usd),
                          FormatPercent(v.objectives.domestic_share), std::to_string(v.objectives.min_suppliers),
                          Margin(v.objectives.min_margin), v.tightest_rule ? design::RuleName(*v.tightest_rule) : "-",
                          Choices(scenario, space, v.choices)});
  }
  return table;
}

}  // namespace

json ExploreJson(const model::Scenario& scenario, const explore::ExploreResult& result, size_t top) {
  json designs = json::array();
  for (const explore::SpaceResult& r : result.designs) {
    const model::DesignSpace space = SpaceOf(scenario, r);
    json front = json::array();
    for (size_t i = 0; i < Shown(r, top); ++i) front.push_back(VariantJson(scenario, space, r.front[i]));
    json d = {{"design", scenario.designs[r.design].id},
              {"method", explore::ToString(r.method)},
              {"variants_total", r.variants_total},
              {"variants_passing", r.variants_passing ? json(*r.variants_passing) : json(nullptr)},
              {"front", front}};
    if (r.method == explore::Method::kMilp) d["milp_solves"] = r.milp_solves;
    if (!r.note.empty()) d["note"] = r.note;
    designs.push_back(std::move(d));
  }
  return {{"designs", designs}};
}

std::string ExploreTable(const model::Scenario& scenario, const explore::ExploreResult& result, size_t top) {
  std::string out;
  for (const explore::SpaceResult& r : result.designs) {
    const model::DesignSpace space = SpaceOf(scenario, r);
    out += fmt::format("{}: {}\n", scenario.designs[r.design].id, Summary(r));
    if (!r.note.empty()) out += "  " + r.note + "\n";
    out += fmt::format("  Pareto front: {} variant(s){}\n", r.front.size(),
                       Shown(r, top) < r.front.size() ? fmt::format(", first {} by cost", Shown(r, top)) : "");
    if (r.front.empty()) {
      out += "\n";
      continue;
    }
    out += fmt::format("  {:>14} {:>14} {:>9} {:>9}  {:<15} {}\n", "cost", "possible dom.", "min sup.", "margin",
                       "tightest rule", "choices");
    for (size_t i = 0; i < Shown(r, top); ++i) {
      const explore::FrontVariant& v = r.front[i];
      out += fmt::format("  {:>14} {:>14} {:>9} {:>9}  {:<15} {}\n", FormatUsd(v.objectives.cost_usd),
                         FormatPercent(v.objectives.domestic_share), v.objectives.min_suppliers,
                         Margin(v.objectives.min_margin), v.tightest_rule ? design::RuleName(*v.tightest_rule) : "-",
                         Choices(scenario, space, v.choices));
    }
    out += "\n";
  }
  return out;
}

std::string ExploreHtml(const model::Scenario& scenario, const explore::ExploreResult& result) {
  HtmlPage page("rackforge explore: " + scenario.name);
  page.AddParagraph(
      "Variants of each design space, rolled up and design-rule-checked like `rackforge check`. "
      "The Pareto front keeps the passing variants that no other passing variant beats on cost, "
      "domestic share, minimum supplier count and minimum rule margin.");
  for (const explore::SpaceResult& r : result.designs) {
    const model::DesignSpace space = SpaceOf(scenario, r);
    page.AddHeading(scenario.designs[r.design].id);
    page.AddNote(Summary(r));
    if (!r.note.empty()) page.AddNote(r.note);
    if (r.front.empty()) {
      page.AddParagraph("No variant passes every rule.");
      continue;
    }
    page.AddRaw(ScatterSvg(scenario, space, r));
    page.AddTable(FrontTable(scenario, space, r));
  }
  return page.Render();
}

}  // namespace rackforge::report
