#pragma once
// A design space of DESIGN.md "Design space (co-design)" prepared for fast
// evaluation: the base BOM without the replaced components, and each slot
// option's contribution (BOM totals + `set` overrides), precomputed once.
// Variants are evaluated with the rule code of design/rules.h, the same code
// `check` runs. Immutable after construction; safe to share between threads.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "design/rollup.h"
#include "design/rules.h"
#include "model/scenario.h"

namespace rackforge::explore {

/// The four objectives of a variant (cost minimized, the others maximized).
struct Objectives {
  double cost_usd = 0;
  double domestic_share = 0;
  int32_t min_suppliers = 0;
  std::optional<double> min_margin;  // nullopt when no rule has a margin (counts as +infinity)
};

/// True when a is at least as good as b on every objective (within 1e-9
/// relative) and better on one.
bool Dominates(const Objectives& a, const Objectives& b);

/// A design's BOM totals and fields, the state a variant is evaluated from.
struct VariantState {
  design::BomTotals totals;
  design::DesignFields fields{};
};

/// What one slot option adds: its BOM totals and its field overrides.
struct OptionPart {
  design::BomTotals totals;
  std::vector<std::pair<design::Field, double>> set;
};

/// The result of evaluating one variant.
struct Evaluation {
  bool pass = false;  // every rule (the requirement's included) passes
  Objectives objectives;
  std::optional<design::Rule> tightest_rule;
};

/// Rolls up state + rules into an Evaluation (the same rule code as check).
Evaluation Evaluate(const VariantState& state, const model::Requirement& requirement);

/// Adds one option's contribution to a state.
inline void Apply(VariantState& state, const OptionPart& part) {
  state.totals.Merge(part.totals);
  for (const auto& [field, value] : part.set) state.fields[static_cast<int>(field)] = value;
}

class SpaceModel {
 public:
  /// Prepares `space` (of `scenario`). `facts` from design::ComputeComponentFacts.
  /// Throws std::invalid_argument for a `set` key that may not be set.
  SpaceModel(const model::Scenario& scenario, const std::vector<design::ComponentFacts>& facts,
             const model::DesignSpace& space);

  const model::Design& design() const { return *design_; }
  const model::DesignSpace& space() const { return *space_; }
  const model::Requirement& requirement() const { return *requirement_; }
  /// The base design without the replaced components.
  const VariantState& base() const { return base_; }
  int32_t slot_count() const { return static_cast<int32_t>(parts_.size()); }
  int32_t option_count(int32_t slot) const { return static_cast<int32_t>(parts_[slot].size()); }
  const OptionPart& part(int32_t slot, int32_t option) const { return parts_[slot][option]; }
  /// Product of the option counts (a double: 5^40 does not fit 64 bits).
  double VariantsTotal() const;
  /// State of the variant with these 0-based choices (one per slot), built from scratch.
  VariantState StateOf(const std::vector<int32_t>& choices) const;

 private:
  const model::Design* design_;
  const model::DesignSpace* space_;
  const model::Requirement* requirement_;
  VariantState base_;
  std::vector<std::vector<OptionPart>> parts_;
};

/// "DESIGN~SLOT=K~SLOT=K" with K 1-based, slots in file order.
std::string VariantId(const model::Scenario& scenario, const model::DesignSpace& space,
                      const std::vector<int32_t>& choices);

/// Parses a variant id of `space` into 0-based choices; throws common::UsageError
/// naming the bad part (wrong design, unknown slot, missing slot, K out of range).
std::vector<int32_t> ParseVariantId(const model::Scenario& scenario, const model::DesignSpace& space,
                                    const std::string& variant_id);

/// The design id a variant is written as: "DESIGN-vK-K-...".
std::string VariantDesignId(const model::Scenario& scenario, const model::DesignSpace& space,
                            const std::vector<int32_t>& choices);

/// The variant as a normal design: replaced components leave the base BOM,
/// the chosen options' BOMs join it (same components summed, base order first),
/// `set` overrides applied, id VariantDesignId, `meets` kept.
model::Design BuildVariant(const model::Scenario& scenario, const model::DesignSpace& space,
                           const std::vector<int32_t>& choices);

/// The space of a design, or nullptr.
const model::DesignSpace* FindSpace(const model::Scenario& scenario, int32_t design);

}  // namespace rackforge::explore
