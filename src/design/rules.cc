#include "design/rules.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rackforge::design {

namespace {

double F(const DesignFields& fields, Field f) { return fields[static_cast<int>(f)]; }

// numerator / denominator, with a denominator <= 0 giving +inf (or 0 for a zero numerator).
double Ratio(double numerator, double denominator) {
  if (denominator > 0) return numerator / denominator;
  return numerator > 0 ? std::numeric_limits<double>::infinity() : 0.0;
}

bool Within(double need, double have) {
  if (need <= have) return true;
  if (!std::isfinite(need) || !std::isfinite(have)) return false;
  const double scale = std::max({1.0, std::fabs(need), std::fabs(have)});
  return need <= have + kRuleTolerance * scale;
}

// need <= have with a margin where have > 0.
RuleResult Compare(Rule rule, double need, double have) {
  RuleResult r{rule, need, have, std::nullopt, RuleStatus::kPass};
  if (need == 0 && have == 0) {
    r.status = RuleStatus::kNotApplicable;
    return r;
  }
  if (have > 0 && std::isfinite(need)) r.margin = (have - need) / have;
  r.status = Within(need, have) ? RuleStatus::kPass : RuleStatus::kFail;
  return r;
}

}  // namespace

const char* RuleName(Rule rule) {
  switch (rule) {
    case Rule::kPower: return "power";
    case Rule::kBusbar: return "busbar";
    case Rule::kLiquidCooling: return "liquid cooling";
    case Rule::kAirCooling: return "air cooling";
    case Rule::kWeight: return "weight";
    case Rule::kFloorLoad: return "floor load";
    case Rule::kRackUnits: return "rack units";
    case Rule::kPorts: return "ports";
    case Rule::kAccelerators: return "accelerators";
    case Rule::kRackPower: return "rack power";
    case Rule::kDate: return "date";
    case Rule::kCount: break;
  }
  return "";
}

const char* ToString(RuleStatus status) {
  switch (status) {
    case RuleStatus::kPass: return "PASS";
    case RuleStatus::kFail: return "FAIL";
    case RuleStatus::kNotApplicable: return "n.a.";
    case RuleStatus::kFacilityCooled: return "facility-cooled";
  }
  return "";
}

RuleResults EvaluateRules(const BomTotals& t, const DesignFields& fields, const model::Requirement& req) {
  const double it_power_w = t[Sum::kPowerW];
  const double weight_kg = t[Sum::kWeightKg];
  RuleResults r;
  r[0] = Compare(Rule::kPower, it_power_w,
                 t[Sum::kPowerCapacityW] - F(fields, Field::kRedundantPowerShelves) * t.max_power_capacity_w);
  r[1] = Compare(Rule::kBusbar, Ratio(it_power_w, F(fields, Field::kBusbarVoltageV)), F(fields, Field::kBusbarRatingA));
  r[2] = Compare(Rule::kLiquidCooling, t[Sum::kHeatLiquidW], t[Sum::kCoolingCapacityW]);
  if (t[Sum::kCoolingCapacityW] == 0) {
    r[2].margin.reset();
    r[2].status = RuleStatus::kFacilityCooled;
  }
  r[3] = Compare(Rule::kAirCooling, t[Sum::kHeatAirW], F(fields, Field::kMaxAirHeatW));
  r[4] = Compare(Rule::kWeight, weight_kg, F(fields, Field::kMaxWeightKg));
  r[5] = Compare(Rule::kFloorLoad, Ratio(weight_kg, F(fields, Field::kFootprintM2)), req.max_floor_load_kg_m2);
  r[6] = Compare(Rule::kRackUnits, t[Sum::kHeightU], F(fields, Field::kRackUnits));
  r[7] = Compare(Rule::kPorts, t[Sum::kPortsRequired], t[Sum::kPortsProvided]);
  r[8] = Compare(Rule::kAccelerators, req.min_accelerators, t[Sum::kAccelerators]);
  r[9] = Compare(Rule::kRackPower, it_power_w / 1000.0, req.max_power_kw);
  r[10] = Compare(Rule::kDate, F(fields, Field::kAvailableFromWeek), req.needed_by_week);
  r[10].margin.reset();
  return r;
}

bool AllPass(const RuleResults& rules) {
  for (const RuleResult& r : rules) {
    if (!r.pass()) return false;
  }
  return true;
}

std::optional<double> MinMargin(const RuleResults& rules) {
  std::optional<double> best;
  for (const RuleResult& r : rules) {
    if (r.margin && (!best || *r.margin < *best)) best = r.margin;
  }
  return best;
}

std::optional<Rule> TightestRule(const RuleResults& rules) {
  std::optional<Rule> rule;
  std::optional<double> best;
  for (const RuleResult& r : rules) {
    if (r.margin && (!best || *r.margin < *best)) {
      best = r.margin;
      rule = r.rule;
    }
  }
  return rule;
}

const model::Requirement& RequirementOf(const model::Scenario& scenario, const model::Design& design) {
  static const model::Requirement kNone;
  if (design.meets < 0 || design.meets >= static_cast<int32_t>(scenario.requirements.size())) return kNone;
  return scenario.requirements[design.meets];
}

}  // namespace rackforge::design
