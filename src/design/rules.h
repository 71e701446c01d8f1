#pragma once
// The design rules of DESIGN.md "Design rules": the one implementation of
// every rule, evaluated from BOM totals + design fields + the roadmap
// requirement the design meets. Used by `check` and by every `explore` variant.

#include <array>
#include <optional>

#include "design/rollup.h"
#include "model/scenario.h"

namespace rackforge::design {

/// The rules, in the order of the table in DESIGN.md.
enum class Rule : int32_t {
  kPower,
  kBusbar,
  kLiquidCooling,
  kAirCooling,
  kWeight,
  kFloorLoad,
  kRackUnits,
  kPorts,
  kAccelerators,
  kRackPower,
  kDate,
  kCount
};
inline constexpr int kRuleCount = static_cast<int>(Rule::kCount);

/// The rule name as in the table: "power", "liquid cooling", "rack units", ...
const char* RuleName(Rule rule);

/// Outcome of one rule. kNotApplicable: need = have = 0; kFacilityCooled: the
/// liquid-cooling rule when the BOM has no cooling capacity (skipped). Both pass.
enum class RuleStatus : int32_t { kPass, kFail, kNotApplicable, kFacilityCooled };
/// "PASS" | "FAIL" | "n.a." | "facility-cooled".
const char* ToString(RuleStatus status);

/// Relative tolerance of "need <= have" (float sums of the same numbers in a
/// different order must not flip a rule): need <= have + 1e-9·max(1, |need|, |have|).
inline constexpr double kRuleTolerance = 1e-9;

struct RuleResult {
  Rule rule = Rule::kPower;
  double need = 0;
  double have = 0;
  std::optional<double> margin;  // (have - need) / have where have > 0; none for the date rule
  RuleStatus status = RuleStatus::kPass;
  bool pass() const { return status != RuleStatus::kFail; }
};
using RuleResults = std::array<RuleResult, kRuleCount>;

/// Evaluates every rule. A need that divides by a field <= 0 (busbar voltage,
/// footprint) is +infinity when the numerator is > 0, else 0.
RuleResults EvaluateRules(const BomTotals& totals, const DesignFields& fields, const model::Requirement& requirement);

/// True when every rule passes.
bool AllPass(const RuleResults& rules);
/// The smallest margin over the rules that have one; nullopt when none has one.
std::optional<double> MinMargin(const RuleResults& rules);
/// The rule with the smallest margin (first in table order on ties); nullopt when none has one.
std::optional<Rule> TightestRule(const RuleResults& rules);

/// The requirement a design meets (an all-zero requirement when meets < 0).
const model::Requirement& RequirementOf(const model::Scenario& scenario, const model::Design& design);

}  // namespace rackforge::design
