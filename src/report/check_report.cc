#include "report/check_report.h"

#include <fmt/format.h>

#include <cmath>

#include "common/format.h"

namespace rackforge::report {

using common::FormatPercent;
using common::FormatUsd;

namespace {

using nlohmann::json;

json Number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

json Optional(const std::optional<double>& value) { return value ? Number(*value) : json(nullptr); }

json ComponentIds(const model::Scenario& scenario, const std::vector<int32_t>& components) {
  json ids = json::array();
  for (int32_t c : components) ids.push_back(scenario.components[c].id);
  return ids;
}

json RollupJson(const model::Scenario& scenario, const design::Rollup& r) {
  json supply = json::array();
  for (const design::ComponentSupply& c : r.components) {
    supply.push_back({{"component", scenario.components[c.component].id},
                      {"qty", c.qty},
                      {"suppliers", c.suppliers},
                      {"in_house_plants", c.in_house_plants},
                      {"hhi", Optional(c.hhi)},
                      {"landed_cost_usd", Optional(c.landed_cost_usd)},
                      {"in_house_cost_usd", Optional(c.in_house_cost_usd)}});
  }
  return {{"accelerators", r.accelerators},
          {"it_power_kw", r.it_power_kw},
          {"heat_liquid_kw", r.heat_liquid_kw},
          {"heat_air_kw", r.heat_air_kw},
          {"coolant_flow_l_min", Optional(r.coolant_flow_l_min)},
          {"weight_kg", r.weight_kg},
          {"rack_units", r.rack_units},
          {"ports_required", r.ports_required},
          {"ports_provided", r.ports_provided},
          {"cost_usd", r.cost_usd},
          {"domestic_share", r.domestic_share},
          {"min_suppliers", r.min_suppliers},
          {"single_source_components", ComponentIds(scenario, r.single_source_components)},
          {"unpriced_components", ComponentIds(scenario, r.unpriced_components)},
          {"components", supply}};
}

json RulesJson(const design::RuleResults& rules) {
  json out = json::array();
  for (const design::RuleResult& r : rules) {
    json rule = {{"rule", design::RuleName(r.rule)},
                 {"need", Number(r.need)},
                 {"have", Number(r.have)},
                 {"margin", Optional(r.margin)},
                 {"pass", r.pass()}};
    if (r.status == design::RuleStatus::kNotApplicable || r.status == design::RuleStatus::kFacilityCooled) {
      rule["note"] = design::ToString(r.status);
    }
    out.push_back(std::move(rule));
  }
  return out;
}

const char* RuleUnit(design::Rule rule) {
  switch (rule) {
    case design::Rule::kPower: return "W";
    case design::Rule::kBusbar: return "A";
    case design::Rule::kLiquidCooling: return "W";
    case design::Rule::kAirCooling: return "W";
    case design::Rule::kWeight: return "kg";
    case design::Rule::kFloorLoad: return "kg/m2";
    case design::Rule::kRackUnits: return "U";
    case design::Rule::kPorts: return "ports";
    case design::Rule::kAccelerators: return "accel.";
    case design::Rule::kRackPower: return "kW";
    case design::Rule::kDate: return "week";
    case design::Rule::kCount: break;
  }
  return "";
}

std::string Value(double v) { return std::isfinite(v) ? fmt::format("{:.2f}", v) : std::string("inf"); }

std::string RollupLines(const model::Scenario& scenario, const design::Rollup& r) {
  std::string out;
  out += fmt::format("  accelerators {:g}   IT power {:.2f} kW   heat liquid {:.2f} kW / air {:.2f} kW   coolant {}\n",
                     r.accelerators, r.it_power_kw, r.heat_liquid_kw, r.heat_air_kw,
                     r.coolant_flow_l_min ? fmt::format("{:.1f} L/min", *r.coolant_flow_l_min) : "n.a.");
  out += fmt::format("  weight {:.1f} kg   rack units {:g} U   ports {:g} required / {:g} provided\n", r.weight_kg,
                     r.rack_units, r.ports_required, r.ports_provided);
  out += fmt::format("  cost {}   possible domestic share {} (each part with a US source, offer or in-house line, "
                     "bought or made there; "
                     "`plan` reports the achieved domestic content)   min suppliers {}\n",
                     FormatUsd(r.cost_usd), FormatPercent(r.domestic_share), r.min_suppliers);
  if (!r.single_source_components.empty()) {
    out += "  single-source:";
    for (int32_t c : r.single_source_components) out += " " + scenario.components[c].id;
    out += "\n";
  }
  std::string in_house;
  for (const design::ComponentSupply& c : r.components) {
    if (c.in_house_plants == 0 || c.qty <= 0) continue;
    in_house += fmt::format(" {} ({} plant{}{}{})", scenario.components[c.component].id, c.in_house_plants,
                            c.in_house_plants == 1 ? "" : "s",
                            c.in_house_cost_usd ? ", " + FormatUsd(*c.in_house_cost_usd) : std::string(),
                            c.suppliers == c.in_house_plants ? ", only in-house" : "");
  }
  if (!in_house.empty()) out += "  in-house sources:" + in_house + "\n";
  if (!r.unpriced_components.empty()) {
    out += "  no source (left out of cost):";
    for (int32_t c : r.unpriced_components) out += " " + scenario.components[c].id;
    out += "\n";
  }
  return out;
}

std::string RuleLines(const design::RuleResults& rules) {
  std::string out = fmt::format("  {:<15} {:>14} {:>14} {:<6} {:>9}  {}\n", "rule", "need", "have", "unit", "margin",
                                "result");
  for (const design::RuleResult& r : rules) {
    const std::string margin = r.margin ? fmt::format("{:.1f} %", 100.0 * *r.margin) : "-";
    // A rule that does not apply has no need or have to show (both are 0 by definition).
    const bool applies = r.status != design::RuleStatus::kNotApplicable;
    out += fmt::format("  {:<15} {:>14} {:>14} {:<6} {:>9}  {}\n", design::RuleName(r.rule),
                       applies ? Value(r.need) : "-", applies ? Value(r.have) : "-", RuleUnit(r.rule), margin,
                       design::ToString(r.status));
  }
  return out;
}

}  // namespace

json DesignCheckJson(const model::Scenario& scenario, const model::Design& design, const design::DesignCheck& check) {
  const std::string meets =
      design.meets >= 0 && design.meets < static_cast<int32_t>(scenario.requirements.size())
          ? scenario.requirements[design.meets].id
          : std::string();
  return {{"id", design.id},
          {"meets", meets},
          {"pass", check.pass},
          {"rollup", RollupJson(scenario, check.rollup)},
          {"rules", RulesJson(check.rules)}};
}

json CheckJson(const model::Scenario& scenario, const std::vector<design::DesignCheck>& checks) {
  json designs = json::array();
  for (const design::DesignCheck& check : checks) {
    designs.push_back(DesignCheckJson(scenario, scenario.designs[check.design], check));
  }
  return {{"designs", designs}};
}

std::string CheckTable(const model::Scenario& scenario, const std::vector<design::DesignCheck>& checks) {
  std::string out;
  for (const design::DesignCheck& check : checks) {
    const model::Design& design = scenario.designs[check.design];
    const model::Requirement& req = design::RequirementOf(scenario, design);
    out += fmt::format("{} ({}) meets {}: {}\n", design.id, design.name, req.id.empty() ? "-" : req.id,
                       check.pass ? "PASS" : "FAIL");
    out += RollupLines(scenario, check.rollup);
    out += RuleLines(check.rules);
    out += "\n";
  }
  size_t failing = 0;
  for (const design::DesignCheck& check : checks) failing += check.pass ? 0 : 1;
  out += fmt::format("{} design(s), {} failing\n", checks.size(), failing);
  return out;
}

}  // namespace rackforge::report
