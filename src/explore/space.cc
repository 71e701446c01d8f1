#include "explore/space.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "common/errors.h"

namespace rackforge::explore {

namespace {

constexpr double kRelTol = 1e-9;

// -1: a worse than b, 0: equal within tolerance, +1: a better (for a maximized value).
int CompareMax(double a, double b) {
  if (a == b) return 0;
  if (!std::isfinite(a) || !std::isfinite(b)) return a < b ? -1 : 1;
  const double scale = std::max(std::fabs(a), std::fabs(b));
  if (std::fabs(a - b) <= kRelTol * scale) return 0;
  return a < b ? -1 : 1;
}

double MarginValue(const std::optional<double>& margin) {
  return margin ? *margin : std::numeric_limits<double>::infinity();
}

bool IsReplaced(const model::DesignSpace& space, int32_t component) {
  for (const model::Slot& slot : space.slots) {
    if (std::find(slot.replaces.begin(), slot.replaces.end(), component) != slot.replaces.end()) return true;
  }
  return false;
}

OptionPart PartOf(const model::Scenario& scenario, const std::vector<design::ComponentFacts>& facts,
                  const model::SlotOption& option) {
  OptionPart part;
  part.totals = design::TotalsOf(scenario, facts, option.bom);
  for (const auto& [key, value] : option.set) {
    const std::optional<design::Field> field = design::ParseFieldKey(key);
    if (!field) throw std::invalid_argument("design space: set key '" + key + "' may not be set");
    part.set.emplace_back(*field, value);
  }
  return part;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t pos = text.find(separator, start);
    parts.push_back(text.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
    if (pos == std::string::npos) return parts;
    start = pos + 1;
  }
}

}  // namespace

bool Dominates(const Objectives& a, const Objectives& b) {
  const int cmp[] = {CompareMax(-a.cost_usd, -b.cost_usd), CompareMax(a.domestic_share, b.domestic_share),
                     a.min_suppliers == b.min_suppliers ? 0 : (a.min_suppliers > b.min_suppliers ? 1 : -1),
                     CompareMax(MarginValue(a.min_margin), MarginValue(b.min_margin))};
  bool better = false;
  for (int c : cmp) {
    if (c < 0) return false;
    better = better || c > 0;
  }
  return better;
}

Evaluation Evaluate(const VariantState& state, const model::Requirement& requirement) {
  const design::RuleResults rules = design::EvaluateRules(state.totals, state.fields, requirement);
  Evaluation e;
  e.pass = design::AllPass(rules);
  e.objectives.cost_usd = state.totals[design::Sum::kCostUsd];
  e.objectives.domestic_share = design::DomesticShare(state.totals);
  e.objectives.min_suppliers =
      state.totals.min_suppliers == design::kNoComponents ? 0 : state.totals.min_suppliers;
  e.objectives.min_margin = design::MinMargin(rules);
  e.tightest_rule = design::TightestRule(rules);
  return e;
}

SpaceModel::SpaceModel(const model::Scenario& scenario, const std::vector<design::ComponentFacts>& facts,
                       const model::DesignSpace& space)
    : design_(&scenario.designs.at(space.design)),
      space_(&space),
      requirement_(&design::RequirementOf(scenario, *design_)) {
  for (const model::BomEntry& entry : design_->bom) {
    if (IsReplaced(space, entry.component)) continue;
    base_.totals.AddEntry(scenario.components[entry.component], facts[entry.component], entry.qty);
  }
  base_.fields = design::FieldsOf(*design_);
  for (const model::Slot& slot : space.slots) {
    std::vector<OptionPart> parts;
    for (const model::SlotOption& option : slot.options) parts.push_back(PartOf(scenario, facts, option));
    parts_.push_back(std::move(parts));
  }
}

double SpaceModel::VariantsTotal() const {
  double total = 1;
  for (const auto& parts : parts_) total *= static_cast<double>(parts.size());
  return total;
}

VariantState SpaceModel::StateOf(const std::vector<int32_t>& choices) const {
  VariantState state = base_;
  for (int32_t s = 0; s < slot_count(); ++s) Apply(state, parts_[s][choices[s]]);
  return state;
}

std::string VariantId(const model::Scenario& scenario, const model::DesignSpace& space,
                      const std::vector<int32_t>& choices) {
  std::string id = scenario.designs[space.design].id;
  for (size_t s = 0; s < space.slots.size(); ++s) {
    id += "~" + space.slots[s].slot + "=" + std::to_string(choices[s] + 1);
  }
  return id;
}

std::vector<int32_t> ParseVariantId(const model::Scenario& scenario, const model::DesignSpace& space,
                                    const std::string& variant_id) {
  const std::vector<std::string> parts = Split(variant_id, '~');
  const std::string& design_id = scenario.designs[space.design].id;
  if (parts[0] != design_id) {
    throw common::UsageError("variant '" + variant_id + "': design '" + parts[0] + "' is not '" + design_id + "'");
  }
  std::vector<int32_t> choices(space.slots.size(), -1);
  for (size_t i = 1; i < parts.size(); ++i) {
    const size_t eq = parts[i].find('=');
    const std::string slot = parts[i].substr(0, eq);
    int32_t s = -1;
    for (size_t j = 0; j < space.slots.size(); ++j) {
      if (space.slots[j].slot == slot) s = static_cast<int32_t>(j);
    }
    if (s < 0 || eq == std::string::npos) {
      throw common::UsageError("variant '" + variant_id + "': '" + parts[i] + "' is not SLOT=K for a slot of " + design_id);
    }
    const std::string k_text = parts[i].substr(eq + 1);
    const int32_t options = static_cast<int32_t>(space.slots[s].options.size());
    int32_t k = 0;
    const bool digits = !k_text.empty() && k_text.size() < 10 &&
                        std::all_of(k_text.begin(), k_text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) k = std::stoi(k_text);
    if (!digits || k < 1 || k > options) {
      throw common::UsageError("variant '" + variant_id + "': slot " + slot + " option '" + k_text + "' is not in 1.." +
                           std::to_string(options));
    }
    if (choices[s] >= 0) throw common::UsageError("variant '" + variant_id + "': slot " + slot + " given twice");
    choices[s] = k - 1;
  }
  for (size_t s = 0; s < space.slots.size(); ++s) {
    if (choices[s] < 0) {
      throw common::UsageError("variant '" + variant_id + "': slot " + space.slots[s].slot + " has no option chosen");
    }
  }
  return choices;
}

std::string VariantDesignId(const model::Scenario& scenario, const model::DesignSpace& space,
                            const std::vector<int32_t>& choices) {
  std::string id = scenario.designs[space.design].id + "-v";
  for (size_t s = 0; s < choices.size(); ++s) id += (s == 0 ? "" : "-") + std::to_string(choices[s] + 1);
  return id;
}

model::Design BuildVariant(const model::Scenario& scenario, const model::DesignSpace& space,
                           const std::vector<int32_t>& choices) {
  const model::Design& base = scenario.designs[space.design];
  model::Design variant = base;
  variant.id = VariantDesignId(scenario, space, choices);
  variant.name = base.name + " (" + VariantId(scenario, space, choices) + ")";
  variant.file.clear();
  variant.bom.clear();
  auto add = [&variant](const model::BomEntry& entry) {
    for (model::BomEntry& existing : variant.bom) {
      if (existing.component == entry.component) {
        existing.qty += entry.qty;
        return;
      }
    }
    variant.bom.push_back(entry);
  };
  for (const model::BomEntry& entry : base.bom) {
    if (!IsReplaced(space, entry.component)) add(entry);
  }
  for (size_t s = 0; s < space.slots.size(); ++s) {
    const model::SlotOption& option = space.slots[s].options[choices[s]];
    for (const model::BomEntry& entry : option.bom) add(entry);
    for (const auto& [key, value] : option.set) {
      const std::optional<design::Field> field = design::ParseFieldKey(key);
      if (!field) throw std::invalid_argument("design space: set key '" + key + "' may not be set");
      design::SetField(variant, *field, value);
    }
  }
  return variant;
}

const model::DesignSpace* FindSpace(const model::Scenario& scenario, int32_t design) {
  for (const model::DesignSpace& space : scenario.design_spaces) {
    if (space.design == design) return &space;
  }
  return nullptr;
}

}  // namespace rackforge::explore
