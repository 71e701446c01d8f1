#include "report/risk_report.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/format.h"
#include "model/availability.h"
#include "model/iso_week.h"
#include "report/html_page.h"
#include "report/svg_chart.h"

namespace rackforge::report {

using common::FormatPercent;
using common::FormatThousands;

namespace {

nlohmann::json ConcentrationJson(const std::vector<risk::ConcentrationRow>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const risk::ConcentrationRow& r : rows) {
    out.push_back({{"key", r.key},
                   {"nodes", r.nodes},
                   {"exposed_nodes", r.exposed_nodes},
                   {"max_pi_rack_weeks", r.max_pi_rack_weeks},
                   {"output_share", r.output_share},
                   {"supply_spend_share", r.supply_spend_share}});
  }
  return out;
}

nlohmann::json PercentilesJson(const risk::Percentiles& p) { return {{"p5", p.p5}, {"p50", p.p50}, {"p95", p.p95}}; }

std::string ConcentrationTable(const char* title, const std::vector<risk::ConcentrationRow>& rows) {
  std::string out =
      fmt::format("\n{:<10} {:>6} {:>8} {:>12} {:>8} {:>8}\n", title, "nodes", "exposed", "max PI", "output", "spend");
  for (const risk::ConcentrationRow& r : rows) {
    out += fmt::format("{:<10} {:>6} {:>8} {:>12} {:>8} {:>8}\n", r.key.empty() ? "-" : r.key, r.nodes, r.exposed_nodes,
                       FormatThousands(r.max_pi_rack_weeks, 1), FormatPercent(r.output_share),
                       FormatPercent(r.supply_spend_share));
  }
  return out;
}

HtmlTable ConcentrationHtml(const char* caption, const char* key, const std::vector<risk::ConcentrationRow>& rows) {
  HtmlTable t;
  t.caption = caption;
  t.headers = {key, "nodes", "exposed", "largest PI (rack-weeks)", "share of planned output", "share of spend"};
  t.numeric_columns = {1, 2, 3, 4, 5};
  for (const risk::ConcentrationRow& r : rows) {
    t.rows.push_back({r.key, std::to_string(r.nodes), std::to_string(r.exposed_nodes),
                      FormatThousands(r.max_pi_rack_weeks, 1), FormatPercent(r.output_share),
                      FormatPercent(r.supply_spend_share)});
  }
  return t;
}

}  // namespace

nlohmann::json RiskJson(const risk::RiskResult& result) {
  nlohmann::json nodes = nlohmann::json::array();
  for (size_t i : risk::ByExposure(result)) {
    const risk::NodeRisk& n = result.nodes[i];
    nodes.push_back({{"node", n.name},
                     {"recovery_weeks", n.recovery_weeks},
                     {"tts_weeks", n.tts_weeks},
                     {"pi_rack_weeks", n.pi_rack_weeks},
                     {"exposure_index", n.exposure_index},
                     {"exposed", n.exposed}});
  }
  return {{"start_week", result.start_week},
          {"nodes", nodes},
          {"concentration",
           {{"by_state", ConcentrationJson(result.by_state)}, {"by_country", ConcentrationJson(result.by_country)}}}};
}

namespace {

/// "12" or "to horizon" when the TTS reaches the end of the horizon (the binary search's cap, H - t0).
std::string TtsText(const model::Scenario& scenario, const risk::RiskResult& result, const risk::NodeRisk& n) {
  return n.tts_weeks >= scenario.horizon_weeks - result.start_week ? std::string("to horizon")
                                                                     : std::to_string(n.tts_weeks);
}

/// For a supplier node: the part it offers whose other sources cover the least of this supplier's
/// capacity, as "leak-kit (other sources 25 % of its 400/week)"; "" for plants and lines.
std::string CriticalPart(const model::Scenario& scenario, const risk::NodeRisk& n) {
  if (n.node.kind != model::NodeKind::kSupplier) return "";
  std::string best;
  double best_ratio = 0;
  for (const model::Offer& offer : scenario.offers) {
    if (offer.supplier != n.node.index) continue;
    double others = 0;
    for (int32_t o : scenario.components[offer.component].offers) {
      if (scenario.offers[o].supplier != n.node.index) others += scenario.offers[o].capacity_per_week;
    }
    const double ratio = offer.capacity_per_week > 0 ? others / offer.capacity_per_week : 1e300;
    if (best.empty() || ratio < best_ratio) {
      best_ratio = ratio;
      best = others <= 0 ? fmt::format("{} (single source)", scenario.components[offer.component].id)
                         : fmt::format("{} (other sources {} of its {}/week)", scenario.components[offer.component].id,
                                       FormatPercent(std::min(ratio, 99.99)), FormatThousands(offer.capacity_per_week, 0));
    }
  }
  return best;
}

std::string BacklogReference(const model::Scenario& scenario, const risk::RiskResult& result) {
  return fmt::format(
      "least possible backlog from week {} without an extra outage: {} rack-weeks (the PI reference: an LP that "
      "minimizes backlog with weeks before {} fixed to the plan, cost and the domestic floor ignored; not the "
      "cost-optimal plan's backlog)",
      model::WeekLabel(scenario.start_week, result.start_week), FormatThousands(result.baseline_backlog_rack_weeks, 1),
      result.start_week);
}

}  // namespace

std::string RiskTable(const model::Scenario& scenario, const risk::RiskResult& result) {
  std::string out = fmt::format("risk from week {}: {} nodes\n{}\n\n",
                                model::WeekLabel(scenario.start_week, result.start_week), result.nodes.size(),
                                BacklogReference(scenario, result));
  out += fmt::format("{:<32} {:>8} {:>10} {:>12} {:>9}  {:<8} {}\n", "node", "recovery", "TTS (wk)", "PI rack-wk",
                     "exposure", "exposed", "part (suppliers)");
  for (size_t i : risk::ByExposure(result)) {
    const risk::NodeRisk& n = result.nodes[i];
    out += fmt::format("{:<32} {:>8} {:>10} {:>12} {:>9.3f}  {:<8} {}\n", n.name, n.recovery_weeks,
                       TtsText(scenario, result, n), FormatThousands(n.pi_rack_weeks, 1), n.exposure_index,
                       n.exposed ? "EXPOSED" : "-", CriticalPart(scenario, n));
  }
  out += ConcentrationTable("state", result.by_state);
  out += ConcentrationTable("country", result.by_country);
  return out;
}

std::string RiskHtml(const model::Scenario& scenario, const risk::RiskResult& result) {
  HtmlPage page("Risk: " + scenario.name);
  page.AddParagraph(fmt::format(
      "Time to survive (TTS) against time to recover (TTR) per node, outages from week {}. A node whose TTS is "
      "shorter than its recovery time is exposed (highlighted, below the dashed TTS = TTR line): the rest of the network cannot hold the "
      "baseline's backlog for as long as the node needs to recover. \"to horizon\": the network holds until the "
      "end of the horizon.",
      result.start_week));
  page.AddParagraph(BacklogReference(scenario, result));
  ScatterChart quadrant;
  quadrant.frame.title = "TTS vs TTR per node";
  quadrant.frame.x_axis = {"Time to recover", "weeks"};
  quadrant.frame.y_axis = {"Time to survive", "weeks"};
  quadrant.points_name = "not exposed";
  quadrant.highlight_name = "exposed (TTS < TTR)";
  quadrant.diagonal_name = "TTS = TTR";
  quadrant.same_scale_from_zero = true;
  for (const risk::NodeRisk& n : result.nodes) {
    quadrant.points.push_back({static_cast<double>(n.recovery_weeks), static_cast<double>(n.tts_weeks),
                               fmt::format("{}: TTR {} w, TTS {}, PI {}", n.name, n.recovery_weeks,
                                           TtsText(scenario, result, n) + (n.tts_weeks < scenario.horizon_weeks - result.start_week ? " w" : ""),
                                           FormatThousands(n.pi_rack_weeks, 1)),
                               n.exposed});
    quadrant.point_names.push_back(n.name);
  }
  page.AddRaw(RenderScatterChart(quadrant));
  BarChart bars;
  bars.frame.title = "Performance impact, the most exposed nodes (extra backlog while it recovers)";
  bars.frame.y_axis = {"PI", "rack-weeks"};
  bars.frame.height_px = 420;
  bars.slanted_labels = true;  // node ids are long: upright labels ran into each other
  Series pi{"PI", {}, "", false};
  constexpr size_t kMaxBars = 12;
  for (size_t i : risk::ByExposure(result)) {
    if (bars.categories.size() == kMaxBars) break;
    bars.categories.push_back(result.nodes[i].name);
    pi.values.push_back(result.nodes[i].pi_rack_weeks);
  }
  bars.series.push_back(pi);
  page.AddRaw(RenderBarChart(bars));
  HtmlTable table;
  table.headers = {"node", "recovery (weeks)", "TTS (weeks)", "PI (rack-weeks)", "exposure index", "exposed",
                   "critical part (suppliers)"};
  table.numeric_columns = {1, 2, 3, 4};
  for (size_t i : risk::ByExposure(result)) {
    const risk::NodeRisk& n = result.nodes[i];
    table.rows.push_back({n.name, std::to_string(n.recovery_weeks), TtsText(scenario, result, n),
                          FormatThousands(n.pi_rack_weeks, 1), fmt::format("{:.3f}", n.exposure_index),
                          n.exposed ? "yes" : "no", CriticalPart(scenario, n)});
  }
  page.AddTable(table);
  page.AddHeading("Concentration");
  page.AddTable(ConcentrationHtml("per US state", "state", result.by_state));
  page.AddTable(ConcentrationHtml("per supplier country", "country", result.by_country));
  return page.Render();
}

namespace {

/// Share of the shortfall weeks that top_loss_nodes[i] was out in (0 when the result has none).
double ShortfallWeekShare(const risk::SimulationResult& result, size_t i) {
  return i < result.loss_node_shortfall_week_share.size() ? result.loss_node_shortfall_week_share[i] : 0.0;
}

}  // namespace

nlohmann::json SimulationJson(const risk::SimulationResult& result) {
  nlohmann::json p5 = nlohmann::json::array(), p50 = nlohmann::json::array(), p95 = nlohmann::json::array();
  for (const risk::Percentiles& p : result.output_racks_by_week) {
    p5.push_back(p.p5);
    p50.push_back(p.p50);
    p95.push_back(p.p95);
  }
  nlohmann::json backlog = nlohmann::json::object();
  for (int k = 0; k < model::kDemandKinds; ++k) {
    backlog[model::kDemandKindNames[k]] = PercentilesJson(result.backlog_rack_weeks_pct[k]);
  }
  nlohmann::json top = nlohmann::json::array();
  nlohmann::json explained = nlohmann::json::array();
  for (size_t i = 0; i < result.top_loss_nodes.size(); ++i) {
    top.push_back({result.top_loss_nodes[i].first, result.top_loss_nodes[i].second});
    explained.push_back({result.top_loss_nodes[i].first, ShortfallWeekShare(result, i)});
  }
  return {{"runs", result.runs},
          {"shortfall_weeks", result.shortfall_weeks},
          {"loss_node_shortfall_week_share", explained},
          {"seed", result.seed},
          {"weeks", result.weeks},
          {"p_target_met_by_week", result.p_target_met_by_week},
          {"output_racks_by_week", {{"p5", p5}, {"p50", p50}, {"p95", p95}}},
          {"backlog_rack_weeks_pct", backlog},
          {"top_loss_nodes", top}};
}

namespace {

/// How many of top_loss_nodes the console and the HTML show: the strongest few (all stay in the JSON).
constexpr size_t kShownLossNodes = 5;
size_t ShownLossNodes(const risk::SimulationResult& result) {
  return std::min(kShownLossNodes, result.top_loss_nodes.size());
}

/// "  ... and N more nodes, each at most X % (all in --json / simulate.json)".
std::string LossNodesRest(const risk::SimulationResult& result) {
  const size_t shown = ShownLossNodes(result);
  return fmt::format("  ... and {} more nodes, each at most {} (all in --json / simulate.json)",
                     result.top_loss_nodes.size() - shown, FormatPercent(result.top_loss_nodes[shown].second));
}

}  // namespace

std::string SimulationTable(const model::Scenario& scenario, const risk::SimulationResult& result) {
  std::string out = fmt::format("Monte Carlo: {} runs, seed {}, {} weeks\n\n", result.runs, result.seed, result.weeks);
  out += fmt::format("{:>5} {:>9} {:>9} {:>9} {:>9} {:>10}\n", "week", "target", "P5", "P50", "P95", "P(met)");
  for (int32_t t = 0; t < result.weeks && t < static_cast<int32_t>(result.output_racks_by_week.size()); ++t) {
    const risk::Percentiles& p = result.output_racks_by_week[t];
    out += fmt::format("{:>5} {:>9} {:>9} {:>9} {:>9} {:>10}\n", t,
                       FormatThousands(model::TargetAt(scenario.target, t), 0), FormatThousands(p.p5, 0),
                       FormatThousands(p.p50, 0), FormatThousands(p.p95, 0),
                       FormatPercent(result.p_target_met_by_week[t]));
  }
  out += fmt::format("\nbacklog (rack-weeks) {:>12} {:>12} {:>12}\n", "P5", "P50", "P95");
  for (int k = 0; k < model::kDemandKinds; ++k) {
    const risk::Percentiles& p = result.backlog_rack_weeks_pct[k];
    out += fmt::format("{:<20} {:>12} {:>12} {:>12}\n", model::kDemandKindNames[k], FormatThousands(p.p5, 1),
                       FormatThousands(p.p50, 1), FormatThousands(p.p95, 1));
  }
  out += fmt::format("\nnodes out when output fell short of the plan ({} shortfall weeks over all runs)\n",
                     FormatThousands(static_cast<double>(result.shortfall_weeks), 0));
  if (result.top_loss_nodes.empty()) out += "  none\n";
  const size_t shown = ShownLossNodes(result);
  if (shown > 0) out += fmt::format("  {:<32} {:>8} {:>16}\n", "node", "of runs", "of short weeks");
  for (size_t i = 0; i < shown; ++i) {
    const auto& [node, share] = result.top_loss_nodes[i];
    out += fmt::format("  {:<32} {:>8} {:>16}\n", node, FormatPercent(share),
                       FormatPercent(ShortfallWeekShare(result, i)));
  }
  if (shown < result.top_loss_nodes.size()) out += LossNodesRest(result) + "\n";
  return out;
}

std::string SimulationHtml(const model::Scenario& scenario, const risk::SimulationResult& result) {
  HtmlPage page("Monte Carlo: " + scenario.name);
  page.AddKeyValues({{"runs", std::to_string(result.runs)},
                     {"seed", std::to_string(result.seed)},
                     {"weeks", std::to_string(result.weeks)}});
  LineChart output;
  output.frame.title = "Output per week (P5..P95 band, P50 line) against the target";
  output.frame.x_axis = {"Week", ""};
  output.frame.y_axis = {"Output", "racks/week"};
  Band band{"P5..P95", {}, {}, ""};
  Series p50{"P50", {}, "", false}, target{"target", {}, "", true};
  for (int32_t t = 0; t < static_cast<int32_t>(result.output_racks_by_week.size()); ++t) {
    output.x.push_back(t);
    band.low.push_back(result.output_racks_by_week[t].p5);
    band.high.push_back(result.output_racks_by_week[t].p95);
    p50.values.push_back(result.output_racks_by_week[t].p50);
    target.values.push_back(model::TargetAt(scenario.target, t));
  }
  output.band = band;
  output.series = {p50, target};
  page.AddRaw(RenderLineChart(output));
  LineChart met;
  met.frame.title = "Probability that a week meets the ramp target";
  met.frame.x_axis = {"Week", ""};
  met.frame.y_axis = {"P(target met)", ""};
  met.x = output.x;
  met.series.push_back({"P(target met)", result.p_target_met_by_week, "", false});
  page.AddRaw(RenderLineChart(met));
  HtmlTable top;
  top.caption = "Nodes out in a week whose output fell short of the plan";
  top.headers = {"node", "share of runs with such a week", "share of the shortfall weeks it was out in"};
  top.numeric_columns = {1, 2};
  for (size_t i = 0; i < ShownLossNodes(result); ++i) {
    top.rows.push_back({result.top_loss_nodes[i].first, FormatPercent(result.top_loss_nodes[i].second),
                        FormatPercent(ShortfallWeekShare(result, i))});
  }
  page.AddTable(top);
  if (top.rows.size() < result.top_loss_nodes.size()) page.AddParagraph(LossNodesRest(result));
  page.AddNote("Share of runs: the runs in which the node was out in at least one week whose output fell short of "
               "the plan's by more than 1e-6, over all runs. Share of the shortfall weeks: of all (run, week) pairs "
               "whose output fell short of the plan (" + FormatThousands(static_cast<double>(result.shortfall_weeks), 0) +
               "), those in which the node was out. Several nodes can be out in the same short week, so "
               "neither column adds up to 100 %, and a share says how often the node was there, not how much of "
               "the shortfall it caused.");
  return page.Render();
}

}  // namespace rackforge::report
